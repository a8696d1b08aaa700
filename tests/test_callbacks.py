"""Button payloads: typed, versioned, at most 64 bytes, and forged data is rejected."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from bot.callbacks import (
    CallbackData,
    CallbackDataError,
    PickInvite,
    PickLanguage,
    PickTeamZone,
    callback,
    decode,
)
from bot.i18n import Lang
from storage.models import Role


def test_round_trip() -> None:
    for data in (PickLanguage(Lang.ZH_HANT), PickInvite(Role.REP, 12), PickTeamZone("Asia/Tokyo")):
        assert decode(data.pack()) == data


def test_match_is_specific_to_the_kind() -> None:
    packed = PickInvite(Role.AGENT, 3).pack()
    assert PickInvite.match(packed) and not PickLanguage.match(packed)


@pytest.mark.parametrize(
    "forged",
    ["", "garbage", "1inv|rep", "1inv|rep|x", "1inv|king|3", "9inv|rep|3", "1nope|1", "1lang|fr"],
)
def test_forged_or_stale_data_decodes_to_nothing(forged: str) -> None:
    assert decode(forged) is None


def test_packing_refuses_more_than_64_bytes() -> None:
    with pytest.raises(CallbackDataError):
        PickTeamZone("America/" + "x" * 60).pack()


def test_packing_refuses_the_separator_inside_a_field() -> None:
    with pytest.raises(CallbackDataError):
        PickTeamZone("a|b").pack()


def test_prefixes_are_unique() -> None:
    with pytest.raises(CallbackDataError):

        @callback("lang")
        @dataclass(frozen=True)
        class Again(CallbackData):
            x: int
