"""Writing field work: follow-ups, calendar entries, check-ins and tasks."""

from __future__ import annotations

from datetime import datetime, timedelta

from geopy.distance import geodesic  # type: ignore[import-untyped]

from storage.demo import catalog as cat
from storage.demo.plan import CustomerPlan, Rep
from storage.demo.state import DAY, HOUR, MINUTE, TeamState, insert_rows
from storage.models import (
    CalendarEntry,
    CalendarKind,
    CalendarStatus,
    CheckIn,
    FollowUp,
    FollowUpKind,
    Task,
    TaskPriority,
    TaskStatus,
    User,
)


class FieldWriter(TeamState):
    """Writes the reps' field work: follow-ups, calendar, check-ins and tasks."""

    async def _write_followups(self) -> list[tuple[CustomerPlan, Rep, datetime, FollowUpKind]]:
        """About three per owned customer over 60 days, the last one always effective."""
        s, rng = self.s, self.rng
        effective_kinds = list(self.rules.effective_followup_kinds)
        min_chars = self.rules.effective_followup_min_chars
        rows: list[FollowUp] = []
        visits: list[tuple[CustomerPlan, Rep, datetime, FollowUpKind]] = []
        for c in self.customers:
            if c.owner and c.owned_since and c.contact_at:
                rep, start = c.owner, max(c.owned_since, self.now - 60 * DAY)
                extra = rng.choice((0, 1, 2, 2, 3, 3, 4))
            elif c.former and c.former_since and c.contact_at:
                rep, start = c.former, max(c.former_since, c.contact_at - 60 * DAY)
                extra = rng.choice((0, 1, 1, 2))
            else:
                continue
            last = c.contact_at
            moments = []
            for _ in range(extra if last - HOUR > start else 0):
                moment = self._between(start, last - HOUR)
                snapped = self._work(moment)
                moments.append(snapped if start <= snapped < last else moment)
            for at, final in [*((m, False) for m in sorted(moments)), (last, True)]:
                if final:
                    kind = rng.choices(
                        (FollowUpKind.CALL, FollowUpKind.VISIT, FollowUpKind.MEETING), (45, 35, 20)
                    )[0]
                    note = rng.choice(cat.FOLLOWUP_NOTES[s])
                else:
                    kind = rng.choices(list(FollowUpKind), (30, 20, 20, 10, 20))[0]
                    long_note = rng.random() < 0.7
                    note = rng.choice(cat.FOLLOWUP_NOTES[s] if long_note else cat.SHORT_NOTES[s])
                effective = kind.value in effective_kinds and len(note) >= min_chars
                deal = next(
                    (
                        d
                        for d in c.deals
                        if d.owner is rep
                        and d.created_at <= at
                        and (d.closed_at is None or at <= d.closed_at)
                    ),
                    None,
                )
                next_step = rng.choice(cat.NEXT_STEPS[s]) if rng.random() < 0.35 else None
                next_day = self._day(at) + timedelta(days=rng.randint(2, 10))
                photo = kind is FollowUpKind.VISIT and rng.random() < 0.3
                rows.append(
                    FollowUp(
                        team_id=self.team.id,
                        customer_id=c.id,
                        rep_id=rep.user.id,
                        opportunity_id=deal.id if deal and rng.random() < 0.6 else None,
                        kind=kind,
                        note=note,
                        next_step=next_step,
                        next_step_at=self._at(next_day, rng.randint(9, 17)) if next_step else None,
                        attachment_file_id=self._file_id("photo") if photo else None,
                        attachment_kind="photo" if photo else None,
                        effective=effective,
                        occurred_at=at,
                    )
                )
                if effective and kind in (FollowUpKind.VISIT, FollowUpKind.MEETING):
                    visits.append((c, rep, at, kind))
        await FollowUp.bulk_create(rows)
        self.counts["followups"] = len(rows)
        return visits

    def _calendar_entry(
        self,
        rep: User,
        c: CustomerPlan | None,
        kind: CalendarKind,
        starts: datetime,
        minutes: int,
        status: CalendarStatus = CalendarStatus.PLANNED,
    ) -> CalendarEntry:
        titles = cat.CALENDAR_TITLES[self.s]
        if c is None:
            title = titles[2]
        else:
            title = (titles[1] if kind is CalendarKind.FOLLOW_UP else titles[0]).format(
                customer=c.name
            )
        ends = starts + minutes * MINUTE
        remind = starts - timedelta(minutes=self.rules.reminder_lead_minutes)
        return CalendarEntry(
            team_id=self.team.id,
            rep_id=rep.id,
            customer_id=c.id if c else None,
            kind=kind,
            title=title,
            starts_at=starts,
            ends_at=ends,
            status=status,
            remind_at=remind,
            reminded_at=remind if remind <= self.now else None,
            done_at=min(ends, self.now) if status is CalendarStatus.DONE else None,
            created_at=min(starts - timedelta(days=self._u(1, 5)), self.now),
        )

    async def _write_calendar_and_checkins(
        self, visits: list[tuple[CustomerPlan, Rep, datetime, FollowUpKind]]
    ) -> None:
        """Past week: done visits (with check-ins), a few missed; next week: the plan."""
        rng = self.rng
        entries: list[CalendarEntry] = []
        entry_of_visit: dict[int, int] = {}
        for index, (c, rep, at, kind) in enumerate(visits):
            if at >= self.now - 7 * DAY:
                starts = at.replace(minute=0 if at.minute < 30 else 30, second=0, microsecond=0)
                is_visit = kind is FollowUpKind.VISIT
                entry_of_visit[index] = len(entries)
                entries.append(
                    self._calendar_entry(
                        rep.user,
                        c,
                        CalendarKind.VISIT if is_visit else CalendarKind.MEETING,
                        starts,
                        rng.choice((60, 90)),
                        CalendarStatus.DONE,
                    )
                )
        owned = [c for c in self.customers if c.owner]
        for status in (CalendarStatus.MISSED, CalendarStatus.MISSED, CalendarStatus.CANCELLED):
            c = rng.choice(owned)
            assert c.owner is not None
            starts = self._ago(0.5, 7).replace(minute=0, second=0, microsecond=0)
            entries.append(
                self._calendar_entry(c.owner.user, c, CalendarKind.VISIT, starts, 60, status)
            )
        slots = ((9, 30), (11, 0), (14, 0), (15, 30), (16, 30))
        future_visits: list[int] = []
        for offset in range(8):
            day = self.today + timedelta(days=offset)
            if day.weekday() >= 5:
                continue
            for rep in self.reps:
                mine = [c for c in owned if c.owner is rep]
                if not mine:
                    continue
                urgent = [c for c in mine if c.recency == "due_soon"]
                for hour, minute in sorted(rng.sample(slots, k=rng.choice((0, 1, 1, 2, 2, 3)))):
                    starts = self._at(day, hour, minute)
                    if starts <= self.now:
                        continue
                    c = rng.choice(urgent if urgent and rng.random() < 0.4 else mine)
                    if rng.random() < 0.65:
                        future_visits.append(len(entries))
                        entry = self._calendar_entry(
                            rep.user, c, CalendarKind.VISIT, starts, rng.choice((60, 90))
                        )
                    else:
                        entry = self._calendar_entry(
                            rep.user, c, CalendarKind.FOLLOW_UP, starts, 30
                        )
                    entries.append(entry)
        monday = self.today + timedelta(days=(7 - self.today.weekday()) % 7)
        if self._at(monday, 9) <= self.now:
            monday += timedelta(days=7)
        for person in [self.manager, *(r.user for r in self.reps)]:
            entries.append(
                self._calendar_entry(person, None, CalendarKind.MEETING, self._at(monday, 9), 60)
            )
        if future_visits:  # one double booking, for the clash warning to find
            visit = entries[rng.choice(future_visits)]
            rep = next(r for r in self.reps if r.user.id == visit.rep_id)
            mine = [c for c in owned if c.owner is rep]
            entries.append(
                self._calendar_entry(
                    rep.user,
                    rng.choice(mine),
                    CalendarKind.FOLLOW_UP,
                    visit.starts_at + 15 * MINUTE,
                    30,
                )
            )
        ids = await insert_rows(CalendarEntry, entries, team_id=self.team.id)
        self.counts["calendar"] = len(entries)
        await self._write_checkins(visits, {v: ids[e] for v, e in entry_of_visit.items()})

    async def _write_checkins(
        self,
        visits: list[tuple[CustomerPlan, Rep, datetime, FollowUpKind]],
        entry_ids: dict[int, int],
    ) -> None:
        """Where each visit was logged from: mostly on site, a few flagged for review."""
        rng, rules = self.rng, self.rules
        rows = []
        on_site = [i for i, visit in enumerate(visits) if visit[3] is FollowUpKind.VISIT]
        astray = rng.choice(on_site) if on_site else -1  # at least one for the manager to review
        for index, (c, rep, at, kind) in enumerate(visits):
            if kind is not FollowUpKind.VISIT:
                continue
            radius = c.radius or rules.checkin_radius_m
            if rng.random() < 0.06 or index == astray:
                meters = self._u(radius * 1.5, 3000)
            else:
                meters = self._u(5, min(radius * 0.8, 250))
            point = geodesic(meters=meters).destination((c.lat, c.lon), self._u(0, 360))
            lat, lon = round(point.latitude, 6), round(point.longitude, 6)
            distance = round(geodesic((c.lat, c.lon), (lat, lon)).meters, 1)
            accuracy = round(self._u(150, 500) if rng.random() < 0.04 else self._u(5, 60), 1)
            photo = self._file_id("checkin") if rng.random() < 0.97 else None
            flags = []
            if distance > radius:
                flags.append("outside_radius")
            if accuracy > rules.checkin_max_accuracy_m:
                flags.append("low_accuracy")
            if photo is None and rules.checkin_photo_required:
                flags.append("no_photo")
            dwell = rng.randint(15, 90) * 60
            out = at + timedelta(seconds=dwell)
            rows.append(
                CheckIn(
                    team_id=self.team.id,
                    rep_id=rep.user.id,
                    customer_id=c.id,
                    calendar_entry_id=entry_ids.get(index),
                    latitude=lat,
                    longitude=lon,
                    accuracy_m=accuracy,
                    distance_m=distance,
                    photo_file_id=photo,
                    photo_unique_id=f"{photo}_u" if photo else None,
                    note=rng.choice(cat.CHECKIN_NOTES[self.s]),
                    flags=flags,
                    flagged=bool(flags),
                    dwell_seconds=dwell if out <= self.now else None,
                    checked_in_at=at,
                    checked_out_at=out if out <= self.now else None,
                )
            )
        await CheckIn.bulk_create(rows)
        self.counts["checkins"] = len(rows)
        self.counts["checkins_flagged"] = sum(1 for r in rows if r.flagged)

    async def _write_tasks(self) -> None:
        """Lead follow-up tasks plus each rep's own to-dos: open, overdue, done, cancelled."""
        s, rng = self.s, self.rng
        per_rep = max(3, round(8 * len(self.customers) / 300))
        for rep in self.reps:
            mine = [c for c in self.customers if c.owner is rep]
            for _ in range(per_rep if mine else 0):
                c = rng.choice(mine)
                deal = next((d for d in c.deals if d.is_open), None)
                roll = rng.random()
                if roll < 0.4:
                    day = self.today + timedelta(days=rng.randint(0, 10))
                    due = max(self._at(day, rng.randint(10, 18)), self.now + 2 * HOUR)
                    status = TaskStatus.OPEN
                elif roll < 0.6:
                    status, due = TaskStatus.OPEN, self._ago(1, 7)
                elif roll < 0.95:
                    status, due = TaskStatus.DONE, self._ago(1, 30)
                else:
                    status, due = TaskStatus.CANCELLED, self._ago(1, 30)
                by_manager = rng.random() < 0.3
                created = min(due - timedelta(days=self._u(1, 10)), self.now - HOUR)
                remind = due - HOUR
                self.tasks.append(
                    Task(
                        team_id=self.team.id,
                        assignee_id=rep.user.id,
                        created_by_id=self.manager.id if by_manager else rep.user.id,
                        customer_id=c.id,
                        opportunity_id=deal.id if deal else None,
                        title=rng.choice(cat.TASK_TITLES[s]).format(customer=c.name),
                        priority=rng.choices(list(TaskPriority), (15, 50, 25, 10))[0],
                        status=status,
                        due_at=due,
                        remind_at=remind,
                        reminded_at=remind if remind <= self.now else None,
                        completed_at=min(
                            max(due - self._u(-12, 48) * HOUR, created + HOUR), self.now
                        )
                        if status is TaskStatus.DONE
                        else None,
                        created_at=created,
                    )
                )
        await Task.bulk_create(self.tasks)
        self.counts["tasks"] = len(self.tasks)
        self.counts["tasks_overdue"] = sum(
            1 for t in self.tasks if t.status is TaskStatus.OPEN and t.due_at < self.now
        )
