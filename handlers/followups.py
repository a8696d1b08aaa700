"""Follow-ups, the sales stages and tasks: /followup, /tasks, /teamtasks, /stages (B2, B3).

The /followup form lives in ``followups_form``, tasks in ``followups_tasks`` and the stage
editor in ``followups_stages``; this module lists their handlers for registration.
"""

from __future__ import annotations

from typing import Any

from telegram.ext import BaseHandler

from handlers.followups_form import conversation_handler
from handlers.followups_stages import handlers as stage_handlers
from handlers.followups_tasks import handlers as task_handlers


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    """Fresh handler objects for one application."""
    return [conversation_handler(), *task_handlers(), *stage_handlers()]
