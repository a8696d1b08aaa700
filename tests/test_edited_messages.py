"""Editing an old message is not an answer: a form stays where it is and nobody replies."""

from __future__ import annotations

from bot.emulator import SimMessage
from storage.models import Lead, Role
from tests.support.sim import Person, Sim


def own_message(person: Person, text: str) -> SimMessage:
    """The person's newest message in their chat with the bot that reads ``text``."""
    for message in reversed(person.sim.emu.messages(person.chat_id)):
        if not message.from_bot and message.text == text:
            return message
    raise AssertionError(f"{text!r} was not sent")


async def edit(person: Person, text: str, new_text: str) -> list[SimMessage]:
    """Edit the person's message ``text`` to ``new_text``; what the bot sent meanwhile."""
    sim, before = person.sim, len(person.messages())
    message = own_message(person, text)
    await sim.deliver(
        sim.emu.edit_message(person.user, person.chat_id, message.message_id, new_text)
    )
    return person.messages()[before:]


async def test_editing_an_earlier_answer_leaves_the_form_where_it_was(sim: Sim) -> None:
    rob = await sim.member(Role.REP, name="Rob")
    await rob.send("/start")
    await rob.send("/lead")
    [ask] = await rob.send("Ann Lee")
    assert "company" in (ask.text or "")

    assert await edit(rob, "Ann Lee", "Bob Smith") == []  # no reply, and not taken as the company

    [ask] = await rob.send("Acme Trading")
    assert "Phone number and/or e-mail" in (ask.text or "")
    assert await edit(rob, "Acme Trading", "/cancel") == []  # an edit is no command either
    await rob.send("ann@acme.io")
    await rob.tap("Skip")
    tap = await rob.tap("Skip")
    summary = "\n".join(m.text or "" for m in tap.changed)
    assert "Ann Lee" in summary and "Acme Trading" in summary and "Bob Smith" not in summary
    await rob.tap("Save")
    lead = await Lead.get()
    assert (lead.name, lead.company) == ("Ann Lee", "Acme Trading")


async def test_an_edit_outside_any_form_gets_no_not_understood(sim: Sim) -> None:
    rob = await sim.member(Role.REP, name="Rob")
    [answer] = await rob.send("hello")
    assert "Use the menu or /help" in (answer.text or "")
    assert await edit(rob, "hello", "hello again") == []
    assert await edit(rob, "hello again", "/nosuchcommand") == []


async def test_a_message_edited_into_a_command_runs_nothing(sim: Sim) -> None:
    rob = await sim.member(Role.REP, name="Rob")
    await rob.send("/start")
    await rob.send("hello")
    assert await edit(rob, "hello", "/help") == []
    assert await edit(rob, "/help", "/pool") == []
    [help_text] = await rob.send("/help")  # a new message still works
    assert "/pool" in (help_text.text or "")
