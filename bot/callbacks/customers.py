"""Buttons of customer cards, their timeline, /find, tier overrides, /newcustomer and /settings.

``OpenCustomer`` is the one way any list links to a card. (The settings buttons live here
too: the callbacks package imports one module per area and this area owns /settings.)
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.callbacks.codec import CallbackData, callback
from storage.models import Tier


@callback("card")
@dataclass(frozen=True)
class OpenCustomer(CallbackData):
    """Show the customer's 360° card."""

    customer_id: int


@callback("tl")
@dataclass(frozen=True)
class CustomerTimeline(CallbackData):
    """Page ``page`` (0-based) of the customer's timeline."""

    customer_id: int
    page: int


@callback("ctl")
@dataclass(frozen=True)
class TurnTimeline(CallbackData):
    """Turn to page ``page`` inside a timeline message (edits it; ``CustomerTimeline`` sends)."""

    customer_id: int
    page: int


@callback("cfind")
@dataclass(frozen=True)
class FindPage(CallbackData):
    """Page ``page`` of the last /find results (the query is kept in the user's drafts)."""

    page: int


@callback("cinv")
@dataclass(frozen=True)
class InviteContact(CallbackData):
    """Issue a one-time invite link for a contact of the customer."""

    customer_id: int


@callback("ctier")
@dataclass(frozen=True)
class OverrideTier(CallbackData):
    """A manager starts pinning the customer's tier (tier buttons, then a reason)."""

    customer_id: int


@callback("ctpick")
@dataclass(frozen=True)
class PickTier(CallbackData):
    customer_id: int
    tier: Tier


@callback("ctdrop")
@dataclass(frozen=True)
class RemoveOverride(CallbackData):
    """Give the customer's tier back to the rule."""

    customer_id: int


# ----- /newcustomer -----


@callback("ncskip")
@dataclass(frozen=True)
class SkipField(CallbackData):
    """Leave the asked-for optional field empty."""


@callback("ncopt")
@dataclass(frozen=True)
class PickOption(CallbackData):
    """One of the offered values (the team's regions or industries), by position."""

    index: int


@callback("ncsave")
@dataclass(frozen=True)
class SaveCustomer(CallbackData):
    pass


@callback("ncedit")
@dataclass(frozen=True)
class EditDraft(CallbackData):
    """Show the fields of the draft to change one."""


@callback("ncfld")
@dataclass(frozen=True)
class EditField(CallbackData):
    field: str


# ----- /settings -----


@callback("ssec")
@dataclass(frozen=True)
class SettingsSection(CallbackData):
    """A section of the team's rules; an empty section means the list of sections."""

    team_id: int
    section: str


@callback("srule")
@dataclass(frozen=True)
class EditRule(CallbackData):
    team_id: int
    rule: str


@callback("sval")
@dataclass(frozen=True)
class PickRuleValue(CallbackData):
    """A value picked from buttons (yes/no, a routing strategy, a follow-up kind)."""

    team_id: int
    rule: str
    value: str
