"""Buttons of leads: the form, imports and assignment."""

from __future__ import annotations
