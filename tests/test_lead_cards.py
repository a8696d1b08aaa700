"""Working a lead from its card (contacted, convert, disqualify, task), /leads for reps and
managers, assigning by hand — and forged buttons that change nothing."""

from __future__ import annotations

import random
from datetime import date

from bot.callbacks.leads import (
    AssignLeadTo,
    ConvertLead,
    DisqualifyLead,
    LeadContacted,
    LeadsPage,
    OpenLead,
)
from storage import leads
from storage.lead_import_checks import LeadDraft
from storage.models import (
    Campaign,
    Customer,
    Lead,
    LeadStatus,
    Role,
    Task,
    TaskStatus,
    Team,
    User,
)
from storage.users import to_actor
from tests.support.sim import Person, Sim, ensure_team


async def joined(sim: Sim, role: Role, name: str, team: str = "North") -> Person:
    person = await sim.member(role, team, name=name)
    await person.send("/start")
    return person


async def own_lead(sim: Sim, person: Person, n: int, **extra: object) -> Lead:
    """A lead the rep entered (so it is theirs)."""
    actor = to_actor(await User.get(telegram_id=person.id))
    fields: dict[str, object] = {"name": f"Lead {n}", "company": f"Company {n}"}
    fields.update({"phone": f"+86138{n:08d}", **extra})
    created = await leads.create_lead(
        actor,
        LeadDraft(**fields),
        now=sim.clock.now(),
        rng=random.Random(n),  # type: ignore[arg-type]
    )
    return await Lead.get(id=created.lead_id)


async def test_a_rep_works_a_lead_from_contacted_to_customer(sim: Sim) -> None:
    rob = await joined(sim, Role.REP, "Rob")
    team = await Team.get(name="North")
    expo = await Campaign.create(team=team, name="Expo", starts_on=date(2026, 2, 1))
    lead = await own_lead(sim, rob, 1, campaign_id=expo.id, region="East")

    [listing] = await rob.send("/leads")
    assert "My open leads (1)" in (listing.text or "") and "Lead 1 · Company 1" in (
        listing.text or ""
    )
    tap = await rob.tap("Lead 1")
    [card] = tap.changed
    assert "Lead #" in (card.text or "") and "Follow up by 2026-03-03 09:00" in (card.text or "")

    tap = await rob.tap("⏰ Open task")
    assert "Follow up lead: Lead 1 (Company 1)" in (tap.changed[-1].text or "")

    tap = await rob.tap("📞 Contacted")
    assert "follow-up task is done" in tap.toast
    assert "contacted" in (tap.changed[0].text or "")
    assert "📞 Contacted" not in rob.buttons()
    assert (await Task.get(lead_id=lead.id)).status is TaskStatus.DONE
    again = await rob.tap_data(card, LeadContacted(lead.id).pack(), forged=True)
    assert "already marked as contacted" in again.toast

    tap = await rob.tap("✅ Convert")
    assert "Company 1 is now your customer" in (tap.changed[-1].text or "")
    assert rob.buttons() == ["🏢 Open customer"]
    customer = await Customer.get(name="Company 1")
    rob_user = await User.get(telegram_id=rob.id)
    assert customer.owner_id == rob_user.id and customer.source_campaign_id == expo.id
    assert customer.source == "form" and customer.region == "East"
    assert customer.phone == "+8613800000001"
    lead = await Lead.get(id=lead.id)
    assert lead.status is LeadStatus.CONVERTED and lead.customer_id == customer.id
    assert lead.converted_at == sim.clock.now()
    assert (await Task.get(lead_id=lead.id)).customer_id == customer.id

    twice = await rob.tap_data(card, ConvertLead(lead.id).pack(), forged=True)
    assert "already a customer" in twice.toast
    assert await Customer.filter(name="Company 1").count() == 1


async def test_converting_a_lead_whose_customer_exists_links_it(sim: Sim) -> None:
    rob = await joined(sim, Role.REP, "Rob")
    team = await Team.get(name="North")
    lead = await own_lead(sim, rob, 2)
    pool = await Customer.create(team=team, name="Company 2 Ltd", name_key="company2")
    await rob.send("/leads")
    await rob.tap("Lead 2")
    tap = await rob.tap("✅ Convert")
    assert "was already a customer" in (tap.changed[-1].text or "")
    assert (await Lead.get(id=lead.id)).customer_id == pool.id
    assert await Customer.all().count() == 1
    assert (await Customer.get(id=pool.id)).owner_id is None  # linked, not taken over


async def test_disqualifying_with_a_reason_button_or_typed(sim: Sim) -> None:
    rob = await joined(sim, Role.REP, "Rob")
    first, second = await own_lead(sim, rob, 3), await own_lead(sim, rob, 4)
    await rob.send("/leads")
    await rob.tap("Lead 3")
    await rob.tap("🚫 Disqualify")
    tap = await rob.tap("No budget")
    assert "disqualified" in tap.toast.lower()
    first = await Lead.get(id=first.id)
    assert first.status is LeadStatus.DISQUALIFIED and first.disqualified_reason == "No budget"
    assert (await Task.get(lead_id=first.id)).status is TaskStatus.CANCELLED

    await rob.send("/leads")
    await rob.tap("Lead 4")
    await rob.tap("🚫 Disqualify")
    tap = await rob.tap("Other")
    assert "Type the reason" in (tap.changed[-1].text or "")
    [nudge] = await rob.share_location(1.0, 2.0)
    assert "Type the reason" in (nudge.text or "")
    await rob.send("Moved abroad")
    assert (await Lead.get(id=second.id)).disqualified_reason == "Moved abroad"
    [listing] = await rob.send("/leads")
    assert "No open leads" in (listing.text or "")


async def test_a_reps_list_is_paged(sim: Sim) -> None:
    rob = await joined(sim, Role.REP, "Rob")
    for n in range(10):
        await own_lead(sim, rob, n + 10)
    [listing] = await rob.send("/leads")
    assert "(10)" in (listing.text or "") and "1/2" in rob.buttons()
    tap = await rob.tap("›")
    assert "Lead 18" in (tap.changed[0].text or "") and "2/2" in rob.buttons()


async def test_a_manager_sees_who_got_what_and_why_and_assigns_a_waiting_lead(sim: Sim) -> None:
    amy = await joined(sim, Role.REP, "Amy")
    bob = await joined(sim, Role.REP, "Bob")
    mia = await joined(sim, Role.MANAGER, "Mia")
    await User.filter(telegram_id=bob.id).update(away=True)
    actor = to_actor(await User.get(telegram_id=mia.id))
    for n in range(2):
        await leads.create_lead(
            actor,
            LeadDraft(f"Routed {n}", f"Firm {n}", phone=f"+8613900000{n:03d}"),
            now=sim.clock.now(),
            rng=random.Random(n),
        )
    await User.filter(telegram_id=amy.id).update(away=True)
    created = await leads.create_lead(
        actor,
        LeadDraft("Waiting One", "Firm W", phone="+8613900000999"),
        now=sim.clock.now(),
        rng=random.Random(9),
    )

    [listing] = await mia.send("/leads")
    text = listing.text or ""
    assert "Recent assignments (2)" in text
    assert "Routed 0 · Firm 0 → Amy (performance ÷ load)" in text
    assert "⏳ Waiting leads (1)" in mia.buttons()
    tap = await mia.tap("Routed 1")
    card = tap.changed[-1].text or ""
    assert "Why: performance ÷ load" in card and "Not available: 1 away" in card

    tap = await mia.tap("⏳ Waiting leads (1)")
    assert "Waiting One · Firm W — every rep is away or outside working hours" in (
        tap.changed[0].text or ""
    )
    tap = await mia.tap("👤 Assign")
    assert mia.buttons() == ["Amy — 2/50 open · away", "Bob — 0/50 open · away"]
    tap = await mia.tap("Bob")
    assert "is now Bob's" in (tap.changed[-1].text or "")
    lead = await Lead.get(id=created.lead_id)
    assert lead.assignee_id == (await User.get(telegram_id=bob.id)).id
    assert lead.assignment_reason["strategy"] == "manual"
    notice = bob.last_message().text or ""
    assert "A new lead for you" in notice and "Waiting One" in notice


async def test_forged_buttons_for_leads_one_may_not_see_change_nothing(sim: Sim) -> None:
    rob = await joined(sim, Role.REP, "Rob")
    eve = await joined(sim, Role.REP, "Eve")
    await ensure_team("South", sim.clock.now())
    max_ = await joined(sim, Role.MANAGER, "Max", team="South")
    lead = await own_lead(sim, rob, 5)
    await eve.send("/leads")
    message = eve.last_message()
    for data in (
        OpenLead(lead.id),
        LeadContacted(lead.id),
        ConvertLead(lead.id),
        DisqualifyLead(lead.id, None),
        DisqualifyLead(lead.id, "other"),
        DisqualifyLead(lead.id, "no_need"),
    ):
        tap = await eve.tap_data(message, data.pack(), forged=True)
        assert "Not found" in tap.toast, data
    eve_id = (await User.get(telegram_id=eve.id)).id
    tap = await eve.tap_data(message, AssignLeadTo(lead.id, eve_id).pack(), forged=True)
    assert "not available for your role" in tap.toast
    tap = await eve.tap_data(message, LeadsPage("recent", 0).pack(), forged=True)
    assert all("Recent" not in (m.text or "") for m in tap.changed)  # a rep gets their own only
    tap = await eve.tap_data(message, DisqualifyLead(lead.id, "bogus").pack(), forged=True)
    assert "no longer active" in tap.toast or "Not found" in tap.toast

    await max_.send("/leads")
    other = max_.last_message()
    for data in (OpenLead(lead.id), ConvertLead(lead.id), AssignLeadTo(lead.id, eve_id)):
        tap = await max_.tap_data(other, data.pack(), forged=True)
        assert "Not found" in tap.toast, data

    lead = await Lead.get(id=lead.id)
    assert lead.status is LeadStatus.ASSIGNED and lead.disqualified_reason is None
    assert await Customer.all().count() == 0
    assert (await Task.get(lead_id=lead.id)).status is TaskStatus.OPEN


async def test_a_lead_without_a_kept_reason_and_coded_sources_read_as_words(sim: Sim) -> None:
    """Leads assigned before reasons were kept (or loaded) show no empty "()"; sources the
    product writes as codes are translated, a source someone typed is shown as typed."""
    rob = await joined(sim, Role.REP, "Rob")
    mia = await joined(sim, Role.MANAGER, "Mia")
    coded = await own_lead(sim, rob, 6)
    typed = await own_lead(sim, rob, 7)
    await Lead.filter(id=coded.id).update(assignment_reason={}, source="walk_in")
    await Lead.filter(id=typed.id).update(source="Trade fair 2026")

    [listing] = await mia.send("/leads")
    text = listing.text or ""
    assert "Lead 6 · Company 6 → Rob 03-02 09:00" in text and "()" not in text
    assert "Lead 7 · Company 7 → Rob (entered by the rep)" in text
    tap = await mia.tap("Lead 6")
    assert "source: walk-in" in (tap.changed[-1].text or "")
    tap = await mia.tap_data(listing, OpenLead(typed.id).pack())
    assert "source: Trade fair 2026" in (tap.changed[-1].text or "")

    await rob.send("/leads")
    await rob.tap("Lead 6")
    await rob.tap("✅ Convert")
    await Customer.filter(name="Company 6").update(source="cold_call")
    tap = await rob.tap("🏢 Open customer")
    assert "📣 Source: cold call" in (tap.changed[-1].text or "")
