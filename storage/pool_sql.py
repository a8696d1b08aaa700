"""Hand-written SQL for the pool's set-based sweeps, in both dialects we run on.

Tortoise cannot express ``INSERT … SELECT`` or compare one column with another shifted by a
number of days, so the sweep writes those statements itself. ``Sql`` collects parameters in
the connection's placeholder style (``?1…`` for SQLite, ``$1…`` for asyncpg) and renders the few
dialect-specific expressions. Placeholders are numbered in both dialects (``?1`` is SQLite's
spelling of ``$1``), so one placeholder can be used twice. Values are always parameters; the
only things spliced into the text are our own constants (enum values, integers).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from enum import Enum
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient

from storage.models import ContractStatus, InstallmentStatus
from storage.pool_rules import OPEN_INSTALLMENT, RUNNING_CONTRACT


class Sql:
    """Parameters and dialect for one statement."""

    def __init__(self, connection: BaseDBAsyncClient) -> None:
        self.connection = connection
        self.postgres = connection.capabilities.dialect == "postgres"
        self.values: list[Any] = []

    def param(self, value: object) -> str:
        """A placeholder bound to ``value``."""
        self.values.append(value.value if isinstance(value, Enum) else value)
        return f"${len(self.values)}" if self.postgres else f"?{len(self.values)}"

    def timestamp(self, value: datetime) -> str:
        """A placeholder typed as a timestamp (PostgreSQL cannot infer it inside CASE)."""
        return self.param(value) + ("::timestamptz" if self.postgres else "")

    def day(self, value: date) -> str:
        """A placeholder typed as a date."""
        return self.param(value) + ("::date" if self.postgres else "")

    def later_than_shifted(self, column: str, anchor: str, days: str) -> str:
        """SQL for ``column > anchor - days``: two timestamp columns, ``days`` an integer SQL."""
        if self.postgres:
            return f"{column} > {anchor} - make_interval(days => {days})"
        return f"julianday({column}) > julianday({anchor}) - ({days})"

    async def execute(self, statement: str) -> int:
        """Run a data-changing statement; the number of rows it changed."""
        count, _ = await self.connection.execute_query(statement, self.values)
        return int(count)

    async def rows(self, statement: str) -> list[dict[str, Any]]:
        return list(await self.connection.execute_query_dict(statement, self.values))


def literals(values: Iterable[Enum]) -> str:
    """``('a','b')`` from our own enum constants (never user input)."""
    return "(" + ",".join(f"'{v.value}'" for v in values) + ")"


def not_paused(today: str, row: str = "customer") -> Sequence[str]:
    """Conditions saying ``row`` has no open deal, no running contract and nothing to collect.

    ``today`` is SQL for the date a contract must not have ended before (the team's day).
    """
    contracts: tuple[ContractStatus, ...] = RUNNING_CONTRACT
    installments: tuple[InstallmentStatus, ...] = OPEN_INSTALLMENT
    return (
        "NOT EXISTS (SELECT 1 FROM opportunity o"
        f" WHERE o.customer_id = {row}.id AND o.closed_at IS NULL)",
        "NOT EXISTS (SELECT 1 FROM contract k"
        f" WHERE k.customer_id = {row}.id AND k.status IN {literals(contracts)}"
        f" AND (k.ends_on IS NULL OR k.ends_on >= {today}))",
        "NOT EXISTS (SELECT 1 FROM contract k"
        " JOIN paymentplan p ON p.contract_id = k.id"
        " JOIN installment i ON i.plan_id = p.id"
        f" WHERE k.customer_id = {row}.id AND i.status IN {literals(installments)})",
    )
