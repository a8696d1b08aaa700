"""Message entities: UTF-16 offsets, Telegram's ordering, trimming and auto-detection.

Telegram measures entity offsets and lengths in UTF-16 code units, trims leading/trailing
spaces and newlines from every text, and detects mentions, hashtags, bot commands, URLs and
e-mail addresses on its own. Bots that compute offsets or rely on ``bot_command`` entities
break in subtle ways when any of this differs, so the emulator mirrors tdlib's
``fix_formatted_text`` closely enough for those behaviours to match.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

# tdlib's MessageEntity::get_type_priority, keyed by Bot API type names.
_PRIORITY = {
    "mention": 50,
    "hashtag": 50,
    "bot_command": 50,
    "url": 50,
    "email": 50,
    "bold": 90,
    "italic": 91,
    "code": 20,
    "pre": 11,
    "text_link": 49,
    "text_mention": 49,
    "cashtag": 50,
    "phone_number": 50,
    "underline": 92,
    "strikethrough": 93,
    "blockquote": 0,
    "bank_card_number": 50,
    "spoiler": 94,
    "custom_emoji": 99,
    "expandable_blockquote": 0,
}
SPLITTABLE = frozenset({"bold", "italic", "underline", "strikethrough", "spoiler"})
BLOCKQUOTES = frozenset({"blockquote", "expandable_blockquote"})
# Entities a bot may pass explicitly; the auto-detected kinds are ignored like Telegram does.
USER_ENTITY_TYPES = frozenset(
    {
        "bold",
        "italic",
        "underline",
        "strikethrough",
        "spoiler",
        "code",
        "pre",
        "text_link",
        "text_mention",
        "custom_emoji",
        "blockquote",
        "expandable_blockquote",
    }
)


@dataclass
class Entity:
    """One MessageEntity; offsets in UTF-16 code units."""

    type: str
    offset: int
    length: int
    url: str | None = None
    language: str | None = None
    user_id: int | None = None
    custom_emoji_id: str | None = None

    def to_json(self, user: dict[str, Any] | None = None) -> dict[str, Any]:
        """The Bot API JSON form; ``user`` fills ``text_mention``."""
        out: dict[str, Any] = {"offset": self.offset, "length": self.length, "type": self.type}
        if self.url is not None:
            out["url"] = self.url
        if self.language:
            out["language"] = self.language
        if self.custom_emoji_id is not None:
            out["custom_emoji_id"] = self.custom_emoji_id
        if user is not None:
            out["user"] = user
        return out

    def sort_key(self) -> tuple[int, int, int]:
        """tdlib order: by offset, longer first, then by type priority."""
        return (self.offset, -self.length, _PRIORITY.get(self.type, 50))


def utf16_len(text: str) -> int:
    """Length of ``text`` in UTF-16 code units."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def utf16_offsets(text: str) -> list[int]:
    """UTF-16 offset of every code point index, plus one entry for the end."""
    offsets = [0] * (len(text) + 1)
    acc = 0
    for i, ch in enumerate(text):
        offsets[i] = acc
        acc += 2 if ord(ch) > 0xFFFF else 1
    offsets[len(text)] = acc
    return offsets


def utf16_slice(text: str, offset: int, length: int) -> str:
    """The substring covered by an entity."""
    encoded = text.encode("utf-16-le")
    return encoded[offset * 2 : (offset + length) * 2].decode("utf-16-le", errors="replace")


def sort_entities(entities: list[Entity]) -> list[Entity]:
    return sorted(entities, key=Entity.sort_key)


def check_link(url: str) -> str | None:
    """Normalise a link the way Telegram does for text links; ``None`` if unusable."""
    url = url.strip()
    if not url:
        return None
    lowered = url.lower()
    if lowered.startswith(("tg:", "ton:", "tonsite:")):
        return url
    if "://" not in url:
        url = "http://" + url
        lowered = url.lower()
    if not lowered.startswith(("http://", "https://")):
        return None
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = parts.port
    except ValueError:
        return None
    if not host or not re.fullmatch(r"[a-z0-9.\-_\[\]:]+", host, re.IGNORECASE):
        return None
    netloc = host.lower() if port is None else f"{host.lower()}:{port}"
    if parts.username is not None:
        netloc = f"{parts.netloc.rsplit('@', 1)[0]}@{netloc}"
    path = parts.path or "/"
    result = f"{parts.scheme.lower()}://{netloc}{path}"
    if parts.query:
        result += "?" + parts.query
    if parts.fragment:
        result += "#" + parts.fragment
    return result


def link_user_id(url: str) -> int | None:
    """``tg://user?id=123`` links become text mentions."""
    match = re.fullmatch(r"tg://user\?id=(\d+)", url.strip(), re.IGNORECASE)
    return int(match.group(1)) if match else None


def fix_formatted_text(
    text: str, entities: list[Entity], *, allow_empty: bool
) -> tuple[str, list[Entity]]:
    """Trim spaces/newlines and clip entities like tdlib's ``fix_formatted_text``.

    Raises ``ValueError("Text must be non-empty")`` for whitespace-only text unless
    ``allow_empty``.
    """
    total = utf16_len(text)
    kept = []
    for e in entities:
        end = min(e.offset + e.length, total)
        if e.offset < 0 or e.offset >= end:
            continue
        e.length = end - e.offset
        kept.append(e)
    entities = sort_entities(kept)

    last = len(text) - 1
    while last >= 0 and text[last] in " \n":
        last -= 1
    if last < 0:
        if allow_empty:
            return "", []
        raise ValueError("Text must be non-empty")
    offsets = utf16_offsets(text)
    end16 = offsets[last + 1]
    text = text[: last + 1]
    clipped = []
    for e in entities:
        if e.offset >= end16:
            continue
        e.length = min(e.length, end16 - e.offset)
        clipped.append(e)
    entities = sort_entities(clipped)

    first_entity = entities[0].offset if entities else end16
    first = 0
    while first < len(text) and offsets[first] < first_entity and text[first] in " \n":
        first += 1
    if first:
        shift = offsets[first]
        text = text[first:]
        for e in entities:
            e.offset -= shift
    return text, merge_found_entities(entities, find_entities(text))


def merge_found_entities(entities: list[Entity], found: list[Entity]) -> list[Entity]:
    """Add auto-detected entities that do not collide with explicit continuous ones."""
    blocking = [e for e in entities if e.type not in SPLITTABLE and e.type not in BLOCKQUOTES]
    merged = list(entities)
    for f in found:
        f_end = f.offset + f.length
        if any(f.offset < b.offset + b.length and b.offset < f_end for b in blocking):
            continue
        merged.append(f)
    return sort_entities(merged)


_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        "email",
        re.compile(
            r"(?<![\w.+\-])[\w.+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}(?!\w)"
        ),
    ),
    (
        "url",
        re.compile(
            r"(?<![\w@/.])(?:(?:https?|ftp)://[^\s<>\"]+|(?:www\.|t\.me/|telegram\.me/)[^\s<>\"]+"
            r"|[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.(?:com|org|net|ru|io|me|dev|app|info|ua|de|uk"
            r"|fr|it|es|eu|us|co|ai)(?:/[^\s<>\"]*)?(?!\w))",
            re.IGNORECASE,
        ),
    ),
    (
        "bot_command",
        re.compile(r"(?<![\w/<>])/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?(?![\w/<>@])"),
    ),
    ("mention", re.compile(r"(?<!\w)@[A-Za-z0-9_]{4,32}(?!\w)")),
    ("hashtag", re.compile(r"(?<![\w#])#\w*[^\W\d_]\w*(?![\w#])")),
    ("cashtag", re.compile(r"(?<![\w$])\$(?:1INCH|[A-Z]{1,8})(?![\w$])")),
]
_URL_TRAILING = ".,:;!?)'\"]"


def find_entities(text: str) -> list[Entity]:
    """Mentions, hashtags, cashtags, bot commands, URLs and e-mails, as Telegram finds them."""
    offsets = utf16_offsets(text)
    taken: list[tuple[int, int]] = []
    found: list[Entity] = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.start(), match.end()
            if kind == "url":
                while end > start and text[end - 1] in _URL_TRAILING:
                    end -= 1
            if end <= start or any(start < t_end and t_start < end for t_start, t_end in taken):
                continue
            taken.append((start, end))
            found.append(Entity(kind, offsets[start], offsets[end] - offsets[start]))
    return sort_entities(found)


def entities_from_json(items: list[dict[str, Any]]) -> list[Entity]:
    """Explicit ``entities``/``caption_entities`` sent by a bot (already spec-validated)."""
    result: list[Entity] = []
    for item in items:
        kind = item["type"]
        if kind not in USER_ENTITY_TYPES:
            continue  # Telegram ignores auto-detectable kinds passed explicitly.
        entity = Entity(kind, int(item["offset"]), int(item["length"]))
        if kind == "text_link":
            url = str(item.get("url", ""))
            user_id = link_user_id(url)
            if user_id is not None:
                entity.type, entity.user_id = "text_mention", user_id
            else:
                checked = check_link(url)
                if checked is None:
                    continue
                entity.url = checked
        elif kind == "text_mention":
            entity.user_id = int((item.get("user") or {}).get("id", 0))
        elif kind == "pre":
            entity.language = item.get("language") or None
        elif kind == "custom_emoji":
            entity.custom_emoji_id = str(item.get("custom_emoji_id", ""))
        result.append(entity)
    return result
