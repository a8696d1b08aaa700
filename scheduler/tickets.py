"""Ticket SLAs: reminders before deadlines, escalation and breaches (E3)."""

from __future__ import annotations

from scheduler.runs import JobSpec

JOBS: tuple[JobSpec, ...] = ()
