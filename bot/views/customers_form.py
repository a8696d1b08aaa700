"""The /newcustomer form's views: field prompts' buttons, the draft's summary, duplicates."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup

from bot.callbacks.customers import (
    EditDraft,
    EditField,
    OpenCustomer,
    PickOption,
    SaveCustomer,
    SkipField,
)
from bot.i18n import Lang, t
from bot.keyboards import button, cancel_row, rows
from storage.customers import CustomerDraft, Duplicate


def field_keyboard(lang: Lang, options: list[str], *, skippable: bool) -> InlineKeyboardMarkup:
    """The team's values as buttons (by position), then Skip and Cancel."""
    picks = rows((button(o[:40], PickOption(i)) for i, o in enumerate(options)), width=2)
    last = [button(t(lang, "customers.new.skip"), SkipField())] if skippable else []
    return InlineKeyboardMarkup([*picks.inline_keyboard, [*last, *cancel_row(lang)]])


def draft_summary(lang: Lang, draft: CustomerDraft) -> tuple[str, InlineKeyboardMarkup]:
    place = draft.address or ""
    if draft.latitude is not None and draft.longitude is not None:
        place = " · ".join(p for p in (place, f"{draft.latitude:.5f}, {draft.longitude:.5f}") if p)
    text = t(
        lang,
        "customers.new.summary",
        name=draft.name,
        contact=draft.contact_name or "—",
        phone=draft.phone or "—",
        address=place or "—",
        region=draft.region or "—",
        industry=draft.industry or "—",
    )
    markup = InlineKeyboardMarkup(
        [
            [
                button(t(lang, "customers.new.save"), SaveCustomer()),
                button(t(lang, "customers.new.edit"), EditDraft()),
            ],
            cancel_row(lang),
        ]
    )
    return text, markup


def edit_fields(lang: Lang, fields: list[str]) -> InlineKeyboardMarkup:
    buttons = (button(t(lang, f"customers.new.field_{f}"), EditField(f)) for f in fields)
    return InlineKeyboardMarkup([*rows(buttons).inline_keyboard, cancel_row(lang)])


def duplicate_text(lang: Lang, dup: Duplicate) -> tuple[str, InlineKeyboardMarkup | None]:
    """The existing customer, linked when the actor may see it."""
    if not dup.visible:
        return t(lang, "customers.new.duplicate_hidden"), None
    markup = rows([button(t(lang, "customers.btn.open"), OpenCustomer(dup.customer_id))])
    return t(lang, "customers.new.duplicate", name=dup.name, id=dup.customer_id), markup
