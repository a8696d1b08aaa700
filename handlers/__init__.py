"""Telegram handlers: thin translations between chat and ``storage`` functions.

Order matters. Group -2 drops edits of old messages (live locations excepted); group -1 holds
the gatekeeper, which identifies the sender of every update
before any feature sees it. Group 0 holds the features and, registered last, the fallbacks —
PTB runs at most one handler per group, so a fallback must share the features' group to
act only when no feature claimed the update.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

from telegram import Update
from telegram.ext import Application, TypeHandler

from bot.access import identify_sender
from bot.errors import on_error
from handlers import (
    calendar,
    checkin,
    customers,
    digest,
    followups,
    general,
    groups,
    invites,
    leads,
    pool,
    settings,
    start,
    teams,
    tickets,
)
from handlers.flow import bind_forms

EDIT_GATE_GROUP = -2
GATEKEEPER_GROUP = -1
FEATURE_GROUP = 0


def register(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    application.add_handler(TypeHandler(Update, general.ignore_edits), group=EDIT_GATE_GROUP)
    application.add_handler(TypeHandler(Update, identify_sender), group=GATEKEEPER_GROUP)
    areas: tuple[ModuleType, ...] = (start, teams, invites, groups, pool, customers, leads)
    areas += (followups, calendar, checkin, digest, tickets, settings, general)
    for module in areas:
        application.add_handlers(module.handlers(), group=FEATURE_GROUP)
    application.add_handlers(general.fallbacks(), group=FEATURE_GROUP)
    bind_forms(application)
    application.add_error_handler(on_error)
