"""How the calendar plan is drawn (B5): day and week views, an entry, reminders, the morning
agenda and the events of /ics, and the pieces they share with the /plan pickers
(``bot.views.calendar_plan``).

Functions take storage results and a language and return ``(text, keyboard)``; times are
shown in the team's zone carried by the result.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.callbacks.calendar import (
    CalendarReps,
    CalendarView,
    CancelEntry,
    EntryDone,
    OpenEntry,
    RescheduleEntry,
)
from bot.callbacks.checkin import CheckInVisit
from bot.callbacks.customers import OpenCustomer
from bot.i18n import Lang, t
from bot.keyboards import button
from bot.render import truncate
from storage.calendar import Clash, EntryView
from storage.calendar_entries import TEAM_SCOPE, CalendarPage, Change, Outcome, RepChoice
from storage.calendar_ics import IcsEvent, UpcomingPlan
from storage.calendar_reminders import Agenda
from storage.calendar_time import (
    day_code,
    local,
)
from storage.models import CalendarKind, CalendarStatus

View = tuple[str, InlineKeyboardMarkup | None]
Rows = list[list[InlineKeyboardButton]]
ICONS = {
    CalendarKind.VISIT: "🚗",
    CalendarKind.FOLLOW_UP: "📞",
    CalendarKind.MEETING: "🤝",
    CalendarKind.OTHER: "📌",
}
MARKS = {CalendarStatus.DONE: "✅ ", CalendarStatus.MISSED: "⚠️ ", CalendarStatus.CANCELLED: "✖ "}
ON_SITE = (CalendarKind.VISIT, CalendarKind.MEETING)
ENTRY_BUTTONS = 12


def keyboard(rows: Rows) -> InlineKeyboardMarkup | None:
    kept = [row for row in rows if row]
    return InlineKeyboardMarkup(kept) if kept else None


def grid(buttons: list[InlineKeyboardButton], width: int) -> Rows:
    return [buttons[i : i + width] for i in range(0, len(buttons), width)]


def kind_name(lang: Lang, kind: CalendarKind) -> str:
    return t(lang, f"calendar.kind.{kind.value}")


def date_text(lang: Lang, day: date) -> str:
    """``Tue 3 Mar`` / ``3月3日 周二``."""
    weekday, month = t(lang, f"calendar.wd.{day.weekday()}"), t(lang, f"calendar.mon.{day.month}")
    return t(lang, "calendar.date", weekday=weekday, day=day.day, month=month)


def when_text(lang: Lang, starts_at: datetime, ends_at: datetime, zone: str) -> str:
    """``Tue 3 Mar, 14:00–15:00`` in the team's zone."""
    start, end = local(starts_at, zone), local(ends_at, zone)
    span = f"{start:%H:%M}–{end:%H:%M}"
    return t(lang, "calendar.when", date=date_text(lang, start.date()), span=span)


def entry_title(lang: Lang, kind: CalendarKind, customer: str) -> str:
    return f"{ICONS[kind]} {kind_name(lang, kind)} · {customer}"


def what(lang: Lang, item: EntryView | Clash) -> str:
    return entry_title(lang, item.kind, item.customer)


def details(
    lang: Lang, start: datetime, end: datetime, zone: str, address: str | None, note: str
) -> list[str]:
    """When (with the zone), where and the note: the body of every entry message."""
    lines = [t(lang, "calendar.entry.when", when=when_text(lang, start, end, zone), zone=zone)]
    if address:
        lines.append(t(lang, "calendar.entry.address", address=address))
    if note:
        lines.append(t(lang, "calendar.entry.note", note=note))
    return lines


def reminder_line(lang: Lang, remind_at: datetime | None, zone: str) -> str:
    if remind_at is None:
        return t(lang, "calendar.entry.no_reminder")
    return t(lang, "calendar.entry.reminder", time=f"{local(remind_at, zone):%H:%M}")


def clash_lines(lang: Lang, clashes: Sequence[Clash], zone: str) -> list[str]:
    if not clashes:
        return []
    lines = ["", t(lang, "calendar.clash.header")]
    for c in clashes:
        when = when_text(lang, c.starts_at, c.ends_at, zone)
        lines.append(t(lang, "calendar.clash.line", what=what(lang, c), when=when))
    return [*lines, t(lang, "calendar.clash.ask")]


def open_entry(entry: EntryView) -> OpenEntry:
    return OpenEntry(entry.id, entry.revision)


def day_of(entry: EntryView) -> CalendarView:
    """The rep's calendar of the entry's day."""
    return CalendarView(
        entry.rep_id, day_code(local(entry.starts_at, entry.timezone).date()), False
    )


# ----- /calendar ---------------------------------------------------------------------------


def _entry_line(lang: Lang, entry: EntryView) -> str:
    start, end = local(entry.starts_at, entry.timezone), local(entry.ends_at, entry.timezone)
    line = f"{MARKS.get(entry.status, '')}{start:%H:%M}–{end:%H:%M} {what(lang, entry)}"
    return t(lang, "calendar.view.line", line=line)


def _day_lines(lang: Lang, entries: list[EntryView], team: bool) -> list[str]:
    if not team:
        return [_entry_line(lang, e) for e in entries]
    lines: list[str] = []
    by_rep: dict[str, list[EntryView]] = {}
    for entry in entries:
        by_rep.setdefault(entry.rep_name, []).append(entry)
    for rep in sorted(by_rep, key=str.lower):
        lines.append(t(lang, "calendar.view.rep", name=rep, count=len(by_rep[rep])))
        lines += [_entry_line(lang, e) for e in by_rep[rep]]
    return lines


def calendar_view(lang: Lang, page: CalendarPage) -> View:
    """A day, or a week with one line for each free day; a team's entries grouped by rep."""
    team, zone = page.scope == TEAM_SCOPE, page.timezone
    lines = [t(lang, "calendar.view.team" if team else "calendar.view.rep_title", name=page.title)]
    lines.append("")
    for day in page.days:
        mine = [e for e in page.entries if local(e.starts_at, zone).date() == day]
        mark = t(lang, "calendar.view.today") if day == page.today else ""
        key = "calendar.view.day" if mine else "calendar.view.day_free"
        lines.append(t(lang, key, date=date_text(lang, day), today=mark))
        lines += _day_lines(lang, mine, team)
    if page.more:
        lines += ["", t(lang, "calendar.view.more")]
    lines += ["", t(lang, "calendar.view.zone", zone=zone)]
    return truncate("\n".join(lines)), _calendar_buttons(lang, page)


def _calendar_buttons(lang: Lang, page: CalendarPage) -> InlineKeyboardMarkup | None:
    zone, scope, first = page.timezone, page.scope, page.first_day
    picks = []
    for entry in page.entries[:ENTRY_BUTTONS]:
        start = local(entry.starts_at, zone)
        prefix = f"{t(lang, f'calendar.wd.{start.weekday()}')} " if page.week else ""
        who = f"{entry.rep_name}: " if scope == TEAM_SCOPE else ""
        picks.append(button(f"{prefix}{start:%H:%M} {who}{entry.customer}"[:60], open_entry(entry)))
    rows = grid(picks, 2)

    def go(label: str, days: int, week: bool, start: date = first) -> InlineKeyboardButton:
        return button(label, CalendarView(scope, day_code(start + timedelta(days=days)), week))

    today = go(t(lang, "calendar.btn.today"), 0, page.week, page.today)
    if page.week:
        in_week = first <= page.today < first + timedelta(days=7)
        rows.append([go("«", -7, True), today, go("»", 7, True)])
        rows.append(
            [go(t(lang, "calendar.btn.day_view"), 0, False, page.today if in_week else first)]
        )
    else:
        rows.append([go("‹", -1, False), today, go("›", 1, False)])
        rows.append(
            [go("«", -7, False), go(t(lang, "calendar.btn.week_view"), 0, True), go("»", 7, False)]
        )
    if page.team_view:
        team = button(
            t(lang, "calendar.btn.team"), CalendarView(TEAM_SCOPE, day_code(first), page.week)
        )
        rep = button(t(lang, "calendar.btn.pick_rep"), CalendarReps(day_code(first)))
        rows.append([rep] if scope == TEAM_SCOPE else [team, rep])
    return keyboard(rows)


def reps_view(lang: Lang, reps: Sequence[RepChoice], day: int) -> View:
    if not reps:
        return t(lang, "calendar.view.no_reps"), None
    rows = grid([button(r.name, CalendarView(r.id, day, False)) for r in reps], 2)
    rows.append([button(t(lang, "calendar.btn.team"), CalendarView(TEAM_SCOPE, day, False))])
    return t(lang, "calendar.view.pick_rep"), keyboard(rows)


# ----- one entry ---------------------------------------------------------------------------


def entry_text(lang: Lang, entry: EntryView, *, show_rep: bool) -> str:
    status = t(lang, f"calendar.status.{entry.status.value}")
    lines = [t(lang, "calendar.entry.header", what=what(lang, entry), status=status)]
    lines += details(
        lang, entry.starts_at, entry.ends_at, entry.timezone, entry.address, entry.note
    )
    if show_rep:
        lines.insert(2, t(lang, "calendar.entry.rep", name=entry.rep_name))
    if entry.status is CalendarStatus.PLANNED:
        lines.append(reminder_line(lang, entry.remind_at, entry.timezone))
    return truncate("\n".join(lines))


def _checks_in(entry: EntryView) -> bool:
    """A check-in belongs to a planned visit or meeting at a customer's site."""
    return bool(entry.customer_id) and entry.kind in ON_SITE


def entry_card(lang: Lang, entry: EntryView, viewer_id: int) -> View:
    """An entry's details; while planned: Reschedule, Mark done, Cancel, and for its own rep
    Check in."""
    rows: Rows = []
    if entry.status is CalendarStatus.PLANNED:
        key = (entry.id, entry.revision)
        if entry.rep_id == viewer_id and _checks_in(entry):
            rows.append([button(t(lang, "calendar.btn.check_in"), CheckInVisit(*key))])
        rows.append(
            [
                button(t(lang, "calendar.btn.reschedule"), RescheduleEntry(*key)),
                button(t(lang, "calendar.btn.done"), EntryDone(*key)),
            ]
        )
        rows.append([button(t(lang, "calendar.btn.cancel_entry"), CancelEntry(*key, False))])
    bottom = [button(t(lang, "calendar.btn.day"), day_of(entry))]
    if entry.customer_id is not None:
        bottom.insert(0, button(t(lang, "calendar.btn.customer"), OpenCustomer(entry.customer_id)))
    text = entry_text(lang, entry, show_rep=entry.rep_id != viewer_id)
    return text, keyboard([*rows, bottom])


def cancel_confirm_view(lang: Lang, entry: EntryView) -> View:
    text = entry_text(lang, entry, show_rep=False) + "\n\n" + t(lang, "calendar.cancel.ask")
    yes = button(t(lang, "calendar.btn.cancel_yes"), CancelEntry(entry.id, entry.revision, True))
    back = button(t(lang, "calendar.btn.back"), OpenEntry(entry.id, entry.revision, True))
    return text, keyboard([[yes, back]])


def stale_answer(lang: Lang, change: Change) -> str:
    """Why a button changed nothing: the entry moved, or it is no longer planned."""
    entry = change.entry
    if change.outcome is Outcome.MOVED:
        when = when_text(lang, entry.starts_at, entry.ends_at, entry.timezone)
        return t(lang, "calendar.stale.moved", when=when)
    return t(lang, "calendar.stale.closed", status=t(lang, f"calendar.status.{entry.status.value}"))


def rep_notice(lang: Lang, change: Change, action: str) -> View:
    """Tell the rep their manager changed one of their entries."""
    entry = change.entry
    when = when_text(lang, entry.starts_at, entry.ends_at, entry.timezone)
    text = t(lang, f"calendar.notice.{action}", what=what(lang, entry), when=when)
    return text, keyboard([[button(t(lang, "calendar.btn.open"), open_entry(entry))]])


# ----- reminders, agenda, /ics -------------------------------------------------------------


def reminder_view(lang: Lang, entry: EntryView, now: datetime) -> View:
    """The reminder before an entry (or just after its start, when the bot was late)."""
    minutes = round((entry.starts_at - now).total_seconds() / 60)
    key = "calendar.remind.in" if minutes >= 0 else "calendar.remind.started"
    lines = [t(lang, key, minutes=abs(minutes), what=what(lang, entry))]
    lines += details(
        lang, entry.starts_at, entry.ends_at, entry.timezone, entry.address, entry.note
    )
    row = [button(t(lang, "calendar.btn.open"), open_entry(entry))]
    if _checks_in(entry):
        row.append(button(t(lang, "calendar.btn.check_in"), CheckInVisit(entry.id, entry.revision)))
    return truncate("\n".join(lines)), keyboard([row])


def agenda_view(lang: Lang, agenda: Agenda) -> View:
    """The morning message: the day's entries in order, each with its address and a button."""
    count = len(agenda.entries)
    lines = [t(lang, "calendar.agenda.header", date=date_text(lang, agenda.day), count=count)]
    for entry in agenda.entries:
        lines.append(_entry_line(lang, entry))
        if entry.address:
            lines.append(t(lang, "calendar.agenda.address", address=entry.address))
    picks = [
        button(f"{local(e.starts_at, agenda.timezone):%H:%M} {e.customer}"[:60], open_entry(e))
        for e in agenda.entries[:ENTRY_BUTTONS]
    ]
    return truncate("\n".join(lines)), keyboard(grid(picks, 2))


def ics_events(lang: Lang, plan: UpcomingPlan) -> list[IcsEvent]:
    """The plan's entries as calendar events, texts in the rep's language."""
    source = t(lang, "calendar.ics.source")
    return [
        IcsEvent(
            entry_id=e.id,
            sequence=e.revision,
            starts_at=e.starts_at,
            ends_at=e.ends_at,
            summary=f"{kind_name(lang, e.kind)}: {e.customer}",
            location=e.address,
            description="\n".join(part for part in (e.note, source) if part),
            alarm_minutes=plan.lead_minutes,
            alarm_text=f"{kind_name(lang, e.kind)}: {e.customer}",
        )
        for e in plan.entries
    ]
