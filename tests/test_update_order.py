"""Updates of one chat are handled in order; different chats do not wait for each other."""

from __future__ import annotations

import asyncio

from telegram import Chat, Message, Update, User

from bot.updates import ChatOrderedProcessor

USER = User(1, "A", False)


def update(update_id: int, chat_id: int) -> Update:
    chat = Chat(chat_id, Chat.PRIVATE)
    return Update(update_id, message=Message(update_id, None, chat, from_user=USER, text="x"))  # type: ignore[arg-type]


async def test_one_chat_in_order_other_chats_alongside() -> None:
    processor = ChatOrderedProcessor(16)
    log: list[str] = []
    gate = asyncio.Event()
    other_chat_done = asyncio.Event()
    finished: list[object] = []

    async def done(u: object) -> None:
        finished.append(u)

    processor.after_update(done)

    async def handle(name: str, wait: bool) -> None:
        log.append(f"{name} start")
        if wait:
            await gate.wait()
        log.append(f"{name} end")
        if name == "20a":
            other_chat_done.set()

    async with processor:
        tasks = [
            asyncio.create_task(processor.process_update(update(1, 10), handle("10a", True))),
            asyncio.create_task(processor.process_update(update(2, 10), handle("10b", False))),
            asyncio.create_task(processor.process_update(update(3, 20), handle("20a", False))),
        ]
        await asyncio.wait_for(other_chat_done.wait(), 5)
        assert "10b start" not in log  # chat 10's second update waits for its first
        gate.set()
        await asyncio.gather(*tasks)
    assert log.index("10a end") < log.index("10b start")
    assert len(finished) == 3
