"""Lead jobs: routing leads that wait for a rep with capacity (B1)."""

from __future__ import annotations

from scheduler.runs import JobSpec

JOBS: tuple[JobSpec, ...] = ()
