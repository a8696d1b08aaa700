"""The nightly tier recomputation (A3)."""

from __future__ import annotations

from scheduler.runs import JobSpec

JOBS: tuple[JobSpec, ...] = ()
