"""The human side, continued: voice messages, and live locations that move and stop.

A live location is one message whose position the user's phone keeps editing: Telegram sends
the bot an ``edited_message`` with the new ``location`` (``live_period`` kept, ``edit_date``
set) each time it moves, and one without ``live_period`` when the user stops sharing. After
the live period (counted from the message's date) nothing moves any more. A client cannot
move someone else's location, a plain one, one that stopped or one whose period ran out: those
raise ``ValueError`` like every other impossible action of the simulation.
"""

from __future__ import annotations

from typing import Any

from bot.emulator.limits import MAX_CAPTION_LENGTH
from bot.emulator.serialize import message_json
from bot.emulator.simulation import ChatRef, Origin, SimulationMixin
from bot.emulator.state import SimMessage, SimUser


def live_until(message: SimMessage) -> int | None:
    """When a live location stops moving (unix time); None for anything else."""
    period = (message.location or {}).get("live_period")
    return message.date + int(period) if period else None


class SharingMixin(SimulationMixin):
    """Voice messages and live locations of :class:`~bot.emulator.BotApiEmulator`'s users."""

    def send_voice(
        self,
        user: SimUser,
        data: bytes,
        *,
        duration: int | None = None,
        mime_type: str = "audio/ogg",
        caption: str | None = None,
        chat: ChatRef | None = None,
        forward_origin: Origin = None,
    ) -> dict[str, Any] | None:
        """A voice message (a ``Voice``); without ``duration`` it is read from an OGG or WAV
        header, as a client measures its recording (0 when unknown)."""
        if not data:
            raise ValueError("a voice message needs some audio")
        if duration is not None and duration < 0:
            raise ValueError("a voice message can't last less than nothing")
        voice = self.files.add_voice(data, mime_type, duration).as_voice()
        text, entities = self._format(caption or "", MAX_CAPTION_LENGTH, allow_empty=True)
        return self._user_message(
            user,
            chat,
            voice=voice,
            caption=text or None,
            caption_entities=entities,
            forward_origin=self._as_forward_origin(forward_origin),
        )

    def move_live_location(
        self,
        user: SimUser,
        chat: ChatRef,
        message_id: int,
        latitude: float,
        longitude: float,
        *,
        horizontal_accuracy: float | None = None,
        heading: int | None = None,
    ) -> dict[str, Any] | None:
        """The user's live location moves: an ``edited_message`` with the new position."""
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            raise ValueError("latitude must be within ±90 and longitude within ±180")
        if heading is not None and not 1 <= heading <= 360:
            raise ValueError("heading must be 1 to 360 degrees")
        message = self._live_message(user, chat, message_id)
        location: dict[str, Any] = {"latitude": latitude, "longitude": longitude}
        if horizontal_accuracy is not None:
            location["horizontal_accuracy"] = horizontal_accuracy
        location["live_period"] = (message.location or {})["live_period"]
        if heading is not None:
            location["heading"] = heading
        return self._edit_location(message, location)

    def stop_live_location(
        self, user: SimUser, chat: ChatRef, message_id: int
    ) -> dict[str, Any] | None:
        """The user stops sharing: the last position stays, without ``live_period``."""
        message = self._live_message(user, chat, message_id)
        last = message.location or {}
        location: dict[str, Any] = {
            key: last[key]
            for key in ("latitude", "longitude", "horizontal_accuracy")
            if key in last
        }
        return self._edit_location(message, location)

    def _live_message(self, user: SimUser, chat: ChatRef, message_id: int) -> SimMessage:
        target = self._chat(chat)
        message = self.world.find_message(target.id, message_id)
        if message is None or message.sender_id != user.id or message.location is None:
            raise ValueError(f"user {user.id} has no location message {message_id} in {target.id}")
        ends = live_until(message)
        if ends is None:
            raise ValueError(f"message {message_id} is not a live location (or it was stopped)")
        if self.world.now() >= ends:
            raise ValueError(f"the live period of message {message_id} is over")
        self._require_can_write(target, user)
        return message

    def _edit_location(
        self, message: SimMessage, location: dict[str, Any]
    ) -> dict[str, Any] | None:
        self.world.record_edit(message)
        message.location = location
        self.world.notify_edited(message)
        if not self._bot_receives(self.world.chats[message.chat_id], message):
            return None
        return self.updates.push("edited_message", message_json(self.world, message))
