"""A scheduled job acts once per period, however often it ticks and on however many instances."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

import pytest

from scheduler.runs import daily_period, run_once
from storage.models import JobRun

NOW = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)


async def test_two_instances_ticking_at_once_act_once(db: str) -> None:
    acted: list[str] = []

    async def work_for(instance: str) -> Any:
        async def work() -> dict[str, Any]:
            acted.append(instance)
            return {"by": instance}

        return await run_once("digest", daily_period(NOW), work, instance=instance, now=lambda: NOW)

    results = await asyncio.gather(*(work_for(f"host-{i}") for i in range(5)))
    assert len(acted) == 1
    assert sum(r is not None for r in results) == 1
    run = await JobRun.get(job="digest", period="2026-03-02")
    assert run.finished_at == NOW and run.result == {"by": acted[0]}


async def test_a_failed_run_is_retried_on_the_next_tick(db: str) -> None:
    async def broken() -> dict[str, Any]:
        raise RuntimeError("smtp down")

    async def fine() -> dict[str, Any]:
        return {"ok": True}

    with pytest.raises(RuntimeError):
        await run_once("digest", "p1", broken, instance="a", now=lambda: NOW)
    assert await run_once("digest", "p1", fine, instance="a", now=lambda: NOW) == {"ok": True}
    assert await run_once("digest", "p1", fine, instance="b", now=lambda: NOW) is None
