"""Importing a CSV/XLSX lead list (D3): stream, validate, dedupe, insert and route per batch.

The file is read a batch at a time in a worker thread (``asyncio.to_thread``), so a
100,000-row file neither sits in memory nor blocks the event loop. Each batch is checked
against the database with ``in`` filters (duplicates inside the file are caught the same way:
earlier batches are already in the table), inserted with one ``bulk_create`` in its own
transaction, and routed by the team's rules. Failed and duplicate rows go to an error-report
CSV as they are found. Memory stays flat: nothing file-sized is kept.
"""

from __future__ import annotations

import asyncio
import csv
import itertools
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from tortoise.transactions import in_transaction

from storage import audit
from storage.access import Actor, Invalid, NotFound
from storage.assignment import LeadFacts, followup_title
from storage.assignment_store import Router, RoutingOutcome, managers_of
from storage.lead_import_checks import CleanLead, Known, clean_row, find_known
from storage.lead_import_files import MAX_ROWS, Sheet, SheetBroken, open_sheet
from storage.models import (
    ActorKind,
    Campaign,
    ImportBatch,
    ImportStatus,
    Lead,
    Role,
    Task,
    Team,
)
from storage.normalize import name_key

BATCH_SIZE = 500
RELOAD_EVERY = 10
"""Batches between reloads of the reps' loads from the database; in between, the router
counts what this import assigned itself, so only assignments made elsewhere during those
few seconds are not seen until the next reload."""
Explain = Callable[[str, dict[str, Any]], str]
"""Turns a problem code and its parameters into the reader's language (for the report)."""


@dataclass(frozen=True)
class ImportProgress:
    rows: int
    imported: int
    duplicates: int
    failed: int


@dataclass
class ImportSummary:
    batch_id: int
    file_name: str
    kind: str
    total: int = 0
    imported: int = 0
    duplicates: int = 0
    failed: int = 0
    truncated: bool = False
    stopped_at: int | None = None
    ignored_columns: list[str] = field(default_factory=list)
    report: Path | None = None
    outcome: RoutingOutcome | None = None

    @property
    def progress(self) -> ImportProgress:
        return ImportProgress(self.total, self.imported, self.duplicates, self.failed)


@dataclass(frozen=True)
class _Parsed:
    number: int
    cells: list[str]
    lead: CleanLead | None
    problem: tuple[str, dict[str, Any]] | None


def _read_batch(
    sheet: Sheet, size: int, country: str, campaigns: dict[str, int]
) -> tuple[list[_Parsed], int | None]:
    """The next ``size`` rows, checked (runs in a worker thread); and where the file broke."""
    parsed: list[_Parsed] = []
    try:
        for number, cells in itertools.islice(sheet.rows, size):
            try:
                lead = clean_row(sheet.values(cells), country, campaigns)
                parsed.append(_Parsed(number, cells, lead, None))
            except Invalid as problem:
                parsed.append(_Parsed(number, cells, None, (problem.code, problem.params)))
    except SheetBroken as broken:
        return parsed, broken.row
    return parsed, None


def _has_more(sheet: Sheet) -> bool:
    """Peek past the row cap (runs in a worker thread)."""
    try:
        first = next(sheet.rows, None)
    except SheetBroken:
        return True
    if first is None:
        return False
    sheet.rows = itertools.chain([first], sheet.rows)
    return True


def _safe(cell: str) -> str:
    """Keep spreadsheet apps from running a report cell as a formula."""
    if cell[:1] in ("=", "@", "\t", "\r") or (cell[:1] in ("+", "-") and not cell[1:2].isdigit()):
        return "'" + cell
    return cell


def _duplicate(known: Known, batch_id: int) -> tuple[str, dict[str, Any]]:
    if known.kind == "customer":
        return "leads.import.dup_customer", {"name": known.name, "field": known.matched}
    if known.import_batch_id == batch_id:
        return "leads.import.dup_in_file", {"field": known.matched}
    return "leads.import.dup_lead", {"name": known.name, "field": known.matched}


class _Report:
    """The error-report CSV, opened on the first problem row (UTF-8 with BOM for Excel)."""

    def __init__(self, path: Path | None, header: list[str], explain: Explain) -> None:
        self.path, self.header, self.explain = path, header, explain
        self.handle: IO[str] | None = None
        self.rows = 0

    def write(self, lines: list[list[str]]) -> None:
        if self.path is None or not lines:
            return
        if self.handle is None:
            self.handle = self.path.open("w", encoding="utf-8-sig", newline="")
            first = self.explain("leads.import.report_row", {})
            last = self.explain("leads.import.report_reason", {})
            csv.writer(self.handle).writerow([first, *self.header, last])
        csv.writer(self.handle).writerows(lines)
        self.rows += len(lines)

    def close(self) -> None:
        if self.handle is not None:
            self.handle.close()


async def import_leads(
    actor: Actor,
    team_id: int,
    path: Path,
    *,
    file_name: str,
    now: datetime,
    rng: random.Random,
    explain: Explain,
    report_path: Path | None = None,
    campaign_id: int | None = None,
    progress: Callable[[ImportProgress], Awaitable[None]] | None = None,
    batch_size: int = BATCH_SIZE,
    max_rows: int = MAX_ROWS,
) -> ImportSummary:
    """Import a lead file for ``team_id``; the summary says what became of every row.

    Raises Invalid before anything is written when the file is not a usable lead list.
    Rows without a campaign of their own are attributed to ``campaign_id`` when given.
    """
    actor.require(Role.ADMIN, Role.MANAGER)
    actor.require_team(team_id)
    team = await Team.get_or_none(id=team_id)
    if team is None:
        raise NotFound()
    if campaign_id is not None and not await Campaign.exists(id=campaign_id, team_id=team_id):
        raise NotFound()
    names = await Campaign.filter(team_id=team_id).values_list("id", "name")
    campaigns = {name_key(name): cid for cid, name in names}
    sheet = await asyncio.to_thread(open_sheet, path)
    report = _Report(report_path, sheet.header, explain)
    batch = await ImportBatch.create(
        team_id=team_id, user_id=actor.user_id, file_name=file_name[:255], started_at=now
    )
    summary = ImportSummary(batch.id, file_name, sheet.kind, ignored_columns=sheet.ignored)
    summary.outcome = RoutingOutcome(team_id)
    newest = await Lead.all().order_by("-id").first()
    run = _Run(
        batch.id, team_id, campaign_id, now, rng, summary.outcome, newest.id if newest else 0
    )
    try:
        if progress is not None:
            await progress(summary.progress)
        while summary.stopped_at is None:
            size = min(batch_size, max_rows - summary.total)
            if size <= 0:
                summary.truncated = await asyncio.to_thread(_has_more, sheet)
                break
            parsed, broken = await asyncio.to_thread(
                _read_batch, sheet, size, team.country, campaigns
            )
            summary.stopped_at = broken
            if not parsed:
                break
            problems = await _store_batch(run, parsed, summary)
            lines = [[str(p.number), *map(_safe, p.cells), explain(*why)] for p, why in problems]
            await asyncio.to_thread(report.write, lines)
            await ImportBatch.filter(id=batch.id).update(
                total_rows=summary.total,
                imported_rows=summary.imported,
                duplicate_rows=summary.duplicates,
                failed_rows=summary.failed,
            )
            if progress is not None:
                await progress(summary.progress)
    except BaseException:
        await ImportBatch.filter(id=batch.id).update(status=ImportStatus.FAILED, finished_at=now)
        raise
    finally:
        report.close()
        await asyncio.to_thread(sheet.close)
    summary.report = report_path if report.rows else None
    if summary.outcome.waiting:
        summary.outcome.managers = await managers_of(team_id)
    await ImportBatch.filter(id=batch.id).update(status=ImportStatus.DONE, finished_at=now)
    await audit.record(
        "lead.import",
        "import",
        batch.id,
        now=now,
        actor=actor,
        actor_kind=ActorKind.IMPORT,
        team_id=team_id,
        data={"total": summary.total, "imported": summary.imported, "failed": summary.failed},
    )
    return summary


@dataclass
class _Run:
    """What one import carries from batch to batch."""

    batch_id: int
    team_id: int
    campaign_id: int | None
    now: datetime
    rng: random.Random
    outcome: RoutingOutcome
    last_id: int
    batches: int = 0
    router: Router | None = None


async def _store_batch(
    run: _Run, parsed: list[_Parsed], summary: ImportSummary
) -> list[tuple[_Parsed, tuple[str, dict[str, Any]]]]:
    """Dedupe, insert and route one batch in one transaction; returns the rows that failed."""
    problems: list[tuple[_Parsed, tuple[str, dict[str, Any]]]] = []
    good = [p.lead for p in parsed if p.lead is not None]
    async with in_transaction():
        known = await find_known(
            run.team_id,
            (lead.phone or "" for lead in good),
            (lead.email or "" for lead in good),
            (lead.company_key for lead in good),
        )
        seen: dict[str, set[str]] = {"phone": set(), "email": set(), "company": set()}
        fresh: list[CleanLead] = []
        for row in parsed:
            if row.lead is None:
                assert row.problem is not None
                problems.append((row, row.problem))
                summary.failed += 1
                continue
            lead = row.lead
            keys = {"phone": lead.phone, "email": lead.email, "company": lead.company_key}
            match = known.match(lead)
            repeated = next((k for k, v in keys.items() if v and v in seen[k]), None)
            if match is not None:
                problems.append((row, _duplicate(match, run.batch_id)))
            elif repeated is not None:
                problems.append((row, ("leads.import.dup_in_file", {"field": repeated})))
            else:
                for k, v in keys.items():
                    if v:
                        seen[k].add(v)
                fresh.append(lead)
                continue
            summary.duplicates += 1
        summary.total += len(parsed)
        if fresh:
            await _insert(run, fresh)
            summary.imported += len(fresh)
    return problems


async def _insert(run: _Run, leads: list[CleanLead]) -> None:
    """Route in memory, insert with one statement, then the assignees' follow-up tasks."""
    if run.router is None or run.batches % RELOAD_EVERY == 0:
        run.router = await Router.open(run.team_id, now=run.now, rng=run.rng)
    else:
        await run.router.relock()
    run.batches += 1
    router = run.router
    decisions = [router.decide(LeadFacts(lead.region, lead.industry)) for lead in leads]
    await Lead.bulk_create(
        [
            Lead(
                team_id=run.team_id,
                name=lead.name,
                company=lead.company,
                company_key=lead.company_key,
                phone=lead.phone,
                email=lead.email,
                region=lead.region,
                industry=lead.industry,
                campaign_id=lead.campaign_id or run.campaign_id,
                source=lead.source or "import",
                note=lead.note,
                import_batch_id=run.batch_id,
                **router.lead_fields(decision),
            )
            for lead, decision in zip(leads, decisions, strict=True)
        ]
    )
    rows = (
        await Lead.filter(import_batch_id=run.batch_id, id__gt=run.last_id)
        .order_by("id")
        .values("id")
    )
    ids = [int(row["id"]) for row in rows]
    if len(ids) != len(leads):
        raise RuntimeError("imported leads could not be matched to their rows")
    run.last_id = ids[-1]
    tasks = []
    for lead_id, lead, decision in zip(ids, leads, decisions, strict=True):
        if decision.rep_id is None:
            run.outcome.wait(decision)
            continue
        title = followup_title(lead.name, lead.company)
        tasks.append(router.followup(lead_id, decision.rep_id, title, None))
        run.outcome.add(router.tally(decision.rep_id), lead_id)
    if tasks:
        await Task.bulk_create(tasks)
    await router.save()


async def import_campaigns(actor: Actor, team_id: int) -> list[tuple[int, str]]:
    """The campaigns an import for ``team_id`` may be attributed to, newest first."""
    actor.require(Role.ADMIN, Role.MANAGER)
    actor.require_team(team_id)
    if not await Team.exists(id=team_id):
        raise NotFound()
    found = await (
        Campaign.filter(team_id=team_id).order_by("-starts_on", "-id").limit(8).values("id", "name")
    )
    return [(int(row["id"]), str(row["name"])) for row in found]
