"""The customer card, its timeline and /find results: the one place a customer is drawn.

(The /newcustomer form's prompts and summary are in ``bot.views.customers_form``.)

Every section of the card appears only when it has something to show. The keyboard is a
table (``CARD_BUTTONS``): a later feature adds its button with one line and one flag on
``storage.cards.CardActions``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.callbacks import CallbackData
from bot.callbacks.calendar import PlanVisit
from bot.callbacks.checkin import CheckInAt
from bot.callbacks.customers import (
    CustomerTimeline,
    FindPage,
    InviteContact,
    OpenCustomer,
    OverrideTier,
    PickTier,
    RemoveOverride,
    TurnTimeline,
)
from bot.callbacks.followups import LogFollowUp, PickCustomerStage
from bot.callbacks.pool import (
    AssignCustomer,
    ClaimCustomer,
    LockCustomer,
    ReleaseCustomer,
    RequestExtension,
)
from bot.i18n import Lang, t
from bot.keyboards import button, cancel_row, pager, rows
from bot.render import local_time, truncate
from bot.views.followups import stage_lines, stage_name
from bot.views.leads import source_name
from storage.cards import CardActions, CustomerCard
from storage.customers import CustomerHit
from storage.models import Tier
from storage.paging import Page
from storage.tiering import RULE_TIERS
from storage.timeline import TimelineEntry, TimelinePage

NOTE_CHARS = 80


def money(cents: int, currency: str) -> str:
    """``CNY 1,234.50``; whole amounts without decimals."""
    sign = "-" if cents < 0 else ""
    units, rest = divmod(abs(cents), 100)
    return f"{currency} {sign}{units:,}" + (f".{rest:02d}" if rest else "")


def amounts(by_currency: dict[str, int]) -> str:
    return " + ".join(money(v, c) for c, v in sorted(by_currency.items())) or "0"


def tier_name(lang: Lang, tier: Tier) -> str:
    return t(lang, f"customers.tier.{tier.value}")


def _short(text: str, limit: int = NOTE_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# ----- the card -----


def _tier_lines(lang: Lang, card: CustomerCard, now: datetime) -> list[str]:
    """The tier, why (the rule and the figures behind it), and a hint if today differs."""
    view, currency = card.tier, card.currency
    lines = [t(lang, "customers.card.tier", tier=tier_name(lang, view.tier))]
    m, th = view.metrics, view.thresholds
    if card.masked or m is None:
        return lines
    figures = {
        "revenue": money(m.revenue_cents, currency),
        "paid": money(m.paid_cents, currency),
        "key": money(th.key_revenue_cents, currency),
        "regular": money(th.regular_revenue_cents, currency),
        "days": m.days_silent(now) if m.last_contact_at else "—",
        "limit": th.silence_days,
        "rating": f"{m.avg_rating:.1f}" if m.avg_rating is not None else "—",
        "below": f"{th.rating_below:g}",
        "ratings": m.rating_count,
        "deals": m.open_opportunities,
    }
    if view.overridden:
        lines.append(t(lang, "customers.why.override", reason=view.override_reason or "—"))
    else:
        rule = view.rule if view.rule in RULE_TIERS else "none"
        lines.append(t(lang, f"customers.why.{rule}", **figures))
    lines.append(t(lang, "customers.card.tier_figures", **figures))
    if view.suggested is not None:
        lines.append(t(lang, "customers.card.tier_hint", tier=tier_name(lang, view.suggested)))
    return lines


def _owner_line(lang: Lang, card: CustomerCard) -> str:
    own, zone = card.ownership, card.timezone
    if own.owner is None:
        return t(lang, "customers.card.in_pool")
    since = local_time(own.owned_since, zone, "%Y-%m-%d") if own.owned_since else "—"
    parts = [t(lang, "customers.card.owner", owner=own.owner, since=since)]
    if own.locked:
        parts.append(t(lang, "customers.card.locked"))
    if own.extended_until is not None:
        until = local_time(own.extended_until, zone, "%Y-%m-%d")
        parts.append(t(lang, "customers.card.extended", until=until))
    elif own.extension_requested:
        parts.append(t(lang, "customers.card.extension_requested"))
    return " · ".join(parts)


def _basics(lang: Lang, card: CustomerCard) -> list[str]:
    lines = [t(lang, "customers.card.title", name=card.name, id=card.id)]
    place = [p for p in (card.address, card.region, card.industry) if p]
    if place:
        lines.append(
            t(lang, "customers.card.place", place=" · ".join(_short(p, 120) for p in place))
        )
    if card.location is not None:
        lat, lon = card.location
        lines.append(t(lang, "customers.card.location", lat=f"{lat:.5f}", lon=f"{lon:.5f}"))
    if card.tags:
        lines.append(t(lang, "customers.card.tags", tags=", ".join(card.tags)))
    reach = [p for p in (card.phone, card.email) if p]
    if reach:
        lines.append(t(lang, "customers.card.reach", reach=" · ".join(reach)))
    for c in card.contacts[:5]:
        extra = [x for x in (c.title, c.phone, c.email) if x]
        star = " ★" if c.decision_maker else ""
        detail = "".join(" · " + x for x in extra)
        lines.append(t(lang, "customers.card.contact", name=c.name + star, extra=detail))
    return lines


def _activity(lang: Lang, card: CustomerCard, now: datetime) -> list[str]:
    zone, lines, activity = card.timezone, [], card.activity
    if activity is not None and activity.last_followup is not None:
        f = activity.last_followup
        lines.append(
            t(
                lang,
                "customers.card.last_followup",
                at=local_time(f.at, zone),
                kind=t(lang, f"customers.kind.{f.kind}"),
                rep=f.rep,
                note=_short(f.note),
            )
        )
    if activity is not None and activity.next_step is not None:
        s = activity.next_step
        key = "customers.card.next_planned" if s.planned else "customers.card.next_step"
        lines.append(t(lang, key, at=local_time(s.at, zone), text=_short(s.text)))
    if activity is not None and activity.checkins:
        last = activity.checkins[0]
        distance = f"{last.distance_m:.0f}" if last.distance_m is not None else "?"
        lines.append(
            t(
                lang,
                "customers.card.checkins_flagged" if last.flagged else "customers.card.checkins",
                count=activity.checkins_total,
                at=local_time(last.at, zone),
                rep=last.rep,
                distance=distance,
            )
        )
    if card.tasks:
        lines.append(t(lang, "customers.card.tasks"))
        for task in card.tasks:
            key = "customers.card.task_overdue" if task.overdue else "customers.card.task"
            lines.append(
                t(lang, key, title=task.title, due=local_time(task.due_at, zone), who=task.assignee)
            )
        if card.more_tasks:
            lines.append(t(lang, "customers.card.more"))
    return lines


def _business(lang: Lang, card: CustomerCard) -> list[str]:
    lines, deals = [], card.deals
    if deals.open or deals.won or deals.lost:
        lines.append(
            t(
                lang,
                "customers.card.deals",
                open=len(deals.open),
                won=deals.won,
                lost=deals.lost,
                pipeline=amounts(deals.pipeline),
                weighted=amounts(deals.weighted),
            )
        )
        for d in deals.open[:5]:
            lines.append(
                t(
                    lang,
                    "customers.card.deal",
                    title=d.title,
                    stage=stage_name(lang, d.stage),
                    probability=d.probability,
                    amount=money(d.amount_cents, d.currency),
                    weighted=money(d.weighted_cents, d.currency),
                    close=d.expected_close_on.isoformat(),
                )
            )
    if card.contracts:
        lines.append(t(lang, "customers.card.contracts"))
        for c in card.contracts:
            key = (
                "customers.card.contract_overdue" if c.overdue_cents else "customers.card.contract"
            )
            lines.append(
                t(
                    lang,
                    key,
                    number=c.number,
                    status=t(lang, f"customers.contract.{c.status}"),
                    amount=money(c.amount_cents, c.currency),
                    paid=money(c.paid_cents, c.currency),
                    outstanding=money(c.outstanding_cents, c.currency),
                    overdue=money(c.overdue_cents, c.currency),
                    late=c.installments_overdue,
                    done=c.installments_paid,
                    total=c.installments,
                )
            )
    return lines


def _service(lang: Lang, card: CustomerCard) -> list[str]:
    lines, zone = [], card.timezone
    if card.tickets or card.ratings:
        rating = f"{card.rating_avg:.1f}" if card.rating_avg is not None else "—"
        lines.append(
            t(
                lang,
                "customers.card.tickets",
                open=len(card.tickets),
                rating=rating,
                ratings=card.ratings,
            )
        )
        for ticket in card.tickets:
            lines.append(
                t(
                    lang,
                    "customers.card.ticket_late" if ticket.late else "customers.card.ticket",
                    id=ticket.id,
                    category=t(lang, f"customers.ticket_category.{ticket.category}"),
                    status=t(lang, f"customers.ticket.{ticket.status}"),
                    opened=local_time(ticket.opened_at, zone),
                )
            )
    return lines


def card_text(lang: Lang, card: CustomerCard, now: datetime) -> str:
    """The whole card as Telegram HTML, under Telegram's 4096-character limit."""
    lines = _basics(lang, card)
    lines += _tier_lines(lang, card, now)
    lines.append(_owner_line(lang, card))
    if card.campaign or card.source:
        source = card.campaign or source_name(lang, card.source)
        lines.append(t(lang, "customers.card.source", source=source))
    if card.masked:
        lines += ["", t(lang, "customers.card.masked")]
        return truncate("\n".join(lines))
    stage = stage_lines(lang, card.stage) if card.stage is not None else []
    sections = [stage, _activity(lang, card, now), _business(lang, card), _service(lang, card)]
    for section in sections:
        if section:
            lines += ["", *section]
    if card.timeline is not None and card.timeline.entries:
        lines += ["", t(lang, "customers.card.recent")]
        lines += [timeline_line(lang, e, card.timezone) for e in card.timeline.entries]
    return truncate("\n".join(lines))


CardButton = tuple[str, str, Callable[[int], CallbackData]]
CARD_BUTTONS: tuple[CardButton, ...] = (
    # (flag on CardActions, label key, payload for the customer id) — in display order
    ("claim", "customers.btn.claim", ClaimCustomer),
    ("log_followup", "customers.btn.log_followup", LogFollowUp),
    ("plan_visit", "customers.btn.plan_visit", PlanVisit),
    ("check_in", "customers.btn.check_in", CheckInAt),
    ("set_stage", "customers.btn.stage", PickCustomerStage),
    ("more_timeline", "customers.btn.more", lambda cid: CustomerTimeline(cid, 1)),
    ("release", "customers.btn.release", ReleaseCustomer),
    ("lock", "customers.btn.lock", lambda cid: LockCustomer(cid, True)),
    ("unlock", "customers.btn.unlock", lambda cid: LockCustomer(cid, False)),
    ("request_extension", "customers.btn.extension", RequestExtension),
    ("assign", "customers.btn.assign", AssignCustomer),
    ("override_tier", "customers.btn.override", OverrideTier),
    ("remove_override", "customers.btn.remove_override", RemoveOverride),
    ("invite", "customers.btn.invite", InviteContact),
)


def card_keyboard(lang: Lang, card: CustomerCard) -> InlineKeyboardMarkup | None:
    actions: CardActions = card.actions
    buttons = [
        button(t(lang, label), payload(card.id))
        for flag, label, payload in CARD_BUTTONS
        if getattr(actions, flag)
    ]
    return rows(buttons) if buttons else None


# ----- the timeline -----


def timeline_line(lang: Lang, entry: TimelineEntry, zone: str) -> str:
    data = dict(entry.data)
    if "amount_cents" in data:
        data["amount"] = money(int(data.pop("amount_cents")), str(data.pop("currency")))
    if entry.kind == "followup":
        data["kind"] = t(lang, f"customers.kind.{data['kind']}")
        data["note"] = _short(str(data.get("note", "")))
    if entry.kind == "stage":
        data["stage"] = stage_name(lang, data["stage"])
    if entry.kind == "contract":
        data["status"] = t(lang, f"customers.contract.{data['status']}")
    if entry.kind == "payment":
        data["status"] = t(lang, f"customers.payment.{data['status']}")
    if entry.kind == "ticket":
        data["category"] = t(lang, f"customers.ticket_category.{data['category']}")
        data["status"] = t(lang, f"customers.ticket.{data['status']}")
    reason = str(data.pop("reason", "") or "")
    at = local_time(entry.at, zone, "%Y-%m-%d" if entry.date_only else "%Y-%m-%d %H:%M")
    text = t(lang, f"customers.tl.{entry.kind}", who=entry.who or "—", **data)
    if reason:
        text += t(lang, "customers.tl.reason", reason=_short(reason))
    return t(lang, "customers.tl.line", at=at) + " " + text


def timeline_text(lang: Lang, page: TimelinePage) -> str:
    lines = [t(lang, "customers.tl.header", name=page.customer_name, page=page.page + 1)]
    if not page.entries:
        lines.append(t(lang, "customers.tl.empty"))
    lines += [timeline_line(lang, e, page.timezone) for e in page.entries]
    return truncate("\n".join(lines))


def timeline_keyboard(lang: Lang, page: TimelinePage) -> InlineKeyboardMarkup:
    row: list[InlineKeyboardButton] = []
    if page.page > 0:
        row.append(
            button(
                t(lang, "customers.btn.newer"), CustomerTimeline(page.customer_id, page.page - 1)
            )
        )
    if page.has_more:
        row.append(
            button(t(lang, "customers.btn.more"), TurnTimeline(page.customer_id, page.page + 1))
        )
    back = [button(t(lang, "customers.btn.card"), OpenCustomer(page.customer_id))]
    return InlineKeyboardMarkup([row, back] if row else [back])


# ----- /find and tier overrides -----


def find_results(
    lang: Lang, query: str, page: Page[CustomerHit]
) -> tuple[str, InlineKeyboardMarkup | None]:
    if not page.items:
        return t(lang, "customers.find.none", query=query), None
    text = t(lang, "customers.find.header", query=query, count=page.total)
    buttons = [[button(hit_label(lang, hit), OpenCustomer(hit.id))] for hit in page.items]
    nav = pager(page, FindPage)  # type: ignore[arg-type]
    return text, InlineKeyboardMarkup([*buttons, nav] if nav else buttons)


def hit_label(lang: Lang, hit: CustomerHit) -> str:
    if hit.mine:
        who = t(lang, "customers.find.mine")
    elif hit.owner_name is None:
        who = t(lang, "customers.find.pool")
    else:
        who = hit.owner_name
    parts = [hit.name, hit.region or "", tier_name(lang, hit.tier), who]
    label = " · ".join(p for p in parts if p)
    return label if len(label) <= 60 else label[:59] + "…"


def tier_choices(lang: Lang, customer_id: int) -> InlineKeyboardMarkup:
    markup = rows(button(tier_name(lang, tier), PickTier(customer_id, tier)) for tier in Tier)
    return InlineKeyboardMarkup([*markup.inline_keyboard, cancel_row(lang)])
