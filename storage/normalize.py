"""Normalising what people type, so duplicates are found and stored values compare equal.

Phone numbers go through ``phonenumbers`` (Google's libphonenumber rules), relative to the
team's country: ``138 1234 5678`` in a Shanghai team and ``+86 13812345678`` are one number.
"""

from __future__ import annotations

import re
import unicodedata

import phonenumbers

_EMAIL = re.compile(
    r"^[^@\s]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9-]{1,63})+$"
)
_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)
# Legal-form suffixes that do not distinguish companies ("ACME Ltd" is "ACME").
_COMPANY_SUFFIXES = (
    "股份有限公司",
    "有限责任公司",
    "有限責任公司",
    "有限公司",
    "集团",
    "集團",
    "公司",
    "corporation",
    "company",
    "limited",
    "coltd",
    "corp",
    "inc",
    "llc",
    "ltd",
    "co",
)


def normalize_phone(raw: str | None, country: str = "CN") -> str | None:
    """E.164 (``+8613812345678``) for a valid number, None for anything else."""
    if not raw or not raw.strip():
        return None
    try:
        number = phonenumbers.parse(raw.strip(), country.upper())
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalize_email(raw: str | None) -> str | None:
    """The address lower-cased if it looks deliverable, else None."""
    if not raw:
        return None
    email = raw.strip().lower()
    return email if len(email) <= 254 and _EMAIL.match(email) else None


def name_key(name: str) -> str:
    """A comparison key for company names: width, case, punctuation and legal form ignored."""
    text = unicodedata.normalize("NFKC", name).casefold()
    text = _NOT_WORD.sub("", text)
    for suffix in _COMPANY_SUFFIXES:
        if text.endswith(suffix) and len(text) > len(suffix) + 1:
            text = text[: -len(suffix)]
            break
    return text[:200]


def mask_phone(phone: str | None) -> str:
    """``+8613812345678`` → ``+86 138****5678``: enough to recognise, not to call."""
    if not phone:
        return "—"
    try:
        number = phonenumbers.parse(phone, None)
        national = str(number.national_number)
        prefix = f"+{number.country_code} "
    except phonenumbers.NumberParseException:
        national, prefix = phone, ""
    if len(national) <= 4:
        return prefix + "*" * len(national)
    keep = 3 if len(national) > 8 else 1
    return prefix + national[:keep] + "*" * (len(national) - keep - 4) + national[-4:]


def mask_name(name: str | None) -> str:
    """``王小明`` → ``王**``; ``John Smith`` → ``J*** S****``."""
    if not name:
        return "—"
    words = name.split()
    if len(words) == 1:
        return name[0] + "*" * max(len(name) - 1, 1)
    return " ".join(word[0] + "*" * (len(word) - 1) for word in words)
