"""A team's editable rules: what each one is, its allowed values, reading and changing them.

Every rule is described once in ``RULES`` — its storage (a ``TeamRules`` column, or a
``TierPolicy`` column of one tier), its type and its range — so /settings is one generic
editor: list, pick one, type a value, validated here, saved with an audit entry.
Labels are i18n keys ``settings.rule.<field>``; sections ``settings.section.<section>``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from tortoise.transactions import in_transaction

from storage import audit
from storage.access import Actor, Invalid, NotFound
from storage.models import FollowUpKind, LeadRouting, Role, Team, TeamRules, Tier, TierPolicy


class Kind(StrEnum):
    INT = "int"
    MONEY = "money"
    """Typed in the currency's units (``5000`` or ``5000.50``), stored in cents."""
    RATING = "rating"
    """A score with one decimal, e.g. 3.5."""
    BOOL = "bool"
    CHOICE = "choice"
    KINDS = "kinds"
    """A non-empty set of follow-up kinds, typed comma-separated or picked."""


@dataclass(frozen=True)
class RuleSpec:
    name: str
    """``field`` for a team rule, ``<tier>.<field>`` for a tier's service level."""
    section: str
    kind: Kind
    low: float = 0
    high: float = 0
    choices: tuple[str, ...] = ()
    on_team: bool = False
    """Stored on the ``Team`` row itself rather than in ``TeamRules``."""

    @property
    def tier(self) -> Tier | None:
        head, _, _ = self.name.partition(".")
        return Tier(head) if "." in self.name else None

    @property
    def field(self) -> str:
        return self.name.rpartition(".")[2]


def _int(name: str, section: str, low: int, high: int) -> RuleSpec:
    return RuleSpec(name, section, Kind.INT, low, high)


MONEY_MAX_CENTS = 10**14
TEAM_RULES: tuple[RuleSpec, ...] = (
    _int("owned_cap", "pool", 1, 10_000),
    _int("daily_claim_cap", "pool", 1, 1_000),
    _int("reclaim_days_no_deal", "pool", 1, 3_650),
    _int("reclaim_warning_days", "pool", 0, 60),
    _int("reclaim_cooldown_days", "pool", 0, 365),
    _int("lock_cap", "pool", 0, 100),
    _int("pool_view_daily_cap", "pool", 1, 10_000),
    RuleSpec("tier_key_revenue_cents", "tiers", Kind.MONEY, 1, MONEY_MAX_CENTS),
    RuleSpec("tier_regular_revenue_cents", "tiers", Kind.MONEY, 1, MONEY_MAX_CENTS),
    _int("tier_at_risk_silence_days", "tiers", 1, 3_650),
    RuleSpec("tier_at_risk_rating_below", "tiers", Kind.RATING, 1, 5),
    RuleSpec("lead_routing", "leads", Kind.CHOICE, choices=tuple(r.value for r in LeadRouting)),
    _int("lead_followup_hours", "leads", 1, 720),
    _int("effective_followup_min_chars", "field", 0, 1_000),
    RuleSpec(
        "effective_followup_kinds",
        "field",
        Kind.KINDS,
        choices=tuple(k.value for k in FollowUpKind),
    ),
    _int("reminder_lead_minutes", "field", 0, 1_440),
    _int("calendar_clash_buffer_minutes", "field", 0, 240),
    _int("agenda_hour", "field", 0, 23),
    RuleSpec("digest_hour", "field", Kind.INT, 0, 23, on_team=True),
    _int("checkin_radius_m", "field", 10, 50_000),
    RuleSpec("checkin_photo_required", "field", Kind.BOOL),
    RuleSpec("checkin_live_location", "field", Kind.BOOL),
    _int("checkin_max_accuracy_m", "field", 5, 5_000),
    _int("checkin_photo_minutes", "field", 1, 120),
    _int("ticket_reopen_days", "service", 0, 90),
    _int("low_rating_alert_below", "service", 1, 5),
    _int("sla_reminder_minutes", "service", 0, 1_440),
)
TIER_FIELDS: tuple[tuple[str, int, int], ...] = (
    ("reclaim_days", 1, 3_650),
    ("followup_cadence_days", 1, 365),
    ("sla_first_response_minutes", 5, 43_200),
    ("sla_resolution_minutes", 15, 525_600),
)
TIER_RULES: tuple[RuleSpec, ...] = tuple(
    _int(f"{tier.value}.{name}", tier.value, low, high)
    for tier in Tier
    for name, low, high in TIER_FIELDS
)
RULES: dict[str, RuleSpec] = {spec.name: spec for spec in (*TEAM_RULES, *TIER_RULES)}
SECTIONS: tuple[str, ...] = tuple(dict.fromkeys(spec.section for spec in RULES.values()))


@dataclass(frozen=True)
class RuleValue:
    spec: RuleSpec
    value: Any


@dataclass(frozen=True)
class RulesPage:
    team_id: int
    team_name: str
    currency: str
    section: str | None
    values: list[RuleValue]


def _require_editor(actor: Actor, team_id: int) -> None:
    """Admins edit any team's rules, managers their own; reps and agents nothing."""
    actor.require(Role.ADMIN, Role.MANAGER)
    actor.require_team(team_id)


async def _load(team_id: int) -> tuple[Team, TeamRules, dict[Tier, TierPolicy]]:
    team = await Team.get_or_none(id=team_id, archived_at=None)
    if team is None:
        raise NotFound()
    rules = await TeamRules.get(team_id=team_id)
    policies = {p.tier: p for p in await TierPolicy.filter(team_id=team_id)}
    return team, rules, policies


def _current(spec: RuleSpec, team: Team, rules: TeamRules, policies: dict[Tier, TierPolicy]) -> Any:
    if spec.on_team:
        return getattr(team, spec.field)
    tier = spec.tier
    if tier is None:
        return getattr(rules, spec.field)
    policy = policies.get(tier)
    return getattr(policy, spec.field) if policy is not None else None


async def team_rules(actor: Actor, team_id: int, section: str | None = None) -> RulesPage:
    """The rules of a team (one section, or the sections' overview when ``section`` is None)."""
    _require_editor(actor, team_id)
    if section is not None and section not in SECTIONS:
        raise NotFound()
    team, rules, policies = await _load(team_id)
    specs = [s for s in RULES.values() if section is None or s.section == section]
    values = [RuleValue(s, _current(s, team, rules, policies)) for s in specs]
    return RulesPage(team.id, team.name, team.currency, section, values)


async def rule_value(actor: Actor, team_id: int, rule: str) -> tuple[RuleValue, str]:
    """One rule's current value and the team's currency, before editing it."""
    _require_editor(actor, team_id)
    spec = RULES.get(rule)
    if spec is None:
        raise NotFound()
    team, rules, policies = await _load(team_id)
    return RuleValue(spec, _current(spec, team, rules, policies)), team.currency


_SPLIT = re.compile(r"[\s,，、;；]+")
_TRUE = {"1", "yes", "y", "on", "true", "是", "开", "開"}
_FALSE = {"0", "no", "n", "off", "false", "否", "关", "關"}


def parse_value(spec: RuleSpec, raw: str) -> Any:
    """The typed value of ``raw`` for ``spec``, or Invalid saying what is allowed."""
    text = raw.strip()
    if spec.kind is Kind.INT:
        if not re.fullmatch(r"-?\d{1,12}", text):
            raise Invalid("settings.need_int", low=int(spec.low), high=int(spec.high))
        number = int(text)
        if not spec.low <= number <= spec.high:
            raise Invalid("settings.need_int", low=int(spec.low), high=int(spec.high))
        return number
    if spec.kind is Kind.MONEY:
        return _parse_money(spec, text)
    if spec.kind is Kind.RATING:
        if not re.fullmatch(r"\d(?:[.,]\d)?", text):
            raise Invalid("settings.need_rating", low=spec.low, high=spec.high)
        rating = float(text.replace(",", "."))
        if not spec.low <= rating <= spec.high:
            raise Invalid("settings.need_rating", low=spec.low, high=spec.high)
        return rating
    if spec.kind is Kind.BOOL:
        word = text.casefold()
        if word in _TRUE or word in _FALSE:
            return word in _TRUE
        raise Invalid("settings.need_bool")
    if spec.kind is Kind.CHOICE:
        if text.casefold() in spec.choices:
            return text.casefold()
        raise Invalid("settings.need_choice", choices=", ".join(spec.choices))
    picked = [part.casefold() for part in _SPLIT.split(text) if part]
    if not picked or any(part not in spec.choices for part in picked):
        raise Invalid("settings.need_kinds", choices=", ".join(spec.choices))
    return [kind for kind in spec.choices if kind in picked]


def _parse_money(spec: RuleSpec, text: str) -> int:
    cleaned = text.replace(",", "").replace(" ", "").replace("_", "")
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        amount = Decimal(-1)
    cents = amount * 100
    if not amount.is_finite() or cents != cents.to_integral_value():
        raise Invalid("settings.need_money", high=int(spec.high) // 100)
    if not spec.low <= cents <= spec.high:
        raise Invalid("settings.need_money", high=int(spec.high) // 100)
    return int(cents)


def _check_together(
    spec: RuleSpec, value: Any, rules: TeamRules, policy: TierPolicy | None
) -> None:
    """Rules that only make sense relative to another one."""
    if spec.name == "tier_key_revenue_cents" and value < rules.tier_regular_revenue_cents:
        raise Invalid("settings.key_below_regular")
    if spec.name == "tier_regular_revenue_cents" and value > rules.tier_key_revenue_cents:
        raise Invalid("settings.key_below_regular")
    if policy is not None:
        if spec.field == "sla_resolution_minutes" and value < policy.sla_first_response_minutes:
            raise Invalid("settings.resolution_before_response")
        if spec.field == "sla_first_response_minutes" and value > policy.sla_resolution_minutes:
            raise Invalid("settings.resolution_before_response")


async def update_rule(
    actor: Actor, team_id: int, rule: str, raw_value: str, now: datetime
) -> RuleValue:
    """Validate ``raw_value`` for ``rule`` and save it with an audit entry."""
    _require_editor(actor, team_id)
    spec = RULES.get(rule)
    if spec is None:
        raise NotFound()
    value = parse_value(spec, raw_value)
    async with in_transaction():
        team, rules, policies = await _load(team_id)
        tier = spec.tier
        policy = policies.get(tier) if tier is not None else None
        if tier is not None and policy is None:
            raise NotFound()
        _check_together(spec, value, rules, policy)
        old = _current(spec, team, rules, policies)
        if spec.on_team:
            await Team.filter(id=team_id).update(**{spec.field: value})
        elif policy is not None:
            await TierPolicy.filter(id=policy.id).update(**{spec.field: value})
        else:
            await TeamRules.filter(id=rules.id).update(**{spec.field: value})
        await audit.record(
            "settings.update",
            "team",
            team_id,
            now=now,
            actor=actor,
            team_id=team_id,
            data={"rule": spec.name, "old": old, "new": value},
        )
    return RuleValue(spec, value)


async def pick_rule_value(
    actor: Actor, team_id: int, rule: str, value: str, now: datetime
) -> RuleValue:
    """A value tapped on a button: sets a yes/no or a choice; toggles one follow-up kind."""
    spec = RULES.get(rule)
    if spec is None or spec.kind not in (Kind.BOOL, Kind.CHOICE, Kind.KINDS):
        raise NotFound()
    if spec.kind is not Kind.KINDS:
        return await update_rule(actor, team_id, rule, value, now)
    current, _currency = await rule_value(actor, team_id, rule)
    chosen = set(current.value or [])
    chosen ^= {value}
    if not chosen:
        raise Invalid("settings.need_one_kind")
    return await update_rule(actor, team_id, rule, ",".join(sorted(chosen)), now)
