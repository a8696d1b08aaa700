"""Buttons of onboarding: language, invites, a new team's time zone."""

from __future__ import annotations

from dataclasses import dataclass

from bot.callbacks.codec import CallbackData, callback
from bot.i18n import Lang
from storage.models import Role


@callback("lang")
@dataclass(frozen=True)
class PickLanguage(CallbackData):
    lang: Lang


@callback("inv")
@dataclass(frozen=True)
class PickInvite(CallbackData):
    role: Role
    team_id: int


@callback("ntz")
@dataclass(frozen=True)
class PickTeamZone(CallbackData):
    zone: str
