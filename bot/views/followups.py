"""How follow-ups and the sales stages are drawn: the /followup form's prompts and draft, the
stage guide (also on the customer card) and the /stages editor (B2, B3).

A default stage's name, goal and checklist come from the catalogs (``stage.<code>``,
``stage.<code>.goal``, ``stage.<code>.check.N``) until the team writes its own text.
Task lists and cards are drawn in ``bot.views.followups_tasks``.
"""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.callbacks.followups import (
    AskStageText,
    DropStageLine,
    EditFollowUp,
    EditFollowUpField,
    EditStageLine,
    NewStage,
    OpenStage,
    PickCustomer,
    PickKind,
    SaveFollowUp,
    SetCustomerStage,
    SkipStep,
    StageAction,
    StageBoardOf,
)
from bot.i18n import Lang, t
from bot.keyboards import button, cancel_row, rows
from bot.render import local_time, truncate
from storage.customer_stage import StageChoice
from storage.followups import CustomerChoice, FollowUpDraft, Logged, Preview
from storage.models import FollowUpKind
from storage.stages import StageBoard, StageDetail, StageGuide, line_tag
from storage.teams import TeamSummary

View = tuple[str, InlineKeyboardMarkup | None]
DEFAULT_CHECKS = {
    "lead": 3,
    "contacted": 3,
    "need_confirmed": 4,
    "proposal": 4,
    "negotiation": 3,
    "won": 3,
    "lost": 2,
}
"""How many checklist lines each default stage has in the catalogs."""
DRAFT_FIELDS = ("customer", "kind", "note", "attachment", "next", "when")
LABEL_MAX = 48


def _label(text: str, limit: int = LABEL_MAX) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def kind_name(lang: Lang, kind: FollowUpKind | str) -> str:
    return t(lang, f"customers.kind.{FollowUpKind(kind).value}")


# ----- the /followup form -----


def customer_picker(lang: Lang, choices: Sequence[CustomerChoice], searched: str | None) -> View:
    """Recent customers (or the matches of a search) as buttons; typing searches."""
    if searched is not None:
        key = "followups.pick_found" if choices else "followups.pick_none"
        text = t(lang, key, query=searched)
    else:
        text = t(lang, "followups.pick_recent" if choices else "followups.pick_empty")
    picks = [
        [button(_label(" · ".join(p for p in (c.name, c.region or "") if p)), PickCustomer(c.id))]
        for c in choices
    ]
    return text, InlineKeyboardMarkup([*picks, cancel_row(lang)])


def kind_prompt(lang: Lang, customer: str) -> View:
    kinds = rows((button(kind_name(lang, k), PickKind(k)) for k in FollowUpKind), width=3)
    markup = InlineKeyboardMarkup([*kinds.inline_keyboard, cancel_row(lang)])
    return t(lang, "followups.ask_kind", customer=customer), markup


def _skip_markup(lang: Lang, label: str, step: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[button(t(lang, label), SkipStep(step)), *cancel_row(lang)]])


def note_prompt(lang: Lang, attachment_kind: str | None) -> View:
    """Ask for the note; once a photo or voice is kept, the note may be skipped."""
    if attachment_kind is None:
        return t(lang, "followups.ask_note"), InlineKeyboardMarkup([cancel_row(lang)])
    kept = t(lang, f"followups.attachment.{attachment_kind}")
    return t(lang, "followups.ask_note_kept", kept=kept), _skip_markup(
        lang, "followups.skip", "note"
    )


def attachment_prompt(lang: Lang, has_one: bool) -> View:
    key = "followups.btn_remove" if has_one else "followups.btn_none"
    return t(lang, "followups.ask_attachment"), _skip_markup(lang, key, "attachment")


def next_prompt(lang: Lang) -> View:
    return t(lang, "followups.ask_next"), _skip_markup(lang, "followups.btn_no_next", "next")


def when_prompt(lang: Lang, zone: str) -> View:
    return t(lang, "followups.ask_when", zone=zone), _skip_markup(
        lang, "followups.btn_no_date", "when"
    )


def draft_summary(lang: Lang, draft: FollowUpDraft, preview: Preview) -> View:
    """The whole draft, how it will count, and Save / Edit / Cancel."""
    attachment = (
        t(lang, f"followups.attachment.{draft.attachment.kind}") if draft.attachment else "—"
    )
    when = local_time(draft.next_step_at, preview.timezone) if draft.next_step_at else "—"
    lines = [
        t(
            lang,
            "followups.summary",
            customer=preview.customer_name,
            kind=kind_name(lang, draft.kind),
            note=draft.note or "—",
            attachment=attachment,
            next=draft.next_step or "—",
            when=when,
        ),
        "",
    ]
    if preview.effective:
        lines.append(t(lang, "followups.will_count"))
    elif not preview.kind_counts:
        lines.append(t(lang, "followups.wont_count_kind", kind=kind_name(lang, draft.kind)))
    else:
        lines.append(t(lang, "followups.wont_count_note", min=preview.min_chars))
    markup = InlineKeyboardMarkup(
        [
            [
                button(t(lang, "followups.btn_save"), SaveFollowUp()),
                button(t(lang, "followups.btn_edit"), EditFollowUp()),
            ],
            cancel_row(lang),
        ]
    )
    return truncate("\n".join(lines)), markup


def edit_fields(lang: Lang) -> View:
    fields = (button(t(lang, f"followups.field.{f}"), EditFollowUpField(f)) for f in DRAFT_FIELDS)
    markup = InlineKeyboardMarkup([*rows(fields, width=3).inline_keyboard, cancel_row(lang)])
    return t(lang, "followups.which_field"), markup


def saved_text(lang: Lang, logged: Logged) -> str:
    zone = logged.timezone
    lines = [t(lang, "followups.saved", customer=logged.customer_name)]
    lines.append(t(lang, "followups.saved_counts" if logged.effective else "followups.saved_not"))
    if logged.next_step_at is not None:
        remind = local_time(logged.remind_at, zone) if logged.remind_at else "—"
        lines.append(
            t(lang, "followups.saved_next", at=local_time(logged.next_step_at, zone), remind=remind)
        )
    if logged.closed_entry_id is not None:
        lines.append(t(lang, "followups.saved_closed"))
    if logged.task_done:
        lines.append(t(lang, "followups.saved_task"))
    return "\n".join(lines)


# ----- stages: names, goals and checklists in the reader's language -----


def stage_name(lang: Lang, stage: StageGuide) -> str:
    return stage.name or t(lang, f"stage.{stage.code}")


def stage_goal(lang: Lang, stage: StageGuide) -> str | None:
    if stage.goal is not None:
        return stage.goal
    return t(lang, f"stage.{stage.code}.goal") if stage.code in DEFAULT_CHECKS else None


def default_checklist(lang: Lang, code: str) -> list[str]:
    """A default stage's checklist in ``lang`` (nothing for a team's own stages)."""
    return [t(lang, f"stage.{code}.check.{n}") for n in range(1, DEFAULT_CHECKS.get(code, 0) + 1)]


def stage_checklist(lang: Lang, stage: StageGuide) -> list[str]:
    if stage.checklist is not None:
        return list(stage.checklist)
    return default_checklist(lang, stage.code)


def guide_lines(lang: Lang, stage: StageGuide) -> list[str]:
    """The stage's goal and its checklist of next actions."""
    goal = stage_goal(lang, stage)
    lines = [t(lang, "followups.stage_goal", goal=goal)] if goal else []
    return lines + [
        t(lang, "followups.stage_check", line=line) for line in stage_checklist(lang, stage)
    ]


def stage_lines(lang: Lang, stage: StageGuide) -> list[str]:
    """The card's "what next": the stage with its probability, goal and next actions."""
    name = stage_name(lang, stage)
    heading = t(lang, "followups.card_stage", stage=name, probability=stage.probability)
    return [heading, *guide_lines(lang, stage)]


def customer_stage_choice(lang: Lang, choice: StageChoice) -> View:
    """The team's stages as buttons, the customer's current one ticked."""
    buttons = [
        button(
            ("✓ " if stage.id == choice.current_id else "") + stage_name(lang, stage),
            SetCustomerStage(choice.customer_id, stage.id),
        )
        for stage in choice.stages
    ]
    text = t(lang, "followups.customer_stage.ask", customer=choice.customer)
    return text, rows(buttons)


# ----- /stages -----


def team_choices(lang: Lang, teams: Sequence[TeamSummary]) -> View:
    picks = [[button(_label(team.name), StageBoardOf(team.id))] for team in teams]
    return t(lang, "followups.stages.pick_team"), InlineKeyboardMarkup(picks) if picks else None


def board(lang: Lang, result: StageBoard) -> View:
    """The pipeline in order; editors get a button per stage and Add."""
    lines = [t(lang, "followups.stages.header", team=result.team), ""]
    for number, stage in enumerate(result.stages, start=1):
        name = stage_name(lang, stage)
        lines.append(
            t(lang, "followups.stages.line", n=number, stage=name, probability=stage.probability)
        )
        lines += [*guide_lines(lang, stage), ""]
    if result.can_edit:
        lines.append(t(lang, "followups.stages.edit_hint"))
    if not result.can_edit:
        return truncate("\n".join(lines)), None
    picks = (
        button(f"{n}. {_label(stage_name(lang, s), 28)}", OpenStage(s.id))
        for n, s in enumerate(result.stages, start=1)
    )
    markup = rows(picks, width=2).inline_keyboard
    add = [button(t(lang, "followups.stages.btn_add"), NewStage(result.team_id))]
    return truncate("\n".join(lines)), InlineKeyboardMarkup([*markup, add])


def stage_view(lang: Lang, detail: StageDetail) -> View:
    """One stage with every edit it allows."""
    stage = detail.stage
    name = stage_name(lang, stage)
    heading = t(lang, "followups.stages.detail", stage=name, probability=stage.probability)
    lines = [heading, *guide_lines(lang, stage)]
    if not stage.checklist and not stage.goal and stage.standard:
        lines.append(t(lang, "followups.stages.default_text"))
    if detail.deals:
        lines.append(t(lang, "followups.stages.used_by", count=detail.deals))
    sid = stage.id
    edits: list[InlineKeyboardButton] = [
        button(t(lang, "followups.stages.btn_name"), AskStageText(sid, "name")),
        button(t(lang, "followups.stages.btn_goal"), AskStageText(sid, "goal")),
        button(t(lang, "followups.stages.btn_lines"), StageAction(sid, "lines")),
    ]
    if not stage.terminal:
        edits.append(button(t(lang, "followups.stages.btn_probability"), AskStageText(sid, "prob")))
        if not detail.first:
            edits.append(button(t(lang, "followups.stages.btn_up"), StageAction(sid, "up")))
        if not detail.last:
            edits.append(button(t(lang, "followups.stages.btn_down"), StageAction(sid, "down")))
        if not detail.deals:
            edits.append(button(t(lang, "followups.stages.btn_drop"), StageAction(sid, "drop")))
    back = [button(t(lang, "followups.stages.btn_back"), StageBoardOf(detail.team_id))]
    markup = InlineKeyboardMarkup([*rows(edits, width=3).inline_keyboard, back])
    return truncate("\n".join(lines)), markup


def confirm_drop(lang: Lang, detail: StageDetail) -> View:
    sid = detail.stage.id
    markup = InlineKeyboardMarkup(
        [
            [
                button(t(lang, "followups.stages.btn_drop_yes"), StageAction(sid, "dropok")),
                button(t(lang, "followups.stages.btn_back"), OpenStage(sid)),
            ]
        ]
    )
    return t(lang, "followups.stages.drop_ask", stage=stage_name(lang, detail.stage)), markup


def lines_editor(lang: Lang, detail: StageDetail) -> View:
    """The checklist, a line per row: retype it (✏️) or remove it (🗑); Add; Back."""
    stage, sid = detail.stage, detail.stage.id
    lines = stage_checklist(lang, stage)
    text = [t(lang, "followups.stages.lines_header", stage=stage_name(lang, stage))]
    text += [f"{n}. {line}" for n, line in enumerate(lines, start=1)] or [
        t(lang, "followups.stages.no_lines")
    ]
    keyboard = [
        [
            button(f"✏️ {n + 1}. {_label(line, 30)}", EditStageLine(sid, n, line_tag(line))),
            button("🗑", DropStageLine(sid, n, line_tag(line))),
        ]
        for n, line in enumerate(lines)
    ]
    keyboard.append(
        [
            button(t(lang, "followups.stages.btn_add_line"), AskStageText(sid, "line")),
            button(t(lang, "followups.stages.btn_back"), OpenStage(sid)),
        ]
    )
    return truncate("\n".join(text)), InlineKeyboardMarkup(keyboard)


def ask_stage_text(lang: Lang, field: str, current: str | None) -> View:
    key = f"followups.stages.ask_{field}"
    text = t(lang, key)
    if current:
        text += "\n" + t(lang, "followups.stages.current", value=current)
    return text, InlineKeyboardMarkup([cancel_row(lang)])
