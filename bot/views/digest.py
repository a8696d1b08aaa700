"""How the daily digest is drawn: the message, its buttons, the chart's data and caption, and
the answers to the digest's buttons.

Every function takes storage results and a language. The chart itself is drawn by
``bot.charts`` from ``chart`` (in a worker thread — that is the caller's business).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.callbacks.digest import ExtendCustomer, NudgeTask, OpenVisit
from bot.callbacks.leads import AssignLead
from bot.callbacks.pool import AssignCustomer
from bot.i18n import Html, Lang, t
from bot.keyboards import button
from bot.render import local_time, plain_text, truncate
from storage.digest import (
    AtRisk,
    Digest,
    FlaggedVisit,
    OverdueTask,
    RepDay,
    Trend,
    WaitingLead,
)
from storage.digest_actions import Nudge, Visit
from storage.pool_locks import ExtensionDecision

CAPTION_LIMIT = 1024
LABEL_LIMIT = 40
"""Characters of a name shown on a button."""
NAME_LIMIT = 32
"""Characters of a person's name in a line of the message."""
ITEM_LIMIT = 48
"""Characters of a customer, task or lead name in a line of the message."""
CHART_SERIES = ("followups", "visits", "claimed")


def _label(lang: Lang, key: str, **params: object) -> str:
    """A button label: plain text (labels are not HTML), cut to fit a phone's width."""
    return plain_text(t(lang, key, **params), LABEL_LIMIT)


def _short(text: str, limit: int = 24) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _delta(today: int, before: int) -> str:
    change = today - before
    return f"+{change}" if change > 0 else (f"−{-change}" if change < 0 else "±0")


def _day(lang: Lang, digest: Digest) -> str:
    weekday = t(lang, f"digest.weekday.{digest.day.weekday()}")
    return f"{weekday} {digest.day.isoformat()}"


# ----- the message -----


def header(lang: Lang, digest: Digest, *, so_far: bool) -> str:
    if so_far:
        at = local_time(digest.as_of, digest.timezone, "%H:%M")
        return t(lang, "digest.header.so_far", team=digest.team_name, day=_day(lang, digest), at=at)
    return t(lang, "digest.header.daily", team=digest.team_name, day=_day(lang, digest))


def rep_line(lang: Lang, rep: RepDay) -> str:
    flagged = t(lang, "digest.rep_flagged", count=rep["flagged"]) if rep["flagged"] else ""
    return t(
        lang,
        "digest.rep_line",
        name=_short(rep.name, NAME_LIMIT),
        followups=rep["followups"],
        visits=rep["visits"],
        flagged=flagged,
        claimed=rep["claimed"],
        released=rep["released"],
        reclaimed=rep["reclaimed"],
        tasks_done=rep["tasks_done"],
        overdue=rep.overdue,
        new_leads=rep["new_leads"],
    )


def total_line(lang: Lang, trend: Trend) -> str:
    return t(
        lang,
        "digest.total_line",
        label=t(lang, f"digest.metric.{trend.metric}"),
        today=trend.today,
        yesterday=trend.yesterday,
        delta=_delta(trend.today, trend.yesterday),
        average=f"{trend.week_average:.1f}",
    )


def _section(lang: Lang, key: str, total: int, items: Sequence[str]) -> list[str]:
    """A header with the count, the listed items, and how many more there are."""
    if not total:
        return []
    lines = [t(lang, f"digest.{key}.header", total=total), *items]
    if total > len(items):
        lines.append(t(lang, f"digest.{key}.more", count=total - len(items)))
    return lines


def _when(moment: datetime | None, zone: str) -> str:
    return local_time(moment, zone, "%m-%d %H:%M") if moment is not None else "—"


def flag_names(lang: Lang, flags: Sequence[str]) -> str:
    """The check-in's flags in words; a flag this catalog does not know shows as its code."""
    names = []
    for flag in flags:
        key = f"digest.flag.{flag}"
        text = t(lang, key)
        names.append(flag if text == key else text)
    return ", ".join(names) or t(lang, "digest.flag.unknown")


def distance(meters: float | None) -> str:
    if meters is None:
        return "—"
    return f"{meters / 1000:.1f} km" if meters >= 1000 else f"{meters:.0f} m"


def _at_risk(lang: Lang, zone: str, item: AtRisk) -> str:
    by = _when(item.deadline, zone)
    name, rep = _short(item.name, ITEM_LIMIT), _short(item.rep_name, NAME_LIMIT)
    return t(lang, "digest.at_risk.item", name=name, rep=rep, by=by)


def _overdue(lang: Lang, zone: str, item: OverdueTask) -> str:
    customer = f" · {_short(item.customer, ITEM_LIMIT)}" if item.customer else ""
    return t(
        lang,
        "digest.overdue.item",
        title=_short(item.title, ITEM_LIMIT),
        customer=customer,
        rep=_short(item.rep_name, NAME_LIMIT),
        due=_when(item.due_at, zone),
    )


def _flagged(lang: Lang, zone: str, item: FlaggedVisit) -> str:
    return t(
        lang,
        "digest.flagged.item",
        rep=_short(item.rep_name, NAME_LIMIT),
        customer=_short(item.customer, ITEM_LIMIT),
        at=local_time(item.at, zone, "%H:%M"),
        flags=flag_names(lang, item.flags),
        distance=distance(item.distance_m),
    )


def _waiting(lang: Lang, item: WaitingLead) -> str:
    company = f" · {_short(item.company, ITEM_LIMIT)}" if item.company else ""
    reason = waiting_reason(lang, item.reason)
    return t(
        lang,
        "digest.waiting.item",
        name=_short(item.name, ITEM_LIMIT),
        company=company,
        reason=reason,
    )


def decisions(lang: Lang, digest: Digest) -> list[str]:
    """Each kind of decision with its count and first items; a line when there is none."""
    zone = digest.timezone
    at_risk, overdue = digest.at_risk, digest.overdue
    flagged, waiting = digest.flagged, digest.waiting
    sections = [
        *_section(lang, "at_risk", at_risk.total, [_at_risk(lang, zone, i) for i in at_risk.items]),
        *_section(lang, "overdue", overdue.total, [_overdue(lang, zone, i) for i in overdue.items]),
        *_section(lang, "flagged", flagged.total, [_flagged(lang, zone, i) for i in flagged.items]),
        *_section(lang, "waiting", waiting.total, [_waiting(lang, i) for i in waiting.items]),
    ]
    return sections or [t(lang, "digest.nothing_to_decide")]


def waiting_reason(lang: Lang, reason: str | None) -> str:
    key = f"leads.waiting.{reason}"
    text = t(lang, key)
    return reason or "—" if text == key else text


def digest_text(lang: Lang, digest: Digest, *, so_far: bool = False) -> str:
    """Totals, then what needs a decision (its buttons are below), then one line per rep.

    The reps come last: a very large team's message is cut there, never its decisions.
    """
    lines = [header(lang, digest, so_far=so_far), "", t(lang, "digest.totals")]
    lines += [total_line(lang, trend) for trend in digest.totals]
    lines.append(t(lang, "digest.overdue_now", count=digest.overdue_now))
    lines += ["", t(lang, "digest.decisions"), *decisions(lang, digest)]
    lines += ["", t(lang, "digest.reps"), t(lang, "digest.legend")]
    lines += [rep_line(lang, rep) for rep in digest.reps] or [t(lang, "digest.no_reps")]
    return truncate("\n".join(lines))


def _at_risk_row(lang: Lang, item: AtRisk) -> list[InlineKeyboardButton]:
    name = _short(item.name)
    extend = _label(lang, "digest.btn.extend", name=name)
    reassign = button(
        _label(lang, "digest.btn.reassign", name=name), AssignCustomer(item.customer_id)
    )
    if not item.can_extend:
        return [reassign]
    return [button(extend, ExtendCustomer(item.customer_id)), reassign]


def _nudge(lang: Lang, item: OverdueTask) -> InlineKeyboardButton:
    rep, title = _short(item.rep_name, 12), _short(item.title, 16)
    return button(_label(lang, "digest.btn.nudge", rep=rep, title=title), NudgeTask(item.task_id))


def _open(lang: Lang, item: FlaggedVisit) -> InlineKeyboardButton:
    rep, customer = _short(item.rep_name, 12), _short(item.customer, 16)
    label = _label(lang, "digest.btn.visit", rep=rep, customer=customer)
    return button(label, OpenVisit(item.checkin_id))


def _assign(lang: Lang, item: WaitingLead) -> InlineKeyboardButton:
    label = _label(lang, "digest.btn.assign_lead", name=_short(item.name))
    return button(label, AssignLead(item.lead_id))


def digest_buttons(lang: Lang, digest: Digest) -> InlineKeyboardMarkup | None:
    """Extend and Reassign per customer about to be reclaimed; then Nudge, Open and Assign,
    two a row. Reassign and Assign are the pool's and the leads' own buttons."""
    rows = [_at_risk_row(lang, item) for item in digest.at_risk.items]
    singles = [
        *(_nudge(lang, item) for item in digest.overdue.items),
        *(_open(lang, item) for item in digest.flagged.items),
        *(_assign(lang, item) for item in digest.waiting.items),
    ]
    rows += [singles[i : i + 2] for i in range(0, len(singles), 2)]
    return InlineKeyboardMarkup(rows) if rows else None


# ----- the chart and its caption -----


def chart(lang: Lang, digest: Digest) -> tuple[str, list[str], list[tuple[str, list[int]]], str]:
    """(title, rep names, one series per metric, text for an empty chart): plain text."""
    title = plain_text(
        t(lang, "digest.chart.title", team=digest.team_name, day=digest.day.isoformat()), 200
    )
    names = [_short(rep.name, 20) for rep in digest.reps]
    series = [
        (plain_text(t(lang, f"digest.chart.{metric}"), 40), [rep[metric] for rep in digest.reps])
        for metric in CHART_SERIES
    ]
    return title, names, series, plain_text(t(lang, "digest.no_reps"), 100)


def caption(lang: Lang, digest: Digest, *, so_far: bool = False) -> str:
    text = t(
        lang,
        "digest.caption",
        header=_caption_header(lang, digest, so_far),
        followups=digest.total("followups"),
        visits=digest.total("visits"),
        claimed=digest.total("claimed"),
    )
    return truncate(text, CAPTION_LIMIT)


def _caption_header(lang: Lang, digest: Digest, so_far: bool) -> Html:
    return Html(header(lang, digest, so_far=so_far))


# ----- the buttons' answers -----


def nudge_for_rep(lang: Lang, nudge: Nudge) -> str:
    return t(
        lang,
        "digest.nudge.message",
        manager=nudge.manager_name,
        title=nudge.title,
        customer=f" · {nudge.customer}" if nudge.customer else "",
        due=local_time(nudge.due_at, nudge.timezone),
    )


def nudge_toast(lang: Lang, nudge: Nudge, delivered: bool) -> str:
    if nudge.already:
        key = "digest.nudge.already"
    else:
        key = "digest.nudge.sent" if delivered else "digest.nudge.unreachable"
    return plain_text(t(lang, key, rep=nudge.rep_name, title=nudge.title))


def visit_caption(lang: Lang, visit: Visit) -> str:
    accuracy = f"±{visit.accuracy_m:.0f} m" if visit.accuracy_m is not None else "—"
    text = t(
        lang,
        "digest.visit.caption",
        rep=visit.rep_name,
        customer=visit.customer,
        at=local_time(visit.at, visit.timezone),
        distance=distance(visit.distance_m),
        accuracy=accuracy,
        flags=flag_names(lang, visit.flags) if visit.flags else "—",
        note=visit.note or "—",
    )
    return truncate(text, CAPTION_LIMIT)


def extension_granted(lang: Lang, decision: ExtensionDecision) -> str:
    """For the chat the manager tapped Extend in."""
    until = local_time(decision.until, decision.timezone) if decision.until else "—"
    return t(
        lang,
        "pool.extension.granted_by",
        manager=decision.manager_name,
        name=decision.name,
        rep=decision.rep_name,
        until=until,
    )


def extension_granted_to_rep(lang: Lang, decision: ExtensionDecision) -> str:
    until = local_time(decision.until, decision.timezone) if decision.until else "—"
    return t(
        lang,
        "pool.extension.granted",
        manager=decision.manager_name,
        name=decision.name,
        until=until,
    )
