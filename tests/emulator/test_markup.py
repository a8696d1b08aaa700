"""HTML and MarkdownV2 parsing: entities with UTF-16 offsets and Telegram's own errors."""

from __future__ import annotations

import pytest

from bot.emulator.entities import Entity, find_entities, fix_formatted_text, utf16_len
from bot.emulator.errors import ApiError
from bot.emulator.formatting import format_text
from bot.emulator.html import HtmlParseError, parse_html
from bot.emulator.markdown import MarkdownParseError, parse_markdown, parse_markdown_v2


def as_tuples(entities: list[Entity]) -> list[tuple[str, int, int]]:
    return [(e.type, e.offset, e.length) for e in entities]


def test_simple_tags_and_aliases() -> None:
    text, entities = parse_html(
        "<b>a</b><strong>b</strong><i>c</i><em>d</em><u>e</u><ins>f</ins>"
        "<s>g</s><strike>h</strike><del>i</del><tg-spoiler>j</tg-spoiler>"
        '<span class="tg-spoiler">k</span>'
    )
    assert text == "abcdefghijk"
    kinds = [e.type for e in entities]
    assert kinds == [
        "bold",
        "bold",
        "italic",
        "italic",
        "underline",
        "underline",
        "strikethrough",
        "strikethrough",
        "strikethrough",
        "spoiler",
        "spoiler",
    ]


def test_offsets_are_utf16_code_units_with_emoji_and_cjk() -> None:
    text, entities = parse_html("😀 <b>北京</b> 🎉<i>x😀y</i>")
    assert text == "😀 北京 🎉x😀y"
    # 😀 is two UTF-16 units, CJK characters one each.
    assert as_tuples(entities) == [("bold", 3, 2), ("italic", 8, 4)]
    assert utf16_len(text) == 12


def test_nested_tags_sorted_like_telegram() -> None:
    text, entities = parse_html("<b>bold <i>both</i></b>")
    assert text == "bold both"
    assert as_tuples(entities) == [("bold", 0, 9), ("italic", 5, 4)]


def test_html_entities_decoded_and_unknown_ampersands_kept() -> None:
    text, _ = parse_html("&lt;tag&gt; &amp; &quot;q&quot; &#65;&#x42; AT&T &foo; &#0;")
    # Telegram keeps '&' that does not start a known entity literally; it is not an error.
    assert text == '<tag> & "q" AB AT&T &foo; &#0;'


def test_links_code_pre_blockquote_and_custom_emoji() -> None:
    html = (
        '<a href="https://Example.com">site</a> <a href="tg://user?id=42">Bob</a> '
        '<code>x</code> <pre><code class="language-python">print(1)</code></pre> '
        "<blockquote expandable>q</blockquote> <blockquote>r</blockquote> "
        '<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>'
    )
    text, entities = parse_html(html)
    assert text == "site Bob x print(1) q r 👍"
    by_type = {e.type: e for e in entities}
    assert by_type["text_link"].url == "https://example.com/"
    assert by_type["text_mention"].user_id == 42
    assert by_type["code"].language is None
    assert (by_type["pre"].language, by_type["pre"].offset, by_type["pre"].length) == (
        "python",
        11,
        8,
    )
    assert "expandable_blockquote" in by_type and "blockquote" in by_type
    assert by_type["custom_emoji"].custom_emoji_id == "5368324170671202286"


def test_empty_elements_make_no_entity_and_end_tag_shorthand() -> None:
    text, entities = parse_html("<b></b>x<i>y</>")
    assert text == "xy"
    assert as_tuples(entities) == [("italic", 1, 1)]


@pytest.mark.parametrize(
    ("html", "message"),
    [
        ("1 < 2", 'Unsupported start tag "" at byte offset 2'),
        ("<foo>x</foo>", 'Unsupported start tag "foo" at byte offset 0'),
        ("Hi <br/>", 'Unsupported start tag "br/" at byte offset 3'),
        ("Привет <x>", 'Unsupported start tag "x" at byte offset 13'),
        ("<b>bold", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
        ("</b>", "Unexpected end tag at byte offset 0"),
        ("<b", "Unclosed start tag at byte offset 0"),
        ("<b>x</b", "Unclosed end tag at byte offset 4"),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
        ('<a href="x', "Unclosed start tag at byte offset 0"),
        ("<a href=x/>", "Unexpected end of name token at byte offset 8"),
        ('<tg-emoji emoji-id="abc">x</tg-emoji>', "Invalid custom emoji identifier specified"),
    ],
)
def test_html_errors_match_telegram(html: str, message: str) -> None:
    with pytest.raises(HtmlParseError) as exc_info:
        parse_html(html)
    assert str(exc_info.value) == message


def test_format_text_prefixes_parse_errors_like_the_bot_api() -> None:
    with pytest.raises(ApiError) as exc_info:
        format_text("<b>x</i>", "HTML", None, allow_empty=False)
    assert exc_info.value.description == (
        "Bad Request: can't parse entities: Unmatched end tag at byte offset 4, "
        'expected "</b>", found "</i>"'
    )
    with pytest.raises(ApiError) as exc_info:
        format_text("x", "Textile", None, allow_empty=False)
    assert exc_info.value.description == "Bad Request: unsupported parse_mode"


def test_trimming_and_whitespace_only_text() -> None:
    text, entities = fix_formatted_text(
        "  \n hello <b> \n", [Entity("bold", 13, 2)], allow_empty=False
    )
    assert text == "hello <b>"
    assert entities == []  # the bold entity covered only trailing whitespace
    with pytest.raises(ApiError) as exc_info:
        format_text("<b> </b>\n", "HTML", None, allow_empty=False)
    assert exc_info.value.description == "Bad Request: text must be non-empty"
    assert format_text("   ", None, None, allow_empty=True) == ("", [])


def test_auto_detected_entities() -> None:
    found = find_entities("/start@fieldcrm_bot hi @rita_k #sales $USD https://t.me/x mail@ex.com")
    kinds = [e.type for e in found]
    assert kinds == ["bot_command", "mention", "hashtag", "cashtag", "url", "email"]
    assert find_entities("a/b and /cmd@x") == []  # not commands: inside a word, short bot name


def test_detected_entities_do_not_override_explicit_ones() -> None:
    _, entities = format_text("<code>/start</code> /help", "HTML", None, allow_empty=False)
    assert [(e.type, e.offset) for e in entities] == [("code", 0), ("bot_command", 7)]


def test_markdown_v2_entities_and_errors() -> None:
    text, entities = parse_markdown_v2(r"*bold* _it_ __u__ ~s~ ||sp|| `c` [l](https://x.io) 1\.5")
    assert text == "bold it u s sp c l 1.5"
    assert [e.type for e in entities] == [
        "bold",
        "italic",
        "underline",
        "strikethrough",
        "spoiler",
        "code",
        "text_link",
    ]
    with pytest.raises(MarkdownParseError) as exc_info:
        parse_markdown_v2("Total: 1.5")
    assert (
        str(exc_info.value)
        == "Character '.' is reserved and must be escaped with the preceding '\\'"
    )
    with pytest.raises(MarkdownParseError) as exc_info:
        parse_markdown_v2("*bold")
    assert str(exc_info.value) == "Can't find end of Bold entity at byte offset 0"
    text, entities = parse_markdown_v2("```python\nprint(1)\n```")
    assert text == "print(1)\n" and entities[0].language == "python"


def test_legacy_markdown() -> None:
    text, entities = parse_markdown("*b* _i_ [x](http://a.b) `c`")
    assert text == "b i x c"
    assert [e.type for e in entities] == ["bold", "italic", "text_link", "code"]
    with pytest.raises(MarkdownParseError) as exc_info:
        parse_markdown("snake_case")
    assert str(exc_info.value) == "Can't find end of the entity starting at byte offset 5"
