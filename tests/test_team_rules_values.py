"""Every editable rule's value is checked for type and range before it is saved."""

from __future__ import annotations

from typing import Any

import pytest

from storage.access import Invalid
from storage.models import TeamRules
from storage.rules import RULES, SECTIONS, Kind, parse_value


@pytest.mark.parametrize(
    ("rule", "raw", "value"),
    [
        ("owned_cap", "150", 150),
        ("owned_cap", " 1 ", 1),
        ("reclaim_warning_days", "0", 0),
        ("agenda_hour", "23", 23),
        ("tier_key_revenue_cents", "500000", 50_000_000),
        ("tier_key_revenue_cents", "1,999.50", 199_950),
        ("tier_regular_revenue_cents", "0.01", 1),
        ("tier_at_risk_rating_below", "3", 3.0),
        ("tier_at_risk_rating_below", "2,5", 2.5),
        ("checkin_photo_required", "No", False),
        ("checkin_live_location", "是", True),
        ("lead_routing", "Skill", "skill"),
        ("effective_followup_kinds", "visit, call，visit", ["call", "visit"]),
        ("key.sla_resolution_minutes", "1440", 1440),
    ],
)
def test_good_values(rule: str, raw: str, value: Any) -> None:
    assert parse_value(RULES[rule], raw) == value


@pytest.mark.parametrize(
    ("rule", "raw", "code"),
    [
        ("owned_cap", "0", "settings.need_int"),
        ("owned_cap", "10001", "settings.need_int"),
        ("owned_cap", "1e3", "settings.need_int"),
        ("owned_cap", "", "settings.need_int"),
        ("agenda_hour", "24", "settings.need_int"),
        ("owned_cap", "9" * 40, "settings.need_int"),
        ("tier_key_revenue_cents", "0", "settings.need_money"),
        ("tier_key_revenue_cents", "-5", "settings.need_money"),
        ("tier_key_revenue_cents", "1.234", "settings.need_money"),
        ("tier_key_revenue_cents", "NaN", "settings.need_money"),
        ("tier_key_revenue_cents", "Infinity", "settings.need_money"),
        ("tier_key_revenue_cents", "lots", "settings.need_money"),
        ("tier_at_risk_rating_below", "5.5", "settings.need_rating"),
        ("tier_at_risk_rating_below", "2.75", "settings.need_rating"),
        ("tier_at_risk_rating_below", "0.5", "settings.need_rating"),
        ("checkin_photo_required", "maybe", "settings.need_bool"),
        ("lead_routing", "random", "settings.need_choice"),
        ("effective_followup_kinds", "", "settings.need_kinds"),
        ("effective_followup_kinds", "call, fax", "settings.need_kinds"),
    ],
)
def test_bad_values_say_what_is_allowed(rule: str, raw: str, code: str) -> None:
    with pytest.raises(Invalid) as raised:
        parse_value(RULES[rule], raw)
    assert raised.value.code == code


def test_every_rule_is_in_a_section_with_a_sensible_range() -> None:
    internal = {"id", "team", "team_id", "lead_round_robin_cursor", "ticket_round_robin_cursor"}
    editable = set(TeamRules._meta.fields_map) - internal
    assert editable <= set(RULES), "a team rule nobody can edit in /settings"
    for spec in RULES.values():
        assert spec.section in SECTIONS
        if spec.kind in (Kind.INT, Kind.MONEY, Kind.RATING):
            assert 0 <= spec.low < spec.high
        if spec.kind in (Kind.CHOICE, Kind.KINDS):
            assert spec.choices
