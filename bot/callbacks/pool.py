"""Buttons of the public pool: claim, release, assign, lock, extension, paging."""

from __future__ import annotations
