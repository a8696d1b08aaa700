"""/settings: the team's rules, edited by an admin or manager."""

from __future__ import annotations

from typing import Any

from telegram.ext import BaseHandler

HANDLERS: list[BaseHandler[Any, Any, Any]] = []
