"""Buttons of leads: the form, imports and assignment.

Every prefix starts with ``ld``. Ids are references only: storage checks the actor again, so
a forged lead id (another team's, another rep's) answers "not found" and changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.callbacks.codec import CallbackData, callback


@callback("ldpick")
@dataclass(frozen=True)
class LeadFormPick(CallbackData):
    """A form choice: ``field`` is region, industry or campaign; ``index`` −1 skips it.

    Regions and industries are indexes into the draft's offered list (names may be long);
    campaigns carry their id.
    """

    field: str
    index: int


@callback("ldsave")
@dataclass(frozen=True)
class LeadFormSave(CallbackData):
    """Save the lead from the summary."""


@callback("ldedit")
@dataclass(frozen=True)
class LeadFormEdit(CallbackData):
    """From the summary: ``field`` None lists the fields, else asks that one again."""

    field: str | None


@callback("ld")
@dataclass(frozen=True)
class OpenLead(CallbackData):
    lead_id: int


@callback("ldok")
@dataclass(frozen=True)
class LeadContacted(CallbackData):
    lead_id: int


@callback("ldconv")
@dataclass(frozen=True)
class ConvertLead(CallbackData):
    lead_id: int


@callback("lddq")
@dataclass(frozen=True)
class DisqualifyLead(CallbackData):
    """``reason`` None offers the reasons; ``other`` asks for a typed one."""

    lead_id: int
    reason: str | None


@callback("ldtask")
@dataclass(frozen=True)
class LeadTask(CallbackData):
    lead_id: int


@callback("ldlist")
@dataclass(frozen=True)
class LeadsPage(CallbackData):
    """``/leads`` page: ``view`` is mine, recent or waiting."""

    view: str
    page: int


@callback("ldasg")
@dataclass(frozen=True)
class AssignLead(CallbackData):
    """A manager starts assigning a lead by hand: the reps are offered."""

    lead_id: int


@callback("ldto")
@dataclass(frozen=True)
class AssignLeadTo(CallbackData):
    lead_id: int
    rep_id: int


@callback("lditeam")
@dataclass(frozen=True)
class ImportForTeam(CallbackData):
    """An admin picks the team an import is for."""

    team_id: int


@callback("ldicamp")
@dataclass(frozen=True)
class ImportCampaign(CallbackData):
    """The campaign an import's rows are attributed to (None: only the file's own column)."""

    campaign_id: int | None
