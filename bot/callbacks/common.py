"""Buttons shared by every flow."""

from __future__ import annotations

from dataclasses import dataclass

from bot.callbacks.codec import CallbackData, callback


@callback("cancel")
@dataclass(frozen=True)
class CancelFlow(CallbackData):
    """Leave the current form."""


@callback("noop")
@dataclass(frozen=True)
class Noop(CallbackData):
    """A label-only button (e.g. a page counter): answered, changes nothing."""
