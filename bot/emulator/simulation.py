"""The human side: simulated users writing, sending media, tapping buttons, adding the bot.

Each action stores the message in the chat (so it is visible to ``messages()`` and
listeners) and, when Telegram would deliver it to the bot, enqueues exactly one update and
returns it (``None`` when the bot would not get it: group privacy mode, the bot not in the
group, or an update type excluded by ``allowed_updates``). Misuse that a real client could not
produce — tapping a button that does not exist, writing into a group one is not a member of —
raises ``ValueError`` because it is a bug in the test, not behaviour to emulate.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from bot.emulator.errors import ApiError
from bot.emulator.files import FileStore
from bot.emulator.formatting import format_text
from bot.emulator.limits import MAX_CAPTION_LENGTH, MAX_TEXT_LENGTH, inline_buttons, is_live_period
from bot.emulator.methods.common import entities_json
from bot.emulator.serialize import member_json, message_json
from bot.emulator.spec import ApiSpec
from bot.emulator.state import (
    PRESENT_STATUSES,
    CallbackQueryRecord,
    SimChat,
    SimMessage,
    SimUser,
    World,
)
from bot.emulator.updates import UpdateQueue

ChatRef = SimChat | int
Origin = dict[str, Any] | SimUser | None


class SimulationMixin:
    """User-side actions of :class:`~bot.emulator.BotApiEmulator`."""

    world: World
    updates: UpdateQueue
    files: FileStore
    bot_user: SimUser
    spec: ApiSpec
    privacy_mode: bool
    clock: Callable[[], datetime]

    # ----- people and groups -----

    def add_user(
        self,
        first_name: str = "User",
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "en",
        *,
        user_id: int | None = None,
        started: bool = False,
    ) -> SimUser:
        """A Telegram user. ``user_id`` gives a fixed id (else the next free one);
        ``started=True`` means they opened the bot's private chat earlier (pressed START), so
        the bot may write to them before they send anything — without a message in the chat."""
        return self.world.add_user(
            first_name, last_name, username, language_code, user_id=user_id, started=started
        )

    def add_group(self, title: str, kind: str = "supergroup") -> SimChat:
        return self.world.add_group(title, kind)

    def set_member(
        self, chat: ChatRef, user: SimUser, status: str = "member", *, by: SimUser | None = None
    ) -> dict[str, Any] | None:
        """Set a member's status; for the bot itself this sends ``my_chat_member``."""
        group = self._chat(chat)
        if group.type == "private":
            raise ValueError("members can only be set in groups")
        if status not in ("creator", "administrator", "member", "restricted", "left", "kicked"):
            raise ValueError(f"unknown status {status!r}")
        if user.id == self.bot_user.id:
            return self.change_bot_status(group, status, by or self._any_admin(group))
        old = group.members.get(user.id, "left")
        group.members[user.id] = status
        if group.bot_status not in ("administrator", "creator"):
            return None
        return self.updates.push(
            "chat_member",
            {
                "chat": group.to_json(),
                "from": (by or user).to_json(),
                "date": self.world.now(),
                "old_chat_member": member_json(self.spec, user, old),
                "new_chat_member": member_json(self.spec, user, status),
            },
        )

    def add_bot_to_group(self, chat: ChatRef, by: SimUser) -> list[dict[str, Any]]:
        """``by`` adds the bot: ``my_chat_member`` plus a ``new_chat_members`` message."""
        group = self._chat(chat)
        self._require_member(group, by)
        if group.bot_present:
            raise ValueError("the bot is already in this group")
        first = self.change_bot_status(group, "member", by)
        second = self._user_message(
            by, group, extra={"new_chat_members": [self.bot_user.to_json()]}
        )
        return [u for u in (first, second) if u is not None]

    def remove_bot_from_group(
        self, chat: ChatRef, by: SimUser, *, ban: bool = False
    ) -> dict[str, Any] | None:
        group = self._chat(chat)
        return self.change_bot_status(group, "kicked" if ban else "left", by)

    def change_bot_status(self, chat: SimChat, status: str, by: SimUser) -> dict[str, Any] | None:
        """Change the bot's membership and emit ``my_chat_member`` like Telegram."""
        if chat.type == "private":
            old = "kicked" if chat.user is not None and chat.user.blocked else "member"
        else:
            old = chat.bot_status
            chat.bot_status = status
        return self.updates.push(
            "my_chat_member",
            {
                "chat": chat.to_json(),
                "from": by.to_json(),
                "date": self.world.now(),
                "old_chat_member": member_json(self.spec, self.bot_user, old),
                "new_chat_member": member_json(self.spec, self.bot_user, status),
            },
        )

    def block_bot(self, user: SimUser) -> dict[str, Any] | None:
        chat = self.world.private_chat(user)
        update = self.change_bot_status(chat, "kicked", user)
        user.blocked = True
        return update

    def unblock_bot(self, user: SimUser) -> dict[str, Any] | None:
        chat = self.world.private_chat(user)
        update = self.change_bot_status(chat, "member", user)
        user.blocked = False
        return update

    # ----- messages -----

    def send_message(
        self,
        user: SimUser,
        text: str,
        chat: ChatRef | None = None,
        reply_to_message_id: int | None = None,
        forward_origin: Origin = None,
    ) -> dict[str, Any] | None:
        """A text message; Telegram-detected entities (``bot_command``…) are attached."""
        body, entities = self._format(text, MAX_TEXT_LENGTH, allow_empty=False)
        return self._user_message(
            user,
            chat,
            text=body,
            entities=entities,
            reply_to_message_id=reply_to_message_id,
            forward_origin=self._as_forward_origin(forward_origin),
        )

    def send_location(
        self,
        user: SimUser,
        latitude: float,
        longitude: float,
        horizontal_accuracy: float | None = None,
        live_period: int | None = None,
        chat: ChatRef | None = None,
        forward_origin: Origin = None,
    ) -> dict[str, Any] | None:
        """A location; with ``live_period`` (60–86400 s, or ``LIVE_UNTIL_STOPPED``) a live one
        that ``move_live_location``/``stop_live_location`` then edit."""
        if live_period is not None and not is_live_period(live_period):
            raise ValueError("a live location is shared for 60 to 86400 s, or until stopped")
        location: dict[str, Any] = {"latitude": latitude, "longitude": longitude}
        if horizontal_accuracy is not None:
            location["horizontal_accuracy"] = horizontal_accuracy
        if live_period is not None:
            location["live_period"] = live_period
        return self._user_message(
            user, chat, location=location, forward_origin=self._as_forward_origin(forward_origin)
        )

    def send_venue(
        self,
        user: SimUser,
        latitude: float,
        longitude: float,
        title: str,
        address: str,
        chat: ChatRef | None = None,
    ) -> dict[str, Any] | None:
        location = {"latitude": latitude, "longitude": longitude}
        venue = {"location": location, "title": title, "address": address}
        return self._user_message(user, chat, venue=venue, location=dict(location))

    def send_photo(
        self,
        user: SimUser,
        data: bytes,
        caption: str | None = None,
        chat: ChatRef | None = None,
        forward_origin: Origin = None,
        media_group_id: str | None = None,
    ) -> dict[str, Any] | None:
        """A photo: stored in 3 sizes, ``file_unique_id`` stable for the same bytes."""
        sizes = [s.as_photo_size() for s in self.files.add_photo(data)]
        text, entities = self._format(caption or "", MAX_CAPTION_LENGTH, allow_empty=True)
        return self._user_message(
            user,
            chat,
            photo=sizes,
            caption=text or None,
            caption_entities=entities,
            media_group_id=media_group_id,
            forward_origin=self._as_forward_origin(forward_origin),
        )

    def send_document(
        self,
        user: SimUser,
        data: bytes,
        file_name: str,
        mime_type: str,
        caption: str | None = None,
        chat: ChatRef | None = None,
    ) -> dict[str, Any] | None:
        document = self.files.add_document(data, file_name, mime_type).as_document()
        text, entities = self._format(caption or "", MAX_CAPTION_LENGTH, allow_empty=True)
        return self._user_message(
            user, chat, document=document, caption=text or None, caption_entities=entities
        )

    def send_contact(
        self,
        user: SimUser,
        phone_number: str,
        first_name: str,
        chat: ChatRef | None = None,
        *,
        last_name: str | None = None,
        own: bool = True,
    ) -> dict[str, Any] | None:
        """A shared contact; ``own=True`` (sharing one's own number) sets ``user_id``."""
        contact: dict[str, Any] = {"phone_number": phone_number, "first_name": first_name}
        if last_name:
            contact["last_name"] = last_name
        if own:
            contact["user_id"] = user.id
        return self._user_message(user, chat, contact=contact)

    def edit_message(
        self, user: SimUser, chat: ChatRef, message_id: int, text: str
    ) -> dict[str, Any] | None:
        """The user edits one of their text messages (an ``edited_message`` update)."""
        target = self._chat(chat)
        message = self.world.find_message(target.id, message_id)
        if message is None or message.sender_id != user.id or message.text is None:
            raise ValueError(f"user {user.id} has no text message {message_id} in {target.id}")
        body, entities = self._format(text, MAX_TEXT_LENGTH, allow_empty=False)
        self.world.record_edit(message)
        message.text, message.entities = body, entities
        self.world.notify_edited(message)
        if not self._bot_receives(target, message):
            return None
        return self.updates.push("edited_message", message_json(self.world, message))

    # ----- buttons -----

    def tap(
        self, user: SimUser, chat_id: ChatRef, message_id: int, callback_data: str
    ) -> dict[str, Any]:
        """Press the inline button carrying ``callback_data`` on a bot message."""
        chat = self._chat(chat_id)
        message = self.world.find_message(chat.id, message_id)
        if message is None or not message.from_bot:
            raise ValueError(f"no bot message {message_id} in chat {chat.id}")
        available = [b.get("callback_data") for b in inline_buttons(message.reply_markup)]
        if callback_data not in available:
            raise ValueError(
                f"message {message_id} has no button with callback_data {callback_data!r}; "
                f"its buttons carry {[d for d in available if d is not None]!r}"
            )
        return self.tap_raw(user, chat, message_id, callback_data)

    def tap_raw(
        self, user: SimUser, chat_id: ChatRef, message_id: int, data: str
    ) -> dict[str, Any]:
        """A callback query with arbitrary data (a forged or stale button)."""
        chat = self._chat(chat_id)
        self._require_can_write(chat, user)
        query_id = self.world.next_query_id()
        self.world.callback_queries[query_id] = CallbackQueryRecord(
            query_id, user.id, chat.id, message_id, data, self.clock()
        )
        message = self.world.find_message(chat.id, message_id)
        message_obj = (
            message_json(self.world, message)
            if message is not None
            else {"chat": chat.to_json(), "message_id": message_id, "date": 0}
        )
        payload = {
            "id": query_id,
            "from": user.to_json(),
            "message": message_obj,
            "chat_instance": self.world.chat_instance(chat.id),
            "data": data,
        }
        update = self.updates.push("callback_query", payload)
        return update if update is not None else {"callback_query": payload}

    # ----- internals -----

    def _chat(self, ref: ChatRef) -> SimChat:
        chat = ref if isinstance(ref, SimChat) else self.world.chats.get(int(ref))
        if chat is None:
            raise ValueError(f"unknown chat {ref!r}")
        return chat

    def _any_admin(self, chat: SimChat) -> SimUser:
        for uid, status in chat.members.items():
            if status in ("creator", "administrator"):
                return self.world.users[uid]
        raise ValueError("pass by=...: the group has no creator or administrator")

    def _require_member(self, chat: SimChat, user: SimUser) -> None:
        if chat.members.get(user.id) not in PRESENT_STATUSES:
            raise ValueError(f"user {user.id} is not a member of chat {chat.id}")

    def _require_can_write(self, chat: SimChat, user: SimUser) -> None:
        if chat.type == "private":
            if chat.id != user.id:
                raise ValueError(f"user {user.id} can't write in another user's private chat")
            if user.blocked:
                raise ValueError("the user has blocked the bot; call unblock_bot() first")
        else:
            self._require_member(chat, user)

    def _format(self, text: str, limit: int, *, allow_empty: bool) -> tuple[str, list[Any]]:
        if len(text) > limit:
            raise ValueError(f"a Telegram client can't send more than {limit} characters here")
        try:
            body, entities = format_text(text, None, None, allow_empty=allow_empty)
        except ApiError as exc:
            raise ValueError(f"Telegram would refuse this message: {exc.description}") from None
        return body, entities_json(self, entities)  # type: ignore[arg-type]

    def _as_forward_origin(self, origin: Origin) -> dict[str, Any] | None:
        if isinstance(origin, SimUser):
            return {"type": "user", "date": self.world.now(), "sender_user": origin.to_json()}
        return origin

    def _user_message(
        self, user: SimUser, chat_ref: ChatRef | None, **content: Any
    ) -> dict[str, Any] | None:
        chat = self.world.private_chat(user) if chat_ref is None else self._chat(chat_ref)
        self._require_can_write(chat, user)
        reply_to = content.get("reply_to_message_id")
        if reply_to is not None and self.world.find_message(chat.id, reply_to) is None:
            raise ValueError(f"no message {reply_to} to reply to in chat {chat.id}")
        if chat.type == "private":
            user.started = True
        message = SimMessage(
            message_id=0,
            chat_id=chat.id,
            date=self.world.now(),
            from_bot=False,
            sender_id=user.id,
            **content,
        )
        self.world.add_message(chat, message)
        if not self._bot_receives(chat, message):
            return None
        return self.updates.push("message", message_json(self.world, message))

    def _bot_receives(self, chat: SimChat, message: SimMessage) -> bool:
        """Group privacy mode: commands, replies to the bot and service messages only."""
        if chat.type == "private":
            return True
        if not chat.bot_present:
            return False
        if not self.privacy_mode or chat.bot_status in ("administrator", "creator"):
            return True
        if message.extra:
            return True
        if message.reply_to_message_id is not None:
            replied = self.world.find_message(chat.id, message.reply_to_message_id)
            if replied is not None and replied.from_bot:
                return True
        text = message.text if message.text is not None else (message.caption or "")
        entities = message.entities if message.text is not None else message.caption_entities
        for entity in entities:
            if entity["type"] == "bot_command" and entity["offset"] == 0:
                command = text[: entity["length"]]
                if "@" not in command:
                    return True
                return command.split("@", 1)[1].lower() == (self.bot_user.username or "").lower()
        return False
