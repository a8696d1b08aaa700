"""Reading an uploaded lead file as a stream of rows, never the whole file at once.

CSV is decoded as UTF-8 (with or without BOM), UTF-16 (Excel's "Unicode text") or GB18030
(what Chinese Excel writes), delimiter guessed from the first lines; XLSX is read with
openpyxl's read-only mode, row by row. The header is the first of the first rows that names
at least two known columns, in English or Chinese; a title row above it is skipped.
Everything here is synchronous: the import runs it in a worker thread, a batch at a time.
"""

from __future__ import annotations

import codecs
import csv
import itertools
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

from openpyxl import load_workbook  # type: ignore[import-untyped]
from openpyxl.utils.exceptions import InvalidFileException  # type: ignore[import-untyped]

from storage.access import Invalid

MAX_BYTES = 20 * 1024 * 1024
"""Telegram lets bots download files up to 20 MB."""
MAX_ROWS = 200_000
HEADER_SCAN = 10
REQUIRED = ("name", "company")
CONTACT = ("phone", "email")

ALIASES: dict[str, tuple[str, ...]] = {
    "name": ("name", "full name", "contact", "contact name", "contact person", "person",
             "姓名", "名字", "联系人", "聯絡人", "聯繫人", "联系人姓名", "聯絡人姓名"),
    "company": ("company", "company name", "organization", "organisation", "org", "account",
                "business", "公司", "公司名称", "公司名稱", "企业", "企業", "企业名称",
                "企業名稱", "单位", "單位", "客户", "客戶", "客户名称", "客戶名稱"),
    "phone": ("phone", "phone number", "mobile", "mobile phone", "tel", "telephone", "cell",
              "cellphone", "电话", "電話", "手机", "手機", "手机号", "手機號", "手机号码",
              "手機號碼", "电话号码", "電話號碼", "联系电话", "聯絡電話", "聯繫電話"),
    "email": ("email", "e-mail", "mail", "email address", "邮箱", "郵箱", "电子邮件",
              "電子郵件", "电子邮箱", "電子郵箱", "电邮", "電郵", "邮件", "郵件"),
    "region": ("region", "area", "territory", "city", "province", "district", "地区", "地區",
               "区域", "區域", "城市", "省份", "省市"),
    "industry": ("industry", "sector", "vertical", "行业", "行業", "所属行业", "所屬行業"),
    "campaign": ("campaign", "campaign name", "活动", "活動", "营销活动", "營銷活動",
                 "行销活动", "行銷活動"),
    "source": ("source", "lead source", "channel", "来源", "來源", "渠道", "线索来源",
               "線索來源"),
    "note": ("note", "notes", "remark", "remarks", "comment", "comments", "备注", "備註",
             "说明", "說明"),
}  # fmt: skip
_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)


def header_key(text: str) -> str:
    """``E-Mail``, ``e_mail`` and ``ＥＭＡＩＬ`` compare equal; so do ``手机号`` variants."""
    return _NOT_WORD.sub("", unicodedata.normalize("NFKC", text).casefold())


_FIELD_OF = {header_key(alias): name for name, aliases in ALIASES.items() for alias in aliases}


def map_header(cells: list[str]) -> dict[int, str]:
    """Column index → field, for the columns we recognise (the first of a kind wins)."""
    columns: dict[int, str] = {}
    for index, cell in enumerate(cells):
        name = _FIELD_OF.get(header_key(cell))
        if name and name not in columns.values():
            columns[index] = name
    return columns


def missing_columns(columns: dict[int, str]) -> list[str]:
    """Required columns the header lacks (name, company, and a phone or an e-mail)."""
    found = set(columns.values())
    missing = [f"{name}/{ALIASES[name][-1]}" for name in REQUIRED if name not in found]
    if not found & set(CONTACT):
        missing.append("phone/电话 | email/邮箱")
    return missing


class SheetBroken(Exception):
    """The file stopped making sense at ``row`` (a malformed CSV line, a broken sheet)."""

    def __init__(self, row: int) -> None:
        super().__init__(row)
        self.row = row


Row = tuple[int, list[str]]


@dataclass
class Sheet:
    kind: str
    """``csv`` or ``xlsx``."""
    header: list[str]
    columns: dict[int, str]
    rows: Iterator[Row]
    """Data rows after the header, as (row number in the file, cells); blank rows skipped."""
    close: Callable[[], None]

    def values(self, cells: list[str]) -> dict[str, str]:
        return {name: cells[i] for i, name in self.columns.items() if i < len(cells)}

    @property
    def ignored(self) -> list[str]:
        return [cell for i, cell in enumerate(self.header) if i not in self.columns and cell]


_BINARY_MAGIC = (b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"Rar!", b"\x1f\x8b", b"7z\xbc")
_OLD_XLS = b"\xd0\xcf\x11\xe0"


def open_sheet(path: Path) -> Sheet:
    """The file's header and a row iterator, or Invalid saying why it is not a lead list."""
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise Invalid("leads.import.too_big", limit=MAX_BYTES // (1024 * 1024))
    if size == 0:
        raise Invalid("leads.import.empty")
    with path.open("rb") as raw:
        head = raw.read(8192)
    if head.startswith(_OLD_XLS):
        raise Invalid("leads.import.old_xls")
    if head.startswith(b"PK\x03\x04"):
        rows, close, kind = _xlsx_rows(path), None, "xlsx"
    elif head.startswith(_BINARY_MAGIC):
        raise Invalid("leads.import.not_spreadsheet")
    else:
        handle = _open_text(path, head)
        rows, close, kind = _csv_rows(handle), handle.close, "csv"
    closer = close or (lambda: _close_iter(rows))
    try:
        return _find_header(kind, rows, closer)
    except BaseException:
        closer()
        raise


def _close_iter(rows: Iterator[Row]) -> None:
    close = getattr(rows, "close", None)
    if close is not None:
        close()


def _find_header(kind: str, rows: Iterator[Row], close: Callable[[], None]) -> Sheet:
    scanned: list[Row] = []
    for row in itertools.islice(rows, HEADER_SCAN):
        scanned.append(row)
        columns = map_header(row[1])
        if len(columns) >= 2 and set(columns.values()) & {*REQUIRED, *CONTACT}:
            missing = missing_columns(columns)
            if missing:
                raise Invalid("leads.import.missing_columns", missing=", ".join(missing))
            rest = scanned[scanned.index(row) + 1 :]
            return Sheet(kind, row[1], columns, itertools.chain(rest, rows), close)
    if not scanned:
        raise Invalid("leads.import.empty")
    raise Invalid("leads.import.no_header")


# ----- CSV ---------------------------------------------------------------------------------


def _decodes(path: Path, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        with path.open("rb") as raw:
            while chunk := raw.read(1 << 20):
                decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def detect_encoding(path: Path, head: bytes) -> str:
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if b"\x00" in head:
        raise Invalid("leads.import.not_spreadsheet")
    for encoding in ("utf-8", "gb18030"):
        if _decodes(path, encoding):
            return encoding
    raise Invalid("leads.import.not_spreadsheet")


def _open_text(path: Path, head: bytes) -> IO[str]:
    encoding = detect_encoding(path, head)
    handle = path.open(encoding=encoding, newline="")
    sample = handle.read(8192)
    handle.seek(0)
    controls = sum(1 for ch in sample if unicodedata.category(ch) == "Cc" and ch not in "\t\r\n")
    if controls > len(sample) // 50:
        handle.close()
        raise Invalid("leads.import.not_spreadsheet")
    return handle


def guess_delimiter(sample: str) -> str:
    """The candidate that splits the first lines most often (a header line decides ties)."""
    lines = [line for line in sample.splitlines()[:5] if line.strip()]
    counts = {d: sum(line.count(d) for line in lines) for d in (",", ";", "\t", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _csv_rows(handle: IO[str]) -> Iterator[Row]:
    delimiter = guess_delimiter(handle.read(8192))
    handle.seek(0)
    reader = csv.reader(handle, delimiter=delimiter)
    number = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except (csv.Error, UnicodeDecodeError) as error:
            raise SheetBroken(number + 1) from error
        number = reader.line_num
        if any(cell.strip() for cell in cells):
            yield number, [cell.strip() for cell in cells]


# ----- XLSX --------------------------------------------------------------------------------


def cell_text(value: Any) -> str:
    """A spreadsheet cell as the text a person sees (13812345678.0 is a phone, not a float)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value).strip()


def _xlsx_rows(path: Path) -> Iterator[Row]:
    """Rows of the first sheet; opened from a handle, since uploads have no file extension."""
    handle = path.open("rb")
    try:
        workbook = load_workbook(handle, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        handle.close()
        raise Invalid("leads.import.not_spreadsheet") from error
    return _sheet_rows(workbook, handle)


def _sheet_rows(workbook: Any, handle: IO[bytes]) -> Iterator[Row]:
    try:
        if not workbook.worksheets:
            return
        sheet = workbook.worksheets[0]
        number = 0
        try:
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                cells = [cell_text(v) for v in values]
                if any(cells):
                    yield number, cells
        except (KeyError, ValueError, TypeError, zipfile.BadZipFile) as error:
            raise SheetBroken(number + 1) from error
    finally:
        workbook.close()
        handle.close()
