"""The simulated world: users, chats, their messages and what the bot stored.

Everything here is plain data plus bookkeeping (ids, dates, listeners); the Bot API rules
live in the method modules and the human-side actions in ``simulation``. Keeping the world
separate lets a web sandbox read it (``messages``, ``subscribe``) without touching HTTP.
"""

from __future__ import annotations

import copy
import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

log = logging.getLogger(__name__)

MEMBER_STATUSES = ("creator", "administrator", "member", "restricted", "left", "kicked")
PRESENT_STATUSES = frozenset({"creator", "administrator", "member", "restricted"})

Listener = Callable[[str, int, "SimMessage"], None]


@dataclass
class SimUser:
    """A human (or the bot itself, ``is_bot=True``)."""

    id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = None
    is_bot: bool = False
    started: bool = False  # has a private chat with the bot (pressed START / wrote to it)
    blocked: bool = False  # has blocked the bot

    def to_json(self) -> dict[str, Any]:
        """The Bot API ``User`` object."""
        out: dict[str, Any] = {"id": self.id, "is_bot": self.is_bot, "first_name": self.first_name}
        if self.last_name:
            out["last_name"] = self.last_name
        if self.username:
            out["username"] = self.username
        if self.language_code and not self.is_bot:
            out["language_code"] = self.language_code
        return out

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}" if self.last_name else self.first_name


@dataclass
class SimMessage:
    """A message in a chat, in either direction, with edits applied in place."""

    message_id: int
    chat_id: int
    date: int
    from_bot: bool
    sender_id: int
    text: str | None = None
    entities: list[dict[str, Any]] = field(default_factory=list)
    caption: str | None = None
    caption_entities: list[dict[str, Any]] = field(default_factory=list)
    reply_markup: dict[str, Any] | None = None
    photo: list[dict[str, Any]] | None = None
    document: dict[str, Any] | None = None
    voice: dict[str, Any] | None = None
    location: dict[str, Any] | None = None
    venue: dict[str, Any] | None = None
    contact: dict[str, Any] | None = None
    media_group_id: str | None = None
    reply_to_message_id: int | None = None
    forward_origin: dict[str, Any] | None = None
    edit_date: int | None = None
    deleted: bool = False
    edits: list[dict[str, Any]] = field(default_factory=list)  # earlier versions, oldest first
    extra: dict[str, Any] = field(default_factory=dict)  # service fields (new_chat_members…)

    def content_snapshot(self) -> dict[str, Any]:
        """The editable content, as recorded in ``edits`` before each change."""
        return {
            "text": self.text,
            "entities": copy.deepcopy(self.entities),
            "caption": self.caption,
            "caption_entities": copy.deepcopy(self.caption_entities),
            "reply_markup": copy.deepcopy(self.reply_markup),
            "edit_date": self.edit_date,
        }


@dataclass
class SimChat:
    """A private chat (id = user id), a basic group or a supergroup (negative ids)."""

    id: int
    type: str
    title: str | None = None
    user: SimUser | None = None
    members: dict[int, str] = field(default_factory=dict)  # user id -> ChatMember status
    bot_status: str = "left"
    messages: dict[int, SimMessage] = field(default_factory=dict)
    next_message_id: int = 1
    reply_keyboard: dict[str, Any] | None = None  # the custom keyboard currently shown
    menu_button: dict[str, Any] | None = None
    last_action: str | None = None  # last sendChatAction

    def to_json(self) -> dict[str, Any]:
        """The Bot API ``Chat`` object."""
        out: dict[str, Any] = {"id": self.id, "type": self.type}
        if self.type == "private" and self.user is not None:
            out.update(
                {
                    k: v
                    for k, v in self.user.to_json().items()
                    if k in ("first_name", "last_name", "username")
                }
            )
        else:
            out["title"] = self.title or ""
        return out

    @property
    def bot_present(self) -> bool:
        return self.type == "private" or self.bot_status in PRESENT_STATUSES


@dataclass
class CallbackQueryRecord:
    """A button press the bot received, and what it answered."""

    id: str
    user_id: int
    chat_id: int
    message_id: int
    data: str | None
    created_at: datetime
    answer: dict[str, Any] | None = None


class World:
    """Users, chats, messages and bot-side settings."""

    def __init__(self, bot: SimUser, clock: Callable[[], datetime]) -> None:
        self.bot = bot
        self.clock = clock
        self.users: dict[int, SimUser] = {bot.id: bot}
        self.chats: dict[int, SimChat] = {}
        self.callback_queries: dict[str, CallbackQueryRecord] = {}
        self.commands: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self.bot_settings: dict[str, dict[str, str]] = {}  # name/description/... per language
        self.default_menu_button: dict[str, Any] = {"type": "commands"}
        self._next_user_id = 10001
        self._next_group = 1
        self._media_group_seq = 0
        self._query_seq = 0
        self._listeners: list[Listener] = []

    # ----- ids and time -----

    def now(self) -> int:
        return int(self.clock().timestamp())

    def next_media_group_id(self) -> str:
        self._media_group_seq += 1
        return str(13_000_000_000_000_000 + self._media_group_seq)

    def next_query_id(self) -> str:
        self._query_seq += 1
        return str(4_000_000_000_000_000_000 + self.bot.id * 1000 + self._query_seq)

    def chat_instance(self, chat_id: int) -> str:
        """Stable per (bot, chat), like Telegram's ``chat_instance``."""
        digest = hashlib.sha256(f"{self.bot.id}:{chat_id}".encode()).digest()
        return str(int.from_bytes(digest[:8], "big", signed=True))

    # ----- users and chats -----

    def add_user(
        self,
        first_name: str,
        last_name: str | None,
        username: str | None,
        language_code: str | None,
        *,
        user_id: int | None = None,
        started: bool = False,
    ) -> SimUser:
        """A new human; ``user_id`` pins a known Telegram id (e.g. a demo persona's)."""
        if user_id is None:
            while self._next_user_id in self.users:
                self._next_user_id += 1
            user_id = self._next_user_id
            self._next_user_id += 1
        elif user_id <= 0:
            raise ValueError("Telegram user ids are positive")
        elif user_id in self.users:
            raise ValueError(f"there is already a user with id {user_id}")
        user = SimUser(user_id, first_name, last_name, username, language_code, started=started)
        self.users[user.id] = user
        self.chats[user.id] = SimChat(user.id, "private", user=user)
        return user

    def add_group(self, title: str, kind: str) -> SimChat:
        if kind not in ("group", "supergroup"):
            raise ValueError(f"kind must be 'group' or 'supergroup', not {kind!r}")
        seq = self._next_group
        self._next_group += 1
        chat_id = -(1_001_000_000_000 + seq) if kind == "supergroup" else -(4_000_000_000 + seq)
        chat = SimChat(chat_id, kind, title=title)
        self.chats[chat_id] = chat
        return chat

    def private_chat(self, user: SimUser) -> SimChat:
        return self.chats[user.id]

    # ----- messages -----

    def add_message(self, chat: SimChat, message: SimMessage) -> SimMessage:
        """Store a new message (``message_id`` is assigned here) and notify listeners."""
        message.message_id = chat.next_message_id
        message.chat_id = chat.id
        chat.next_message_id += 1
        chat.messages[message.message_id] = message
        self._notify("new", chat.id, message)
        return message

    def find_message(self, chat_id: int, message_id: int) -> SimMessage | None:
        chat = self.chats.get(chat_id)
        if chat is None:
            return None
        message = chat.messages.get(message_id)
        return None if message is None or message.deleted else message

    def record_edit(self, message: SimMessage) -> None:
        """Call before changing a message's content: keeps the history, then notifies."""
        message.edits.append(message.content_snapshot())
        message.edit_date = self.now()

    def notify_edited(self, message: SimMessage) -> None:
        self._notify("edited", message.chat_id, message)

    def delete_message(self, message: SimMessage) -> None:
        message.deleted = True
        self._notify("deleted", message.chat_id, message)

    # ----- listeners -----

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        self._listeners.append(listener)

        def unsubscribe() -> None:
            if listener in self._listeners:
                self._listeners.remove(listener)

        return unsubscribe

    def _notify(self, event: str, chat_id: int, message: SimMessage) -> None:
        for listener in list(self._listeners):
            try:
                listener(event, chat_id, message)
            except Exception:
                log.exception("emulator listener failed on %s in chat %s", event, chat_id)
