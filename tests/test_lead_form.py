"""/lead: entering a lead in chat — routed when a manager enters it, kept when a rep does;
duplicates shown instead of saved; bad input re-asked; nothing half-written."""

from __future__ import annotations

from datetime import date, timedelta

from storage.models import (
    Campaign,
    Customer,
    Lead,
    LeadRouting,
    LeadStatus,
    Role,
    Task,
    Team,
    TeamRules,
    User,
)
from tests.support.sim import Person, Sim


def texts(messages: list) -> str:  # type: ignore[type-arg]
    return "\n".join(m.text or "" for m in messages)


async def rep(sim: Sim, name: str, **profile: object) -> Person:
    person = await sim.member(Role.REP, name=name)
    if profile:
        await User.filter(telegram_id=person.id).update(**profile)
    await person.send("/start")  # a bot can only write to people who opened it
    return person


async def test_a_manager_enters_a_lead_that_goes_to_the_territorys_rep(sim: Sim) -> None:
    amy = await rep(sim, "Amy", regions=["浦东"])
    await rep(sim, "Bob", regions=["静安"])
    mia = await sim.member(Role.MANAGER, name="Mia")
    team = await Team.get(name="North")
    await TeamRules.filter(team_id=team.id).update(lead_routing=LeadRouting.TERRITORY)

    [ask] = await mia.send("/lead")
    assert "name" in (ask.text or "")
    [again] = await mia.share_location(31.2, 121.5)
    assert "type the person's name" in (again.text or "")
    [ask] = await mia.send("王伟")
    assert "company" in (ask.text or "")
    [ask] = await mia.send("上海星辰科技有限公司")
    assert "Phone number and/or e-mail" in (ask.text or "")
    [refused] = await mia.send("call me maybe")
    assert "call me maybe is not a valid phone number" in (refused.text or "")
    [refused] = await mia.send("12345")
    assert "12345 is not a valid phone number" in (refused.text or "")
    [ask] = await mia.send("138 1234 5678, Wang.Wei@XingChen.cn")
    assert "Region?" in (ask.text or "") and {"浦东", "静安", "Skip"} <= set(mia.buttons())
    tap = await mia.tap("浦东")
    assert "Industry?" in texts(tap.changed)
    [summary] = await mia.send("制造")
    text = summary.text or ""
    assert "王伟" in text and "+8613812345678" in text and "wang.wei@xingchen.cn" in text
    assert "浦东" in text and "制造" in text
    assert mia.buttons() == ["💾 Save", "✏️ Edit", "✖ Cancel"]

    tap = await mia.tap("Save")
    saved = texts(tap.changed)
    assert "saved and assigned to <b>Amy</b>" not in saved  # HTML is rendered, not shown
    assert "saved and assigned to Amy (territory (region))" in saved
    assert "Why: territory (region)" in saved

    lead = await Lead.get(name="王伟")
    amy_user = await User.get(telegram_id=amy.id)
    assert lead.assignee_id == amy_user.id and lead.status is LeadStatus.ASSIGNED
    assert (lead.region, lead.industry, lead.company_key) == ("浦东", "制造", "上海星辰科技")
    task = await Task.get(lead_id=lead.id)
    assert task.assignee_id == amy_user.id
    assert task.due_at == sim.clock.now() + timedelta(hours=24)

    notice = amy.last_message()
    assert "A new lead for you" in (notice.text or "") and "王伟" in (notice.text or "")
    assert "Follow up by 2026-03-03 09:00" in (notice.text or "")  # Shanghai time
    assert amy.buttons() == [
        "📞 Contacted",
        "✅ Convert to customer",
        "🚫 Disqualify",
        "⏰ Open task",
    ]


async def test_a_reps_own_lead_is_theirs_and_a_campaign_can_be_picked(sim: Sim) -> None:
    rob = await rep(sim, "Rob")
    team = await Team.get(name="North")
    expo = await Campaign.create(team=team, name="Expo 2026", starts_on=date(2026, 2, 1))
    await rob.send("/lead")
    await rob.send("Ann Lee")
    await rob.send("Acme Trading")
    [_ask] = await rob.send("ann@acme.io")
    assert rob.buttons() == ["Skip", "✖ Cancel"]  # the team has no regions yet
    await rob.tap("Skip")
    tap = await rob.tap("Skip")
    assert "campaign" in texts(tap.changed) and "Expo 2026" in rob.buttons()
    tap = await rob.tap("Expo 2026")
    assert "Campaign: Expo 2026" in texts(tap.changed)
    tap = await rob.tap("Save")
    assert "it is yours" in texts(tap.changed)
    lead = await Lead.get(name="Ann Lee")
    assert lead.campaign_id == expo.id and lead.phone is None and lead.email == "ann@acme.io"
    assert lead.assignee_id == (await User.get(telegram_id=rob.id)).id
    assert lead.assignment_reason["strategy"] == "self"
    assert "A new lead for you" not in texts(rob.messages())  # no notice to oneself


async def test_a_duplicate_is_shown_instead_of_saved_and_can_be_edited(sim: Sim) -> None:
    rob = await rep(sim, "Rob")
    team = await Team.get(name="North")
    await Customer.create(team=team, name="ACME Trading Co., Ltd.", name_key="acmetrading")
    await rob.send("/lead")
    await rob.send("Ann")
    await rob.send("Acme Trading")
    await rob.send("+86 139 0000 0000")
    await rob.tap("Skip")
    tap = await rob.tap("Skip")
    summary = texts(tap.changed)
    assert (
        "Already known" in summary and "customer ACME Trading Co., Ltd. (same company)" in summary
    )
    assert rob.buttons() == ["✏️ Edit", "✖ Cancel"]  # no Save while it is a duplicate

    tap = await rob.tap("Edit")
    assert "company" in rob.buttons()
    tap = await rob.tap("company")
    assert "Which company?" in texts(tap.changed)
    [summary_message] = await rob.send("Beta Works")
    assert "Already known" not in (summary_message.text or "")
    tap = await rob.tap("Save")
    assert await Lead.filter(company="Beta Works").count() == 1
    assert await Lead.filter(company="Acme Trading").count() == 0


async def test_the_form_refuses_what_it_cannot_use_and_cancel_saves_nothing(sim: Sim) -> None:
    rob = await rep(sim, "Rob")
    [refused] = await rob.send("/lead")
    [refused] = await rob.send("名" * 200)
    assert "at most 128 characters" in (refused.text or "")
    await rob.send("Ann")
    [refused] = await rob.send_photo(b"\x89PNG\r\n\x1a\n" + b"0" * 64)
    assert "type the company's name" in (refused.text or "")
    await rob.send("Acme")
    [refused] = await rob.send("a@x.io b@y.io")
    assert "one e-mail address" in (refused.text or "")
    [refused] = await rob.send("ann@x")
    assert "ann@x is not a valid e-mail address" in (refused.text or "")
    [refused] = await rob.send(" , ")
    assert "phone number or an e-mail address is required" in (refused.text or "")
    await rob.send("/cancel")
    assert await Lead.all().count() == 0
    [reply] = await rob.send("Hello")
    assert "Use the menu or /help" in (reply.text or "")


async def test_a_shared_contact_fills_the_phone(sim: Sim) -> None:
    rob = await rep(sim, "Rob")
    await rob.send("/lead")
    await rob.send("Ann")
    await rob.send("Acme")
    update = sim.emu.send_contact(rob.user, "+8613712345678", "Ann")
    changed = await rob._act(rob.chat_id, update)
    assert "Region?" in texts(changed)
    await rob.tap("Skip")
    tap = await rob.tap("Skip")
    assert "📞 +8613712345678 · ✉️ —" in texts(tap.changed)


async def test_roles_without_the_form(sim: Sim) -> None:
    agent = await sim.member(Role.AGENT)
    [reply] = await agent.send("/lead")
    assert "not available for your role" in (reply.text or "")
