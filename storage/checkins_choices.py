"""Which customer to check in at: the rep's own, today's planned visits first (B4).

Customers with a planned visit today come first, the visit nearest in time to now at the
top; the rest follow by name. Typed words narrow the list by name. A page is at most two
queries over the rep's customers plus one over today's calendar, whatever their number.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tortoise.expressions import Q, Subquery
from tortoise.queryset import QuerySet

from storage.access import Actor, NotFound
from storage.checkins_rules import day_bounds, local_day, nearest_first
from storage.models import CalendarEntry, CalendarKind, CalendarStatus, Customer, Role, Team
from storage.normalize import name_key
from storage.paging import PAGE_SIZE, Page

SEARCH_MAX = 100


@dataclass(frozen=True)
class CheckInChoice:
    customer_id: int
    name: str
    visit_at: datetime | None
    """Today's planned visit nearest to now, if any."""


@dataclass(frozen=True)
class ChoicePage:
    page: Page[CheckInChoice]
    timezone: str
    text: str


def _owned(actor: Actor, text: str) -> QuerySet[Customer]:
    query = Customer.filter(team_id=actor.team_id, owner_id=actor.user_id)
    if text:
        match = Q(name__icontains=text)
        key = name_key(text)
        if key:
            match |= Q(name_key__contains=key)
        query = query.filter(match)
    return query


async def checkin_choices(
    actor: Actor, *, now: datetime, page: int = 0, text: str = "", size: int = PAGE_SIZE
) -> ChoicePage:
    """A page of the rep's customers to check in at."""
    actor.require(Role.REP)
    if actor.team_id is None:
        raise NotFound()
    text = " ".join(text.split())[:SEARCH_MAX]
    team = await Team.get(id=actor.team_id)
    start, end = day_bounds(local_day(now, team.timezone), team.timezone)
    owned = _owned(actor, text)
    planned = await CalendarEntry.filter(
        rep_id=actor.user_id,
        kind=CalendarKind.VISIT,
        status=CalendarStatus.PLANNED,
        starts_at__gte=start,
        starts_at__lt=end,
        customer_id__in=Subquery(owned.values("id")),
    ).values_list("customer_id", "starts_at")
    nearest: dict[int, datetime] = {}
    for customer_id, starts_at in planned:
        best = nearest.get(int(customer_id))
        if best is None or abs(starts_at - now) < abs(best - now):
            nearest[int(customer_id)] = starts_at
    first = nearest_first(list(nearest.items()), now)
    others = (
        owned.exclude(id__in=first).order_by("name", "id")
        if first
        else owned.order_by("name", "id")
    )
    total = len(first) + await others.count()
    last = max(0, -(-total // size) - 1)
    number = min(max(page, 0), last)
    offset = number * size
    head = first[offset : offset + size]
    names = dict(await Customer.filter(id__in=head).values_list("id", "name")) if head else {}
    items = [CheckInChoice(cid, str(names.get(cid, "")), nearest[cid]) for cid in head]
    room = size - len(head)
    if room > 0:
        skip = max(0, offset - len(first))
        rest = await others.offset(skip).limit(room)
        items += [CheckInChoice(c.id, c.name, None) for c in rest]
    return ChoicePage(Page(items, number, total, size), team.timezone, text)
