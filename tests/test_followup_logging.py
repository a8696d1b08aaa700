"""A rep logs follow-ups: from the card or /followup, with a photo and a planned next step,
confirmed from a draft that can be edited; only what the team counts moves the reclaim clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.callbacks.followups import LogFollowUp, PickCustomer
from storage.models import (
    AuditLog,
    CalendarEntry,
    CalendarKind,
    CalendarStatus,
    Customer,
    FollowUp,
    FollowUpKind,
    Role,
    Team,
    User,
)
from tests.support.sim import START, Person, Sim

PHOTO = b"\x89PNG\r\n\x1a\n" + b"site-photo" * 8


async def owned(rep: Person, name: str, *, since: datetime = START) -> Customer:
    team = await Team.get(name="North")
    owner = await User.get(telegram_id=rep.id)
    return await Customer.create(
        team=team,
        name=name,
        name_key=name.lower(),
        owner=owner,
        owned_since=since,
        region="浦东",
    )


def texts(messages: list[object]) -> str:
    return "\n".join(getattr(m, "text", None) or "" for m in messages)


async def test_a_rep_logs_a_visit_from_the_card_with_a_photo_and_a_next_step(sim: Sim) -> None:
    rep = await sim.member(Role.REP, name="Rob")
    acme = await owned(rep, "Acme 上海")
    await rep.send(f"/customer {acme.id}")
    tap = await rep.tap("Log follow-up")
    assert "How were you in touch with Acme 上海" in texts(tap.changed)

    tap = await rep.tap("visit")
    assert "What happened?" in texts(tap.changed)
    [kept] = await rep.send_photo(PHOTO)
    assert "Photo kept" in (kept.text or "") and "Skip" in rep.buttons()
    [ask_next] = await rep.send("Met the buyer, discussed an order of 200 units")
    assert "next step" in (ask_next.text or "")
    [ask_when] = await rep.send("Send the quote")
    assert "Asia/Shanghai" in (ask_when.text or "")
    [draft] = await rep.send("2026-03-10 14:00")
    body = draft.text or ""
    for part in ("Acme 上海", "visit", "Photo", "200 units", "Send the quote", "2026-03-10 14:00"):
        assert part in body, part
    assert "Counts as an effective follow-up" in body
    assert await FollowUp.all().count() == 0 and await CalendarEntry.all().count() == 0

    tap = await rep.tap("Save")
    said = texts(tap.changed)
    assert "Follow-up with Acme 上海 saved" in said
    assert "reclaim clock starts again" in said
    assert "2026-03-10 14:00 — reminder at 2026-03-10 13:30" in said
    assert "Send the quote" in said  # the card, with its next step

    followup = await FollowUp.get(customer_id=acme.id)
    assert followup.kind is FollowUpKind.VISIT and followup.effective
    assert followup.attachment_kind == "photo"
    assert followup.attachment_file_id and followup.attachment_unique_id
    assert followup.next_step == "Send the quote"
    next_at = datetime(2026, 3, 10, 6, 0, tzinfo=UTC)
    assert followup.next_step_at == next_at and followup.occurred_at == START
    entry = await CalendarEntry.get(customer_id=acme.id)
    assert entry.kind is CalendarKind.FOLLOW_UP and entry.status is CalendarStatus.PLANNED
    assert entry.starts_at == next_at and entry.remind_at == next_at - timedelta(minutes=30)
    assert entry.rep_id == followup.rep_id and entry.title == "Send the quote"
    assert (await Customer.get(id=acme.id)).last_followup_at == START
    audit = await AuditLog.get(action="followup.log")
    assert audit.entity_id == str(followup.id) and audit.data["effective"] is True
    assert audit.data["calendar_entry_id"] == entry.id


async def test_followup_searches_and_a_field_is_edited_from_the_draft(sim: Sim) -> None:
    rep = await sim.member(Role.REP, name="Rob")
    other = await sim.member(Role.REP, name="Olga")
    await owned(rep, "Acme 上海", since=START - timedelta(days=9))
    harbour = await owned(rep, "Harbour Logistics", since=START - timedelta(days=2))
    await owned(other, "Harbour Foods")
    await Customer.create(team=await Team.get(name="North"), name="Harbour Pool", name_key="hp")

    [picker] = await rep.send("/followup")
    assert "recent customers" in (picker.text or "")
    labels = rep.buttons()
    assert labels[0].startswith("Harbour Logistics") and labels[1].startswith("Acme")
    assert not any("Foods" in label or "Pool" in label for label in labels)

    [found] = await rep.send("harb")
    assert "matching “harb”" in (found.text or "")
    assert [b for b in rep.buttons() if "Harbour" in b] == ["Harbour Logistics · 浦东"]
    await rep.tap("Harbour Logistics")
    await rep.tap("call")
    await rep.send("Voicemail")
    [draft] = (await rep.tap("No next step")).changed[-1:]
    assert "shorter than 10 characters" in (draft.text or "")

    await rep.tap("Edit")
    tap = await rep.tap("Note")
    assert "What happened?" in texts(tap.changed)
    [draft] = await rep.send("Discussed the renewal terms in detail")
    assert "Counts as an effective follow-up" in (draft.text or "")
    assert "Voicemail" not in (draft.text or "")
    await rep.tap("Edit")
    await rep.tap("Kind")
    tap = await rep.tap("meeting")
    assert "Kind: meeting" in texts(tap.changed)

    await rep.tap("Save")
    followup = await FollowUp.get(customer_id=harbour.id)
    assert followup.note == "Discussed the renewal terms in detail"
    assert followup.kind is FollowUpKind.MEETING and followup.effective
    assert followup.next_step is None and await CalendarEntry.all().count() == 0


async def test_only_what_the_team_counts_moves_the_reclaim_clock(sim: Sim) -> None:
    rep = await sim.member(Role.REP, name="Rob")
    acme = await owned(rep, "Acme")
    earlier = START - timedelta(days=5)
    await Customer.filter(id=acme.id).update(last_followup_at=earlier)

    async def log(kind: str, note: str) -> str:
        await rep.send(f"/customer {acme.id}")
        await rep.tap("Log follow-up")
        await rep.tap(kind)
        await rep.send(note)
        draft = (await rep.tap("No next step")).changed[-1].text or ""
        said = texts((await rep.tap("Save")).changed)
        return draft + "\n" + said

    said = await log("message", "Sent the brochure and the price list by WeChat")
    assert "A message does not count" in said and "clock did not move" in said
    assert (await Customer.get(id=acme.id)).last_followup_at == earlier

    said = await log("call", "No answer")
    assert "shorter than 10 characters" in said
    assert (await Customer.get(id=acme.id)).last_followup_at == earlier

    sim.clock.advance(timedelta(hours=1))
    said = await log("call", "Talked through the delivery schedule")
    assert "reclaim clock starts again" in said
    assert (await Customer.get(id=acme.id)).last_followup_at == START + timedelta(hours=1)
    effective = (
        await FollowUp.filter(customer_id=acme.id)
        .order_by("id")
        .values_list("effective", flat=True)
    )
    assert effective == [False, False, True]


async def test_pool_and_foreign_customers_are_not_found(sim: Sim) -> None:
    rep = await sim.member(Role.REP, name="Rob")
    other = await sim.member(Role.REP, name="Olga")
    mine = await owned(rep, "Acme")
    theirs = await owned(other, "Harbour Foods")
    pool = await Customer.create(team=await Team.get(name="North"), name="Pool", name_key="pool")

    await rep.send(f"/customer {mine.id}")
    card = rep.last_message()
    for target in (theirs.id, pool.id, 99999):
        tap = await rep.tap_data(card, LogFollowUp(target).pack(), forged=True)
        assert "Not found" in tap.toast
    [reply] = await rep.send("something")
    assert "Use the menu or /help" in (reply.text or "")  # no form was started

    await rep.send("/followup")
    picker = rep.last_message()
    tap = await rep.tap_data(picker, PickCustomer(theirs.id).pack(), forged=True)
    assert "Not found" in tap.toast
    [again] = await rep.send("Olga's customer?")
    assert "None of your customers matches" in (again.text or "")

    await rep.send(f"/customer {pool.id}")
    assert "Log follow-up" not in " ".join(rep.buttons())
    assert await FollowUp.all().count() == 0


async def test_a_manager_logs_for_a_reps_customer_and_agents_may_not(sim: Sim) -> None:
    rep = await sim.member(Role.REP, name="Rob")
    manager = await sim.member(Role.MANAGER, name="Mia")
    agent = await sim.member(Role.AGENT, name="Ann")
    acme = await owned(rep, "Acme")

    [refused] = await agent.send("/followup")
    assert "not available for your role" in (refused.text or "")
    await manager.send("/followup acme")
    await manager.tap("Acme")
    await manager.tap("meeting")
    await manager.send("Joint visit with Rob, agreed the pilot scope")
    await manager.tap("No next step")
    await manager.tap("Save")
    followup = await FollowUp.get(customer_id=acme.id)
    assert followup.rep_id == (await User.get(telegram_id=manager.id)).id
    assert (await Customer.get(id=acme.id)).last_followup_at == START


async def test_dates_in_the_past_and_bad_input_are_answered_clearly(sim: Sim) -> None:
    rep = await sim.member(Role.REP, name="Rob")
    acme = await owned(rep, "Acme")
    await rep.send(f"/customer {acme.id}")
    await rep.tap("Log follow-up")
    [reply] = await rep.send("a call")
    assert "tap how you were in touch" in (reply.text or "")
    await rep.tap("call")
    [reply] = await rep.share_location(31.2, 121.4)
    assert "type the note as text" in (reply.text or "")
    [reply] = await rep.send("x" * 2001)
    assert "at most 2000 characters" in (reply.text or "")
    await rep.send("Confirmed the budget with the buyer")
    await rep.send("Visit the plant")
    tap = await rep.tap("No next step")  # the Skip of a step already answered
    assert tap.toast == "This button is no longer active."

    [reply] = await rep.send("2026-03-01 10:00")
    assert "2026-03-01 10:00 is in the past" in (reply.text or "")
    [reply] = await rep.send("2/30 10:00")
    assert "not a real date" in (reply.text or "")
    [reply] = await rep.send("whenever suits")
    assert "can't read" in (reply.text or "")
    [reply] = await rep.send_photo(PHOTO)
    assert "type a date and time" in (reply.text or "")
    [draft] = await rep.send("明天 10:00")
    assert "2026-03-03 10:00" in (draft.text or "")
    [reply] = await rep.send("save it")
    assert "tap one of the buttons" in (reply.text or "")

    # Time passes before the rep confirms: the step is now in the past and is refused.
    sim.clock.advance(timedelta(days=2))
    tap = await rep.tap("Save")
    assert "is in the past" in tap.toast
    assert await FollowUp.all().count() == 0 and await CalendarEntry.all().count() == 0
    await rep.send("/cancel")
    assert await FollowUp.all().count() == 0


async def test_a_planned_follow_up_for_today_is_closed_by_logging_it(sim: Sim) -> None:
    rep = await sim.member(Role.REP, name="Rob")
    acme = await owned(rep, "Acme")
    user = await User.get(telegram_id=rep.id)
    planned = await CalendarEntry.create(
        team_id=acme.team_id,
        rep=user,
        customer=acme,
        kind=CalendarKind.FOLLOW_UP,
        starts_at=START + timedelta(hours=3),
        ends_at=START + timedelta(hours=4),
    )
    await rep.send(f"/customer {acme.id}")
    await rep.tap("Log follow-up")
    await rep.tap("call")
    await rep.send("Called ahead of the afternoon slot")
    await rep.tap("No next step")
    tap = await rep.tap("Save")
    assert "planned for today is marked done" in texts(tap.changed)
    closed = await CalendarEntry.get(id=planned.id)
    assert closed.status is CalendarStatus.DONE and closed.done_at == START
    assert (await FollowUp.get(customer_id=acme.id)).calendar_entry_id == planned.id


async def test_the_form_survives_a_restart(sim: Sim) -> None:
    rep = await sim.member(Role.REP, name="Rob", lang="zh-hans")
    acme = await owned(rep, "Acme")
    await rep.send(f"/customer {acme.id}")
    await rep.tap("记录跟进")
    await rep.tap("电话")
    await sim.restart()
    [ask] = await rep.send("确认了交货时间和付款方式")
    assert "下一步" in (ask.text or "")
    await rep.tap("无下一步")
    tap = await rep.tap("保存")
    assert "已保存" in texts(tap.changed)
    assert await FollowUp.filter(customer_id=acme.id, effective=True).count() == 1


async def test_a_call_logged_as_a_captioned_voice_note(sim: Sim) -> None:
    rep = await sim.member(Role.REP, name="Rob")
    acme = await owned(rep, "Acme")
    await rep.send(f"/customer {acme.id}")
    await rep.tap("Log follow-up")
    await rep.tap("call")
    voice = b"OggS" + b"\x00" * 60  # what a phone uploads; the duration is not needed
    [ask_next] = await rep.send_voice(voice, duration=12, caption="Buyer wants 200 units in May")
    assert "next step" in (ask_next.text or "")
    await rep.tap("No next step")
    body = rep.last_message().text or ""
    assert "Voice message" in body and "200 units in May" in body
    await rep.tap("Save")
    followup = await FollowUp.get(customer_id=acme.id)
    assert followup.kind is FollowUpKind.CALL and followup.note == "Buyer wants 200 units in May"
    assert followup.attachment_kind == "voice" and followup.attachment_file_id
    assert followup.effective
