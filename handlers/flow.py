"""Building conversations the one way: persistent, named, and one active form per person.

Every area has its own forms, all in the same handler group. PTB alone would let a form
someone abandoned (by starting another form) keep catching their messages, since each
ConversationHandler only knows its own states. Here each person's most recently entered form
is remembered in their ``user_data`` (so it survives restarts), and a form that is not the
current one stays dormant: it lets messages pass to the current form instead of taking them.
Entering a form again (its entry command) always works and restarts it.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Sequence
from typing import Any

from telegram import Update
from telegram.ext import Application, BaseHandler, ConversationHandler
from telegram.warnings import PTBUserWarning

FORMS_KEY = "_forms"


def _chat_key(update: Update) -> str | None:
    chat = update.effective_chat
    return str(chat.id) if chat is not None else None


class Form(ConversationHandler[Any]):
    """A ConversationHandler that defers to the person's current form."""

    application: Application[Any, Any, Any, Any, Any, Any] | None = None

    def current_form(self, update: Update) -> str | None:
        """The form this person last entered in this chat, if known."""
        user, chat = update.effective_user, _chat_key(update)
        if self.application is None or user is None or chat is None:
            return None
        data = self.application.user_data.get(user.id, {})
        forms = data.get(FORMS_KEY, {})
        return forms.get(chat) if isinstance(forms, dict) else None

    def check_update(self, update: object) -> Any:
        result = super().check_update(update)
        if result is None or not isinstance(update, Update):
            return result
        handler = result[2]
        if handler in self.entry_points:
            return result
        current = self.current_form(update)
        return None if current is not None and current != self.name else result


def _remember(form_name: str, callback: Any) -> Any:
    """Wrap a form callback so entering a state marks this form as the person's current one."""

    @functools.wraps(callback)
    async def remembered(update: Update, context: Any) -> Any:
        state = await callback(update, context)
        chat = _chat_key(update)
        if state is not None and state != ConversationHandler.END and chat is not None:
            user_data = context.user_data
            if user_data is not None:
                forms = user_data.setdefault(FORMS_KEY, {})
                if forms.get(chat) != form_name:
                    forms[chat] = form_name
        return state

    return remembered


def conversation(
    name: str,
    entry_points: Sequence[BaseHandler[Any, Any, Any]],
    states: dict[object, list[BaseHandler[Any, Any, Any]]],
    fallbacks: Sequence[BaseHandler[Any, Any, Any]],
) -> Form:
    """A persistent form whose state survives restarts and never steals another's input.

    PTB warns that CallbackQueryHandlers are not tracked per message when
    ``per_message=False``; that is what we want — one form per chat and user at a time, with
    buttons carrying their own payloads — so the warning is silenced here, once.
    """
    for handler in entry_points:
        handler.callback = _remember(name, handler.callback)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*per_message=False", category=PTBUserWarning)
        return Form(
            entry_points=list(entry_points),
            states=states,
            fallbacks=list(fallbacks),
            name=name,
            persistent=True,
            allow_reentry=True,
        )


def bind_forms(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Let every form of ``application`` read who is in which form."""
    for group in application.handlers.values():
        for handler in group:
            if isinstance(handler, Form):
                handler.application = application
