"""Teams: creating them with their defaults, their members, and their group chat."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tortoise.exceptions import IntegrityError
from tortoise.functions import Count
from tortoise.transactions import in_transaction

from storage import audit
from storage.access import Actor, Invalid, NotFound
from storage.defaults import METRIC_WEIGHTS, STANDARD_STAGES, TIER_LEVELS
from storage.models import (
    Invite,
    MetricWeight,
    PipelineStage,
    Role,
    Team,
    TeamRules,
    TierPolicy,
    User,
)

TEAM_NAME_MAX = 100


def check_timezone(zone: str) -> str:
    """The zone name if it is a real IANA zone, else Invalid."""
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise Invalid("team.bad_timezone", zone=zone) from exc
    return zone


def clean_team_name(raw: str) -> str:
    name = " ".join(raw.split())
    if not name:
        raise Invalid("team.name_empty")
    if len(name) > TEAM_NAME_MAX:
        raise Invalid("team.name_too_long", limit=TEAM_NAME_MAX)
    return name


async def create_team(actor: Actor | None, name: str, timezone: str, *, now: datetime) -> Team:
    """Create a team with its rules, tiers, pipeline and weights, all or nothing.

    ``actor`` is None when the operator creates a team from the command line.
    """
    if actor is not None:
        actor.require(Role.ADMIN)
    name = clean_team_name(name)
    check_timezone(timezone)
    try:
        async with in_transaction():
            team = await Team.create(name=name, timezone=timezone)
            await TeamRules.create(team=team)
            for tier, levels in TIER_LEVELS.items():
                await TierPolicy.create(
                    team=team,
                    tier=tier,
                    reclaim_days=levels.reclaim_days,
                    followup_cadence_days=levels.followup_cadence_days,
                    sla_first_response_minutes=levels.sla_first_response_minutes,
                    sla_resolution_minutes=levels.sla_resolution_minutes,
                )
            await PipelineStage.bulk_create(
                [
                    PipelineStage(
                        team=team,
                        code=stage.code,
                        name=stage.code,
                        position=position,
                        probability=stage.probability,
                        is_won=stage.is_won,
                        is_lost=stage.is_lost,
                    )
                    for position, stage in enumerate(STANDARD_STAGES)
                ]
            )
            await MetricWeight.bulk_create(
                [MetricWeight(team=team, metric=m, weight=w) for m, w in METRIC_WEIGHTS.items()]
            )
            await audit.record(
                "team.create", "team", team.id, now=now, actor=actor, team_id=team.id
            )
    except IntegrityError as exc:
        raise Invalid("team.name_taken", name=name) from exc
    return team


async def ensure_name_free(name: str) -> None:
    """Refuse a name another team already has (create_team re-checks atomically)."""
    if await Team.exists(name=name):
        raise Invalid("team.name_taken", name=name)


async def team_by_name(name: str) -> Team | None:
    return await Team.get_or_none(name=" ".join(name.split()))


@dataclass(frozen=True)
class TeamSummary:
    id: int
    name: str
    timezone: str
    group_title: str | None
    members: int


async def list_teams(actor: Actor) -> list[TeamSummary]:
    """Admins see every team; anyone else just their own."""
    query = Team.filter(archived_at=None)
    if not actor.is_admin:
        query = query.filter(id=actor.team_id or 0)
    teams = await query.annotate(member_count=Count("members")).order_by("name")
    return [
        TeamSummary(
            t.id,
            t.name,
            t.timezone,
            t.group_title if t.group_chat_id else None,
            t.member_count,  # type: ignore[attr-defined]
        )
        for t in teams
    ]


@dataclass(frozen=True)
class Member:
    name: str
    username: str | None
    role: Role


@dataclass(frozen=True)
class TeamOverview:
    team: TeamSummary
    members: list[Member]
    open_invites: int


async def team_overview(actor: Actor, team_id: int | None = None, *, now: datetime) -> TeamOverview:
    """A manager's view of their team: who is in it and how to reach the group."""
    actor.require(Role.ADMIN, Role.MANAGER)
    team_id = team_id if team_id is not None else actor.team_id
    if team_id is None:
        raise NotFound()
    actor.require_team(team_id)
    team = await Team.get_or_none(id=team_id)
    if team is None:
        raise NotFound()
    users = await User.filter(team_id=team_id, is_active=True).exclude(role=Role.CUSTOMER)
    order = [Role.MANAGER, Role.REP, Role.AGENT]
    members = sorted(
        (Member(str(u), u.username, u.role) for u in users if u.role in order),
        key=lambda m: (order.index(m.role), m.name.lower()),
    )
    invites = await Invite.filter(team_id=team_id, used_at=None, expires_at__gt=now).count()
    summary = TeamSummary(
        team.id,
        team.name,
        team.timezone,
        team.group_title if team.group_chat_id else None,
        len(members),
    )
    return TeamOverview(summary, members, invites)


class BindOutcome(StrEnum):
    BOUND = "bound"
    ALREADY = "already"
    MOVED = "moved"
    OTHER_TEAM = "other_team"


@dataclass(frozen=True)
class BindResult:
    outcome: BindOutcome
    team_name: str
    previous_chat_id: int | None = None


async def bind_group(actor: Actor, chat_id: int, title: str, *, now: datetime) -> BindResult:
    """Make ``chat_id`` the team's group for digests and alerts (one group per team)."""
    actor.require(Role.MANAGER)
    if actor.team_id is None:
        raise NotFound()
    async with in_transaction():
        team = await Team.get(id=actor.team_id)
        holder = await Team.get_or_none(group_chat_id=chat_id)
        if holder is not None and holder.id != team.id:
            return BindResult(BindOutcome.OTHER_TEAM, holder.name)
        if team.group_chat_id == chat_id:
            if team.group_title != title:
                await Team.filter(id=team.id).update(group_title=title)
            return BindResult(BindOutcome.ALREADY, team.name)
        previous = team.group_chat_id
        await Team.filter(id=team.id).update(group_chat_id=chat_id, group_title=title)
        await audit.record(
            "team.bind_group",
            "team",
            team.id,
            now=now,
            actor=actor,
            team_id=team.id,
            data={"chat_id": chat_id, "previous": previous},
        )
    outcome = BindOutcome.MOVED if previous else BindOutcome.BOUND
    return BindResult(outcome, team.name, previous)


async def unbind_group(chat_id: int, *, now: datetime) -> str | None:
    """Forget a group the bot was removed from; returns the team's name if one was bound."""
    team = await Team.get_or_none(group_chat_id=chat_id)
    if team is None:
        return None
    await Team.filter(id=team.id).update(group_chat_id=None, group_title=None)
    await audit.record(
        "team.unbind_group", "team", team.id, now=now, team_id=team.id, data={"chat_id": chat_id}
    )
    return team.name


async def move_group(old_chat_id: int, new_chat_id: int) -> None:
    """Follow a group that Telegram upgraded to a supergroup (its id changes)."""
    await Team.filter(group_chat_id=old_chat_id).update(group_chat_id=new_chat_id)


async def team_timezone(team_id: int | None, default: str) -> str:
    if team_id is None:
        return default
    team = await Team.get_or_none(id=team_id)
    return team.timezone if team else default
