"""``parse_mode=MarkdownV2`` and legacy ``Markdown``, ported from tdlib.

The bot under test uses HTML, but a bot that switches a message to MarkdownV2 must hit the
same "Character '.' is reserved and must be escaped with the preceding '\\'" errors it would
hit on Telegram. Both functions are ports of tdlib's ``parse_markdown_v2`` and
``parse_markdown`` working on UTF-8 bytes (error offsets are byte offsets).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from bot.emulator.entities import Entity, check_link, link_user_id, sort_entities


class MarkdownParseError(ValueError):
    """A tdlib Markdown parse error; ``str(exc)`` is Telegram's message."""


# tdlib's names for entity types, used in "Can't find end of X entity" messages.
_TD_NAMES = {
    "bold": "Bold",
    "italic": "Italic",
    "underline": "Underline",
    "strikethrough": "Strikethrough",
    "spoiler": "Spoiler",
    "code": "Code",
    "pre": "Pre",
    "pre_code": "PreCode",
    "text_link": "TextUrl",
    "custom_emoji": "CustomEmoji",
    "blockquote": "BlockQuote",
}
_SPACES = frozenset(b" \t\r\n\x00\x0b\x0c")


@dataclass
class _Open:
    type: str
    argument: str
    utf16_offset: int
    byte_offset: int
    begin_pos: int


def _reserved(ch: int) -> MarkdownParseError:
    return MarkdownParseError(
        f"Character '{chr(ch)}' is reserved and must be escaped with the preceding '\\'"
    )


def _unterminated(entity: _Open) -> MarkdownParseError:
    return MarkdownParseError(
        f"Can't find end of {_TD_NAMES[entity.type]} entity at byte offset {entity.byte_offset}"
    )


def parse_markdown_v2(text: str) -> tuple[str, list[Entity]]:
    """Parse MarkdownV2 into plain text and entities."""
    src = text.encode("utf-8")
    n = len(src)

    def at(k: int) -> int:
        return src[k] if k < n else 0

    out = bytearray()
    entities: list[Entity] = []
    nested: list[_Open] = []
    utf16 = 0
    have_blockquote = False
    can_start_blockquote = True
    i = -1
    while True:
        i += 1
        if i >= n:
            break
        c = src[i]
        if c == ord("\\") and 0 < at(i + 1) <= 126:
            i += 1
            utf16 += 1
            out.append(src[i])
            if src[i] != ord("\r"):
                can_start_blockquote = src[i] == ord("\n")
            continue
        reserved = b"_*[]()~`>#+-=|{}.!\n"
        if nested and nested[-1].type in ("code", "pre", "pre_code"):
            reserved = b"`"
        if c not in reserved:
            if c & 0xC0 != 0x80:
                utf16 += 1 + (c >= 0xF0)
                if c != ord("\r"):
                    can_start_blockquote = False
            out.append(c)
            continue

        if not _is_end(nested, have_blockquote, c, at, i, n):
            entity_type: str | None
            argument = ""
            byte_offset = i
            if c == ord("_"):
                if at(i + 1) == ord("_"):
                    entity_type = "underline"
                    i += 1
                else:
                    entity_type = "italic"
            elif c == ord("*"):
                entity_type = "bold"
            elif c == ord("~"):
                entity_type = "strikethrough"
            elif c == ord("|"):
                if at(i + 1) != ord("|"):
                    raise _reserved(c)
                i += 1
                entity_type = "spoiler"
            elif c == ord("["):
                entity_type = "text_link"
            elif c == ord("`"):
                if at(i + 1) == ord("`") and at(i + 2) == ord("`"):
                    i += 3
                    entity_type = "pre"
                    lang_end = i
                    while at(lang_end) not in _SPACES and at(lang_end) != ord("`"):
                        lang_end += 1
                    if i != lang_end and lang_end < n and at(lang_end) != ord("`"):
                        entity_type = "pre_code"
                        argument = src[i:lang_end].decode("utf-8", "replace")
                        i = lang_end
                    if at(i) in b"\n\r":
                        if at(i + 1) in b"\n\r" and at(i) != at(i + 1):
                            i += 2
                        else:
                            i += 1
                    i -= 1
                else:
                    entity_type = "code"
            elif c == ord("!"):
                if at(i + 1) != ord("["):
                    raise _reserved(c)
                i += 1
                entity_type = "custom_emoji"
            elif c == ord("\n"):
                utf16 += 1
                out.append(c)
                can_start_blockquote = True
                entity_type = None
            elif c == ord(">"):
                if not can_start_blockquote:
                    raise _reserved(c)
                if have_blockquote:
                    entity_type = None
                else:
                    entity_type = "blockquote"
                    have_blockquote = True
            else:
                raise _reserved(c)
            if entity_type is not None:
                nested.append(_Open(entity_type, argument, utf16, byte_offset, len(out)))
            continue

        # end of an entity
        kind = nested[-1].type
        if c == ord("\n") and kind != "blockquote":
            top = nested[-1]
            ok = top.byte_offset == i - 2 or (
                top.byte_offset == i - 3 and out and out[-1] == ord("\r")
            )
            if kind != "spoiler" or not ok:
                raise _unterminated(top)
            nested.pop()
            kind = nested[-1].type
            if kind != "blockquote":
                raise _unterminated(nested[-1])
            kind = "expandable_blockquote"
        top = nested[-1]
        argument = top.argument
        user_id: int | None = None
        skip = utf16 == top.utf16_offset
        if kind in ("underline", "spoiler"):
            i += 1
        elif kind in ("pre", "pre_code"):
            i += 2
        elif kind == "text_link":
            if at(i + 1) != ord("("):
                url = bytes(out[top.begin_pos :]).decode("utf-8", "replace")
            else:
                i, url = _read_url(src, i + 2, "a URL")
            user_id = link_user_id(url)
            if user_id is None:
                checked = check_link(url)
                if checked is None:
                    skip = True
                else:
                    argument = checked
        elif kind == "custom_emoji":
            if at(i + 1) != ord("("):
                raise MarkdownParseError("Custom emoji entity must contain a tg://emoji URL")
            i, url = _read_url(src, i + 2, "a custom emoji URL")
            argument = _custom_emoji_id(url)
        elif kind in ("blockquote", "expandable_blockquote"):
            have_blockquote = False
            out.append(c)
            can_start_blockquote = True
            utf16 += 1
            skip = False
        if not skip:
            entities.append(
                _make_entity(kind, top.utf16_offset, utf16 - top.utf16_offset, argument, user_id)
            )
        nested.pop()

    if have_blockquote:
        kind = "blockquote"
        if nested[-1].type == "spoiler" and nested[-1].byte_offset == n - 2:
            nested.pop()
            kind = "expandable_blockquote"
        if nested[-1].type == "blockquote":
            length = utf16 - nested[-1].utf16_offset
            if length:
                entities.append(Entity(kind, nested[-1].utf16_offset, length))
            nested.pop()
    if nested:
        raise _unterminated(nested[-1])
    return out.decode("utf-8"), sort_entities(entities)


def _is_end(
    nested: list[_Open], have_blockquote: bool, c: int, at: Callable[[int], int], i: int, n: int
) -> bool:
    if not nested:
        return False
    if have_blockquote and c == ord("\n") and (i + 1 == n or at(i + 1) != ord(">")):
        return True
    kind = nested[-1].type
    return {
        "bold": c == ord("*"),
        "italic": c == ord("_") and at(i + 1) != ord("_"),
        "code": c == ord("`"),
        "pre": c == ord("`") and at(i + 1) == ord("`") and at(i + 2) == ord("`"),
        "pre_code": c == ord("`") and at(i + 1) == ord("`") and at(i + 2) == ord("`"),
        "text_link": c == ord("]"),
        "underline": c == ord("_") and at(i + 1) == ord("_"),
        "strikethrough": c == ord("~"),
        "spoiler": c == ord("|") and at(i + 1) == ord("|"),
        "custom_emoji": c == ord("]"),
        "blockquote": False,
    }[kind]


def _read_url(src: bytes, i: int, what: str) -> tuple[int, str]:
    """Read ``(...)`` content with backslash escapes; returns (index of ')', url)."""
    n = len(src)
    begin = i
    buf = bytearray()
    while i < n and src[i] != ord(")"):
        if src[i] == ord("\\") and i + 1 < n and 0 < src[i + 1] <= 126:
            buf.append(src[i + 1])
            i += 2
            continue
        buf.append(src[i])
        i += 1
    if i >= n:
        raise MarkdownParseError(f"Can't find end of {what} at byte offset {begin}")
    return i, buf.decode("utf-8", "replace")


def _custom_emoji_id(url: str) -> str:
    match = re.fullmatch(r"tg://emoji\?id=(-?\d+)", url.strip(), re.IGNORECASE)
    if not url.lower().startswith("tg:"):
        raise MarkdownParseError("Custom emoji URL must have scheme tg")
    if match is None or int(match.group(1)) == 0:
        raise MarkdownParseError("Invalid custom emoji identifier specified")
    return str(int(match.group(1)))


def _make_entity(kind: str, offset: int, length: int, argument: str, user_id: int | None) -> Entity:
    if user_id is not None:
        return Entity("text_mention", offset, length, user_id=user_id)
    if kind == "text_link":
        return Entity("text_link", offset, length, url=argument)
    if kind == "pre_code":
        return Entity("pre", offset, length, language=argument)
    if kind == "custom_emoji":
        return Entity("custom_emoji", offset, length, custom_emoji_id=argument)
    return Entity(kind, offset, length)


def parse_markdown(text: str) -> tuple[str, list[Entity]]:
    """Legacy ``Markdown`` (v1): ``*bold*``, ``_italic_``, ``[text](url)``, code and pre."""
    src = text.encode("utf-8")
    n = len(src)

    def at(k: int) -> int:
        return src[k] if k < n else 0

    out = bytearray()
    entities: list[Entity] = []
    utf16 = 0
    i = -1
    while True:
        i += 1
        if i >= n:
            break
        c = src[i]
        if c == ord("\\") and at(i + 1) in b"_*`[":
            i += 1
            out.append(src[i])
            utf16 += 1
            continue
        if c not in b"_*`[":
            if c & 0xC0 != 0x80:
                utf16 += 1 + (c >= 0xF0)
            out.append(c)
            continue
        begin = i
        end_char = ord("]") if c == ord("[") else c
        is_pre = False
        language = ""
        i += 1
        if c == ord("`") and at(i) == ord("`") and at(i + 1) == ord("`"):
            i += 2
            is_pre = True
            lang_end = i
            while at(lang_end) not in _SPACES and at(lang_end) != ord("`"):
                lang_end += 1
            if i != lang_end and lang_end < n and at(lang_end) != ord("`"):
                language = src[i:lang_end].decode("utf-8", "replace")
                i = lang_end
            if at(i) in b"\n\r":
                i += 2 if at(i + 1) in b"\n\r" and at(i) != at(i + 1) else 1
        offset = utf16
        while i < n and (
            at(i) != end_char or (is_pre and not (at(i + 1) == ord("`") and at(i + 2) == ord("`")))
        ):
            if at(i) & 0xC0 != 0x80:
                utf16 += 1 + (at(i) >= 0xF0)
            out.append(at(i))
            i += 1
        if i == n:
            raise MarkdownParseError(
                f"Can't find end of the entity starting at byte offset {begin}"
            )
        if offset != utf16:
            length = utf16 - offset
            if c == ord("_"):
                entities.append(Entity("italic", offset, length))
            elif c == ord("*"):
                entities.append(Entity("bold", offset, length))
            elif c == ord("["):
                if at(i + 1) != ord("("):
                    url = src[begin + 1 : i].decode("utf-8", "replace")
                else:
                    i += 2
                    url_buf = bytearray()
                    while i < n and at(i) != ord(")"):
                        url_buf.append(at(i))
                        i += 1
                    url = url_buf.decode("utf-8", "replace")
                uid = link_user_id(url)
                checked = None if uid is not None else check_link(url)
                if uid is not None:
                    entities.append(Entity("text_mention", offset, length, user_id=uid))
                elif checked:
                    entities.append(Entity("text_link", offset, length, url=checked))
            elif is_pre:
                entities.append(Entity("pre", offset, length, language=language or None))
            else:
                entities.append(Entity("code", offset, length))
        if is_pre:
            i += 2
    return out.decode("utf-8"), sort_entities(entities)
