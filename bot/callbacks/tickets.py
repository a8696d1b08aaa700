"""Buttons of after-sales tickets (E3)."""

from __future__ import annotations
