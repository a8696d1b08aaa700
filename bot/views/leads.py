"""How leads are drawn in chat: the card with its actions, the form's summary, the lists,
why a lead went to whom, /away, and the messages of an import."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.callbacks.customers import OpenCustomer
from bot.callbacks.leads import (
    AssignLead,
    AssignLeadTo,
    ConvertLead,
    DisqualifyLead,
    ImportCampaign,
    ImportForTeam,
    LeadContacted,
    LeadFormEdit,
    LeadFormPick,
    LeadFormSave,
    LeadsPage,
    LeadTask,
    OpenLead,
)
from bot.i18n import Html, Lang, t
from bot.keyboards import button, cancel_row, pager, rows
from bot.render import local_time, truncate
from storage.assignment_store import RepChoice, RoutingOutcome
from storage.away import AwayStatus
from storage.lead_import import ImportProgress, ImportSummary
from storage.lead_import_checks import DraftCheck, Known
from storage.leads import WORKABLE, Conversion, CreatedLead, LeadCard
from storage.models import Channel, Lead, LeadStatus, TaskStatus
from storage.paging import Page
from storage.teams import TeamSummary

FORM_FIELDS = ("name", "company", "contact", "region", "industry", "campaign")
DISQUALIFY_REASONS = ("no_need", "unreachable", "no_budget", "competitor", "other")
# Sources written as codes: a campaign's channel, what the product records (a converted lead,
# an import, the form) and the usual ones; any other source is someone's own words.
SOURCE_CODES = frozenset(
    {*(c.value for c in Channel), "lead", "import", "form", "website", "walk_in", "partner"}
)


def status_name(lang: Lang, status: LeadStatus) -> str:
    return t(lang, f"leads.status.{status.value}")


def field_name(lang: Lang, name: str) -> str:
    return t(lang, f"leads.field.{name}")


def source_name(lang: Lang, source: str | None) -> str:
    """Where a lead or customer came from: a known code translated, anything else as typed."""
    if not source:
        return "—"
    return t(lang, f"leads.source.{source}") if source in SOURCE_CODES else source


def lead_title(lead: Lead) -> str:
    return f"{lead.name} · {lead.company}" if lead.company else lead.name


# ----- why a lead went to whom --------------------------------------------------------------


def blocked_text(lang: Lang, blocked: dict[str, int]) -> str:
    parts = [t(lang, f"leads.blocked.{key}", n=n) for key, n in sorted(blocked.items()) if n]
    return ", ".join(parts) or t(lang, "leads.blocked.none")


def reason_short(lang: Lang, reason: dict[str, Any]) -> str:
    """One line: the rule, and the fallback if any."""
    strategy = str(reason.get("strategy") or "")
    if not strategy:
        return ""
    text = t(lang, f"leads.strategy.{strategy}", by=reason.get("by") or "")
    if reason.get("fallback"):
        text += " — " + t(lang, f"leads.fallback.{reason['fallback']}")
    return text


def reason_text(lang: Lang, reason: dict[str, Any]) -> str:
    """The whole story for a manager: rule, fallback, who was considered, who was not."""
    lines = [t(lang, "leads.why", rule=Html(reason_short(lang, reason)))]
    people = [
        t(
            lang,
            "leads.why_candidate",
            name=c.get("name", "?"),
            load=c.get("load", 0),
            today=c.get("today", 0),
            score="" if c.get("score") is None else f" · {c['score']}",
            match=(" ✓" if c.get("match") else "") if c.get("match") is not None else "",
        )
        for c in reason.get("candidates") or []
    ]
    if people:
        lines.append(t(lang, "leads.why_considered", people=Html("; ".join(people))))
    if reason.get("blocked"):
        lines.append(t(lang, "leads.why_blocked", blocked=blocked_text(lang, reason["blocked"])))
    if (reason.get("tied") or 0) > 1:
        lines.append(t(lang, "leads.why_tie", n=reason["tied"]))
    return "\n".join(lines)


# ----- the card -----------------------------------------------------------------------------


def card_text(lang: Lang, card: LeadCard) -> str:
    lead, zone = card.lead, card.timezone
    lines = [
        t(lang, "leads.card_title", id=lead.id, status=status_name(lang, lead.status)),
        t(lang, "leads.card_who", name=lead.name, company=lead.company or "—"),
        t(lang, "leads.card_contact", phone=lead.phone or "—", email=lead.email or "—"),
        t(lang, "leads.card_where", region=lead.region or "—", industry=lead.industry or "—"),
        t(
            lang,
            "leads.card_source",
            campaign=card.campaign or "—",
            source=source_name(lang, lead.source),
        ),
    ]
    if lead.note:
        lines.append(t(lang, "leads.card_note", note=lead.note[:500]))
    if card.assignee and lead.assigned_at:
        when = local_time(lead.assigned_at, zone)
        lines.append(t(lang, "leads.card_assignee", name=card.assignee, when=when))
    if card.task is not None and lead.status in WORKABLE:
        key = "leads.card_task_open" if card.task.status is TaskStatus.OPEN else "leads.card_task"
        lines.append(t(lang, key, due=local_time(card.task.due_at, zone)))
    if lead.status is LeadStatus.NEW and lead.waiting_reason:
        lines.append(t(lang, "leads.card_waiting", reason=waiting_name(lang, lead.waiting_reason)))
    if lead.status is LeadStatus.CONVERTED and lead.converted_at:
        when = local_time(lead.converted_at, zone)
        lines.append(t(lang, "leads.card_converted", customer=card.customer or "—", when=when))
    if lead.status is LeadStatus.DISQUALIFIED:
        lines.append(t(lang, "leads.card_disqualified", reason=lead.disqualified_reason or "—"))
    if card.manager_view and lead.assignment_reason:
        lines += ["", reason_text(lang, lead.assignment_reason)]
    return truncate("\n".join(lines))


def card_buttons(lang: Lang, card: LeadCard) -> InlineKeyboardMarkup | None:
    """The actions the lead's status allows (None when there are none)."""
    lead, found = card.lead, []
    if lead.status is LeadStatus.ASSIGNED:
        found.append(button(t(lang, "leads.btn_contacted"), LeadContacted(lead.id)))
    if lead.status in WORKABLE:
        found.append(button(t(lang, "leads.btn_convert"), ConvertLead(lead.id)))
        found.append(button(t(lang, "leads.btn_disqualify"), DisqualifyLead(lead.id, None)))
    if card.task is not None and lead.status in WORKABLE:
        found.append(button(t(lang, "leads.btn_task"), LeadTask(lead.id)))
    if card.manager_view and lead.status in WORKABLE:
        key = "leads.btn_reassign" if lead.assignee_id else "leads.btn_assign"
        found.append(button(t(lang, key), AssignLead(lead.id)))
    if lead.customer_id is not None:
        found.append(button(t(lang, "leads.btn_customer"), OpenCustomer(lead.customer_id)))
    return rows(found, width=2) if found else None


def task_text(lang: Lang, card: LeadCard) -> str:
    assert card.task is not None
    task = card.task
    return t(
        lang,
        "leads.task",
        title=task.title,
        due=local_time(task.due_at, card.timezone),
        status=t(lang, f"leads.task_status.{task.status.value}"),
    )


def waiting_name(lang: Lang, reason: str | None) -> str:
    return t(lang, f"leads.waiting.{reason or 'no_reps'}")


def disqualify_buttons(lang: Lang, lead_id: int) -> InlineKeyboardMarkup:
    return rows(
        (
            button(t(lang, f"leads.dq.{code}"), DisqualifyLead(lead_id, code))
            for code in DISQUALIFY_REASONS
        ),
        width=2,
    )


def conversion_text(lang: Lang, done: Conversion) -> str:
    key = "leads.converted_existing" if done.existed else "leads.converted"
    return t(lang, key, customer=done.customer_name)


def conversion_buttons(lang: Lang, done: Conversion) -> InlineKeyboardMarkup | None:
    if not done.visible:
        return None
    return rows([button(t(lang, "leads.btn_customer"), OpenCustomer(done.customer_id))])


def rep_buttons(lang: Lang, lead_id: int, reps: list[RepChoice]) -> InlineKeyboardMarkup:
    def label(rep: RepChoice) -> str:
        note = t(lang, f"leads.rep_note.{rep.blocked}") if rep.blocked else ""
        return (
            t(lang, "leads.rep_choice", name=rep.name, load=rep.open_leads, cap=rep.capacity) + note
        )

    return rows((button(label(r), AssignLeadTo(lead_id, r.user_id)) for r in reps), width=1)


# ----- the form -----------------------------------------------------------------------------


def choice_buttons(lang: Lang, field: str, options: list[str]) -> InlineKeyboardMarkup:
    """The team's existing values as buttons (by index), Skip, Cancel."""
    picks = [button(value[:40], LeadFormPick(field, i)) for i, value in enumerate(options)]
    markup = rows(picks, width=2)
    skip = [button(t(lang, "leads.btn_skip"), LeadFormPick(field, -1)), *cancel_row(lang)]
    return InlineKeyboardMarkup([*markup.inline_keyboard, skip])


def campaign_buttons(lang: Lang, campaigns: list[tuple[int, str]]) -> InlineKeyboardMarkup:
    picks = [button(name[:40], LeadFormPick("campaign", cid)) for cid, name in campaigns]
    markup = rows(picks, width=1)
    skip = [button(t(lang, "leads.btn_no_campaign"), LeadFormPick("campaign", -1))]
    return InlineKeyboardMarkup([*markup.inline_keyboard, skip, cancel_row(lang)])


def known_line(lang: Lang, known: Known) -> str:
    key = "leads.known_customer" if known.kind == "customer" else "leads.known_lead"
    return t(lang, key, name=known.name, id=known.id, field=field_name(lang, known.matched))


def summary_text(lang: Lang, check: DraftCheck) -> str:
    lead = check.lead
    lines = [
        t(lang, "leads.summary_title"),
        t(lang, "leads.card_who", name=lead.name, company=lead.company),
        t(lang, "leads.card_contact", phone=lead.phone or "—", email=lead.email or "—"),
        t(lang, "leads.card_where", region=lead.region or "—", industry=lead.industry or "—"),
        t(lang, "leads.summary_campaign", campaign=check.campaign or "—"),
    ]
    if check.duplicates:
        lines += ["", t(lang, "leads.summary_duplicates")]
        lines += [known_line(lang, known) for known in check.duplicates]
    return truncate("\n".join(lines))


def summary_buttons(lang: Lang, can_save: bool) -> InlineKeyboardMarkup:
    first = [button(t(lang, "leads.btn_save"), LeadFormSave())] if can_save else []
    first.append(button(t(lang, "leads.btn_edit"), LeadFormEdit(None)))
    return InlineKeyboardMarkup([first, cancel_row(lang)])


def edit_buttons(lang: Lang) -> InlineKeyboardMarkup:
    markup = rows((button(field_name(lang, f), LeadFormEdit(f)) for f in FORM_FIELDS), width=3)
    return InlineKeyboardMarkup([*markup.inline_keyboard, cancel_row(lang)])


def created_text(lang: Lang, created: CreatedLead, due: datetime | None, zone: str) -> str:
    if created.self_assigned:
        text = t(lang, "leads.created_mine", id=created.lead_id)
    elif created.assignee_id is not None:
        rule = reason_short(lang, created.reason)
        text = t(
            lang, "leads.created_routed", id=created.lead_id, rep=created.assignee or "?", rule=rule
        )
    else:
        outcome = created.outcome
        text = t(
            lang,
            "leads.created_waiting",
            id=created.lead_id,
            reason=waiting_name(lang, outcome.waiting_reason),
            blocked=blocked_text(lang, outcome.blocked),
        )
    if due is not None:
        text += "\n" + t(lang, "leads.created_due", due=local_time(due, zone))
    return text


# ----- /leads -------------------------------------------------------------------------------


def list_text(lang: Lang, view: str, page: Page[Lead], zone: str, waiting: int) -> str:
    lines = [t(lang, f"leads.list_{view}", count=page.total, waiting=waiting)]
    if not page.items:
        lines.append(t(lang, f"leads.list_{view}_empty"))
    for lead in page.items:
        when = local_time(lead.assigned_at, zone, "%m-%d %H:%M") if lead.assigned_at else ""
        if view == "mine":
            lines.append(
                t(
                    lang,
                    "leads.row_mine",
                    title=lead_title(lead),
                    status=status_name(lang, lead.status),
                    when=when,
                )
            )
        elif view == "recent":
            rep = str(lead.assignee) if lead.assignee else "—"
            why = reason_short(lang, lead.assignment_reason)  # none kept: no empty brackets
            key = "leads.row_recent" if why else "leads.row_recent_no_reason"
            lines.append(t(lang, key, title=lead_title(lead), rep=rep, why=why, when=when))
        else:
            reason = waiting_name(lang, lead.waiting_reason)
            lines.append(t(lang, "leads.row_waiting", title=lead_title(lead), reason=reason))
    return truncate("\n".join(lines))


def list_buttons(
    lang: Lang, view: str, page: Page[Lead], manager: bool, waiting: int
) -> InlineKeyboardMarkup | None:
    keyboard: list[list[InlineKeyboardButton]] = []
    for lead in page.items:
        keyboard.append([button(f"#{lead.id} {lead_title(lead)}"[:60], OpenLead(lead.id))])
        if view == "waiting":
            keyboard[-1].append(button(t(lang, "leads.btn_assign"), AssignLead(lead.id)))
    turn = pager(page, lambda n: LeadsPage(view, n))  # type: ignore[arg-type]
    if turn:
        keyboard.append(turn)
    if manager:
        other = "waiting" if view == "recent" else "recent"
        label = t(lang, f"leads.btn_view_{other}", count=waiting)
        keyboard.append([button(label, LeadsPage(other, 0))])
    return InlineKeyboardMarkup(keyboard) if keyboard else None


# ----- notices ------------------------------------------------------------------------------


def assigned_many_text(lang: Lang, count: int) -> str:
    return t(lang, "leads.notice_many", count=count)


def waiting_notice(lang: Lang, outcome: RoutingOutcome) -> str:
    return t(
        lang,
        "leads.notice_waiting",
        count=outcome.waiting,
        reason=waiting_name(lang, outcome.waiting_reason),
        blocked=blocked_text(lang, outcome.blocked),
    )


def waiting_button(lang: Lang) -> InlineKeyboardMarkup:
    return rows([button(t(lang, "leads.btn_view_waiting_plain"), LeadsPage("waiting", 0))])


# ----- /away --------------------------------------------------------------------------------


def away_text(lang: Lang, status: AwayStatus, *, changed: bool) -> str:
    if status.last_day is None or status.until is None:
        return t(lang, "leads.away.back" if changed else "leads.away.available")
    key = "leads.away.set" if changed else "leads.away.current"
    back = local_time(status.until, status.timezone)
    return t(lang, key, day=status.last_day.isoformat(), back=back)


# ----- /import ------------------------------------------------------------------------------


def team_buttons(lang: Lang, teams: list[TeamSummary]) -> InlineKeyboardMarkup:
    markup = rows((button(team.name, ImportForTeam(team.id)) for team in teams), width=2)
    return InlineKeyboardMarkup([*markup.inline_keyboard, cancel_row(lang)])


def import_campaign_buttons(lang: Lang, campaigns: list[tuple[int, str]]) -> InlineKeyboardMarkup:
    picks = [button(name[:40], ImportCampaign(cid)) for cid, name in campaigns]
    markup = rows(picks, width=1)
    none = [button(t(lang, "leads.btn_no_campaign"), ImportCampaign(None))]
    return InlineKeyboardMarkup([*markup.inline_keyboard, none, cancel_row(lang)])


def progress_text(lang: Lang, progress: ImportProgress) -> str:
    return t(
        lang,
        "leads.import.progress",
        rows=progress.rows,
        imported=progress.imported,
        duplicates=progress.duplicates,
        failed=progress.failed,
    )


def import_summary_text(lang: Lang, summary: ImportSummary) -> str:
    lines = [
        t(
            lang,
            "leads.import.done",
            file=summary.file_name,
            total=summary.total,
            imported=summary.imported,
            duplicates=summary.duplicates,
            failed=summary.failed,
        )
    ]
    outcome = summary.outcome
    if outcome is not None and outcome.reps:
        people = ", ".join(f"{tally.name} {tally.count}" for tally in outcome.reps.values())
        lines.append(t(lang, "leads.import.assigned", people=people))
    if outcome is not None and outcome.waiting:
        lines.append(waiting_notice(lang, outcome))
    if summary.ignored_columns:
        lines.append(t(lang, "leads.import.ignored", columns=", ".join(summary.ignored_columns)))
    if summary.truncated:
        lines.append(t(lang, "leads.import.truncated", limit=summary.total))
    if summary.stopped_at is not None:
        lines.append(t(lang, "leads.import.stopped", row=summary.stopped_at))
    if summary.report is not None:
        lines.append(t(lang, "leads.import.report_follows"))
    return truncate("\n".join(lines))
