"""Telegram's size and shape limits, each answered with Telegram's own error.

Kept in one place so the numbers are easy to audit against
https://core.telegram.org/bots/api and https://limits.tginfo.me. Lengths of texts are
counted in Unicode code points after entity parsing (tdlib's ``utf8_length``), which is what
Telegram enforces for bots.
"""

from __future__ import annotations

from typing import Any

from bot.emulator.entities import check_link
from bot.emulator.errors import bad_request

MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
MAX_CALLBACK_DATA_BYTES = 64
MAX_CALLBACK_ANSWER_LENGTH = 200
MAX_INLINE_BUTTONS = 100
MAX_REPLY_BUTTONS = 300
MIN_MEDIA_GROUP = 2
MAX_MEDIA_GROUP = 10
MAX_COMMANDS = 100
CALLBACK_QUERY_TTL_SECONDS = 15 * 60
LIVE_PERIOD_RANGE = (60, 86400)  # seconds a live location may be shared for
LIVE_UNTIL_STOPPED = 0x7FFFFFFF  # the live_period of "until I turn it off"

# "Exactly one of the fields other than text, icon_custom_emoji_id, and style must be used"
_NON_ACTION_FIELDS = frozenset({"text", "icon_custom_emoji_id", "style"})


def check_text_length(text: str) -> None:
    if len(text) > MAX_TEXT_LENGTH:
        raise bad_request("message is too long")


def check_caption_length(caption: str) -> None:
    if len(caption) > MAX_CAPTION_LENGTH:
        raise bad_request("message caption is too long")


def check_callback_answer_text(text: str | None) -> None:
    if text is not None and len(text) > MAX_CALLBACK_ANSWER_LENGTH:
        raise bad_request("MESSAGE_TOO_LONG")


def is_live_period(seconds: int) -> bool:
    low, high = LIVE_PERIOD_RANGE
    return low <= seconds <= high or seconds == LIVE_UNTIL_STOPPED


def check_media_group_size(count: int) -> None:
    if count < MIN_MEDIA_GROUP or count > MAX_MEDIA_GROUP:
        raise bad_request(
            f"media must be an Array of {MIN_MEDIA_GROUP}-{MAX_MEDIA_GROUP} InputMedia, got {count}"
        )


def normalize_reply_markup(markup: dict[str, Any] | None) -> dict[str, Any] | None:
    """Validate a reply markup's semantics; returns what Telegram would keep.

    An empty ``inline_keyboard`` means "no keyboard", like on Telegram.
    """
    if markup is None:
        return None
    if "inline_keyboard" in markup:
        rows = markup["inline_keyboard"]
        if not any(rows):
            return None
        count = 0
        clean_rows = []
        for row in rows:
            clean_row = []
            for button in row:
                clean_row.append(_check_inline_button(button))
                count += 1
            clean_rows.append(clean_row)
        if count > MAX_INLINE_BUTTONS:
            raise bad_request("reply markup is too long")
        return {"inline_keyboard": [r for r in clean_rows if r]}
    if "keyboard" in markup:
        count = sum(len(row) for row in markup["keyboard"])
        if count == 0:
            return None
        if count > MAX_REPLY_BUTTONS:
            raise bad_request("reply markup is too long")
        rows = [
            [b if isinstance(b, dict) else {"text": b} for b in row] for row in markup["keyboard"]
        ]
        return {**markup, "keyboard": [r for r in rows if r]}
    return markup


def _check_inline_button(button: dict[str, Any]) -> dict[str, Any]:
    button = {k: v for k, v in button.items() if not (k == "callback_data" and v == "")}
    actions = [k for k in button if k not in _NON_ACTION_FIELDS]
    if not actions:
        raise bad_request(
            "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
        )
    if len(actions) > 1:
        raise bad_request(
            "can't parse inline keyboard button: exactly one of "
            f"{', '.join(sorted(actions))} must be specified"
        )
    if "callback_data" in button:
        data = button["callback_data"]
        if len(data.encode("utf-8")) > MAX_CALLBACK_DATA_BYTES:
            raise bad_request("BUTTON_DATA_INVALID")
    if "url" in button and check_link(button["url"]) is None:
        raise bad_request("BUTTON_URL_INVALID")
    if not button.get("text"):
        raise bad_request("BUTTON_TEXT_INVALID")
    return button


def inline_buttons(markup: dict[str, Any] | None) -> list[dict[str, Any]]:
    """All inline buttons of a stored markup, row by row."""
    if not markup or "inline_keyboard" not in markup:
        return []
    return [button for row in markup["inline_keyboard"] for button in row]


def check_bot_commands(commands: list[dict[str, Any]]) -> None:
    """setMyCommands: 1-32 chars [a-z0-9_] commands, 1-256 chars descriptions, ≤100."""
    if len(commands) > MAX_COMMANDS:
        raise bad_request("too many commands specified")
    for cmd in commands:
        name = cmd["command"]
        if not 1 <= len(name) <= 32 or not all(
            c.islower() or c.isdigit() or c == "_" for c in name
        ):
            raise bad_request("BOT_COMMAND_INVALID")
        if not 1 <= len(cmd["description"]) <= 256:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
