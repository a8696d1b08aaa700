"""Task reminders: an open task's reminder reaches its assignee once at ``remind_at`` — through
reruns, restarts and two instances — in their language, with Done / Snooze / Open buttons; done,
cancelled, unreminded, stale and orphaned tasks stay silent; a lead's follow-up task is
reminded when it falls due."""

from __future__ import annotations

import asyncio
import random
from datetime import UTC, datetime, timedelta

from scheduler.tasks import send_task_reminders
from storage import leads
from storage.access import Actor
from storage.lead_import_checks import LeadDraft
from storage.models import (
    Customer,
    Task,
    TaskPriority,
    TaskStatus,
    User,
)
from storage.tasks_reminders import GRACE, default_remind_at
from tests.support.sim import START, Person, Sim
from tests.test_calendar_support import rep, user_of

HOUR = timedelta(hours=1)  # START is Monday 2 March 2026, 09:00 in Shanghai


def reminders(person: Person) -> list[str]:
    return [m.text or "" for m in person.messages() if (m.text or "").startswith("⏰")]


async def task(
    person: Person, title: str, due: datetime, remind: datetime | None, **extra: object
) -> Task:
    assignee = await user_of(person)
    return await Task.create(
        team_id=assignee.team_id,
        assignee=assignee,
        title=title,
        due_at=due,
        remind_at=remind,
        **extra,
    )


async def test_a_due_reminder_reaches_the_rep_once_and_its_buttons_work(sim: Sim) -> None:
    rob = await rep(sim, "Rob")
    acme = await Customer.create(team_id=(await user_of(rob)).team_id, name="Acme", name_key="acme")
    call = await task(
        rob,
        "Call Acme back",
        START + 2 * HOUR,
        START + HOUR,
        customer=acme,
        priority=TaskPriority.HIGH,
    )

    sim.clock.set(START + HOUR - timedelta(minutes=1))
    await sim.run_job(send_task_reminders)
    assert reminders(rob) == []

    sim.clock.set(START + HOUR)
    await sim.run_job(send_task_reminders)
    await sim.run_job(send_task_reminders)  # a rerun of the same tick sends nothing
    [text] = reminders(rob)
    assert text == "⏰ Task due 2026-03-02 11:00: Call Acme back · Acme · high priority"
    # 1 h would not move it later than 11:00, so only the later snoozes are offered
    assert rob.buttons() == ["✅ Done", "⏰ Tomorrow 9:00", "⏰ Next week", "Open the task"]
    assert (await Task.get(id=call.id)).reminded_at == START + HOUR

    sim.clock.advance(timedelta(minutes=3))
    await sim.run_job(send_task_reminders)
    assert len(reminders(rob)) == 1

    tap = await rob.tap("Tomorrow 9:00")  # the reminder is redrawn as the task's card
    assert tap.toast == "Snoozed ⏰" and "📋 Call Acme back" in (tap.changed[-1].text or "")
    assert reminders(rob) == []
    snoozed = await Task.get(id=call.id)
    tomorrow_nine = datetime(2026, 3, 3, 1, 0, tzinfo=UTC)
    assert snoozed.due_at == tomorrow_nine and snoozed.remind_at == tomorrow_nine - HOUR
    assert snoozed.reminded_at is None

    sent = len(rob.messages())
    sim.clock.set(tomorrow_nine - HOUR - timedelta(minutes=1))
    await sim.run_job(send_task_reminders)
    sim.clock.set(tomorrow_nine - HOUR)  # reminded again, once, at the snoozed time
    await sim.run_job(send_task_reminders)
    await sim.run_job(send_task_reminders)
    [again] = reminders(rob)
    assert len(rob.messages()) == sent + 1 and "Task due 2026-03-03 09:00" in again
    tap = await rob.tap("✅ Done")
    assert tap.toast == "Done ✅" and "✅ done" in (tap.changed[-1].text or "")
    done = await Task.get(id=call.id)
    assert done.status is TaskStatus.DONE and done.completed_at == tomorrow_nine - HOUR


async def test_a_restart_or_a_second_instance_still_reminds_exactly_once(sim: Sim) -> None:
    rob = await rep(sim, "Rob")
    amy = await rep(sim, "Amy")
    first = await task(rob, "Send the quote", START + 3 * HOUR, START + 2 * HOUR)
    await task(amy, "Book the room", START + 3 * HOUR, START + 2 * HOUR)
    await task(amy, "Print the brochures", START + 4 * HOUR, START + 2 * HOUR)

    await sim.restart()  # the reminder lives in the database, not in a timer
    sim.clock.set(START + 2 * HOUR)
    await asyncio.gather(*(sim.run_job(send_task_reminders) for _ in range(3)))
    assert len(reminders(rob)) == 1 and len(reminders(amy)) == 2
    assert await Task.filter(reminded_at=None).count() == 0

    await sim.restart()
    sim.clock.advance(timedelta(minutes=10))
    await sim.run_job(send_task_reminders)
    assert len(reminders(rob)) == 1 and len(reminders(amy)) == 2
    assert (await Task.get(id=first.id)).reminded_at == START + 2 * HOUR


async def test_done_cancelled_silent_stale_and_orphaned_tasks_are_not_reminded(
    sim: Sim,
) -> None:
    rob = await rep(sim, "Rob")
    amy = await rep(sim, "Amy")
    due = START + HOUR
    done = await task(rob, "Done already", due, START, status=TaskStatus.DONE)
    cancelled = await task(rob, "Dropped", due, START, status=TaskStatus.CANCELLED)
    silent = await task(rob, "No reminder wanted", START - HOUR, None)
    stale = await task(rob, "From last week", START - 24 * HOUR, START - GRACE - HOUR)
    left = await task(amy, "Amy's task", due, START)
    later = await task(rob, "Tomorrow's task", START + 24 * HOUR, START + 23 * HOUR)
    late = await task(rob, "Overdue an hour", START - HOUR, START - 2 * HOUR)
    await User.filter(telegram_id=amy.id).update(is_active=False)

    await sim.run_job(send_task_reminders)
    [text] = reminders(rob)  # 2 h late, within the grace: sent, and said to be overdue
    assert text.startswith("⏰ Task overdue since 2026-03-02 08:00: Overdue an hour")
    assert reminders(amy) == []
    for row in (done, cancelled, silent, later):
        assert (await Task.get(id=row.id)).reminded_at is None
    for row in (stale, left, late):  # stamped: never due again
        assert (await Task.get(id=row.id)).reminded_at == START
    await sim.run_job(send_task_reminders)
    assert len(reminders(rob)) == 1


async def test_a_leads_follow_up_task_is_reminded_when_due_in_the_reps_language(
    sim: Sim,
) -> None:
    li = await rep(sim, "Li", lang="zh-hans")
    user = await user_of(li)
    actor = Actor(user.id, user.telegram_id, user.full_name, user.role, user.team_id, None, None)
    created = await leads.create_lead(
        actor,
        LeadDraft("Wang Wei", "Wang Trading", phone="+8613812345678"),
        now=START,
        rng=random.Random(1),
    )
    followup = await Task.get(lead_id=created.lead_id)
    assert followup.due_at == START + 24 * HOUR  # the team's default follow-up hours
    assert followup.remind_at == followup.due_at == default_remind_at(followup.due_at)

    sim.clock.set(followup.due_at - timedelta(minutes=1))
    await sim.run_job(send_task_reminders)
    assert reminders(li) == []
    sim.clock.set(followup.due_at + timedelta(seconds=40))  # the next minute's tick
    await sim.run_job(send_task_reminders)
    [text] = reminders(li)
    assert text.startswith("⏰ 任务 2026-03-03 09:00 到期：") and "Wang Wei" in text
    assert "完成" in li.buttons()[0] and li.buttons()[-1] == "打开任务"
