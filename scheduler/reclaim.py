"""The pool reclaim job: warn owners ahead of time, then return overdue customers (A1)."""

from __future__ import annotations

from scheduler.runs import JobSpec

JOBS: tuple[JobSpec, ...] = ()
