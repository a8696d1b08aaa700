"""Buttons of after-sales tickets (E3).

Every prefix starts with ``tk``. Ticket ids are references only: storage checks the actor
again, so a forged id (another customer's ticket, another team's) answers "not found",
exactly like an id that does not exist, and changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.callbacks.codec import CallbackData, callback
from storage.models import TicketCategory

# ----- the customer's /newticket form -----


@callback("tkcat")
@dataclass(frozen=True)
class PickCategory(CallbackData):
    category: TicketCategory


@callback("tkpd")
@dataclass(frozen=True)
class PhotosDone(CallbackData):
    """No (more) photos: go on to the contact preference."""


@callback("tkcp")
@dataclass(frozen=True)
class PickContact(CallbackData):
    """How the customer wants to be reached; None skips the question."""

    preference: str | None


# ----- either side -----


@callback("tk")
@dataclass(frozen=True)
class OpenTicket(CallbackData):
    """The ticket as the tapper may see it (a customer's view or the service view)."""

    ticket_id: int


@callback("tkph")
@dataclass(frozen=True)
class TicketPhotos(CallbackData):
    """Send the ticket's photos to the tapper."""

    ticket_id: int


@callback("tkfin")
@dataclass(frozen=True)
class FinishWriting(CallbackData):
    """Leave the ticket chat: what was sent is already delivered."""


# ----- the customer's side -----


@callback("tkmy")
@dataclass(frozen=True)
class MyTicketsPage(CallbackData):
    page: int


@callback("tkw")
@dataclass(frozen=True)
class WriteOnTicket(CallbackData):
    """Start writing to the service team on this ticket (text and photos)."""

    ticket_id: int


@callback("tkpend")
@dataclass(frozen=True)
class FilePending(CallbackData):
    """What the customer typed outside a form goes to this ticket (None: a new ticket)."""

    ticket_id: int | None


@callback("tkro")
@dataclass(frozen=True)
class ReopenTicket(CallbackData):
    ticket_id: int


@callback("tkrt")
@dataclass(frozen=True)
class RateTicket(CallbackData):
    ticket_id: int
    score: int


@callback("tkfs")
@dataclass(frozen=True)
class SkipFeedback(CallbackData):
    pass


# ----- the service side -----


@callback("tktake")
@dataclass(frozen=True)
class TakeTicket(CallbackData):
    ticket_id: int


@callback("tkrep")
@dataclass(frozen=True)
class ReplyToTicket(CallbackData):
    """Write to the customer; ``ask`` marks the first message as a request for information."""

    ticket_id: int
    ask: bool


@callback("tkres")
@dataclass(frozen=True)
class ResolveTicket(CallbackData):
    """``confirmed`` False asks first: resolving asks the customer for a rating."""

    ticket_id: int
    confirmed: bool


@callback("tktr")
@dataclass(frozen=True)
class TransferTicket(CallbackData):
    """Offer the team's available agents."""

    ticket_id: int


@callback("tkto")
@dataclass(frozen=True)
class TransferTo(CallbackData):
    ticket_id: int
    agent_id: int


@callback("tkq")
@dataclass(frozen=True)
class QueuePage(CallbackData):
    page: int


@callback("tkst")
@dataclass(frozen=True)
class StatsPeriod(CallbackData):
    days: int
