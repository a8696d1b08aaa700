"""Turning storage results into Telegram HTML; the one place each kind of record is drawn."""

from __future__ import annotations

import html
import re
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.i18n import Lang, t
from storage.models import Role
from storage.teams import TeamOverview, TeamSummary

CALLBACK_ANSWER_LIMIT = 200
MESSAGE_LIMIT = 4096

_TAG = re.compile(r"<[^>]+>")


def plain_text(message: str, limit: int = CALLBACK_ANSWER_LIMIT) -> str:
    """A Telegram-HTML message as plain text, e.g. for a callback-query answer (≤200 chars)."""
    text = html.unescape(_TAG.sub("", message))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def role_name(lang: Lang, role: Role | None) -> str:
    return t(lang, f"role.{role.value}" if role else "role.none")


def local_time(moment: datetime, zone: str, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A UTC instant as wall-clock time in the team's zone."""
    return moment.astimezone(ZoneInfo(zone)).strftime(fmt)


def team_line(lang: Lang, team: TeamSummary) -> str:
    group = team.group_title or t(lang, "team.no_group")
    return t(
        lang,
        "team.line",
        name=team.name,
        members=team.members,
        timezone=team.timezone,
        group=group,
    )


def team_overview(lang: Lang, overview: TeamOverview) -> str:
    lines = [t(lang, "team.header", name=overview.team.name), team_line(lang, overview.team), ""]
    if not overview.members:
        lines.append(t(lang, "team.no_members"))
    for member in overview.members:
        handle = f" @{member.username}" if member.username else ""
        lines.append(
            t(
                lang,
                "team.member",
                name=member.name,
                handle=handle,
                role=role_name(lang, member.role),
            )
        )
    lines += ["", t(lang, "team.open_invites", count=overview.open_invites)]
    return truncate("\n".join(lines))


def truncate(message: str, limit: int = MESSAGE_LIMIT) -> str:
    """Cut a long HTML message at a line break so it stays under Telegram's limit."""
    if len(message) <= limit:
        return message
    cut = message.rfind("\n", 0, limit - 2)
    return message[: cut if cut > 0 else limit - 2] + "\n…"
