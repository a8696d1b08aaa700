"""The ticket rules as pure functions, with tables of cases."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from storage.access import Invalid
from storage.models import TicketStatus
from storage.tickets_rules import (
    AgentLoad,
    can_reopen,
    choose_agent,
    clean_text,
    deadlines,
    is_away,
    next_deadline,
    reminder_window,
    reopen_until,
)

T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
H = timedelta(hours=1)


@pytest.mark.parametrize(
    ("agents", "cursor", "expected"),
    [
        ([], 0, None),
        ([AgentLoad(1, 0, away=True)], 0, None),
        ([AgentLoad(1, 3), AgentLoad(2, 1), AgentLoad(3, 2)], 0, 2),  # least load wins
        ([AgentLoad(1, 0, away=True), AgentLoad(2, 5)], 0, 2),  # away never gets one
        ([AgentLoad(1, 1), AgentLoad(2, 1), AgentLoad(3, 1)], 0, 1),  # ties: round-robin…
        ([AgentLoad(1, 1), AgentLoad(2, 1), AgentLoad(3, 1)], 1, 2),
        ([AgentLoad(1, 1), AgentLoad(2, 1), AgentLoad(3, 1)], 3, 1),  # …wrapping around
        ([AgentLoad(1, 1), AgentLoad(2, 4), AgentLoad(3, 1)], 1, 3),  # among the tied only
        ([AgentLoad(5, 0), AgentLoad(9, 0)], 7, 9),  # the cursor need not be an agent
    ],
)
def test_choose_agent(agents: list[AgentLoad], cursor: int, expected: int | None) -> None:
    assert choose_agent(agents, cursor) == expected


def test_round_robin_spreads_equal_loads_evenly() -> None:
    loads = {1: 0, 2: 0, 3: 0}
    cursor, picks = 0, []
    for _ in range(6):
        chosen = choose_agent([AgentLoad(i, n) for i, n in loads.items()], cursor)
        assert chosen is not None
        picks.append(chosen)
        loads[chosen] += 1
        cursor = chosen
    assert picks == [1, 2, 3, 1, 2, 3]


@pytest.mark.parametrize(
    ("away", "until", "expected"),
    [(False, None, False), (True, None, True), (False, T0 + H, True), (False, T0, False)],
)
def test_is_away(away: bool, until: datetime | None, expected: bool) -> None:
    assert is_away(away, until, T0) is expected


def test_deadlines_count_from_opening() -> None:
    assert deadlines(T0, 60, 24 * 60) == (T0 + H, T0 + 24 * H)
    assert next_deadline(None, T0 + H, T0 + 24 * H) == T0 + H
    assert next_deadline(T0, T0 + H, T0 + 24 * H) == T0 + 24 * H


@pytest.mark.parametrize(
    ("status", "resolved_at", "days", "now", "expected"),
    [
        (TicketStatus.RESOLVED, T0, 7, T0 + 6 * 24 * H, True),
        (TicketStatus.RESOLVED, T0, 7, T0 + 7 * 24 * H, False),  # the window is half-open
        (TicketStatus.RESOLVED, T0, 0, T0, False),  # 0 days: never
        (TicketStatus.CLOSED, T0, 7, T0 + H, False),  # rated or closed: never
        (TicketStatus.IN_PROGRESS, None, 7, T0, False),
    ],
)
def test_can_reopen(
    status: TicketStatus, resolved_at: datetime | None, days: int, now: datetime, expected: bool
) -> None:
    assert can_reopen(status, resolved_at, days, now) is expected


def test_reopen_until() -> None:
    assert reopen_until(T0, 7) == T0 + 7 * 24 * H
    assert reopen_until(T0, 0) is None and reopen_until(None, 7) is None


@pytest.mark.parametrize(
    ("minutes", "now", "expected"),
    [
        (30, T0 + H - timedelta(minutes=31), False),
        (30, T0 + H - timedelta(minutes=30), True),
        (30, T0 + H - timedelta(seconds=1), True),
        (30, T0 + H, False),  # at the deadline it is an escalation, no longer a reminder
        (0, T0 + H - timedelta(minutes=1), False),
    ],
)
def test_reminder_window(minutes: int, now: datetime, expected: bool) -> None:
    assert reminder_window(T0 + H, minutes, now) is expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  The printer jams.  ", "The printer jams."),
        ("打印机坏了", "打印机坏了"),
        ("line one\nline two", "line one\nline two"),
        ("a\u200bb", "ab"),
        ("\u200b", None),
        ("...", None),
        (" ?! ", None),
        ("x" * 11, None),
    ],
)
def test_clean_text(raw: str, expected: str | None) -> None:
    if expected is None:
        with pytest.raises(Invalid):
            clean_text(raw, limit=10, empty="e", too_long="l")
    else:
        assert clean_text(raw, limit=20, empty="e", too_long="l") == expected
