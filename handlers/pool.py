"""The public pool: browsing, claiming, releasing, assigning, locking, extensions (A1)."""

from __future__ import annotations

from typing import Any

from telegram.ext import BaseHandler

HANDLERS: list[BaseHandler[Any, Any, Any]] = []
