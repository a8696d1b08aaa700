"""/settings: the team's rules as lists of sections, values and the prompt to change one."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from telegram import InlineKeyboardMarkup

from bot.callbacks.customers import EditRule, PickRuleValue, SettingsSection
from bot.i18n import Lang, t
from bot.keyboards import button, cancel_row, rows
from bot.render import truncate
from bot.views.customers import money
from storage.rules import SECTIONS, Kind, RulesPage, RuleSpec, RuleValue
from storage.teams import TeamSummary


def label(lang: Lang, spec: RuleSpec) -> str:
    text = t(lang, f"settings.rule.{spec.field}")
    if spec.tier is None:
        return text
    return t(
        lang, "settings.tier_rule", tier=t(lang, f"customers.tier.{spec.tier.value}"), rule=text
    )


def shown(lang: Lang, spec: RuleSpec, value: Any, currency: str) -> str:
    """A rule's value as people read it."""
    if value is None:
        return "—"
    if spec.kind is Kind.MONEY:
        return money(int(value), currency)
    if spec.kind is Kind.RATING:
        return f"{float(value):g}"
    if spec.kind is Kind.BOOL:
        return t(lang, "settings.yes" if value else "settings.no")
    if spec.kind is Kind.CHOICE:
        return t(lang, f"settings.choice.{value}")
    if spec.kind is Kind.KINDS:
        return ", ".join(t(lang, f"customers.kind.{k}") for k in value) or "—"
    return str(value)


def team_picker(lang: Lang, teams: Sequence[TeamSummary]) -> tuple[str, InlineKeyboardMarkup]:
    markup = rows((button(team.name, SettingsSection(team.id, "")) for team in teams), width=2)
    return t(lang, "settings.pick_team"), markup


def sections(lang: Lang, page: RulesPage) -> tuple[str, InlineKeyboardMarkup]:
    markup = rows(
        (
            button(t(lang, f"settings.section.{name}"), SettingsSection(page.team_id, name))
            for name in SECTIONS
        ),
        width=2,
    )
    return t(lang, "settings.sections", team=page.team_name), markup


def section(lang: Lang, page: RulesPage) -> tuple[str, InlineKeyboardMarkup]:
    """One section: every rule with its value, and a button per rule to change it."""
    name = t(lang, f"settings.section.{page.section}")
    lines = [t(lang, "settings.section_header", team=page.team_name, section=name)]
    for item in page.values:
        lines.append(
            t(
                lang,
                "settings.line",
                label=label(lang, item.spec),
                value=shown(lang, item.spec, item.value, page.currency),
            )
        )
    lines += ["", t(lang, "settings.tap_to_edit")]
    buttons = [
        button(label(lang, item.spec)[:60], EditRule(page.team_id, item.spec.name))
        for item in page.values
    ]
    markup = rows(buttons, width=1)
    back = [button(t(lang, "settings.back"), SettingsSection(page.team_id, ""))]
    return truncate("\n".join(lines)), InlineKeyboardMarkup([*markup.inline_keyboard, back])


def _allowed(lang: Lang, spec: RuleSpec) -> str:
    if spec.kind is Kind.INT:
        return t(lang, "settings.allowed_int", low=int(spec.low), high=int(spec.high))
    if spec.kind in (Kind.CHOICE, Kind.KINDS):
        names = ", ".join(spec.choices)
        return t(lang, f"settings.allowed_{spec.kind.value}", choices=names)
    return t(lang, f"settings.allowed_{spec.kind.value}")


def prompt(
    lang: Lang, team_id: int, item: RuleValue, currency: str
) -> tuple[str, InlineKeyboardMarkup]:
    """Ask for a new value: what it is now, what is allowed, and buttons where they help."""
    spec = item.spec
    text = t(
        lang,
        "settings.prompt",
        label=label(lang, spec),
        value=shown(lang, spec, item.value, currency),
        allowed=_allowed(lang, spec),
    )
    options: list[tuple[str, str]] = []
    if spec.kind is Kind.BOOL:
        options = [(t(lang, "settings.yes"), "yes"), (t(lang, "settings.no"), "no")]
    elif spec.kind is Kind.CHOICE:
        options = [(t(lang, f"settings.choice.{c}"), c) for c in spec.choices]
    elif spec.kind is Kind.KINDS:
        chosen = set(item.value or [])
        options = [
            (("✓ " if c in chosen else "") + t(lang, f"customers.kind.{c}"), c)
            for c in spec.choices
        ]
    picks = rows(
        (button(text_, PickRuleValue(team_id, spec.name, value)) for text_, value in options),
        width=2,
    )
    last = cancel_row(lang)
    if spec.kind is Kind.KINDS:  # toggles save at once; Done goes back to the section
        last = [button(t(lang, "settings.done"), SettingsSection(team_id, spec.section))]
    return text, InlineKeyboardMarkup([*picks.inline_keyboard, last])


def saved(lang: Lang, item: RuleValue, currency: str) -> str:
    value = shown(lang, item.spec, item.value, currency)
    return t(lang, "settings.saved", label=label(lang, item.spec), value=value)
