"""Tasks in chat: /tasks by due date with priority, done / snooze / reassign, /teamtasks, and a
follow-up logged from a task completes it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.callbacks.followups import AssignTaskTo, OpenTask, ReassignTask, TaskDone, TaskPage
from storage.models import (
    AuditLog,
    Customer,
    FollowUp,
    Role,
    Task,
    TaskPriority,
    TaskStatus,
    Team,
    User,
)
from tests.support.sim import START, Person, Sim

HOUR = timedelta(hours=1)


async def user(person: Person) -> User:
    return await User.get(telegram_id=person.id)


async def task(person: Person, title: str, due: datetime, **extra: object) -> Task:
    assignee = await user(person)
    return await Task.create(
        team_id=assignee.team_id, assignee=assignee, title=title, due_at=due, **extra
    )


async def test_a_rep_works_through_their_tasks(sim: Sim) -> None:
    rob = await sim.member(Role.REP, name="Rob")
    olga = await sim.member(Role.REP, name="Olga")
    team = await Team.get(name="North")
    acme = await Customer.create(
        team=team, name="Acme", name_key="acme", owner=await user(rob), owned_since=START
    )
    late = await task(rob, "Send the contract", START - 2 * HOUR, priority=TaskPriority.URGENT)
    today = await task(rob, "Call Acme back", START + 3 * HOUR, customer=acme)
    later = await task(rob, "Prepare the demo", START + timedelta(days=2))
    await task(rob, "Old one", START - HOUR, status=TaskStatus.DONE)
    await task(olga, "Olga's task", START)

    [listing] = await rob.send("/tasks")
    body = listing.text or ""
    assert "Your open tasks (3)" in body and "Olga's task" not in body and "Old one" not in body
    assert (
        body.index("Send the contract")
        < body.index("Call Acme back")
        < body.index("Prepare the demo")
    )
    assert "overdue since 2026-03-02 07:00 · urgent" in body
    assert "Call Acme back · Acme — due today 2026-03-02 12:00" in body
    labels = rob.buttons()
    assert labels[0].startswith("⚠️ ‼️ 03-02 07:00") and labels[1].startswith("🕘")

    tap = await rob.tap("Send the contract")
    assert "Due 2026-03-02 07:00 · urgent priority · ⚠️ overdue" in tap.changed[-1].text
    assert {"⏰ 1 h", "⏰ Tomorrow 9:00", "⏰ Next week"} <= set(rob.buttons())
    tap = await rob.tap("Tomorrow 9:00")
    assert tap.toast == "Snoozed ⏰"
    assert (await Task.get(id=late.id)).due_at == datetime(2026, 3, 3, 1, 0, tzinfo=UTC)

    await rob.tap("« Tasks")
    await rob.tap("Prepare the demo")
    assert "⏰ 1 h" not in rob.buttons()  # it would come due earlier, not later
    assert "⏰ Next week" in rob.buttons()

    await rob.send("/tasks")
    await rob.tap("Call Acme back")
    assert "Customer: Acme" in (rob.last_message().text or "")
    tap = await rob.tap("✅ Done")
    assert tap.toast == "Done ✅" and "✅ done" in (tap.changed[-1].text or "")
    done = await Task.get(id=today.id)
    assert done.status is TaskStatus.DONE and done.completed_at == START
    # A task is not contact: the customer's reclaim clock did not move.
    assert (await Customer.get(id=acme.id)).last_followup_at is None
    assert await AuditLog.filter(action="task.done", entity_id=str(today.id)).count() == 1
    assert (await Task.get(id=later.id)).status is TaskStatus.OPEN


async def test_forged_task_buttons_change_nothing(sim: Sim) -> None:
    rob = await sim.member(Role.REP, name="Rob")
    olga = await sim.member(Role.REP, name="Olga")
    theirs = await task(olga, "Olga's task", START)
    mine = await task(rob, "Mine", START + HOUR)
    await rob.send("/tasks")
    message = rob.last_message()
    for forged in (OpenTask(theirs.id), TaskDone(theirs.id), TaskPage((await user(olga)).id, 0)):
        tap = await rob.tap_data(message, forged.pack(), forged=True)
        assert "Not found" in tap.toast
    tap = await rob.tap_data(
        message, AssignTaskTo(mine.id, (await user(olga)).id).pack(), forged=True
    )
    assert "not available for your role" in tap.toast
    tap = await rob.tap_data(message, ReassignTask(mine.id).pack(), forged=True)
    assert "not available for your role" in tap.toast
    tap = await rob.tap_data(message, "1futs|1|forever", forged=True)
    assert tap.toast == "This button is no longer active."
    assert (await Task.get(id=theirs.id)).status is TaskStatus.OPEN
    assert (await Task.get(id=mine.id)).assignee_id == (await user(rob)).id

    await rob.tap("Mine")
    card = rob.last_message()
    await rob.tap("✅ Done")
    tap = await rob.tap_data(card, TaskDone(mine.id).pack(), forged=True)
    assert "no longer open" in tap.toast


async def test_a_long_list_is_paged(sim: Sim) -> None:
    rob = await sim.member(Role.REP, name="Rob")
    for n in range(11):
        await task(rob, f"Task {n:02d}", START + (n + 1) * HOUR)
    [listing] = await rob.send("/tasks")
    assert "(11)" in (listing.text or "") and "1/2" in rob.buttons()
    tap = await rob.tap("›")
    assert "Task 10" in (tap.changed[-1].text or "") and "Task 00" not in tap.changed[-1].text


async def test_a_manager_sees_the_team_and_reassigns(sim: Sim) -> None:
    mia = await sim.member(Role.MANAGER, name="Mia")
    rob = await sim.member(Role.REP, name="Rob")
    olga = await sim.member(Role.REP, name="Olga")
    await sim.member(Role.REP, name="Pat")
    await olga.send("/start")
    moved = await task(rob, "Visit the plant", START - HOUR)
    await task(rob, "Quote", START + 2 * HOUR)
    await task(rob, "Next week", START + timedelta(days=7))
    await task(olga, "Olga today", START + 5 * HOUR)
    await task(rob, "Done", START - HOUR, status=TaskStatus.DONE)

    [counts] = await mia.send("/teamtasks")
    body = counts.text or ""
    assert "Rob: 3 · 1 · 1 overdue" in body
    assert "Olga: 1 · 1 · 0" in body and "Pat: 0 · 0 · 0" in body
    assert body.index("Rob") < body.index("Olga") < body.index("Pat")

    tap = await mia.tap("Rob — 3 open, 1 overdue")
    assert "Open tasks of Rob (3)" in (tap.changed[-1].text or "")
    assert "« Team tasks" in mia.buttons()
    await mia.tap("Visit the plant")
    await mia.tap("Reassign")
    assert set(mia.buttons()) == {"Olga", "Pat", "« Back"}
    tap = await mia.tap("Olga")
    assert tap.toast == "Given to Olga"
    task_row = await Task.get(id=moved.id)
    assert task_row.assignee_id == (await user(olga)).id
    notice = olga.last_message()
    assert "Mia gave you a task: Visit the plant" in (notice.text or "")
    assert await AuditLog.filter(action="task.reassign").count() == 1

    await mia.tap("« Tasks")
    tap = await mia.tap("« Team tasks")
    assert "Olga: 2 · 1 · 1 overdue" in (tap.changed[-1].text or "")


async def test_a_follow_up_logged_from_a_task_completes_it(sim: Sim) -> None:
    rob = await sim.member(Role.REP, name="Rob")
    team = await Team.get(name="North")
    acme = await Customer.create(
        team=team, name="Acme", name_key="acme", owner=await user(rob), owned_since=START
    )
    lead_task = await task(rob, "Follow up lead: Acme", START + HOUR, customer=acme)
    await rob.send("/tasks")
    await rob.tap("Follow up lead")
    tap = await rob.tap("Log follow-up & complete")
    assert "How were you in touch with Acme" in (tap.changed[-1].text or "")
    await rob.tap("call")
    await rob.send("Introduced our service plans")
    await rob.tap("No next step")
    tap = await rob.tap("Save")
    assert "The task is done." in "\n".join(m.text or "" for m in tap.changed)
    closed = await Task.get(id=lead_task.id)
    assert closed.status is TaskStatus.DONE and closed.completed_at == START
    assert await FollowUp.filter(customer_id=acme.id, effective=True).count() == 1
    assert (await Customer.get(id=acme.id)).last_followup_at == START
