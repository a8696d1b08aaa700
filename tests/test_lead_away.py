"""/away: a rep on leave gets no leads until the day after, and /away off brings them back."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from storage import leads
from storage.lead_import_checks import LeadDraft
from storage.models import Lead, Role, User
from storage.users import to_actor
from tests.support.sim import Sim


async def test_a_rep_goes_away_gets_nothing_and_comes_back(sim: Sim) -> None:
    amy = await sim.member(Role.REP, name="Amy")
    bob = await sim.member(Role.REP, name="Bob")
    mia = await sim.member(Role.MANAGER, name="Mia")

    [status] = await amy.send("/away")
    assert "You are available" in (status.text or "") and "/away until" in (status.text or "")
    [answer] = await amy.send("/away until 2026-03-10")
    assert "away through 2026-03-10" in (answer.text or "")
    assert "until 2026-03-11 00:00" in (answer.text or "")  # Shanghai time
    user = await User.get(telegram_id=amy.id)
    assert user.away_until == datetime(2026, 3, 10, 16, 0, tzinfo=UTC)
    [status] = await amy.send("/away")
    assert "You are away through 2026-03-10" in (status.text or "")

    manager = to_actor(await User.get(telegram_id=mia.id))
    for n in range(3):
        draft = LeadDraft(f"P{n}", f"C{n}", phone=f"+8613900000{n:03d}")
        await leads.create_lead(manager, draft, now=sim.clock.now(), rng=random.Random(n))
    bob_id = (await User.get(telegram_id=bob.id)).id
    assert await Lead.filter(assignee_id=bob_id).count() == 3

    [answer] = await amy.send("/away off")
    assert "Welcome back" in (answer.text or "")
    user = await User.get(telegram_id=amy.id)
    assert user.away_until is None and not user.away
    draft = LeadDraft("P9", "C9", phone="+8613900000999")
    created = await leads.create_lead(manager, draft, now=sim.clock.now(), rng=random.Random(9))
    assert created.assignee_id == user.id  # the lighter load wins: one lead, not a burst


async def test_away_dates_are_checked(sim: Sim) -> None:
    amy = await sim.member(Role.REP, name="Amy")
    [answer] = await amy.send("/away until 2026-03-01")
    assert "2026-03-01 is in the past" in (answer.text or "")
    [answer] = await amy.send("/away until someday")
    assert "can't read" in (answer.text or "")
    [answer] = await amy.send("/away until 2028-01-01")
    assert "too far ahead" in (answer.text or "")
    [answer] = await amy.send("/away 3月2日")  # today counts: away for the rest of the day
    assert "away through 2026-03-02" in (answer.text or "")
    sim.clock.advance(timedelta(days=1))
    [status] = await amy.send("/away")
    assert "You are available" in (status.text or "")
    manager = await sim.member(Role.MANAGER, name="Mia")
    [refused] = await manager.send("/away until 2026-03-05")
    assert "not available for your role" in (refused.text or "")
