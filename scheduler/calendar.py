"""Calendar reminders before each entry and the morning agenda (B5)."""

from __future__ import annotations

from scheduler.runs import JobSpec

JOBS: tuple[JobSpec, ...] = ()
