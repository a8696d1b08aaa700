"""``parse_mode=HTML`` exactly as Telegram parses it.

This is a line-by-line port of tdlib's ``parse_html`` (td/telegram/MessageEntity.cpp), which
is what the Bot API server runs for every HTML text. It works on UTF-8 bytes because
Telegram's error messages report *byte* offsets, and it counts UTF-16 code units for entity
offsets. Error messages are tdlib's own; the caller prefixes them with
``Bad Request: can't parse entities:``.

Notable Telegram behaviours reproduced on purpose:

* an ``&`` that does not start a known entity (``&amp; &lt; &gt; &quot; &#NN; &#xNN;``) is
  kept literally — Telegram does **not** reject it;
* ``<`` followed by anything that is not a supported tag name fails with
  ``Unsupported start tag "..." at byte offset N`` (``a < b`` gives the empty tag name);
* ``</>`` closes the innermost open tag;
* empty elements (``<b></b>``) produce no entity.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.emulator.entities import Entity, check_link, link_user_id, sort_entities

SUPPORTED_TAGS = frozenset(
    {
        "a",
        "b",
        "strong",
        "i",
        "em",
        "s",
        "strike",
        "del",
        "u",
        "ins",
        "tg-spoiler",
        "tg-emoji",
        "span",
        "pre",
        "code",
        "blockquote",
    }
)
_SPACES = frozenset(b" \t\r\n\x00\x0b\x0c")


class HtmlParseError(ValueError):
    """A tdlib HTML parse error; ``str(exc)`` is Telegram's message."""


@dataclass
class _Open:
    tag: str
    argument: str
    utf16_offset: int
    begin_pos: int


def _decode_entity(src: bytes, pos: int) -> tuple[int, int]:
    """tdlib ``decode_html_entity``: (code point or 0, position after the entity)."""
    n = len(src)

    def at(i: int) -> int:
        return src[i] if i < n else 0

    end = pos + 1
    code = 0
    if at(pos + 1) == ord("#"):
        end += 1
        if at(pos + 2) == ord("x"):
            end += 1
            while chr(at(end)) in "0123456789abcdefABCDEF" and at(end) != 0:
                code = code * 16 + int(chr(at(end)), 16)
                end += 1
        else:
            while ord("0") <= at(end) <= ord("9"):
                code = code * 10 + at(end) - ord("0")
                end += 1
        if code == 0 or code >= 0x10FFFF or end - pos >= 10:
            return 0, pos
    else:
        while chr(at(end)).isascii() and chr(at(end)).isalpha() and at(end) != 0:
            end += 1
        name = src[pos + 1 : end]
        code = {b"lt": 0x3C, b"gt": 0x3E, b"amp": 0x26, b"quot": 0x22}.get(name, 0)
        if code == 0:
            return 0, pos
    if at(end) == ord(";"):
        end += 1
    return code, end


def _encode(code: int) -> bytes:
    return chr(code).encode("utf-8", "surrogatepass")


def parse_html(text: str) -> tuple[str, list[Entity]]:
    """Parse Telegram HTML into plain text and entities (UTF-16 offsets)."""
    src = text.encode("utf-8")
    n = len(src)

    def at(i: int) -> int:
        return src[i] if i < n else 0

    def space(c: int) -> bool:
        return c in _SPACES

    out = bytearray()
    entities: list[Entity] = []
    nested: list[_Open] = []
    utf16 = 0
    need_recheck = False
    i = 0
    while i < n:
        c = src[i]
        if c == ord("&"):
            code, end = _decode_entity(src, i)
            if code:
                utf16 += 1 + (code > 0xFFFF)
                need_recheck = need_recheck or 0xD800 <= code <= 0xDFFF
                out += _encode(code)
                i = end
                continue
        if c != ord("<"):
            if c & 0xC0 != 0x80:
                utf16 += 1 + (c >= 0xF0)
            out.append(c)
            i += 1
            continue

        begin = i
        i += 1
        if at(i) != ord("/"):
            while not space(at(i)) and at(i) != ord(">"):
                i += 1
            if at(i) == 0:
                raise HtmlParseError(f"Unclosed start tag at byte offset {begin}")
            tag = src[begin + 1 : i].decode("utf-8", "replace").lower()
            if tag not in SUPPORTED_TAGS:
                raise HtmlParseError(f'Unsupported start tag "{tag}" at byte offset {begin}')
            i, argument = _parse_attributes(src, i, tag, begin)
            if tag == "span" and argument != "spoiler":
                raise HtmlParseError(
                    f'Tag "span" must have class "tg-spoiler" at byte offset {begin}'
                )
            nested.append(_Open(tag, argument, utf16, len(out)))
            i += 1  # skip '>'
            continue

        # end of an entity
        if not nested:
            raise HtmlParseError(f"Unexpected end tag at byte offset {begin}")
        while not space(at(i)) and at(i) != ord(">"):
            i += 1
        end_tag = src[begin + 2 : i].decode("utf-8", "replace").lower()
        while space(at(i)) and at(i) != 0:
            i += 1
        if at(i) != ord(">"):
            raise HtmlParseError(f"Unclosed end tag at byte offset {begin}")
        top = nested[-1]
        if end_tag and end_tag != top.tag:
            raise HtmlParseError(
                f'Unmatched end tag at byte offset {begin}, expected "</{top.tag}>", '
                f'found "</{end_tag}>"'
            )
        if utf16 > top.utf16_offset:
            _close(top, utf16 - top.utf16_offset, entities, out)
        nested.pop()
        i += 1  # skip '>'

    if nested:
        raise HtmlParseError(f'Can\'t find end tag corresponding to start tag "{nested[-1].tag}"')
    for e in entities:
        if e.type == "code":
            e.language = None
    try:
        result = out.decode("utf-8")
    except UnicodeDecodeError:
        if need_recheck:
            raise HtmlParseError(
                "Text contains invalid Unicode characters after decoding HTML entities, "
                "check for unmatched surrogate code units"
            ) from None
        raise
    return result, sort_entities(entities)


def _parse_attributes(src: bytes, i: int, tag: str, begin: int) -> tuple[int, str]:
    """Parse ``name=value`` pairs up to ``>``; returns (index of '>', tag argument)."""
    n = len(src)

    def at(k: int) -> int:
        return src[k] if k < n else 0

    def space(c: int) -> bool:
        return c in _SPACES

    argument = ""
    while at(i) != ord(">"):
        while at(i) != 0 and space(at(i)):
            i += 1
        if at(i) == ord(">"):
            break
        attr_begin = i
        while not space(at(i)) and at(i) not in b"=>/\"'":
            i += 1
        attr = src[attr_begin:i].decode("utf-8", "replace")
        if not attr:
            raise HtmlParseError(f'Empty attribute name in the tag "{tag}" at byte offset {begin}')
        while at(i) != 0 and space(at(i)):
            i += 1
        if at(i) != ord("="):
            if at(i) == 0:
                raise HtmlParseError(f'Unclosed start tag "{tag}" at byte offset {begin}')
            if tag == "blockquote" and attr == "expandable":
                argument = "1"
            continue
        i += 1
        while at(i) != 0 and space(at(i)):
            i += 1
        if at(i) == 0:
            raise HtmlParseError(f'Unclosed start tag "{tag}" at byte offset {begin}')
        if at(i) not in b"'\"":
            token_begin = i
            while chr(at(i)).isascii() and (chr(at(i)).isalnum() or at(i) in b".-") and at(i):
                i += 1
            value = src[token_begin:i].decode("utf-8", "replace").lower()
            if not space(at(i)) and at(i) != ord(">"):
                raise HtmlParseError(f"Unexpected end of name token at byte offset {token_begin}")
        else:
            quote = at(i)
            i += 1
            buf = bytearray()
            while at(i) != quote and at(i) != 0:
                if at(i) == ord("&"):
                    code, end = _decode_entity(src, i)
                    if code:
                        buf += _encode(code)
                        i = end
                        continue
                buf.append(at(i))
                i += 1
            if at(i) == quote:
                i += 1
            value = buf.decode("utf-8", "replace")
        if at(i) == 0:
            raise HtmlParseError(f"Unclosed start tag at byte offset {begin}")
        if tag == "a" and attr == "href":
            argument = value
        elif tag == "code" and attr == "class" and value.startswith("language-"):
            argument = value[len("language-") :]
        elif tag == "span" and attr == "class" and value.startswith("tg-"):
            argument = value[len("tg-") :]
        elif (tag == "tg-emoji" and attr == "emoji-id") or (
            tag == "blockquote" and attr == "expandable"
        ):
            argument = value if tag == "tg-emoji" else "1"
    return i, argument


def _close(top: _Open, length: int, entities: list[Entity], out: bytearray) -> None:
    """Turn a closed tag into its entity (tdlib's end-tag branch)."""
    offset, tag = top.utf16_offset, top.tag
    simple = {
        "b": "bold",
        "strong": "bold",
        "i": "italic",
        "em": "italic",
        "s": "strikethrough",
        "strike": "strikethrough",
        "del": "strikethrough",
        "u": "underline",
        "ins": "underline",
        "tg-spoiler": "spoiler",
        "span": "spoiler",
    }
    if tag in simple:
        entities.append(Entity(simple[tag], offset, length))
    elif tag == "tg-emoji":
        try:
            emoji_id = int(top.argument)
        except ValueError:
            emoji_id = 0
        if emoji_id == 0 or not -(2**63) <= emoji_id < 2**63:
            raise HtmlParseError("Invalid custom emoji identifier specified")
        entities.append(Entity("custom_emoji", offset, length, custom_emoji_id=str(emoji_id)))
    elif tag == "a":
        url = top.argument or bytes(out[top.begin_pos :]).decode("utf-8", "replace")
        user_id = link_user_id(url)
        if user_id is not None:
            entities.append(Entity("text_mention", offset, length, user_id=user_id))
        else:
            checked = check_link(url)
            if checked:
                entities.append(Entity("text_link", offset, length, url=checked))
    elif tag == "pre":
        last = entities[-1] if entities else None
        if (
            last is not None
            and last.type == "code"
            and (last.offset, last.length) == (offset, length)
            and last.language
        ):
            last.type = "pre"
        else:
            entities.append(Entity("pre", offset, length))
    elif tag == "code":
        last = entities[-1] if entities else None
        if (
            last is not None
            and last.type == "pre"
            and (last.offset, last.length) == (offset, length)
            and top.argument
        ):
            last.language = top.argument
        else:
            entities.append(Entity("code", offset, length, language=top.argument or None))
    elif tag == "blockquote":
        kind = "expandable_blockquote" if top.argument else "blockquote"
        entities.append(Entity(kind, offset, length))
