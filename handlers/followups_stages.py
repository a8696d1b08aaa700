"""/stages: the team's sales stages with their goals and checklists (B3).

Everyone in the team reads the pipeline; admins and managers edit it. Taps (reorder, open the
checklist, remove a line or a stage) redraw the message; edits that need typing (name, goal,
probability, a checklist line, a new stage) are a short form:

```mermaid
stateDiagram-v2
    [*] --> TEXT: Rename / Goal / Probability / Add line / ✏️ line
    TEXT --> [*]: the text (saved; the stage or its checklist is shown again)
    [*] --> NEW_NAME: Add stage
    NEW_NAME --> NEW_PROB: a name
    NEW_PROB --> [*]: a probability 0–100 (the stage is added before won and lost)
```
"""

from __future__ import annotations

from collections.abc import Callable
from enum import IntEnum
from typing import Any

from telegram import Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.access import requires
from bot.callbacks.followups import (
    AskStageText,
    DropStageLine,
    EditStageLine,
    NewStage,
    OpenStage,
    PickCustomerStage,
    SetCustomerStage,
    StageAction,
    StageBoardOf,
)
from bot.context import FieldContext
from bot.i18n import Lang, t
from bot.replies import reply, text_of
from bot.views import followups as views
from handlers.customers_card import answer_tap, reply_private, send_card
from handlers.flow import ANYTHING_ELSE, TEXT, conversation, reprompt
from handlers.pool_notify import edit
from storage import customer_stage, stages, teams
from storage.models import Role
from storage.stages import StageDetail

DRAFT = "stage"
EDITORS = (Role.ADMIN, Role.MANAGER)
TEXT_FIELDS = ("name", "goal", "prob", "line")


class State(IntEnum):
    TEXT = 1
    NEW_NAME = 2
    NEW_PROB = 3


def _defaults(lang: Lang) -> Callable[[str], list[str]]:
    """A default stage's checklist as the editor sees it, in their language."""
    return lambda code: views.default_checklist(lang, code)


# ----- reading and tapping -----


@requires(Role.ADMIN, Role.MANAGER, Role.REP)
async def stages_command(update: Update, context: FieldContext) -> None:
    """/stages: the team's pipeline (an admin with several teams picks one first)."""
    actor, lang = context.require_actor(), context.lang
    team_id = None
    if actor.is_admin:
        team_list = await teams.list_teams(actor)
        if not team_list:
            await reply(update, t(lang, "invite.no_teams"))
            return
        if len(team_list) > 1:
            await reply(update, *views.team_choices(lang, team_list))
            return
        team_id = team_list[0].id
    await reply(update, *views.board(lang, await stages.stage_board(actor, team_id)))


@requires(Role.ADMIN, Role.MANAGER, Role.REP)
async def board_of(update: Update, context: FieldContext) -> None:
    query = update.callback_query
    data = StageBoardOf.parse(query.data if query else None)
    if query is None or data is None:
        return
    result = await stages.stage_board(context.require_actor(), data.team_id)
    await query.answer()
    await edit(query, *views.board(context.lang, result))


@requires(*EDITORS)
async def open_stage(update: Update, context: FieldContext) -> None:
    query = update.callback_query
    data = OpenStage.parse(query.data if query else None)
    if query is None or data is None:
        return
    detail = await stages.stage_detail(context.require_actor(), data.stage_id)
    await query.answer()
    await edit(query, *views.stage_view(context.lang, detail))


@requires(*EDITORS)
async def stage_action(update: Update, context: FieldContext) -> None:
    """Up / Down, the checklist editor, Remove (asks first) and its confirmation."""
    query = update.callback_query
    data = StageAction.parse(query.data if query else None)
    if query is None or data is None:
        return
    actor, lang, now = context.require_actor(), context.lang, context.services.clock.now()
    if data.action in ("up", "down"):
        detail = await stages.move_stage(actor, data.stage_id, data.action == "up", now=now)
        view = views.stage_view(lang, detail)
    elif data.action == "dropok":
        view = views.board(lang, await stages.remove_stage(actor, data.stage_id, now=now))
    elif data.action in ("lines", "drop"):
        detail = await stages.stage_detail(actor, data.stage_id)
        show = views.lines_editor if data.action == "lines" else views.confirm_drop
        view = show(lang, detail)
    else:
        await query.answer(t(lang, "general.stale_button"))
        return
    await query.answer()
    await edit(query, *view)


@requires(*EDITORS)
async def drop_line(update: Update, context: FieldContext) -> None:
    """🗑 on a checklist line: remove it (refused if the list changed meanwhile)."""
    query = update.callback_query
    data = DropStageLine.parse(query.data if query else None)
    if query is None or data is None:
        return
    detail = await stages.edit_checklist(
        context.require_actor(),
        data.stage_id,
        index=data.index,
        text=None,
        tag=data.tag,
        defaults=_defaults(context.lang),
        now=context.services.clock.now(),
    )
    await query.answer()
    await edit(query, *views.lines_editor(context.lang, detail))


# ----- edits that need typing -----


def _current(lang: Lang, detail: StageDetail, field: str) -> str | None:
    stage = detail.stage
    if field == "name":
        return views.stage_name(lang, stage)
    if field == "goal":
        return views.stage_goal(lang, stage)
    return f"{stage.probability}%" if field == "prob" else None


@requires(*EDITORS)
async def ask_text(update: Update, context: FieldContext) -> int | None:
    """Rename, Goal, Probability or Add line: ask for the text, showing the current one."""
    query = update.callback_query
    data = AskStageText.parse(query.data if query else None)
    if query is None or data is None or data.field not in TEXT_FIELDS:
        return None
    detail = await stages.stage_detail(context.require_actor(), data.stage_id)
    await query.answer()
    context.drafts[DRAFT] = {"stage_id": data.stage_id, "field": data.field}
    current = _current(context.lang, detail, data.field)
    await reply(update, *views.ask_stage_text(context.lang, data.field, current))
    return State.TEXT


@requires(*EDITORS)
async def ask_line(update: Update, context: FieldContext) -> int | None:
    """✏️ on a checklist line: ask for its new wording."""
    query = update.callback_query
    data = EditStageLine.parse(query.data if query else None)
    if query is None or data is None:
        return None
    detail = await stages.stage_detail(context.require_actor(), data.stage_id)
    await query.answer()
    lines = views.stage_checklist(context.lang, detail.stage)
    current = lines[data.index] if 0 <= data.index < len(lines) else None
    context.drafts[DRAFT] = {
        "stage_id": data.stage_id,
        "field": "edit_line",
        "index": data.index,
        "tag": data.tag,
    }
    await reply(update, *views.ask_stage_text(context.lang, "line", current))
    return State.TEXT


async def text_given(update: Update, context: FieldContext) -> int:
    """Save the typed text into the field being edited and show the result."""
    draft = context.drafts.get(DRAFT)
    if not isinstance(draft, dict) or "stage_id" not in draft:
        await reply(update, t(context.lang, "flow.expired"))
        return ConversationHandler.END
    actor, lang, now = context.require_actor(), context.lang, context.services.clock.now()
    text, stage_id, field = text_of(update), int(draft["stage_id"]), draft["field"]
    if field == "name":
        detail = await stages.rename_stage(actor, stage_id, text, now=now)
    elif field == "goal":
        detail = await stages.set_goal(actor, stage_id, text, now=now)
    elif field == "prob":
        detail = await stages.set_probability(actor, stage_id, text, now=now)
    else:
        adding = field == "line"
        detail = await stages.edit_checklist(
            actor,
            stage_id,
            index=None if adding else draft["index"],
            text=text,
            tag=None if adding else draft["tag"],
            defaults=_defaults(lang),
            now=now,
        )
    context.drafts.pop(DRAFT, None)
    in_lines = field in ("line", "edit_line")
    await reply(update, *(views.lines_editor if in_lines else views.stage_view)(lang, detail))
    return ConversationHandler.END


@requires(*EDITORS)
async def new_stage(update: Update, context: FieldContext) -> int | None:
    """Add stage: ask its name."""
    query = update.callback_query
    data = NewStage.parse(query.data if query else None)
    if query is None or data is None:
        return None
    await stages.stage_board(context.require_actor(), data.team_id)  # the right to see it
    await query.answer()
    context.drafts[DRAFT] = {"team_id": data.team_id}
    await reply(update, *views.ask_stage_text(context.lang, "new_name", None))
    return State.NEW_NAME


async def new_name(update: Update, context: FieldContext) -> int:
    draft = context.drafts.get(DRAFT)
    if not isinstance(draft, dict) or "team_id" not in draft:
        await reply(update, t(context.lang, "flow.expired"))
        return ConversationHandler.END
    draft["name"] = stages.clean_name(text_of(update))
    await reply(update, *views.ask_stage_text(context.lang, "prob", None))
    return State.NEW_PROB


async def new_probability(update: Update, context: FieldContext) -> int:
    """The probability: the stage is added just before won and lost."""
    draft = context.drafts.get(DRAFT)
    if not isinstance(draft, dict) or "name" not in draft:
        await reply(update, t(context.lang, "flow.expired"))
        return ConversationHandler.END
    detail = await stages.add_stage(
        context.require_actor(),
        int(draft["team_id"]),
        draft["name"],
        text_of(update),
        now=context.services.clock.now(),
    )
    context.drafts.pop(DRAFT, None)
    await reply(update, *views.stage_view(context.lang, detail))
    return ConversationHandler.END


def _typed(state: State, callback: Any) -> list[Any]:
    return [
        MessageHandler(TEXT, callback),
        MessageHandler(ANYTHING_ELSE, reprompt(state, "followups.stages.need_text")),
    ]


def conversation_handler() -> ConversationHandler[Any]:
    """A fresh form for one application (PTB keeps form states on the handler)."""
    return conversation(
        "stages",
        entry_points=[
            CallbackQueryHandler(ask_text, pattern=AskStageText.match),
            CallbackQueryHandler(ask_line, pattern=EditStageLine.match),
            CallbackQueryHandler(new_stage, pattern=NewStage.match),
        ],
        states={
            State.TEXT: _typed(State.TEXT, text_given),
            State.NEW_NAME: _typed(State.NEW_NAME, new_name),
            State.NEW_PROB: _typed(State.NEW_PROB, new_probability),
        },
        draft=DRAFT,
    )


@requires(Role.ADMIN, Role.MANAGER, Role.REP)
async def pick_customer_stage(update: Update, context: FieldContext) -> None:
    """The card's Stage button: the team's stages to move the customer to."""
    query = update.callback_query
    data = PickCustomerStage.parse(query.data if query else None)
    if query is None or data is None:
        return
    choice = await customer_stage.stage_choice(context.require_actor(), data.customer_id)
    await answer_tap(update, context)
    await reply_private(update, context, *views.customer_stage_choice(context.lang, choice))


@requires(Role.ADMIN, Role.MANAGER, Role.REP)
async def set_customer_stage(update: Update, context: FieldContext) -> None:
    """A stage tapped: saved, then the card again with that stage's goal and checklist."""
    query = update.callback_query
    data = SetCustomerStage.parse(query.data if query else None)
    if query is None or data is None:
        return
    now = context.services.clock.now()
    stage = await customer_stage.set_customer_stage(
        context.require_actor(), data.customer_id, data.stage_id, now=now
    )
    name = views.stage_name(context.lang, stage)
    await query.answer(t(context.lang, "followups.customer_stage.set", stage=name))
    if query.message is not None:
        await query.edit_message_reply_markup(None)
    await send_card(update, context, data.customer_id)


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    """Fresh handler objects for one application."""
    return [
        conversation_handler(),
        CommandHandler("stages", stages_command, filters.ChatType.PRIVATE),
        CallbackQueryHandler(board_of, pattern=StageBoardOf.match),
        CallbackQueryHandler(open_stage, pattern=OpenStage.match),
        CallbackQueryHandler(stage_action, pattern=StageAction.match),
        CallbackQueryHandler(drop_line, pattern=DropStageLine.match),
        CallbackQueryHandler(pick_customer_stage, pattern=PickCustomerStage.match),
        CallbackQueryHandler(set_customer_stage, pattern=SetCustomerStage.match),
    ]
