"""The /plan form drawn in chat (B5): the customer, kind, date and time pickers, the
duration and note questions, the summary with any clash, and the saved entry.

Functions take storage results and a language and return ``(text, keyboard)``.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from telegram import InlineKeyboardMarkup

from bot.callbacks import Noop
from bot.callbacks.calendar import (
    PlanCustomer,
    PlanCustomers,
    PlanDay,
    PlanDuration,
    PlanKind,
    PlanMonth,
    PlanNoNote,
    PlanOtherDay,
    PlanSave,
    PlanTime,
    PlanTimes,
)
from bot.i18n import Lang, t
from bot.keyboards import button, cancel_row, pager
from bot.render import truncate
from bot.views.calendar import (
    ICONS,
    Rows,
    View,
    clash_lines,
    date_text,
    day_of,
    details,
    entry_title,
    grid,
    keyboard,
    kind_name,
    open_entry,
    reminder_line,
    what,
    when_text,
)
from storage.calendar import PLANNABLE, CustomerChoice, EntryView, PlanPreview
from storage.calendar_entries import Change
from storage.calendar_time import (
    DURATIONS,
    PLAN_AHEAD_DAYS,
    clock_text,
    day_code,
    month_code,
    month_grid,
    shift_month,
)
from storage.paging import Page


def customers_view(lang: Lang, page: Page[CustomerChoice], search: str) -> View:
    if not page.items:
        if not search:  # the form ends here: nothing to cancel
            return t(lang, "calendar.plan.no_customers"), None
        return t(lang, "calendar.plan.no_match", text=search), keyboard([cancel_row(lang)])
    key = "calendar.plan.ask_customer_found" if search else "calendar.plan.ask_customer"
    rows: Rows = [[button(c.name, PlanCustomer(c.id))] for c in page.items]
    rows += [pager(page, PlanCustomers), cancel_row(lang)]  # type: ignore[arg-type]
    return t(lang, key, text=search, total=page.total), keyboard(rows)


def kind_view(lang: Lang, customer: str) -> View:
    kinds = [button(f"{ICONS[k]} {kind_name(lang, k)}", PlanKind(k)) for k in PLANNABLE]
    return t(lang, "calendar.plan.ask_kind", customer=customer), keyboard([kinds, cancel_row(lang)])


def month_view(lang: Lang, month: int, today: date, question: str) -> View:
    """The date picker: ``question`` above a month, past days disabled, ‹ › between months."""
    horizon = today + timedelta(days=PLAN_AHEAD_DAYS)
    name = t(lang, f"calendar.month.{month % 100}")
    blank = button(" ", Noop())
    nav = [
        button("‹", PlanMonth(shift_month(month, -1))) if month > month_code(today) else blank,
        button(t(lang, "calendar.month_title", month=name, year=month // 100), Noop()),
        button("›", PlanMonth(shift_month(month, 1))) if month < month_code(horizon) else blank,
    ]
    rows: Rows = [nav, [button(t(lang, f"calendar.wd.{i}"), Noop()) for i in range(7)]]
    for week in month_grid(month):
        row = []
        for day in week:
            if day is None or day < today or day > horizon:
                row.append(button("·" if day is None else "×", Noop()))
            else:
                label = f"({day.day})" if day == today else str(day.day)
                row.append(button(label, PlanDay(day_code(day))))
        rows.append(row)
    rows.append(cancel_row(lang))
    example = day_example(today)
    return question + "\n" + t(lang, "calendar.plan.ask_day", example=example), keyboard(rows)


def day_example(today: date) -> str:
    """A typed-date example that is still ahead, so copying it works."""
    return (today + timedelta(days=1)).isoformat()


def times_view(lang: Lang, day: date, pages: list[list[int]], page: int, zone: str) -> View:
    page = min(max(page, 0), len(pages) - 1)
    rows = grid([button(clock_text(m), PlanTime(m)) for m in pages[page]], 4)
    nav = []
    if page > 0:
        nav.append(button(t(lang, "calendar.btn.earlier"), PlanTimes(page - 1)))
    if page + 1 < len(pages):
        nav.append(button(t(lang, "calendar.btn.later"), PlanTimes(page + 1)))
    rows += [nav, [button(t(lang, "calendar.btn.other_day"), PlanOtherDay())], cancel_row(lang)]
    key = "calendar.plan.ask_time" if pages[page] else "calendar.plan.ask_time_typed"
    return t(lang, key, date=date_text(lang, day), zone=zone), keyboard(rows)


def duration_view(lang: Lang) -> View:
    picks = [button(t(lang, f"calendar.duration.{m}"), PlanDuration(m)) for m in DURATIONS]
    return t(lang, "calendar.plan.ask_duration"), keyboard([picks, cancel_row(lang)])


def note_view(lang: Lang) -> View:
    skip = [button(t(lang, "calendar.btn.no_note"), PlanNoNote())]
    return t(lang, "calendar.plan.ask_note"), keyboard([skip, cancel_row(lang)])


def summary_view(lang: Lang, preview: PlanPreview) -> View:
    zone, customer = preview.timezone, preview.customer
    lines = [t(lang, "calendar.plan.summary"), entry_title(lang, preview.kind, customer.name)]
    lines += details(lang, preview.starts_at, preview.ends_at, zone, customer.address, preview.note)
    lines.append(reminder_line(lang, preview.remind_at, zone))
    lines += clash_lines(lang, preview.clashes, zone)
    return truncate("\n".join(lines)), _save_buttons(lang, bool(preview.clashes))


def _save_buttons(lang: Lang, clash: bool) -> InlineKeyboardMarkup | None:
    save = button(t(lang, "calendar.btn.keep" if clash else "calendar.btn.save"), PlanSave(clash))
    other = button(t(lang, "calendar.btn.other_time"), PlanOtherDay())
    return keyboard([[save], [other], cancel_row(lang)])


def move_clash_view(lang: Lang, change: Change, new_start: datetime) -> View:
    """A reschedule that clashes: where it would go, what it meets, keep or pick again."""
    entry = change.entry
    when = when_text(lang, new_start, new_start + (entry.ends_at - entry.starts_at), entry.timezone)
    lines = [t(lang, "calendar.move.confirm", what=what(lang, entry), when=when)]
    lines += clash_lines(lang, change.clashes, entry.timezone)
    return truncate("\n".join(lines)), _save_buttons(lang, True)


def saved_view(lang: Lang, entry: EntryView, key: str = "calendar.plan.saved") -> View:
    """After saving or moving: the entry in one line, with Open and its day."""
    when = when_text(lang, entry.starts_at, entry.ends_at, entry.timezone)
    text = t(lang, key, what=what(lang, entry), when=when)
    text += "\n" + reminder_line(lang, entry.remind_at, entry.timezone)
    day = button(t(lang, "calendar.btn.day"), day_of(entry))
    return text, keyboard([[button(t(lang, "calendar.btn.open"), open_entry(entry)), day]])
