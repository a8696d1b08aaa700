"""The one translation function.

Catalogs are flat JSON files in ``bot/locales/<lang>/<area>.json`` — one file per area of the
product, the same keys in every language; a key defined twice is an error. Messages are
Telegram HTML, so every parameter is HTML-escaped unless the caller marks it ``Html`` —
user-typed text can never break a message's markup.
"""

from __future__ import annotations

import html
import json
import string
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Any


class Lang(StrEnum):
    ZH_HANS = "zh-hans"
    ZH_HANT = "zh-hant"
    EN = "en"


DEFAULT_LANG = Lang.EN
LANGUAGE_NAMES = {Lang.ZH_HANS: "简体中文", Lang.ZH_HANT: "繁體中文", Lang.EN: "English"}

_HANT_REGIONS = {"tw", "hk", "mo", "hant"}


class Html(str):
    """A string already in Telegram HTML: ``t`` inserts it without escaping."""

    __slots__ = ()


def resolve_lang(code: str | None) -> Lang:
    """Map a Telegram ``language_code`` (IETF tag) to one of our catalogs."""
    if not code:
        return DEFAULT_LANG
    code = code.lower().replace("_", "-")
    if code in {lang.value for lang in Lang}:
        return Lang(code)
    primary, _, rest = code.partition("-")
    if primary == "zh":
        return Lang.ZH_HANT if any(p in _HANT_REGIONS for p in rest.split("-")) else Lang.ZH_HANS
    return DEFAULT_LANG


@cache
def catalog(lang: Lang) -> dict[str, str]:
    merged: dict[str, str] = {}
    folder = resources.files("bot").joinpath(f"locales/{lang.value}")
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".json"):
            continue
        area: dict[str, str] = json.loads(entry.read_text("utf-8"))
        clash = merged.keys() & area.keys()
        if clash:
            raise ValueError(f"{lang.value}/{entry.name} redefines {sorted(clash)}")
        merged.update(area)
    return merged


def placeholders(message: str) -> set[str]:
    """Names a message expects, e.g. ``{team}`` → ``team``; used to check catalogs agree."""
    return {name for _, name, _, _ in string.Formatter().parse(message) if name}


class _Formatter(string.Formatter):
    """``str.format`` plus English plurals: ``{days} {days:|day|days}`` reads "1 day" and
    "3 days". Chinese needs no such forms, so its catalogs simply don't use them."""

    def format_field(self, value: Any, format_spec: str) -> Any:
        if format_spec.startswith("|"):
            one, _, many = format_spec[1:].partition("|")
            return one if str(value) in ("1", "-1") else many
        return super().format_field(value, format_spec)


_FORMATTER = _Formatter()


def t(lang: Lang | str, key: str, /, **params: Any) -> str:
    """The message ``key`` in ``lang``, with parameters escaped for Telegram HTML.

    A key missing from a catalog falls back to English, then to the key itself, so a gap
    shows up as a visible key rather than a crash in front of a user.
    """
    language = lang if isinstance(lang, Lang) else resolve_lang(lang)
    message = catalog(language).get(key) or catalog(DEFAULT_LANG).get(key) or key
    if not params:
        return message
    safe = {
        name: value if isinstance(value, Html) else html.escape(str(value), quote=False)
        for name, value in params.items()
    }
    return _FORMATTER.vformat(message, (), safe)
