"""The daily digest end to end: at the team's hour, once per day whatever happens, with a chart."""

from __future__ import annotations

from datetime import timedelta

from scheduler.digest import post_digests
from storage.models import JobRun, Role, Team
from tests.support.sim import Sim
from tests.test_digest_factories import EVENING, HOUR, PNG, digest_messages, team_with_a_day


async def test_the_group_gets_the_digest_at_its_hour_with_a_chart_and_buttons(sim: Sim) -> None:
    group = (await team_with_a_day(sim)).group
    assert group is not None
    before = len(sim.emu.bot_messages(group.id))

    sim.clock.advance(EVENING - timedelta(minutes=5))
    await sim.run_job(post_digests)
    assert len(sim.emu.bot_messages(group.id)) == before  # 17:55: not yet

    sim.clock.advance(timedelta(minutes=5))
    await sim.run_job(post_digests)
    [(chart, caption), (no_photo, text)] = digest_messages(sim, group.id, before)
    assert chart is not None and chart.startswith(PNG) and no_photo is None
    assert "North — daily digest, Mon 2026-03-02" in caption
    assert "📞 3 follow-ups · 📍 1 visit · 📥 1 claim" in caption
    assert "• Rob — 📞 2 · 📍 1 (🚩 1) · 📥 1 · 📤 0 · ♻️ 0 · ✅ 1 · ⏰ 1 · 🆕 0" in text
    assert "• Sue — 📞 1 · 📍 0 · 📥 0 · 📤 1 · ♻️ 0 · ✅ 0 · ⏰ 0 · 🆕 1" in text
    assert "📞 Follow-ups: 3 · 1 (+2) · 1.0" in text  # today · yesterday · 7-day average
    assert "📍 Visits: 1 · 0 (+1) · 0.0" in text
    assert "⏰ Overdue tasks now: 1" in text
    assert "• Acme (Rob) — by 03-04 09:00" in text
    assert "• Call back Acme · Acme — Rob, due 02-28 09:00" in text
    assert "• Rob at Acme, 12:00 — outside the radius (2.4 km)" in text
    assert "• Han Meimei · Han Meimei Ltd — every rep is away or outside working hours" in text
    keyboard = group.last_message().reply_markup or {}
    labels = [b["text"] for row in keyboard["inline_keyboard"] for b in row]
    assert labels == [
        "⌛ Extend Acme",
        "👤 Reassign Acme",
        "🔔 Nudge Rob: Call back Acme",
        "🚩 Open Rob @ Acme",
        "🕓 Assign Han Meimei",
    ]


async def test_once_a_day_even_when_run_twice_or_after_a_restart(sim: Sim) -> None:
    group = (await team_with_a_day(sim)).group
    assert group is not None
    before = len(sim.emu.bot_messages(group.id))
    sim.clock.advance(EVENING)
    await sim.run_job(post_digests)
    await sim.run_job(post_digests)
    sim.clock.advance(timedelta(minutes=5))
    await sim.restart()
    await sim.run_job(post_digests)
    assert len(sim.emu.bot_messages(group.id)) == before + 2  # one photo, one message
    run = await JobRun.get(job="digest")
    north = await Team.get(name="North")
    assert run.period == f"{north.id}:2026-03-02" and run.finished_at is not None
    assert run.result["sent"] == 1

    sim.clock.advance(timedelta(days=1))  # the next evening: the next day's digest
    await sim.run_job(post_digests)
    assert len(sim.emu.bot_messages(group.id)) == before + 4
    assert "Tue 2026-03-03" in (group.last_message().text or "")


async def test_a_late_start_sends_todays_missed_digest_once_but_never_an_older_day(
    sim: Sim,
) -> None:
    group = (await team_with_a_day(sim)).group
    assert group is not None
    before = len(sim.emu.bot_messages(group.id))
    await sim.stop()
    sim.clock.advance(EVENING + 5 * HOUR)  # the bot was down from 09:00 until 23:00
    await sim.start()
    await sim.run_job(post_digests)
    await sim.run_job(post_digests)
    [(chart, _), (_, text)] = digest_messages(sim, group.id, before)
    assert chart is not None and "Mon 2026-03-02" in text

    await sim.stop()
    sim.clock.advance(timedelta(days=2))  # down all Tuesday: its digest is gone
    await sim.start()
    await sim.run_job(post_digests)  # Wednesday 23:00: Wednesday's digest only
    sent = digest_messages(sim, group.id, before + 2)
    assert len(sent) == 2 and "Wed 2026-03-04" in sent[1][1]
    assert await JobRun.filter(job="digest").count() == 2


async def test_without_a_group_each_manager_gets_it_privately(sim: Sim) -> None:
    north = await team_with_a_day(sim, group=False)
    mia = north.mia
    max_ = await sim.member(Role.MANAGER, "North", name="Max", lang="zh-hans")
    await max_.send("/start")
    await sim.member(Role.MANAGER, "North", name="Never")  # never opened the bot: skipped
    before = {p.chat_id: len(sim.emu.bot_messages(p.chat_id)) for p in (mia, max_)}

    sim.clock.advance(EVENING)
    await sim.run_job(post_digests)
    [(chart, _), (_, text)] = digest_messages(sim, mia.chat_id, before[mia.chat_id])
    assert chart is not None and chart.startswith(PNG)
    assert "North — daily digest" in text and "• Rob — 📞 2" in text
    zh = digest_messages(sim, max_.chat_id, before[max_.chat_id])
    [(zh_chart, zh_caption), (_, zh_text)] = zh
    assert zh_chart is not None and "每日简报" in zh_caption and "⌛ 即将退回公海（1）" in zh_text
    run = await JobRun.get(job="digest")
    assert run.result["sent"] == 2
