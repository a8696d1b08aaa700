"""Reading lead files: encodings, delimiters, XLSX, header names in English and Chinese,
and clear refusals for what is not a lead list."""

from __future__ import annotations

import codecs
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook  # type: ignore[import-untyped]

from storage.access import Invalid
from storage.lead_import_files import (
    Sheet,
    cell_text,
    guess_delimiter,
    map_header,
    open_sheet,
)

ROWS = [
    ["姓名", "公司", "手机", "邮箱", "地区"],
    ["王伟", "上海星辰科技有限公司", "13812345678", "", "浦东"],
]


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def read_all(sheet: Sheet) -> list[tuple[int, list[str]]]:
    try:
        return list(sheet.rows)
    finally:
        sheet.close()


def csv_bytes(rows: list[list[str]], delimiter: str = ",") -> str:
    return "\r\n".join(delimiter.join(row) for row in rows) + "\r\n"


@pytest.mark.parametrize(
    ("encoding", "prefix"),
    [
        ("utf-8", b""),
        ("utf-8", codecs.BOM_UTF8),
        ("gb18030", b""),
        ("utf-16-le", codecs.BOM_UTF16_LE),
    ],
)
def test_csv_in_the_encodings_excel_writes(tmp_path: Path, encoding: str, prefix: bytes) -> None:
    path = write(tmp_path, "leads.csv", prefix + csv_bytes(ROWS).encode(encoding))
    sheet = open_sheet(path)
    assert sheet.kind == "csv"
    assert set(sheet.columns.values()) == {"name", "company", "phone", "email", "region"}
    [(number, cells)] = read_all(sheet)
    assert number == 2 and sheet.values(cells)["company"] == "上海星辰科技有限公司"


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_the_delimiter_is_guessed(tmp_path: Path, delimiter: str) -> None:
    text = csv_bytes([["Name", "Company", "E-mail"], ["Ann", "Acme, Inc", "a@x.io"]], delimiter)
    if delimiter == ",":
        text = text.replace("Acme, Inc", '"Acme, Inc"')
    sheet = open_sheet(write(tmp_path, "l.csv", text.encode()))
    [(_, cells)] = read_all(sheet)
    assert sheet.values(cells) == {"name": "Ann", "company": "Acme, Inc", "email": "a@x.io"}
    assert guess_delimiter("a;b;c\n1;2;3") == ";"


def test_a_title_row_and_blank_rows_are_skipped_and_unknown_columns_reported(
    tmp_path: Path,
) -> None:
    rows = [
        ["2026 展会名单"],
        [""],
        ["Contact", "Company Name", "Mobile", "Budget"],
        ["", "", "", ""],
    ]
    rows.append(["Li", "Acme", "13900000000", "high"])
    sheet = open_sheet(write(tmp_path, "l.csv", csv_bytes(rows).encode()))
    assert sheet.ignored == ["Budget"]
    assert read_all(sheet) == [(5, ["Li", "Acme", "13900000000", "high"])]


def test_xlsx_streams_rows_and_shows_numbers_as_people_typed_them(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["名字", "公司名稱", "電話", "郵箱", "區域", "行業"])
    sheet.append(["陳美玲", "台北遠見股份有限公司", 13812345678, None, "信義", "零售"])
    sheet.append([None, None, None, None, None, None])
    sheet.append(["Ann", "Acme", 2.5, "ann@acme.io", None, None])
    path = tmp_path / "upload"  # downloads carry no extension
    book.save(path)
    found = open_sheet(path)
    assert found.kind == "xlsx" and len(found.columns) == 6
    rows = read_all(found)
    assert [number for number, _ in rows] == [2, 4]
    assert found.values(rows[0][1])["phone"] == "13812345678"
    assert found.values(rows[1][1])["phone"] == "2.5"


@pytest.mark.parametrize(
    ("value", "text"), [(None, ""), (12.0, "12"), (1.5, "1.5"), (True, "TRUE"), (" x ", "x")]
)
def test_cell_text(value: object, text: str) -> None:
    assert cell_text(value) == text


@pytest.mark.parametrize(
    ("header", "fields"),
    [
        (["Name", "Company", "Phone"], ["name", "company", "phone"]),
        (["E-Mail", "TEL", "Organisation"], ["email", "phone", "company"]),
        (["手機號碼", "聯絡人", "企業名稱"], ["phone", "name", "company"]),
        (["电话", "电话", "来源", "活动"], ["phone", "source", "campaign"]),  # first wins
    ],
)
def test_header_names_in_english_and_chinese(header: list[str], fields: list[str]) -> None:
    assert list(map_header(header).values()) == fields


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("empty.csv", b"", "leads.import.empty"),
        ("blank.csv", b"\r\n\r\n", "leads.import.empty"),
        ("photo.csv", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "leads.import.not_spreadsheet"),
        ("doc.pdf", b"%PDF-1.4 ...", "leads.import.not_spreadsheet"),
        ("garbage.csv", bytes(range(256)) * 40, "leads.import.not_spreadsheet"),
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "leads.import.old_xls"),
        ("words.csv", b"hello there\nthis is a letter\n", "leads.import.no_header"),
        ("half.csv", b"name,region\nAnn,East\n", "leads.import.missing_columns"),
    ],
)
def test_what_is_not_a_lead_list_is_refused_clearly(
    tmp_path: Path, name: str, data: bytes, code: str
) -> None:
    with pytest.raises(Invalid) as refused:
        open_sheet(write(tmp_path, name, data))
    assert refused.value.code == code


def test_a_zip_that_is_not_a_workbook_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "fake.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "not a workbook")
    with pytest.raises(Invalid) as refused:
        open_sheet(path)
    assert refused.value.code == "leads.import.not_spreadsheet"


def test_missing_columns_are_named(tmp_path: Path) -> None:
    with pytest.raises(Invalid) as refused:
        open_sheet(write(tmp_path, "l.csv", b"name,company,region\n"))
    assert refused.value.params == {"missing": "phone/电话 | email/邮箱"}


def test_a_file_over_the_size_limit_is_refused_before_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("storage.lead_import_files.MAX_BYTES", 10)
    with pytest.raises(Invalid) as refused:
        open_sheet(write(tmp_path, "l.csv", b"name,company,phone\n" * 2))
    assert refused.value.code == "leads.import.too_big"
