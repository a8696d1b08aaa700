"""From a bot's ``text``/``parse_mode``/``entities`` parameters to stored text + entities.

This is the Bot API server's ``get_formatted_text`` followed by tdlib's
``fix_formatted_text``: parse the markup (or take explicit entities), trim, clip, and add the
entities Telegram detects on its own. Errors carry Telegram's descriptions.
"""

from __future__ import annotations

from typing import Any

from bot.emulator.entities import Entity, entities_from_json, fix_formatted_text
from bot.emulator.errors import bad_request
from bot.emulator.html import HtmlParseError, parse_html
from bot.emulator.markdown import MarkdownParseError, parse_markdown, parse_markdown_v2

MAX_RAW_TEXT_BYTES = 1 << 15  # telegram-bot-api rejects longer raw strings up front


def format_text(
    text: str,
    parse_mode: str | None,
    entities: list[dict[str, Any]] | None,
    *,
    allow_empty: bool,
) -> tuple[str, list[Entity]]:
    """Parse and normalise a text or caption; raises ``ApiError`` like Telegram."""
    if len(text.encode("utf-8")) > MAX_RAW_TEXT_BYTES:
        raise bad_request("text is too long")
    mode = (parse_mode or "").lower()
    parsed: list[Entity]
    if text and mode and mode != "none":
        try:
            if mode == "html":
                text, parsed = parse_html(text)
            elif mode == "markdownv2":
                text, parsed = parse_markdown_v2(text)
            elif mode == "markdown":
                text, parsed = parse_markdown(text)
            else:
                raise bad_request("unsupported parse_mode")
        except (HtmlParseError, MarkdownParseError) as exc:
            raise bad_request(f"can't parse entities: {exc}") from None
    else:
        parsed = entities_from_json(entities or [])
    try:
        return fix_formatted_text(text, parsed, allow_empty=allow_empty)
    except ValueError:
        raise bad_request("text must be non-empty") from None
