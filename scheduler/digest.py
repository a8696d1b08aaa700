"""The daily digest per team, once a day even on restarts (chat-ops)."""

from __future__ import annotations

from scheduler.runs import JobSpec

JOBS: tuple[JobSpec, ...] = ()
