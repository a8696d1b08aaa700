"""The team's standard sales stages (B3): each with its goal and checklist of next actions.

Stages are data a team's admin or manager edits with /stages: rename, set the goal, edit the
checklist line by line, reorder, set the probability, add a stage, remove one no deal uses.
A new team's stages (``storage.defaults.STANDARD_STAGES``) carry no text of their own: their
names, goals and checklists are translated from their ``code`` until someone writes custom
text, which ``StageGuide`` tells apart (``None`` means "the default, in the reader's
language"). Won and lost stay at the end of the pipeline with probabilities 100 and 0.
"""

from __future__ import annotations

import secrets
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F
from tortoise.transactions import in_transaction

from storage import audit
from storage.access import Actor, Invalid, NotFound
from storage.defaults import STANDARD_STAGES
from storage.models import (
    Customer,
    Opportunity,
    OpportunityStageChange,
    PipelineStage,
    Role,
    Team,
)

NAME_MAX = 64
GOAL_MAX = 500
LINE_MAX = 120
LINES_MAX = 10
STAGES_MAX = 15
STANDARD_CODES = frozenset(s.code for s in STANDARD_STAGES)
EDITORS = (Role.ADMIN, Role.MANAGER)


def line_tag(line: str) -> int:
    """A short fingerprint of a checklist line: buttons carry it, so a stale one is refused."""
    return zlib.crc32(line.encode()) & 0xFFFF


@dataclass(frozen=True)
class StageGuide:
    """A stage as people read it; ``None`` texts are the defaults translated from ``code``."""

    id: int
    code: str
    name: str | None
    position: int
    probability: int
    is_won: bool
    is_lost: bool
    goal: str | None
    checklist: tuple[str, ...] | None

    @property
    def terminal(self) -> bool:
        return self.is_won or self.is_lost

    @property
    def standard(self) -> bool:
        return self.code in STANDARD_CODES


def guide(stage: PipelineStage) -> StageGuide:
    standard = stage.code in STANDARD_CODES
    return StageGuide(
        stage.id,
        stage.code,
        None if standard and stage.name == stage.code else stage.name,
        stage.position,
        stage.probability,
        stage.is_won,
        stage.is_lost,
        stage.goal.strip() or None,
        tuple(stage.checklist) or None,
    )


@dataclass(frozen=True)
class StageBoard:
    team_id: int
    team: str
    stages: list[StageGuide]
    can_edit: bool


async def _team_of(actor: Actor, team_id: int | None) -> Team:
    team_id = team_id if team_id is not None else actor.team_id
    if team_id is None:
        raise NotFound()
    actor.require_team(team_id)
    team = await Team.get_or_none(id=team_id)
    if team is None:
        raise NotFound()
    return team


async def stage_board(actor: Actor, team_id: int | None = None) -> StageBoard:
    """The team's pipeline in order; reps read it, admins and managers may edit it."""
    actor.require(Role.ADMIN, Role.MANAGER, Role.REP)
    team = await _team_of(actor, team_id)
    stages = await PipelineStage.filter(team_id=team.id).order_by("position", "id")
    return StageBoard(team.id, team.name, [guide(s) for s in stages], actor.has_role(*EDITORS))


@dataclass(frozen=True)
class StageDetail:
    team_id: int
    stage: StageGuide
    deals: int
    """Deals at this stage or that passed through it: such a stage cannot be removed."""
    first: bool
    last: bool
    """First or last of the open stages (it cannot move further that way)."""


async def _editable(actor: Actor, stage_id: int) -> PipelineStage:
    actor.require(*EDITORS)
    stage = await PipelineStage.get_or_none(id=stage_id)
    if stage is None:
        raise NotFound()
    actor.require_team(stage.team_id)
    return stage


async def _deals(stage_id: int) -> int:
    using = await Opportunity.filter(stage_id=stage_id).count()
    return using + await OpportunityStageChange.filter(to_stage_id=stage_id).count()


async def stage_detail(actor: Actor, stage_id: int) -> StageDetail:
    """One stage for editing, with whether it can move or be removed."""
    stage = await _editable(actor, stage_id)
    open_stages = await PipelineStage.filter(
        team_id=stage.team_id, is_won=False, is_lost=False
    ).order_by("position", "id")
    ids = [s.id for s in open_stages]
    first = bool(ids) and ids[0] == stage.id
    last = bool(ids) and ids[-1] == stage.id
    return StageDetail(stage.team_id, guide(stage), await _deals(stage.id), first, last)


async def _save(actor: Actor, stage: PipelineStage, now: datetime, **changes: Any) -> StageDetail:
    async with in_transaction():
        await PipelineStage.filter(id=stage.id).update(**changes)
        await audit.record(
            "stage.edit",
            "stage",
            stage.id,
            now=now,
            actor=actor,
            team_id=stage.team_id,
            data={k: v for k, v in changes.items() if k != "checklist"}
            | ({"checklist": len(changes["checklist"])} if "checklist" in changes else {}),
        )
    return await stage_detail(actor, stage.id)


def clean_name(raw: str) -> str:
    name = " ".join(raw.split())
    if not name:
        raise Invalid("followups.stages.name_empty")
    if len(name) > NAME_MAX:
        raise Invalid("followups.stages.too_long", limit=NAME_MAX)
    return name


def clean_probability(raw: str) -> int:
    text = raw.strip().rstrip("%").strip()
    if not (text.isascii() and text.isdigit()) or not 0 <= int(text) <= 100:
        raise Invalid("followups.stages.bad_probability")
    return int(text)


async def rename_stage(actor: Actor, stage_id: int, name: str, *, now: datetime) -> StageDetail:
    stage = await _editable(actor, stage_id)
    return await _save(actor, stage, now, name=clean_name(name))


async def set_goal(actor: Actor, stage_id: int, goal: str, *, now: datetime) -> StageDetail:
    stage = await _editable(actor, stage_id)
    text = " ".join(goal.split())
    if not text:
        raise Invalid("followups.stages.goal_empty")
    if len(text) > GOAL_MAX:
        raise Invalid("followups.stages.too_long", limit=GOAL_MAX)
    return await _save(actor, stage, now, goal=text)


async def set_probability(actor: Actor, stage_id: int, value: str, *, now: datetime) -> StageDetail:
    stage = await _editable(actor, stage_id)
    if stage.is_won or stage.is_lost:
        raise Invalid("followups.stages.fixed_probability")
    return await _save(actor, stage, now, probability=clean_probability(value))


async def edit_checklist(
    actor: Actor,
    stage_id: int,
    *,
    index: int | None,
    text: str | None,
    tag: int | None,
    defaults: Callable[[str], Sequence[str]],
    now: datetime,
) -> StageDetail:
    """Replace line ``index`` with ``text``, remove it (``text`` None), or add a line at the
    end (``index`` None). A stage still on its default checklist starts from
    ``defaults(code)`` — the lines the editor is shown, in their language. ``tag`` is the
    ``line_tag`` of the line the editor saw, so an edit made on a stale view is refused."""
    stage = await _editable(actor, stage_id)
    lines = list(stage.checklist) or list(defaults(stage.code))
    if index is None:
        if text is None:
            raise Invalid("followups.stages.changed")
        if len(lines) >= LINES_MAX:
            raise Invalid("followups.stages.too_many_lines", limit=LINES_MAX)
        index = len(lines)
    elif not 0 <= index < len(lines) or (tag is not None and line_tag(lines[index]) != tag):
        raise Invalid("followups.stages.changed")
    if text is None:
        if len(lines) == 1 and stage.code in STANDARD_CODES:
            raise Invalid("followups.stages.keep_one_line")
        del lines[index]
    else:
        line = " ".join(text.split())
        if not line:
            raise Invalid("followups.stages.line_empty")
        if len(line) > LINE_MAX:
            raise Invalid("followups.stages.too_long", limit=LINE_MAX)
        lines[index : index + 1] = [line]
    return await _save(actor, stage, now, checklist=lines)


async def move_stage(actor: Actor, stage_id: int, up: bool, *, now: datetime) -> StageDetail:
    """Swap an open stage with its open neighbour; won and lost stay at the end."""
    stage = await _editable(actor, stage_id)
    if stage.is_won or stage.is_lost:
        raise Invalid("followups.stages.terminal_fixed")
    async with in_transaction():
        stages = await PipelineStage.filter(
            team_id=stage.team_id, is_won=False, is_lost=False
        ).order_by("position", "id")
        at = next(i for i, s in enumerate(stages) if s.id == stage.id)
        other = at - 1 if up else at + 1
        if not 0 <= other < len(stages):
            raise Invalid("followups.stages.cannot_move")
        ordered = [s.id for s in stages]
        ordered[at], ordered[other] = ordered[other], ordered[at]
        positions = sorted(s.position for s in stages)
        if len(set(positions)) != len(positions):  # repair ties left by older data
            positions = list(range(positions[0], positions[0] + len(positions)))
        for stage_id_, position in zip(ordered, positions, strict=True):
            await PipelineStage.filter(id=stage_id_).update(position=position)
        await audit.record(
            "stage.move",
            "stage",
            stage.id,
            now=now,
            actor=actor,
            team_id=stage.team_id,
            data={"up": up},
        )
    return await stage_detail(actor, stage.id)


async def add_stage(
    actor: Actor, team_id: int, name: str, probability: str, *, now: datetime
) -> StageDetail:
    """A new open stage just before won and lost."""
    actor.require(*EDITORS)
    team = await _team_of(actor, team_id)
    clean, chance = clean_name(name), clean_probability(probability)
    if await PipelineStage.filter(team_id=team.id).count() >= STAGES_MAX:
        raise Invalid("followups.stages.too_many", limit=STAGES_MAX)
    for _ in range(3):
        try:
            async with in_transaction():
                top = await PipelineStage.filter(team_id=team.id, is_won=False, is_lost=False)
                position = max((s.position for s in top), default=-1) + 1
                await PipelineStage.filter(team_id=team.id, position__gte=position).update(
                    position=F("position") + 1
                )
                stage = await PipelineStage.create(
                    team_id=team.id,
                    code=f"c{secrets.token_hex(4)}",
                    name=clean,
                    position=position,
                    probability=chance,
                )
                await audit.record(
                    "stage.add",
                    "stage",
                    stage.id,
                    now=now,
                    actor=actor,
                    team_id=team.id,
                    data={"name": clean, "probability": chance},
                )
            return await stage_detail(actor, stage.id)
        except IntegrityError:  # a code collision: astronomically rare, try another
            continue
    raise RuntimeError("could not generate a unique stage code")


async def remove_stage(actor: Actor, stage_id: int, *, now: datetime) -> StageBoard:
    """Remove an open stage no deal uses or used; customers at it lose their stage."""
    stage = await _editable(actor, stage_id)
    if stage.is_won or stage.is_lost:
        raise Invalid("followups.stages.terminal_fixed")
    deals = await _deals(stage.id)
    if deals:
        raise Invalid("followups.stages.in_use", count=deals)
    async with in_transaction():
        others = await PipelineStage.filter(
            team_id=stage.team_id, is_won=False, is_lost=False
        ).exclude(id=stage.id)
        if not others:
            raise Invalid("followups.stages.keep_one_stage")
        await Customer.filter(stage_id=stage.id).update(stage_id=None)
        await PipelineStage.filter(id=stage.id).delete()
        await audit.record(
            "stage.remove",
            "stage",
            stage.id,
            now=now,
            actor=actor,
            team_id=stage.team_id,
            data={"code": stage.code, "name": stage.name},
        )
    return await stage_board(actor, stage.team_id)
