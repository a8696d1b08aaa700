"""One lead's fields checked and normalised, and what the team already knows about them.

Shared by the /lead form (a batch of one) and imports (batches of hundreds): the same rules,
the same messages. Known records are looked up per batch with ``in`` filters — six queries
whatever the batch size — against the team's leads and customers (phone, e-mail, company key).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from tortoise.functions import Count

from storage.access import Actor, Invalid, NotFound
from storage.models import Campaign, Customer, Lead, Role, Team, User
from storage.normalize import name_key, normalize_email, normalize_phone

NAME_MAX = 128
COMPANY_MAX = 200
LABEL_MAX = 64
NOTE_MAX = 2000
_EMAIL_TOKEN = re.compile(r"[^\s,;，；、<>()]+@[^\s,;，；、<>()]+")
_PHONE_JUNK = " ,;/|，；、:：\t\r\n"


def squash(text: str | None) -> str:
    """Whitespace collapsed, ends trimmed."""
    return " ".join((text or "").split())


def clean_name(raw: str | None) -> str:
    name = squash(raw)
    if not name:
        raise Invalid("leads.invalid.name_empty")
    if len(name) > NAME_MAX:
        raise Invalid("leads.invalid.name_too_long", limit=NAME_MAX)
    return name


def clean_company(raw: str | None) -> str:
    company = squash(raw)
    if not company:
        raise Invalid("leads.invalid.company_empty")
    if len(company) > COMPANY_MAX:
        raise Invalid("leads.invalid.company_too_long", limit=COMPANY_MAX)
    return company


def clean_label(raw: str | None) -> str | None:
    """A region, industry or source: optional, short."""
    label = squash(raw)
    if len(label) > LABEL_MAX:
        raise Invalid("leads.invalid.label_too_long", value=label[:80], limit=LABEL_MAX)
    return label or None


def clean_phone(raw: str | None, country: str) -> str | None:
    text = (raw or "").strip(_PHONE_JUNK)
    if not text:
        return None
    phone = normalize_phone(text, country)
    if phone is None:
        raise Invalid("leads.invalid.bad_phone", phone=text[:40])
    return phone


def clean_email(raw: str | None) -> str | None:
    text = (raw or "").strip()
    if not text:
        return None
    email = normalize_email(text)
    if email is None:
        raise Invalid("leads.invalid.bad_email", email=text[:80])
    return email


def clean_contact(raw: str, country: str) -> tuple[str | None, str | None]:
    """A typed "phone and/or e-mail" answer: (E.164 phone, e-mail), at least one of them."""
    emails = _EMAIL_TOKEN.findall(raw)
    if len(emails) > 1:
        raise Invalid("leads.invalid.one_email")
    rest = _EMAIL_TOKEN.sub(" ", raw)
    phone = clean_phone(rest, country)
    email = clean_email(emails[0]) if emails else None
    if phone is None and email is None:
        raise Invalid("leads.invalid.no_contact")
    return phone, email


@dataclass(frozen=True)
class CleanLead:
    name: str
    company: str
    company_key: str
    phone: str | None = None
    email: str | None = None
    region: str | None = None
    industry: str | None = None
    campaign_id: int | None = None
    source: str | None = None
    note: str = ""


def clean_row(values: dict[str, str], country: str, campaigns: dict[str, int]) -> CleanLead:
    """An imported row (column → text) as a lead, or Invalid naming the first problem."""
    name = clean_name(values.get("name"))
    company = clean_company(values.get("company"))
    phone = clean_phone(values.get("phone"), country)
    email = clean_email(values.get("email"))
    if phone is None and email is None:
        raise Invalid("leads.invalid.no_contact")
    campaign = squash(values.get("campaign"))
    campaign_id = None
    if campaign:
        campaign_id = campaigns.get(name_key(campaign))
        if campaign_id is None:
            raise Invalid("leads.invalid.unknown_campaign", campaign=campaign[:80])
    return CleanLead(
        name=name,
        company=company,
        company_key=name_key(company),
        phone=phone,
        email=email,
        region=clean_label(values.get("region")),
        industry=clean_label(values.get("industry")),
        campaign_id=campaign_id,
        source=clean_label(values.get("source")),
        note=squash(values.get("note"))[:NOTE_MAX],
    )


@dataclass(frozen=True)
class Known:
    """An existing lead or customer that a new lead duplicates, and on which field."""

    kind: str
    """``lead`` or ``customer``."""
    id: int
    name: str
    matched: str
    """``phone``, ``email`` or ``company``."""
    owner_id: int | None = None
    import_batch_id: int | None = None


@dataclass
class KnownIndex:
    """The batch's known records by phone, e-mail and company key (customers win over leads)."""

    by: dict[str, dict[str, Known]] = field(
        default_factory=lambda: {"phone": {}, "email": {}, "company": {}}
    )

    def add(self, known: Known, value: str | None) -> None:
        if value:
            self.by[known.matched].setdefault(value, known)

    def matches(self, lead: CleanLead) -> list[Known]:
        found: list[Known] = []
        for kind, value in (
            ("phone", lead.phone),
            ("email", lead.email),
            ("company", lead.company_key),
        ):
            known = self.by[kind].get(value) if value else None
            if known is not None and all((k.kind, k.id) != (known.kind, known.id) for k in found):
                found.append(known)
        return found

    def match(self, lead: CleanLead) -> Known | None:
        found = self.matches(lead)
        return found[0] if found else None


async def find_known(
    team_id: int, phones: Iterable[str], emails: Iterable[str], keys: Iterable[str]
) -> KnownIndex:
    """Existing customers, then leads, of the team sharing a phone, e-mail or company key."""
    wanted = {
        "phone": sorted({p for p in phones if p}),
        "email": sorted({e for e in emails if e}),
        "company": sorted({k for k in keys if k}),
    }
    index = KnownIndex()
    customer_columns = {"phone": "phone", "email": "email", "company": "name_key"}
    for matched, column in customer_columns.items():
        if not wanted[matched]:
            continue
        rows = await Customer.filter(team_id=team_id, **{f"{column}__in": wanted[matched]}).values(
            "id", "name", "owner_id", column
        )
        for row in sorted(rows, key=lambda r: r["id"]):
            known = Known("customer", row["id"], row["name"], matched, row["owner_id"])
            index.add(known, row[column])
    lead_columns = {"phone": "phone", "email": "email", "company": "company_key"}
    for matched, column in lead_columns.items():
        if not wanted[matched]:
            continue
        rows = await Lead.filter(team_id=team_id, **{f"{column}__in": wanted[matched]}).values(
            "id", "name", "company", "assignee_id", "import_batch_id", column
        )
        for row in sorted(rows, key=lambda r: r["id"]):
            label = f"{row['name']} ({row['company']})" if row["company"] else row["name"]
            known = Known(
                "lead", row["id"], label, matched, row["assignee_id"], row["import_batch_id"]
            )
            index.add(known, row[column])
    return index


async def team_of(actor: Actor) -> Team:
    """The team a manager or rep enters leads for."""
    actor.require(Role.MANAGER, Role.REP)
    team = await Team.get_or_none(id=actor.team_id) if actor.team_id else None
    if team is None:
        raise NotFound()
    return team


# ----- the /lead form: its choices and the whole draft's check -----------------------------


@dataclass(frozen=True)
class FormChoices:
    regions: list[str]
    industries: list[str]
    campaigns: list[tuple[int, str]]


async def _top_values(team_id: int, column: str, limit: int) -> list[str]:
    counts: dict[str, int] = {}
    for model in (Customer, Lead):
        rows = (
            await model.filter(team_id=team_id, **{f"{column}__not_isnull": True})
            .exclude(**{column: ""})
            .annotate(n=Count("id"))
            .group_by(column)
            .order_by("-n")
            .limit(limit)
            .values_list(column, "n")
        )
        for value, n in rows:
            counts[value] = counts.get(value, 0) + n
    profiles = await User.filter(team_id=team_id, role=Role.REP, is_active=True).values_list(
        "regions" if column == "region" else "industries", flat=True
    )
    for values in profiles:
        for value in values or ():
            counts.setdefault(value, 0)
    return sorted(counts, key=lambda v: (-counts[v], v))[:limit]


async def form_choices(actor: Actor, limit: int = 8) -> FormChoices:
    """Buttons for the form: the team's most used regions and industries, its campaigns."""
    team = await team_of(actor)
    campaigns = (
        await Campaign.filter(team_id=team.id)
        .order_by("-starts_on", "-id")
        .limit(limit)
        .values_list("id", "name")
    )
    return FormChoices(
        await _top_values(team.id, "region", limit),
        await _top_values(team.id, "industry", limit),
        [(cid, name) for cid, name in campaigns],
    )


async def contact_for_team(actor: Actor, raw: str) -> tuple[str | None, str | None]:
    """A typed phone and/or e-mail, normalised with the team's country."""
    team = await team_of(actor)
    return clean_contact(raw, team.country)


@dataclass(frozen=True)
class LeadDraft:
    """What the form collected (already checked field by field)."""

    name: str
    company: str
    phone: str | None = None
    email: str | None = None
    region: str | None = None
    industry: str | None = None
    campaign_id: int | None = None


@dataclass(frozen=True)
class DraftCheck:
    lead: CleanLead
    campaign: str | None
    duplicates: list[Known]


async def check_draft(actor: Actor, draft: LeadDraft) -> DraftCheck:
    """Validate the whole draft and list what the team already knows about it."""
    team = await team_of(actor)
    phone, email = draft.phone, draft.email
    if phone is None and email is None:
        raise Invalid("leads.invalid.no_contact")
    raw = f"{phone or ''} {email or ''}"
    phone, email = clean_contact(raw, team.country)
    company = clean_company(draft.company)
    campaign = None
    if draft.campaign_id is not None:
        found = await Campaign.get_or_none(id=draft.campaign_id, team_id=team.id)
        if found is None:
            raise NotFound()
        campaign = found.name
    lead = CleanLead(
        name=clean_name(draft.name),
        company=company,
        company_key=name_key(company),
        phone=phone,
        email=email,
        region=clean_label(draft.region),
        industry=clean_label(draft.industry),
        campaign_id=draft.campaign_id,
        source="form",
    )
    known = await find_known(team.id, [phone or ""], [email or ""], [lead.company_key])
    return DraftCheck(lead, campaign, known.matches(lead))
