"""Shared model pieces: timestamps, actor kinds and money conventions.

Money is stored as integer minor units (cents) with an ISO-4217 currency code beside it:
SQLite has no fixed-point type, and integer sums stay exact on every backend.
All datetimes are stored in UTC (tortoise ``use_tz=True``); teams choose how they are shown.
"""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


class ActorKind(StrEnum):
    """Who or what made a change: the audit trail must say whether a person acted."""

    USER = "user"
    SCHEDULER = "scheduler"
    IMPORT = "import"
    API = "api"
    WEBHOOK = "webhook"
    SYSTEM = "system"


class Timestamped(Model):
    """Creation and last-change times, kept by the database layer."""

    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        abstract = True


def money_field() -> fields.BigIntField:
    """An amount in minor units (cents) — the currency lives in a sibling column."""
    return fields.BigIntField(default=0)


def currency_field() -> fields.CharField[str]:
    """ISO-4217 code — defaults to the team's currency when records are created."""
    return fields.CharField(max_length=3, default="CNY")
