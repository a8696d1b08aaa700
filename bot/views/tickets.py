"""How tickets are drawn in chat: the customer's side, the service side, notices, the queue
and the statistics. Customers never see an agent's name, agents never a customer's Telegram
name: the customer is their company, the agent "the service team"."""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import datetime

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.callbacks import tickets as cb
from bot.callbacks.customers import OpenCustomer
from bot.i18n import Html, Lang, t
from bot.keyboards import button, cancel_row, pager, rows
from bot.render import local_time, truncate
from storage.models import TicketCategory, TicketEventKind, TicketStatus
from storage.paging import Page
from storage.tickets import HistoryLine, Opened, TicketView
from storage.tickets_assign import AgentChoice
from storage.tickets_common import Audience, Deadline, Notice, NoticeKind, TicketBrief
from storage.tickets_rules import CONTACT_CHOICES, DONE, SCORES, next_deadline

DAY_TIME = "%Y-%m-%d %H:%M"
SHORT = "%m-%d %H:%M"
HISTORY_TEXT = 300
DESCRIPTION_SHOWN = 1500


def category(lang: Lang, value: TicketCategory) -> str:
    return t(lang, f"tickets.category.{value.value}")


def status(lang: Lang, value: TicketStatus, audience: Audience) -> str:
    side = "status_c" if audience is Audience.CUSTOMER else "status"
    return t(lang, f"tickets.{side}.{value.value}")


def contact(lang: Lang, value: str | None) -> str:
    if value in CONTACT_CHOICES:
        return t(lang, f"tickets.contact.{value}")
    return value or "—"


def duration(lang: Lang, seconds: float | None) -> str:
    """``1 d 2 h``, ``3 h 20 min``, ``45 min`` — the two largest units."""
    if seconds is None:
        return "—"
    minutes = max(0, round(seconds / 60))
    days, rest = divmod(minutes, 1440)
    hours, mins = divmod(rest, 60)
    parts = [(days, "d"), (hours, "h"), (mins, "m")]
    shown = [t(lang, f"tickets.dur.{unit}", n=n) for n, unit in parts if n][:2]
    return " ".join(shown) or t(lang, "tickets.dur.m", n=0)


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# ----- the /newticket form -----


def category_buttons(lang: Lang) -> InlineKeyboardMarkup:
    picks = [button(category(lang, c), cb.PickCategory(c)) for c in TicketCategory]
    return InlineKeyboardMarkup([*rows(picks).inline_keyboard, cancel_row(lang)])


def photos_buttons(lang: Lang, received: int) -> InlineKeyboardMarkup:
    label = "tickets.btn_done" if received else "tickets.btn_skip"
    return InlineKeyboardMarkup([[button(t(lang, label), cb.PhotosDone())], cancel_row(lang)])


def contact_buttons(lang: Lang) -> InlineKeyboardMarkup:
    picks = [button(contact(lang, c), cb.PickContact(c)) for c in CONTACT_CHOICES]
    picks.append(button(t(lang, "tickets.btn_no_preference"), cb.PickContact(None)))
    return InlineKeyboardMarkup([*rows(picks).inline_keyboard, cancel_row(lang)])


def opened_text(lang: Lang, opened: Opened) -> str:
    ticket = opened.ticket
    text = t(
        lang,
        "tickets.opened",
        id=ticket.id,
        category=category(lang, ticket.category),
        within=duration(lang, opened.first_response_minutes * 60),
        due=local_time(ticket.first_response_due_at, ticket.timezone, DAY_TIME),
    )
    return text + ("\n\n" + t(lang, "tickets.opened_waiting") if opened.waiting else "")


# ----- the customer's side -----


def my_list(lang: Lang, page: Page[TicketBrief]) -> tuple[str, InlineKeyboardMarkup | None]:
    if not page.items:
        return t(lang, "tickets.my_none"), None
    lines = [t(lang, "tickets.my_header", total=page.total)]
    keyboard = []
    for b in page.items:
        state = status(lang, b.status, Audience.CUSTOMER)
        opened = local_time(b.opened_at, b.timezone, SHORT)
        cat = category(lang, b.category)
        lines.append(t(lang, "tickets.my_line", id=b.id, category=cat, status=state, opened=opened))
        label = _cut(f"#{b.id} · {cat} — {state}", 60)
        keyboard.append([button(label, cb.OpenTicket(b.id))])
    keyboard.append(pager(page, cb.MyTicketsPage))  # type: ignore[arg-type]
    return truncate("\n".join(lines)), InlineKeyboardMarkup([r for r in keyboard if r])


def rating_row(ticket_id: int) -> list[InlineKeyboardButton]:
    return [button(f"{s}⭐", cb.RateTicket(ticket_id, s)) for s in SCORES]


def customer_view(lang: Lang, view: TicketView) -> tuple[str, InlineKeyboardMarkup]:
    b = view.ticket
    lines = [
        t(lang, "tickets.view_head", id=b.id, category=category(lang, b.category)),
        t(lang, "tickets.view_status", status=status(lang, b.status, Audience.CUSTOMER)),
        t(lang, "tickets.view_opened", opened=local_time(b.opened_at, b.timezone, DAY_TIME)),
        "",
        _cut(view.description, DESCRIPTION_SHOWN),
        *_history(lang, view),
    ]
    if view.rating is not None:
        lines.append("\n" + t(lang, "tickets.your_rating", stars="⭐" * view.rating))
    if view.can_reopen and view.reopen_until is not None:
        until = local_time(view.reopen_until, b.timezone, DAY_TIME)
        lines.append("\n" + t(lang, "tickets.reopen_until", until=until))
    keyboard: list[list[InlineKeyboardButton]] = []
    if view.can_write:
        keyboard.append([button(t(lang, "tickets.btn_write"), cb.WriteOnTicket(b.id))])
    if view.can_rate:
        keyboard.append(rating_row(b.id))
    if view.can_reopen:
        keyboard.append([button(t(lang, "tickets.btn_reopen"), cb.ReopenTicket(b.id))])
    keyboard.append(_footer(lang, view))
    return truncate("\n".join(lines)), InlineKeyboardMarkup(keyboard)


def _footer(lang: Lang, view: TicketView) -> list[InlineKeyboardButton]:
    footer = []
    if view.photos:
        footer.append(
            button(t(lang, "tickets.btn_photos", n=view.photos), cb.TicketPhotos(view.ticket.id))
        )
    if view.viewer is Audience.CUSTOMER:
        footer.append(button(t(lang, "tickets.btn_my"), cb.MyTicketsPage(0)))
    else:
        footer.append(button(t(lang, "tickets.btn_customer"), OpenCustomer(view.customer_id)))
    return footer


def _history(lang: Lang, view: TicketView) -> list[str]:
    if not view.history:
        return []
    lines = ["", t(lang, "tickets.history")]
    if view.earlier:
        lines.append(t(lang, "tickets.earlier", n=view.earlier))
    lines += [_history_line(lang, view, line) for line in view.history]
    return lines


def _history_line(lang: Lang, view: TicketView, line: HistoryLine) -> str:
    customer = view.viewer is Audience.CUSTOMER
    if line.side is Audience.CUSTOMER:
        who = t(lang, "tickets.who.you" if customer else "tickets.who.customer")
    elif line.side is Audience.AGENT:
        who = line.name or t(lang, "tickets.who.service")
    else:
        who = t(lang, "tickets.who.system")
    kind = line.kind
    if kind is TicketEventKind.MESSAGE:
        what = html.escape(_cut(line.text, HISTORY_TEXT), quote=False)
    elif kind is TicketEventKind.STATUS and line.text == "reopened":
        what = t(lang, "tickets.h.reopened")
    elif kind is TicketEventKind.STATUS and line.to_status is not None:
        what = t(lang, "tickets.h.status", status=status(lang, line.to_status, view.viewer))
    elif kind in (TicketEventKind.BREACHED, TicketEventKind.ESCALATED):
        deadline = t(lang, f"tickets.deadline.{line.text}")
        what = t(lang, f"tickets.h.{kind.value}", deadline=deadline)
    else:  # created, assigned (the agent's name only inside the team), rated
        agent = "" if customer else line.text
        what = t(lang, f"tickets.h.{kind.value}", agent=agent, score=line.text)
    if line.photos:
        what = f"{what} 📷{line.photos}".strip()
    when = local_time(line.at, view.ticket.timezone, SHORT)
    what = ("🔒 " if line.internal else "") + what
    return t(lang, "tickets.h.line", at=when, who=who, what=Html(what))


# ----- the service side -----


def _facts(lang: Lang, b: TicketBrief) -> dict[str, object]:
    """What most service texts name: the ticket, its customer, category and agent."""
    return {
        "id": b.id,
        "customer": b.customer_name,
        "category": category(lang, b.category),
        "agent": b.agent_name or t(lang, "tickets.no_agent"),
    }


def _due(b: TicketBrief, deadline: Deadline | None) -> datetime:
    if deadline is Deadline.FIRST_RESPONSE:
        return b.first_response_due_at
    if deadline is Deadline.RESOLUTION:
        return b.resolution_due_at
    return next_deadline(b.first_responded_at, b.first_response_due_at, b.resolution_due_at)


def _deadlines(lang: Lang, b: TicketBrief, now: datetime) -> list[str]:
    def at(moment: datetime) -> str:
        return local_time(moment, b.timezone, DAY_TIME)

    if b.first_responded_at is not None:
        lines = [t(lang, "tickets.first_done", at=at(b.first_responded_at))]
    else:
        late = b.first_response_due_at <= now
        key = "tickets.first_late" if late else "tickets.first_due"
        lines = [t(lang, key, due=at(b.first_response_due_at))]
    if b.status not in DONE:
        key = "tickets.resolution_late" if b.resolution_due_at <= now else "tickets.resolution_due"
        lines.append(t(lang, key, due=at(b.resolution_due_at)))
    return lines


def staff_text(lang: Lang, view: TicketView, now: datetime) -> str:
    b, facts = view.ticket, _facts(lang, view.ticket)
    tier = t(lang, f"customers.tier.{view.tier.value}")
    opened = local_time(b.opened_at, b.timezone, DAY_TIME)
    lines = [
        t(lang, "tickets.card_head", **facts, status=status(lang, b.status, Audience.AGENT)),
        t(lang, "tickets.card_customer", customer=b.customer_name, tier=tier),
        t(lang, "tickets.card_opened", opened=opened, contact=contact(lang, view.contact)),
        *_deadlines(lang, b, now),
        t(lang, "tickets.card_agent", **facts),
        "",
        _cut(view.description, DESCRIPTION_SHOWN),
        *_history(lang, view),
    ]
    if view.rating is not None:
        lines.append("\n" + t(lang, "tickets.card_rating", stars="⭐" * view.rating))
    return truncate("\n".join(lines))


def _actions(
    lang: Lang, tid: int, *, take: bool, act: bool, move: str | None
) -> list[list[InlineKeyboardButton]]:
    """Take / Reply / Ask for information / Resolve / Transfer (or Assign), as they apply."""
    actions = [button(t(lang, "tickets.btn_take"), cb.TakeTicket(tid))] if take else []
    if act:
        actions += [
            button(t(lang, "tickets.btn_reply"), cb.ReplyToTicket(tid, ask=False)),
            button(t(lang, "tickets.btn_ask"), cb.ReplyToTicket(tid, ask=True)),
            button(t(lang, "tickets.btn_resolve"), cb.ResolveTicket(tid, confirmed=False)),
        ]
    if move is not None:
        actions.append(button(t(lang, f"tickets.btn_{move}"), cb.TransferTicket(tid)))
    return [list(row) for row in rows(actions).inline_keyboard]


def staff_buttons(lang: Lang, view: TicketView) -> InlineKeyboardMarkup:
    move = None
    if view.can_act or view.can_assign:
        move = "transfer" if view.ticket.agent_name else "assign"
    actions = _actions(lang, view.ticket.id, take=view.can_take, act=view.can_act, move=move)
    return InlineKeyboardMarkup([*actions, _footer(lang, view)])


def notice_buttons(lang: Lang, n: Notice) -> InlineKeyboardMarkup:
    """Under a notice: the customer's next step, the agent's actions, or a link to the ticket."""
    b = n.ticket
    open_row = [button(t(lang, "tickets.btn_open", id=b.id), cb.OpenTicket(b.id))]
    if n.audience is Audience.CUSTOMER:
        if n.kind is NoticeKind.RESOLVED:
            reopen = [button(t(lang, "tickets.btn_reopen"), cb.ReopenTicket(b.id))]
            return InlineKeyboardMarkup([rating_row(b.id), *([reopen] if n.until else [])])
        if b.status in DONE:
            return InlineKeyboardMarkup([open_row])
        answer = button(t(lang, "tickets.btn_answer"), cb.WriteOnTicket(b.id))
        return InlineKeyboardMarkup([[answer]])
    if n.audience is Audience.AGENT and b.status not in DONE:
        take = b.status in (TicketStatus.NEW, TicketStatus.ASSIGNED)
        actions = _actions(lang, b.id, take=take, act=True, move="transfer")
        return InlineKeyboardMarkup([*actions, open_row])
    return InlineKeyboardMarkup([open_row])


def resolve_confirm(lang: Lang, ticket_id: int) -> tuple[str, InlineKeyboardMarkup]:
    yes = button(t(lang, "tickets.btn_confirm_resolve"), cb.ResolveTicket(ticket_id, True))
    back = button(t(lang, "tickets.btn_back"), cb.OpenTicket(ticket_id))
    return t(lang, "tickets.resolve_confirm", id=ticket_id), InlineKeyboardMarkup([[yes], [back]])


def transfer_buttons(lang: Lang, tid: int, choices: Sequence[AgentChoice]) -> InlineKeyboardMarkup:
    keyboard = [
        [button(t(lang, "tickets.agent_choice", name=_cut(c.name, 40), n=c.open_tickets), to)]
        for c in choices
        for to in [cb.TransferTo(tid, c.user_id)]
    ]
    keyboard.append([button(t(lang, "tickets.btn_back"), cb.OpenTicket(tid))])
    return InlineKeyboardMarkup(keyboard)


def finish_buttons(lang: Lang) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[button(t(lang, "tickets.btn_finish"), cb.FinishWriting())]])


def feedback_buttons(lang: Lang) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[button(t(lang, "tickets.btn_skip"), cb.SkipFeedback())]])


def inbox(lang: Lang, choices: Sequence[TicketBrief]) -> tuple[str, InlineKeyboardMarkup]:
    """Where a message typed outside any form should go."""
    keyboard = [
        [button(_cut(t(lang, "tickets.add_to", **_facts(lang, b)), 60), cb.FilePending(b.id))]
        for b in choices
    ]
    keyboard.append([button(t(lang, "tickets.btn_new_with_text"), cb.FilePending(None))])
    key = "tickets.inbox_pick" if choices else "tickets.inbox_none"
    return t(lang, key), InlineKeyboardMarkup(keyboard)


# ----- notices -----


def notice_text(lang: Lang, n: Notice, now: datetime) -> str:
    b, tz = n.ticket, n.ticket.timezone
    due = _due(b, n.deadline)
    params = {
        **_facts(lang, b),
        "text": n.text or "📷",
        "description": _cut(b.description, DESCRIPTION_SHOWN),
        "score": n.score or 0,
        "due": local_time(due, tz, DAY_TIME),
        "left": duration(lang, (due - now).total_seconds()),
        "deadline": t(lang, f"tickets.deadline.{n.deadline.value}") if n.deadline else "",
        "until": local_time(n.until, tz, DAY_TIME) if n.until else "",
        "deadlines": Html("\n".join(_deadlines(lang, b, now))),
    }
    key = f"tickets.n.{n.kind.value}"
    if n.kind is NoticeKind.FEEDBACK and n.audience is Audience.MANAGERS:
        key += "_managers"
    if n.kind is NoticeKind.RESOLVED and n.until is None:
        key += "_final"
    return truncate(t(lang, key, **params))


def escalation_text(lang: Lang, notices: Sequence[Notice]) -> tuple[str, InlineKeyboardMarkup]:
    """Every breach of one sweep for one team, in one message (no ticket details)."""
    lines = [t(lang, "tickets.n.escalation", count=len(notices))]
    for n in notices:
        b = n.ticket
        deadline = t(lang, f"tickets.deadline.{n.deadline.value}") if n.deadline else ""
        due = local_time(_due(b, n.deadline), b.timezone, SHORT)
        lines.append(
            t(lang, "tickets.escalation_line", **_facts(lang, b), deadline=deadline, due=due)
        )
    ids = list(dict.fromkeys(n.ticket.id for n in notices))[:8]
    picks = [button(t(lang, "tickets.btn_open", id=i), cb.OpenTicket(i)) for i in ids]
    return truncate("\n".join(lines)), rows(picks, width=4)


# ----- /tickets (the statistics of /servicestats: bot.views.tickets_stats) -----


def queue(
    lang: Lang, page: Page[TicketBrief], team: bool, now: datetime
) -> tuple[str, InlineKeyboardMarkup | None]:
    if not page.items:
        return t(lang, "tickets.queue_empty"), None
    lines = [t(lang, "tickets.queue_team" if team else "tickets.queue_mine", total=page.total)]
    keyboard = []
    for b in page.items:
        due = _due(b, None)
        mark = "⚠️ " if b.breached or due <= now else ("🆕 " if b.status is TicketStatus.NEW else "")
        state = status(lang, b.status, Audience.AGENT)
        when = local_time(due, b.timezone, SHORT)
        lines.append(
            t(lang, "tickets.queue_line", **_facts(lang, b), mark=mark, status=state, due=when)
        )
        keyboard.append(
            [button(_cut(f"{mark}#{b.id} · {b.customer_name}", 60), cb.OpenTicket(b.id))]
        )
    keyboard.append(pager(page, cb.QueuePage))  # type: ignore[arg-type]
    return truncate("\n".join(lines)), InlineKeyboardMarkup([r for r in keyboard if r])
