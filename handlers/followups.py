"""Follow-ups, the sales stages and tasks: /followup, /tasks, /teamtasks, /stages (B2, B3)."""

from __future__ import annotations

from typing import Any

from telegram.ext import BaseHandler


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    """Fresh handler objects for one application."""
    return []
