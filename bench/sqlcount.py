"""Counting the SQL statements code sends through tortoise — for benchmarks, not for tests.

``count_statements()`` wraps the ``execute_*`` methods of the default connection's client
class and of its subclasses (transactions run on a subclass: ``SqliteTransactionWrapper``,
asyncpg's ``TransactionWrapper``), records each outermost call's SQL, and restores the
methods on exit. ``BEGIN``/``COMMIT`` are driver calls, not statements, and are not counted.

    with count_statements() as log:
        await reclaim.reclaim_overdue(now=now)
    print(log.count, log.statements)
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Coroutine, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from tortoise import connections

METHODS = (
    "execute_query",
    "execute_query_dict",
    "execute_insert",
    "execute_many",
    "execute_script",
)
_depth: ContextVar[int] = ContextVar("sqlcount_depth", default=0)


@dataclass
class StatementLog:
    statements: list[str] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)
    """Wall time of each statement, in the same order."""

    @property
    def count(self) -> int:
        return len(self.statements)

    def summary(self) -> dict[str, int]:
        """Statements by their first word (SELECT, UPDATE, INSERT…)."""
        kinds: dict[str, int] = {}
        for statement in self.statements:
            word = statement.lstrip().split(None, 1)[0].upper() if statement.strip() else "?"
            kinds[word] = kinds.get(word, 0) + 1
        return kinds


def _subclasses(cls: type) -> set[type]:
    found: set[type] = {cls}
    sub: type
    for sub in cls.__subclasses__():
        found |= _subclasses(sub)
    return found


def _counted(
    method: Callable[..., Coroutine[Any, Any, Any]], log: StatementLog
) -> Callable[..., Coroutine[Any, Any, Any]]:
    @functools.wraps(method)
    async def counted(self: Any, query: str, *args: Any, **kwargs: Any) -> Any:
        outer = _depth.get() == 0
        token = _depth.set(_depth.get() + 1)
        start = time.perf_counter()
        try:
            return await method(self, query, *args, **kwargs)
        finally:
            _depth.reset(token)
            if outer:
                log.statements.append(query)
                log.seconds.append(time.perf_counter() - start)

    return counted


@contextmanager
def count_statements(connection_name: str = "default") -> Iterator[StatementLog]:
    """Record every statement sent on ``connection_name`` (and its transactions) meanwhile."""
    client = connections.get(connection_name)
    log = StatementLog()
    saved: list[tuple[type, str, Any]] = []
    for cls in _subclasses(type(client)):
        for name in METHODS:
            if name in vars(cls):
                saved.append((cls, name, vars(cls)[name]))
                setattr(cls, name, _counted(vars(cls)[name], log))
    try:
        yield log
    finally:
        for cls, name, original in reversed(saved):
            setattr(cls, name, original)
