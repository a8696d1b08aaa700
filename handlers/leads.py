"""Leads: the /lead form, /import of CSV/XLSX files, assignment and /leads (B1, D3)."""

from __future__ import annotations

from typing import Any

from telegram.ext import BaseHandler

HANDLERS: list[BaseHandler[Any, Any, Any]] = []
