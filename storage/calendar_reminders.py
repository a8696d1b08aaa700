"""Due reminders and morning agendas, found from the stored calendar and claimed once (B5).

Nothing lives in an in-memory timer: a reminder is due when a planned entry's ``remind_at``
has come and ``reminded_at`` is still NULL; an agenda is due when a rep's local hour has come
and ``User.agenda_sent_on`` is not today. One query finds everything due, whatever the number
of reps; each message is then claimed by a conditional update checked for one row
(``reminded_at`` NULL → now, ``agenda_sent_on`` → today) right before it is sent, so two
instances or a restarted process never send it twice. The cost of a claim is one statement
per message actually sent — never per rep or per entry merely looked at.

A claim that wins but whose message cannot be delivered is not retried: a reminder is sent
at most once. ``reminded_at`` also marks reminders deliberately skipped: those of entries whose
start passed more than ``REMINDER_GRACE`` ago (the bot was down), and those of reps no longer
active — a stale "your visit starts in 30 minutes" the next day would only mislead.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from tortoise.expressions import Q

from storage.calendar import EntryView, entry_view
from storage.calendar_time import REMINDER_GRACE, agenda_day, day_bounds, local
from storage.models import CalendarEntry, CalendarStatus, Role, TeamRules, User

BATCH = 500


@dataclass(frozen=True)
class Reminder:
    entry: EntryView
    chat_id: int
    language: str | None
    active: bool


async def due_reminders(now: datetime, limit: int = BATCH) -> list[Reminder]:
    """Planned entries whose reminder time has come, oldest first; stale ones are skipped.

    Two statements: one stamps the reminders too late to be useful, one loads the rest.
    """
    due = CalendarEntry.filter(status=CalendarStatus.PLANNED, reminded_at=None, remind_at__lte=now)
    await due.filter(starts_at__lte=now - REMINDER_GRACE).update(reminded_at=now)
    rows = (
        await due.filter(starts_at__gt=now - REMINDER_GRACE)
        .select_related("customer", "rep", "team")
        .order_by("remind_at", "id")
        .limit(limit)
    )
    return [
        Reminder(
            entry_view(e, e.team.timezone),
            e.rep.telegram_id,
            e.rep.language or e.rep.telegram_language,
            e.rep.is_active and e.rep.team_id == e.team_id,
        )
        for e in rows
    ]


async def claim_reminder(reminder: Reminder, now: datetime) -> bool:
    """Take the reminder for sending; False if it was sent, moved or closed meanwhile."""
    claimed = await CalendarEntry.filter(
        id=reminder.entry.id,
        revision=reminder.entry.revision,
        status=CalendarStatus.PLANNED,
        reminded_at=None,
    ).update(reminded_at=now)
    return claimed == 1


@dataclass(frozen=True)
class Agenda:
    """A rep's planned entries of one local day, for the morning message."""

    rep_id: int
    chat_id: int
    language: str | None
    name: str
    day: date
    timezone: str
    entries: list[EntryView]


@dataclass(frozen=True)
class _TeamClock:
    team_id: int
    zone: str
    day: date
    hour: int
    rule_hour: int


async def _team_clocks(now: datetime) -> list[_TeamClock]:
    """Every active team's local day and hour at ``now`` (one query over the teams)."""
    rules = await TeamRules.filter(team__archived_at=None).select_related("team")
    clocks = []
    for rule in rules:
        wall = local(now, rule.team.timezone)
        clocks.append(
            _TeamClock(rule.team_id, rule.team.timezone, wall.date(), wall.hour, rule.agenda_hour)
        )
    return clocks


def _due_condition(clocks: list[_TeamClock]) -> Q | None:
    """Reps whose agenda hour has come today in their team's zone and who have not had it.

    Teams sharing a local day, hour and rule hour share one condition, so the statement grows
    with the number of distinct zones, not of teams or reps.
    """
    groups: dict[tuple[date, int, int], list[int]] = defaultdict(list)
    for clock in clocks:
        groups[(clock.day, clock.hour, clock.rule_hour)].append(clock.team_id)
    condition: Q | None = None
    for (day, hour, rule_hour), team_ids in groups.items():
        hour_ok = Q(agenda_hour__lte=hour)
        if rule_hour <= hour:
            hour_ok |= Q(agenda_hour=None)
        part = (
            Q(team_id__in=team_ids) & (Q(agenda_sent_on=None) | Q(agenda_sent_on__lt=day)) & hour_ok
        )
        condition = part if condition is None else condition | part
    return condition


async def due_agendas(now: datetime) -> list[Agenda]:
    """The agendas due at ``now`` that have entries; empty days are stamped, not sent.

    Three queries (teams, due reps, their entries) plus one stamp per distinct local day.
    """
    clocks = {c.team_id: c for c in await _team_clocks(now)}
    condition = _due_condition(list(clocks.values()))
    if condition is None:
        return []
    reps = await User.filter(condition, role=Role.REP, is_active=True).order_by("id")
    days: dict[int, tuple[date, str]] = {}
    for rep in reps:
        clock = clocks[rep.team_id or 0]
        hour = rep.agenda_hour if rep.agenda_hour is not None else clock.rule_hour
        day = agenda_day(now, clock.zone, hour)
        if day is not None:
            days[rep.id] = (day, clock.zone)
    if not days:
        return []
    bounds = {rep_id: day_bounds(day, zone) for rep_id, (day, zone) in days.items()}
    rows = (
        await CalendarEntry.filter(
            rep_id__in=list(days),
            status=CalendarStatus.PLANNED,
            starts_at__gte=min(b[0] for b in bounds.values()),
            starts_at__lt=max(b[1] for b in bounds.values()),
        )
        .select_related("customer", "rep")
        .order_by("starts_at", "id")
    )
    mine: dict[int, list[EntryView]] = defaultdict(list)
    for row in rows:
        start, end = bounds[row.rep_id]
        if start <= row.starts_at < end:
            mine[row.rep_id].append(entry_view(row, days[row.rep_id][1]))
    agendas: list[Agenda] = []
    empty: dict[date, list[int]] = defaultdict(list)
    for rep in reps:
        if rep.id not in days:
            continue
        day, zone = days[rep.id]
        if mine.get(rep.id):
            language = rep.language or rep.telegram_language
            agendas.append(
                Agenda(rep.id, rep.telegram_id, language, str(rep), day, zone, mine[rep.id])
            )
        else:
            empty[day].append(rep.id)
    for day, rep_ids in empty.items():
        await User.filter(_unsent(day), id__in=rep_ids).update(agenda_sent_on=day)
    return agendas


def _unsent(day: date) -> Q:
    return Q(agenda_sent_on=None) | Q(agenda_sent_on__lt=day)


async def claim_agenda(agenda: Agenda) -> bool:
    """Take the rep's agenda of ``agenda.day``; False if it went out already."""
    claimed = await User.filter(_unsent(agenda.day), id=agenda.rep_id).update(
        agenda_sent_on=agenda.day
    )
    return claimed == 1
