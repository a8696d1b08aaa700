"""Every message exists in every language, with the same placeholders."""

from __future__ import annotations

import string

import pytest

from bot.i18n import Html, Lang, catalog, placeholders, resolve_lang, t
from bot.menus import GROUP_MENU, MENUS


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (None, Lang.EN),
        ("en", Lang.EN),
        ("de", Lang.EN),
        ("zh", Lang.ZH_HANS),
        ("zh-hans", Lang.ZH_HANS),
        ("zh-CN", Lang.ZH_HANS),
        ("zh-sg", Lang.ZH_HANS),
        ("zh-TW", Lang.ZH_HANT),
        ("zh-hk", Lang.ZH_HANT),
        ("zh-Hant-HK", Lang.ZH_HANT),
        ("zh-hant", Lang.ZH_HANT),
    ],
)
def test_telegram_language_codes_map_to_a_catalog(code: str | None, expected: Lang) -> None:
    assert resolve_lang(code) is expected


def test_catalogs_have_the_same_keys_and_placeholders() -> None:
    english = catalog(Lang.EN)
    for lang in Lang:
        other = catalog(lang)
        assert set(other) == set(english), f"{lang}: keys differ"
        for key, message in english.items():
            assert placeholders(other[key]) == placeholders(message), f"{lang}: {key}"


def test_every_menu_command_is_described_in_every_language() -> None:
    names = {name for menu in MENUS.values() for name in menu} | set(GROUP_MENU)
    for lang in Lang:
        for name in names:
            description = catalog(lang).get(f"cmd.{name}", "")
            assert 3 <= len(description) <= 256, f"{lang}: cmd.{name}"


def test_parameters_are_escaped_unless_marked_html() -> None:
    assert t(Lang.EN, "team.header", name="<R&D>") == "<b>Team &lt;R&amp;D&gt;</b>"
    assert t(Lang.EN, "team.header", name=Html("<i>x</i>")) == "<b>Team <i>x</i></b>"


def test_a_missing_key_shows_itself_instead_of_crashing() -> None:
    assert t(Lang.ZH_HANT, "no.such.key") == "no.such.key"


def test_english_counts_agree_with_their_nouns() -> None:
    assert t(Lang.EN, "pool.notice.team", team="North", count=1).endswith(
        "1 customer went back to the pool."
    )
    assert "3 customers went back" in t(Lang.EN, "pool.notice.team", team="North", count=3)
    assert "1 lead is waiting" in t(Lang.EN, "leads.notice_waiting", count=1, reason="-", blocked=0)
    assert "0 leads are waiting" in t(
        Lang.EN, "leads.notice_waiting", count=0, reason="-", blocked=0
    )


def test_every_english_plural_form_names_one_and_many() -> None:
    """``{n:|one|many}``: a malformed form would print a wrong word to every user."""
    for key, message in catalog(Lang.EN).items():
        for _, _name, spec, _ in string.Formatter().parse(message):
            if spec and spec.startswith("|"):
                one, bar, many = spec[1:].partition("|")
                assert one and bar and many and "|" not in many, (key, spec)
