"""/import: a manager (or an admin, for a chosen team) sends a CSV or XLSX lead list.

```mermaid
stateDiagram-v2
    [*] --> TEAM: /import (admin)
    [*] --> CAMPAIGN: /import (manager; the team has campaigns)
    [*] --> FILE: /import (manager; no campaigns)
    TEAM --> CAMPAIGN: team button
    CAMPAIGN --> FILE: campaign button or "No campaign"
    FILE --> [*]: a document (imported; summary + error report)
    FILE --> FILE: a photo, text, or a file that is not a lead list (told why)
    [*] --> [*]: a document captioned /import (manager: imported at once)
```

The file is downloaded to a temporary folder (removed afterwards) and read in batches off the
event loop; a progress message is edited at most about once a second, and only when its text
changed. Failed and duplicate rows come back as a CSV in the user's language.
"""

from __future__ import annotations

import random
import re
import tempfile
import time
from enum import IntEnum
from pathlib import Path
from typing import Any

from telegram import Message, Update
from telegram.error import BadRequest
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.access import requires
from bot.callbacks.leads import ImportCampaign, ImportForTeam
from bot.context import FieldContext
from bot.i18n import Lang, t
from bot.render import plain_text
from bot.replies import reply
from bot.views.leads import (
    field_name,
    import_campaign_buttons,
    import_summary_text,
    progress_text,
    team_buttons,
)
from handlers.flow import ANYTHING_ELSE, conversation, pressed, reprompt, tapped, then_clear
from handlers.leads_notify import announce
from storage import lead_import, teams
from storage.access import Invalid
from storage.lead_import import Explain, ImportProgress, ImportSummary
from storage.lead_import_files import MAX_BYTES, MAX_ROWS
from storage.models import Role

DRAFT = "lead_import"
EDIT_EVERY = 1.0
"""Seconds between progress edits: Telegram allows about one edit a second per chat."""
CAPTION = re.compile(r"^/import(@\w+)?(\s|$)", re.IGNORECASE)


class State(IntEnum):
    TEAM = 1
    CAMPAIGN = 2
    FILE = 3


def explainer(lang: Lang) -> Explain:
    """Problem codes as plain text in the user's language, for the error report."""

    def explain(code: str, params: dict[str, Any]) -> str:
        values = {k: field_name(lang, str(v)) if k == "field" else v for k, v in params.items()}
        return plain_text(t(lang, code, **values), limit=500)

    return explain


class ProgressMessage:
    """One message that follows the import: sent at the start, edited as batches finish."""

    def __init__(self, update: Update, lang: Lang) -> None:
        self.update, self.lang = update, lang
        self.message: Message | None = None
        self.text = ""
        self.edited = 0.0

    async def show(self, progress: ImportProgress) -> None:
        text = progress_text(self.lang, progress)
        if self.message is None:
            self.message, self.text, self.edited = (
                await reply(self.update, text),
                text,
                time.monotonic(),
            )
        elif text != self.text and time.monotonic() - self.edited >= EDIT_EVERY:
            await self._edit(text)

    async def finish(self, summary: ImportSummary) -> None:
        await self._edit(t(self.lang, "leads.import.finished", rows=summary.total))

    async def _edit(self, text: str) -> None:
        if self.message is None or text == self.text:
            return
        try:
            await self.message.edit_text(text)
        except BadRequest as error:
            if "not modified" not in str(error):
                raise
        self.text, self.edited = text, time.monotonic()


def _report_name(file_name: str) -> str:
    stem = re.sub(r"[^\w.-]+", "_", Path(file_name).stem)[:60] or "leads"
    return f"{stem}-errors.csv"


async def _run(update: Update, context: FieldContext, team_id: int, campaign_id: int | None) -> int:
    """Download the document, import it, answer with the summary and the error report."""
    message, actor, lang = update.effective_message, context.require_actor(), context.lang
    document = message.document if message else None
    if document is None:
        return State.FILE
    if document.file_size and document.file_size > MAX_BYTES:
        raise Invalid("leads.import.too_big", limit=MAX_BYTES // (1024 * 1024))
    name = document.file_name or "leads"
    with tempfile.TemporaryDirectory(prefix="fieldcrm-import-") as folder:
        upload = Path(folder) / "upload"
        await (await document.get_file()).download_to_drive(upload)
        progress = ProgressMessage(update, lang)
        summary = await lead_import.import_leads(
            actor,
            team_id,
            upload,
            file_name=name,
            now=context.services.clock.now(),
            rng=random.Random(),
            explain=explainer(lang),
            report_path=Path(folder) / "report.csv",
            campaign_id=campaign_id,
            progress=progress.show,
        )
        await progress.finish(summary)
        await reply(update, import_summary_text(lang, summary))
        if summary.report is not None and update.effective_chat is not None:
            with summary.report.open("rb") as handle:
                await update.effective_chat.send_document(
                    handle,
                    filename=_report_name(name),
                    caption=t(lang, "leads.import.report_caption"),
                )
    context.drafts.pop(DRAFT, None)
    if summary.outcome is not None:
        await announce(context.bot, summary.outcome, skip=actor.telegram_id)
    return ConversationHandler.END


async def _ask_file(update: Update, context: FieldContext) -> int:
    limits = {"mb": MAX_BYTES // (1024 * 1024), "rows": f"{MAX_ROWS:,}"}
    await reply(update, t(context.lang, "leads.import.ask_file", **limits))
    return State.FILE


async def _for_team(update: Update, context: FieldContext, team_id: int) -> int:
    campaigns = await lead_import.import_campaigns(context.require_actor(), team_id)
    context.drafts[DRAFT] = {"team_id": team_id, "campaign_id": None}
    if not campaigns:
        return await _ask_file(update, context)
    lang = context.lang
    await reply(
        update, t(lang, "leads.import.ask_campaign"), import_campaign_buttons(lang, campaigns)
    )
    return State.CAMPAIGN


@requires(Role.MANAGER, Role.ADMIN)
async def start(update: Update, context: FieldContext) -> int:
    """/import: an admin picks the team first; a manager imports for their own."""
    actor = context.require_actor()
    if not actor.is_admin:
        return await _for_team(update, context, actor.team_id or 0)
    found = await teams.list_teams(actor)
    if not found:
        await reply(update, t(context.lang, "invite.no_teams"))
        return ConversationHandler.END
    await reply(
        update, t(context.lang, "leads.import.pick_team"), team_buttons(context.lang, found)
    )
    return State.TEAM


async def team_picked(update: Update, context: FieldContext) -> int:
    picked = pressed(update, ImportForTeam)
    if picked is None:
        return State.TEAM
    return await then_clear(update, _for_team(update, context, picked.team_id))


async def campaign_picked(update: Update, context: FieldContext) -> int:
    picked = await tapped(update, ImportCampaign)
    if picked is None:
        return State.CAMPAIGN
    draft = context.drafts.setdefault(DRAFT, {})
    draft["campaign_id"] = picked.campaign_id
    return await _ask_file(update, context)


async def got_file(update: Update, context: FieldContext) -> int:
    """The document: import it for the chosen team and campaign."""
    draft = context.drafts.get(DRAFT) or {}
    if "team_id" not in draft:
        await reply(update, t(context.lang, "flow.expired"))
        return ConversationHandler.END
    return await _run(update, context, draft["team_id"], draft.get("campaign_id"))


@requires(Role.MANAGER, Role.ADMIN)
async def captioned(update: Update, context: FieldContext) -> int:
    """A document sent with the caption /import: imported at once for the manager's team."""
    actor = context.require_actor()
    if actor.is_admin:
        await reply(update, t(context.lang, "leads.import.admin_caption"))
        return ConversationHandler.END
    return await _run(update, context, actor.team_id or 0, None)


WITH_CAPTION = filters.Document.ALL & filters.CaptionRegex(CAPTION) & filters.ChatType.PRIVATE


def import_leads() -> ConversationHandler[Any]:
    """A fresh form for one application (PTB keeps form states on the handler)."""
    return conversation(
        "lead_import",
        entry_points=[
            CommandHandler("import", start, filters.ChatType.PRIVATE),
            MessageHandler(WITH_CAPTION, captioned),
        ],
        states={
            State.TEAM: [
                CallbackQueryHandler(team_picked, pattern=ImportForTeam.match),
                MessageHandler(ANYTHING_ELSE, reprompt(State.TEAM, "leads.import.need_button")),
            ],
            State.CAMPAIGN: [
                CallbackQueryHandler(campaign_picked, pattern=ImportCampaign.match),
                MessageHandler(ANYTHING_ELSE, reprompt(State.CAMPAIGN, "leads.import.need_button")),
            ],
            State.FILE: [
                MessageHandler(filters.Document.ALL, got_file),
                MessageHandler(filters.PHOTO, reprompt(State.FILE, "leads.import.photo")),
                MessageHandler(ANYTHING_ELSE, reprompt(State.FILE, "leads.import.need_file")),
            ],
        },
        draft=DRAFT,
    )


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    """Fresh handler objects for one application."""
    return [import_leads()]
