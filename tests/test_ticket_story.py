"""The after-sales story end to end: a customer joins through their link, opens a ticket with
photos, the agent is assigned and replies, the customer answers, the agent resolves, the
customer rates 2 and the manager is alerted at once — through the emulator, on every
database. Neither side ever sees the other's Telegram identity."""

from __future__ import annotations

from bot.menus import MENUS
from storage.models import (
    Role,
    Ticket,
    TicketEvent,
    TicketEventKind,
    TicketRating,
    TicketStatus,
    User,
)
from tests.support.sim import Sim
from tests.test_ticket_factories import customer_record, join_as_customer, photo, staff, texts


async def test_customer_ticket_from_link_to_low_rating(sim: Sim) -> None:
    mia = await staff(sim, Role.MANAGER, "Mia")
    alice = await staff(sim, Role.AGENT, "Alice")
    acme = await customer_record(sim, "Acme 上海")
    bea = await join_as_customer(sim, mia, acme, name="Bea", lang="zh-hans")
    menu = sim.emu.commands({"type": "chat", "chat_id": bea.chat_id})
    assert [c["command"] for c in menu] == list(MENUS[Role.CUSTOMER])
    assert [c["command"] for c in menu][:2] == ["newticket", "mytickets"]

    # /newticket: category, description, an album of two photos, contact preference.
    [ask] = await bea.send("/newticket")
    assert "类别" in (ask.text or "")
    await bea.tap("产品问题")
    [ask_photos] = await bea.send("打印机每页都卡纸，\n换了纸也一样。")
    assert "照片" in (ask_photos.text or "")
    alice_before = len(alice.messages())
    [receiving] = await bea.send_photo(photo(1), media_group_id="album-1")
    assert "正在添加" in (receiving.text or "")
    assert await bea.send_photo(photo(2), media_group_id="album-1") == []  # an album: one answer
    await bea.tap("完成")
    tap = await bea.tap("电话联系")
    confirmation = texts(tap.changed)
    ticket = await Ticket.get(customer_id=acme.id)
    assert f"工单 #{ticket.id} 已提交" in confirmation
    assert "4 小时内" in confirmation and "2026-03-02 13:00" in confirmation  # regular tier: 4 h

    # The agent gets it at once: the card with its buttons, then the photos as an album.
    agent = await User.get(telegram_id=alice.id)
    assert ticket.agent_id == agent.id and ticket.status is TicketStatus.ASSIGNED
    assert ticket.contact_preference == "phone"
    new = alice.messages()[alice_before:]
    assert f"New ticket #{ticket.id}" in (new[0].text or "") and "卡纸" in (new[0].text or "")
    assert "Bea" not in texts(new)
    assert [m.media_group_id is not None and m.photo is not None for m in new[1:]] == [True, True]
    actions = {"✋ Take", "💬 Reply", "❓ Ask for information", "✅ Resolve", "↪️ Transfer"}
    assert actions <= set(_labels(new[0]))

    # The agent replies; the customer gets it from "the service team", in Chinese.
    bea_before = len(bea.messages())
    await alice.tap_data(new[0], _data(new[0], "Reply"))
    [ack] = await alice.send("Please open the rear cover and remove the jammed roller.")
    assert "Sent to the customer" in (ack.text or "")
    [relayed] = bea.messages()[bea_before:]
    assert "客服团队" in (relayed.text or "") and "rear cover" in (relayed.text or "")
    assert "Alice" not in (relayed.text or "")
    await alice.tap("Done")

    # The customer answers under the relayed message; the agent gets it, without her name.
    alice_before = len(alice.messages())
    await bea.tap("回复")
    [sent] = await bea.send("后盖打开了，还是卡纸。")
    assert "已添加到工单" in (sent.text or "")
    [to_agent] = alice.messages()[alice_before:]
    assert "Acme 上海" in (to_agent.text or "") and "还是卡纸" in (to_agent.text or "")
    assert "Bea" not in (to_agent.text or "")
    await bea.tap("完成")

    # The agent resolves (after confirming); the customer is asked to rate.
    await alice.tap("Resolve")
    tap = await alice.tap("Yes, resolve")
    assert "resolved" in texts(tap.changed)
    resolved = bea.last_message()
    assert "已解决" in (resolved.text or "") and "2⭐" in bea.buttons()

    # A 2 alerts the manager at once; the feedback follows to the manager too.
    mia_before = len(mia.messages())
    tap = await bea.tap("2⭐")
    assert "已通知经理" in texts(tap.changed)
    [alert] = mia.messages()[mia_before:]
    assert "Low rating" in (alert.text or "") and "2/5" in (alert.text or "")
    assert "Alice" in (alert.text or "")  # the manager sees who worked it
    [thanks] = await bea.send("处理太慢了")
    assert "已转达" in (thanks.text or "")
    assert "处理太慢了" in (mia.last_message().text or "")

    ticket = await Ticket.get(id=ticket.id)
    assert ticket.status is TicketStatus.CLOSED and ticket.first_responded_at is not None
    assert not ticket.response_breached and not ticket.resolution_breached
    rating = await TicketRating.get(ticket_id=ticket.id)
    assert (rating.score, rating.feedback, rating.customer_id) == (2, "处理太慢了", acme.id)
    kinds = [
        e.kind for e in await TicketEvent.filter(ticket_id=ticket.id).order_by("created_at", "id")
    ]
    assert kinds == [
        TicketEventKind.CREATED,
        TicketEventKind.ASSIGNED,
        TicketEventKind.MESSAGE,
        TicketEventKind.STATUS,  # → in progress
        TicketEventKind.MESSAGE,
        TicketEventKind.STATUS,  # → resolved
        TicketEventKind.RATED,
        TicketEventKind.STATUS,  # → closed
    ]
    created = await TicketEvent.get(ticket_id=ticket.id, kind=TicketEventKind.CREATED)
    assert len(created.photo_file_ids) == 2


def _labels(message) -> list[str]:  # type: ignore[no-untyped-def]
    return [
        b["text"] for row in (message.reply_markup or {}).get("inline_keyboard", []) for b in row
    ]


def _data(message, label: str) -> str:  # type: ignore[no-untyped-def]
    for row in (message.reply_markup or {}).get("inline_keyboard", []):
        for b in row:
            if label in b["text"]:
                return str(b["callback_data"])
    raise AssertionError(f"no {label!r} button")
