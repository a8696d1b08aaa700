"""How the public pool is drawn: /pool, previews, claims, releases, /my and notices (A1).

Every function takes a storage result and a language and returns ``(text, keyboard)``.
Contact data reaches these functions already masked by storage.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from datetime import datetime

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.callbacks import CancelFlow
from bot.callbacks.customers import OpenCustomer
from bot.callbacks.pool import (
    AssignCustomer,
    AssignTo,
    ClaimCustomer,
    DecideExtension,
    MyPage,
    PickReleaseReason,
    PoolFilterClear,
    PoolFilterMenu,
    PoolFilterPick,
    PoolFlowPeriod,
    PoolPage,
    PreviewPoolCustomer,
)
from bot.i18n import Lang, t
from bot.keyboards import button, pager
from bot.render import local_time, truncate
from storage.models import PoolEventKind, Tier
from storage.pool import FilterField, PoolList, PoolPreview
from storage.pool_assign import AssignChoice, AssignResult
from storage.pool_claims import ClaimResult, ReleaseResult, ReleaseTarget, decode_reason
from storage.pool_flow import PERIODS, PoolFlow
from storage.pool_locks import ExtensionDecision, ExtensionRequest, LockResult
from storage.pool_mine import MyList
from storage.pool_rules import ReleaseReason
from storage.reclaim import RepNotice, TeamNotice

View = tuple[str, InlineKeyboardMarkup | None]
DASH = "—"


def _markup(rows: Sequence[Sequence[InlineKeyboardButton]]) -> InlineKeyboardMarkup | None:
    kept = [list(row) for row in rows if row]
    return InlineKeyboardMarkup(kept) if kept else None


def _when(moment: datetime | None, zone: str, fmt: str = "%Y-%m-%d %H:%M") -> str:
    return local_time(moment, zone, fmt) if moment is not None else DASH


def _open_card(lang: Lang, customer_id: int) -> InlineKeyboardMarkup | None:
    return _markup([[button(t(lang, "pool.btn.open_card"), OpenCustomer(customer_id))]])


def tier_name(lang: Lang, tier: Tier) -> str:
    return t(lang, f"pool.tier.{tier.value}")


def reason_text(lang: Lang, stored: str | None) -> str:
    reason, note = decode_reason(stored)
    if note or reason is None:
        return note or DASH
    return t(lang, f"pool.reason.{reason.value}")


# ----- /pool -----


def pool_list(lang: Lang, result: PoolList) -> View:
    page, flt = result.page, result.filter
    lines = [t(lang, "pool.list.header", total=page.total)]
    active = [
        t(lang, "pool.filter.region_is", value=flt.region) if flt.region else "",
        t(lang, "pool.filter.industry_is", value=flt.industry) if flt.industry else "",
        t(lang, "pool.filter.tier_is", value=tier_name(lang, flt.tier)) if flt.tier else "",
        t(lang, "pool.filter.text_is", value=flt.text) if flt.text else "",
    ]
    if flt.active:
        lines.append(t(lang, "pool.filter.active", filters=" · ".join(a for a in active if a)))
    if not page.items:
        lines.append(t(lang, "pool.list.empty_filtered" if flt.active else "pool.list.empty"))
    rows: list[list[InlineKeyboardButton]] = []
    for number, entry in enumerate(page.items, start=page.number * page.size + 1):
        place = " · ".join(v for v in (entry.region, entry.industry) if v) or DASH
        lines.append(
            t(
                lang,
                "pool.list.entry",
                number=number,
                name=entry.name,
                tier=tier_name(lang, entry.tier),
                place=place,
                contact=entry.contact,
                phone=entry.phone,
            )
        )
        row = [button(t(lang, "pool.btn.preview", number=number), PreviewPoolCustomer(entry.id))]
        if result.can_claim:
            row.append(button(t(lang, "pool.btn.claim_n", number=number), ClaimCustomer(entry.id)))
        else:
            row.append(
                button(t(lang, "pool.btn.assign_n", number=number), AssignCustomer(entry.id))
            )
        rows.append(row)
    rows.append(pager(page, PoolPage))  # type: ignore[arg-type]
    filters = [
        button(t(lang, "pool.btn.region"), PoolFilterMenu(FilterField.REGION)),
        button(t(lang, "pool.btn.industry"), PoolFilterMenu(FilterField.INDUSTRY)),
        button(t(lang, "pool.btn.tier"), PoolFilterMenu(FilterField.TIER)),
    ]
    rows.append(filters)
    if flt.active:
        rows.append([button(t(lang, "pool.btn.clear_filters"), PoolFilterClear())])
    return truncate("\n".join(lines)), _markup(rows)


def filter_menu(lang: Lang, field: FilterField, options: Sequence[str]) -> View:
    if not options:
        text = t(lang, "pool.filter.no_values")
    else:
        text = t(lang, f"pool.filter.choose_{field.value}")
    labels = [tier_name(lang, Tier(o)) if field is FilterField.TIER else o for o in options]
    picks = [button(label, PoolFilterPick(field, i)) for i, label in enumerate(labels)]
    rows = [picks[i : i + 2] for i in range(0, len(picks), 2)]
    rows.append([button(t(lang, "pool.btn.any"), PoolFilterPick(field, -1))])
    return text, _markup(rows)


def preview(lang: Lang, card: PoolPreview) -> View:
    lines = [
        t(lang, "pool.preview.header", name=card.name, tier=tier_name(lang, card.tier)),
        t(
            lang,
            "pool.preview.place",
            region=card.region or DASH,
            industry=card.industry or DASH,
        ),
        t(lang, "pool.preview.phone", phone=card.phone, email=card.email),
    ]
    for contact in card.contacts:
        title = f" ({contact.title})" if contact.title else ""
        lines.append(
            t(lang, "pool.preview.contact", name=contact.name, title=title, phone=contact.phone)
        )
    if card.tags:
        lines.append(t(lang, "pool.preview.tags", tags=", ".join(card.tags)))
    if card.in_pool_since is not None:
        since = local_time(card.in_pool_since, card.timezone, "%Y-%m-%d")
        lines.append(t(lang, "pool.preview.since", since=since))
    if card.last_exit is not None:
        key = (
            "pool.preview.reclaimed"
            if card.last_exit is PoolEventKind.RECLAIM
            else "pool.preview.released"
        )
        lines.append(t(lang, key, reason=reason_text(lang, card.last_reason)))
    lines.append(t(lang, "pool.preview.masked"))
    if card.views_left is not None:
        lines.append(t(lang, "pool.preview.views_left", left=card.views_left))
    action = (
        button(t(lang, "pool.btn.claim"), ClaimCustomer(card.id))
        if card.can_claim
        else button(t(lang, "pool.btn.assign"), AssignCustomer(card.id))
    )
    return truncate("\n".join(lines)), _markup([[action]])


def claimed(lang: Lang, result: ClaimResult) -> View:
    deadline = _when(result.deadline, result.timezone)
    text = t(lang, "pool.claimed", **{**asdict(result), "deadline": deadline})
    return text, _open_card(lang, result.customer_id)


# ----- release -----


def release_reasons(lang: Lang, target: ReleaseTarget) -> View:
    rows = [
        [
            button(
                t(lang, f"pool.reason.{reason.value}"),
                PickReleaseReason(target.customer_id, reason),
            )
        ]
        for reason in ReleaseReason
    ]
    rows.append([button(t(lang, "common.cancel"), CancelFlow())])
    return t(lang, "pool.release.ask", name=target.name), _markup(rows)


def released(lang: Lang, result: ReleaseResult) -> str:
    reason = result.note or t(lang, f"pool.reason.{result.reason.value}")
    return t(lang, "pool.released", name=result.name, reason=reason, days=result.cooldown_days)


def released_by_manager(lang: Lang, result: ReleaseResult) -> str:
    return t(lang, "pool.released_notice", name=result.name)


# ----- assign -----


def assign_choices(lang: Lang, choice: AssignChoice) -> View:
    owner = choice.owner_name or t(lang, "pool.assign.in_pool")
    text = t(lang, "pool.assign.ask", name=choice.name, owner=owner)
    if not choice.reps:
        return t(lang, "pool.assign.no_reps", name=choice.name), None
    rows = [
        [
            button(
                t(lang, "pool.assign.rep_full" if rep.at_cap else "pool.assign.rep", **asdict(rep)),
                AssignTo(choice.customer_id, rep.user_id, False),
            )
        ]
        for rep in choice.reps
    ]
    return text, _markup(rows)


def assign_outcome(lang: Lang, result: AssignResult) -> View:
    if result.needs_override:
        anyway = AssignTo(result.customer_id, result.rep_id, True)
        rows = [
            [button(t(lang, "pool.btn.assign_anyway"), anyway)],
            [button(t(lang, "pool.btn.assign_other"), AssignCustomer(result.customer_id))],
        ]
        return t(lang, "pool.assign.over_cap", **asdict(result)), _markup(rows)
    text = t(lang, "pool.assigned", name=result.name, rep=result.rep_name)
    return text, None


def assigned_to_you(lang: Lang, result: AssignResult, manager: str) -> View:
    text = t(lang, "pool.assigned_notice", name=result.name, manager=manager)
    return text, _open_card(lang, result.customer_id)


def moved_away(lang: Lang, result: AssignResult, manager: str) -> str:
    return t(lang, "pool.moved_notice", name=result.name, rep=result.rep_name, manager=manager)


# ----- lock and extension -----


def lock_changed(lang: Lang, result: LockResult) -> str:
    key = "pool.locked" if result.locked else "pool.unlocked"
    return t(lang, key, name=result.name, used=result.used, cap=result.cap)


def extension_asked(lang: Lang, request: ExtensionRequest) -> str:
    return t(lang, "pool.extension.asked", name=request.name)


def extension_request(lang: Lang, request: ExtensionRequest) -> View:
    deadline = _when(request.deadline, request.timezone)
    text = t(
        lang,
        "pool.extension.request",
        rep=request.rep_name,
        name=request.name,
        tier=tier_name(lang, request.tier),
        deadline=deadline,
        days=request.days,
    )
    rows = [
        [
            button(t(lang, "pool.btn.approve"), DecideExtension(request.customer_id, True)),
            button(t(lang, "pool.btn.decline"), DecideExtension(request.customer_id, False)),
        ]
    ]
    return text, _markup(rows)


def extension_decided(lang: Lang, decision: ExtensionDecision) -> str:
    fields = {**asdict(decision), "until": _when(decision.until, decision.timezone)}
    key = "approved_by" if decision.approved and decision.until is not None else "declined_by"
    return t(lang, f"pool.extension.{key}", **fields)


def extension_outcome(lang: Lang, decision: ExtensionDecision) -> str:
    if decision.approved and decision.until is not None:
        until = local_time(decision.until, decision.timezone)
        return t(lang, "pool.extension.approved", name=decision.name, until=until)
    return t(lang, "pool.extension.declined", name=decision.name, manager=decision.manager_name)


# ----- /my -----


def my_list(lang: Lang, result: MyList) -> View:
    page = result.page
    lines = [t(lang, "pool.my.header", **asdict(result))]
    if not page.items:
        lines.append(t(lang, "pool.my.empty"))
    buttons = []
    for number, entry in enumerate(page.items, start=page.number * page.size + 1):
        last = _when(entry.last_followup_at, result.timezone, "%Y-%m-%d")
        if entry.last_followup_at is None:
            last = t(lang, "pool.my.never")
        deadline = _when(entry.deadline, result.timezone)
        state = t(lang, f"pool.my.state.{entry.standing.name.lower()}", deadline=deadline)
        if entry.extension_pending:
            state += " · " + t(lang, "pool.my.extension_pending")
        lines.append(
            t(
                lang,
                "pool.my.entry",
                number=number,
                name=entry.name,
                tier=tier_name(lang, entry.tier),
                last=last,
                state=state,
            )
        )
        buttons.append(button(f"{number}. {entry.name}"[:60], OpenCustomer(entry.id)))
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    rows.append(pager(page, MyPage))  # type: ignore[arg-type]
    return truncate("\n".join(lines)), _markup(rows)


# ----- /poolflow -----


def pool_flow(lang: Lang, flow: PoolFlow) -> View:
    since = local_time(flow.since, flow.timezone, "%Y-%m-%d")
    lines = [t(lang, f"pool.flow.header_{flow.days}", since=since, in_pool=flow.in_pool)]
    if not flow.reps:
        lines.append(t(lang, "pool.flow.quiet"))
    lines += [t(lang, "pool.flow.rep", **asdict(rep)) for rep in flow.reps]
    if flow.bounced:
        lines += ["", t(lang, "pool.flow.bounced")]
        lines += [
            t(lang, "pool.flow.bounce", name=b.name, takes=b.takes, exits=b.exits)
            for b in flow.bounced
        ]
    if flow.at_cap:
        lines += ["", t(lang, "pool.flow.at_cap")]
        lines += [
            t(lang, "pool.flow.cap_rep", name=r.name, owned=r.owned, cap=r.cap) for r in flow.at_cap
        ]
    rows = [
        [
            button(
                ("✓ " if days == flow.days else "") + t(lang, f"pool.flow.period_{days}"),
                PoolFlowPeriod(days),
            )
            for days in PERIODS
        ]
    ]
    return truncate("\n".join(lines)), _markup(rows)


# ----- scheduled notices -----


def _names(lang: Lang, notice: RepNotice, *, deadlines: bool) -> list[str]:
    lines = []
    for listed in notice.customers:
        if deadlines and listed.deadline is not None:
            when = local_time(listed.deadline, notice.timezone)
            lines.append(t(lang, "pool.notice.due", name=listed.name, deadline=when))
        else:
            lines.append(t(lang, "pool.notice.item", name=listed.name))
    if notice.total > len(notice.customers):
        lines.append(t(lang, "pool.notice.more", count=notice.total - len(notice.customers)))
    return lines


def warning_notice(lang: Lang, notice: RepNotice) -> str:
    header = t(lang, "pool.notice.warning", count=notice.total)
    footer = t(lang, "pool.notice.warning_hint")
    return truncate("\n".join([header, *_names(lang, notice, deadlines=True), "", footer]))


def reclaim_notice(lang: Lang, notice: RepNotice) -> str:
    header = t(lang, "pool.notice.reclaimed", count=notice.total)
    return truncate("\n".join([header, *_names(lang, notice, deadlines=False)]))


def team_reclaim_notice(lang: Lang, notice: TeamNotice) -> str:
    lines = [t(lang, "pool.notice.team", team=notice.team_name, count=notice.total)]
    for rep in notice.reps:
        shown = ", ".join(c.name for c in rep.customers)
        more = len(rep.customers) < rep.total
        lines.append(
            t(
                lang,
                "pool.notice.team_rep",
                rep=rep.rep_name,
                count=rep.total,
                names=shown + (" …" if more else ""),
            )
        )
    return truncate("\n".join(lines))
