"""Buttons of the daily digest (chat-ops)."""

from __future__ import annotations
