"""The customer card, /find, /newcustomer and tier overrides (A2, A3)."""

from __future__ import annotations

from typing import Any

from telegram.ext import BaseHandler

HANDLERS: list[BaseHandler[Any, Any, Any]] = []
