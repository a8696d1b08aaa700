"""Buttons of customer cards, their timeline, tier overrides and /newcustomer."""

from __future__ import annotations
