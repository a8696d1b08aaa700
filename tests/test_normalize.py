"""What people type becomes comparable values: phones, e-mails, company names, masks."""

from __future__ import annotations

import pytest

from storage.normalize import mask_name, mask_phone, name_key, normalize_email, normalize_phone


@pytest.mark.parametrize(
    ("raw", "country", "expected"),
    [
        ("138 1234 5678", "CN", "+8613812345678"),
        ("+86 138-1234-5678", "CN", "+8613812345678"),
        ("0086 13812345678", "CN", "+8613812345678"),
        ("(021) 6234 5678", "CN", "+862162345678"),
        ("0912-345-678", "TW", "+886912345678"),
        ("+852 9123 4567", "CN", "+85291234567"),
        ("12345", "CN", None),
        ("call me", "CN", None),
        ("", "CN", None),
    ],
)
def test_phones_are_normalised_relative_to_the_team_country(
    raw: str, country: str, expected: str | None
) -> None:
    assert normalize_phone(raw, country) == expected


def test_emails() -> None:
    assert normalize_email("  Li.Na@Example.COM ") == "li.na@example.com"
    assert normalize_email("li.na@example") is None
    assert normalize_email("no at sign") is None


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("上海华美贸易有限公司", "上海华美贸易"),
        ("ACME Co., Ltd.", "acme"),
        ("ＡＣＭＥ　Ｉｎｃ", "Acme Inc."),
        ("台北 永豐 股份有限公司", "台北永豐"),
    ],
)
def test_company_names_compare_ignoring_form_and_legal_suffix(one: str, other: str) -> None:
    assert name_key(one) == name_key(other)


def test_different_companies_stay_different() -> None:
    assert name_key("华美贸易") != name_key("华美物流")


def test_masks_keep_enough_to_recognise() -> None:
    assert mask_phone("+8613812345678") == "+86 138****5678"
    assert mask_phone(None) == "—"
    assert mask_name("王小明") == "王**"
    assert mask_name("John Smith") == "J*** S****"
