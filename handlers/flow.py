"""Building conversations the one way: persistent, named, and one active form per person.

Every area has its own forms, all in the same handler group. PTB alone would let a form
someone abandoned (by starting another form) keep catching their messages, since each
ConversationHandler only knows its own states. Here each person's most recently entered form
is remembered in their ``user_data`` (so it survives restarts), and a form that is not the
current one stays dormant: it lets messages pass to the current form instead of taking them.
Entering a form again (its entry command) always works and restarts it.

The pieces every form shares live here too: the ``TEXT`` and ``ANYTHING_ELSE`` filters a state
tells apart (neither takes an edited message: retouching an old answer, or a live location
moving, is not a new answer; nor is a message edited into a command a command to a form),
``reprompt`` for input a state cannot use, the buttons a form moves on from, and /cancel with
the Cancel button, which ``conversation`` adds to every form.

A button the form moves on from is answered and its keyboard cleared. When the step behind it
only moves on (no storage call that could refuse), ``tapped`` does that at once. When the step
calls storage, ``pressed`` reads the button and ``then_clear`` runs the step first: a refusal
(a ``DomainError``) then still finds the tap unanswered, so the error handler shows it as an
alert and the buttons stay to try again.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from typing import Any, TypeVar

from telegram import Update
from telegram.ext import (
    Application,
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    filters,
)
from telegram.warnings import PTBUserWarning

from bot.callbacks import CallbackData, CancelFlow
from bot.context import FieldContext
from bot.i18n import t
from bot.render import plain_text
from bot.replies import reply

FORMS_KEY = "_forms"

NEW = ~filters.UpdateType.EDITED
"""Not an edit: a retouched old message or a live location moving is no answer to a form."""
TEXT = filters.TEXT & ~filters.COMMAND & NEW
"""Typed text that is not a command (nor an edit)."""
ANYTHING_ELSE = ~filters.COMMAND & ~filters.StatusUpdate.ALL & NEW
"""Any new message but a command or a service message: what a state answers with a re-prompt."""

Callback = Callable[[Update, FieldContext], Coroutine[Any, Any, Any]]
D = TypeVar("D", bound=CallbackData)
T = TypeVar("T")


def _chat_key(update: Update) -> str | None:
    chat = update.effective_chat
    return str(chat.id) if chat is not None else None


def _edited(update: Update) -> bool:
    return bool(
        update.edited_message or update.edited_channel_post or update.edited_business_message
    )


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
        if isinstance(handler, CommandHandler) and _edited(update):
            return None  # a message edited into /cancel or /lead is not a command given now
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


async def answer_and_clear(update: Update) -> None:
    """Answer a button tap and remove that message's buttons: the form has moved on."""
    query = update.callback_query
    if query is not None:
        await query.answer()
        await query.edit_message_reply_markup(None)


def pressed(update: Update, kind: type[D]) -> D | None:
    """The ``kind`` button behind ``update``, not answered yet; None if it is not one."""
    query = update.callback_query
    return kind.parse(query.data if query else None)


async def tapped(update: Update, kind: type[D]) -> D | None:
    """The ``kind`` button behind ``update``, answered and cleared; None if it is not one.

    Only for a step that cannot be refused; one that calls storage uses ``then_clear``.
    """
    data = pressed(update, kind)
    if data is not None:
        await answer_and_clear(update)
    return data


async def then_clear(update: Update, step: Awaitable[T]) -> T:
    """Run the step a button asked for, then answer the tap and clear its keyboard.

    If the step is refused (a ``DomainError``), the tap is still unanswered, so the error
    handler's alert reaches the person, and the buttons stay to try again.
    """
    result = await step
    await answer_and_clear(update)
    return result


async def alert(update: Update, text: str) -> None:
    """Answer a tap with a pop-up and leave its keyboard as it is (nothing moved on)."""
    if update.callback_query is not None:
        await update.callback_query.answer(plain_text(text), show_alert=True)


def reprompt(state: object, key: str) -> Callback:
    """A callback for input ``state`` cannot use: say what it expects (``key``) and stay."""

    async def again(update: Update, context: FieldContext) -> object:
        await reply(update, t(context.lang, key))
        return state

    again.__doc__ = f"Re-prompt with {key!r} and stay in {state!r}."
    return again


def _cancel(draft: str | None, *, clear_keyboard: bool) -> Callback:
    """The /cancel and Cancel callback: drop ``draft``, say so, leave the form unsaved.

    A Cancel tap is answered and, with ``clear_keyboard``, its buttons are removed.
    """

    async def cancel(update: Update, context: FieldContext) -> int:
        if draft is not None:
            context.drafts.pop(draft, None)
        if clear_keyboard:
            await answer_and_clear(update)
        elif update.callback_query is not None:
            await update.callback_query.answer()
        await reply(update, t(context.lang, "flow.cancelled"))
        return ConversationHandler.END

    return cancel


def conversation(
    name: str,
    entry_points: Sequence[BaseHandler[Any, Any, Any]],
    states: dict[object, list[BaseHandler[Any, Any, Any]]],
    fallbacks: Sequence[BaseHandler[Any, Any, Any]] = (),
    *,
    draft: str | None = None,
    clear_keyboard: bool = True,
) -> Form:
    """A persistent form whose state survives restarts and never steals another's input.

    /cancel and the Cancel button come first among the fallbacks: they drop ``draft`` (the
    key in ``context.drafts``), answer and, with ``clear_keyboard``, clear a tapped keyboard,
    and say the form was cancelled. A module's own ``fallbacks`` follow them.

    PTB warns that CallbackQueryHandlers are not tracked per message when
    ``per_message=False``; that is what we want — one form per chat and user at a time, with
    buttons carrying their own payloads — so the warning is silenced here, once.
    """
    for handler in entry_points:
        handler.callback = _remember(name, handler.callback)
    cancel = _cancel(draft, clear_keyboard=clear_keyboard)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*per_message=False", category=PTBUserWarning)
        return Form(
            entry_points=list(entry_points),
            states=states,
            fallbacks=[
                CommandHandler("cancel", cancel),
                CallbackQueryHandler(cancel, pattern=CancelFlow.match),
                *fallbacks,
            ],
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
