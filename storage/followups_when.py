"""Reading a date and time typed in the chat — "2026-03-10 14:00", "明天 10:00", "3/10 14:00",
"tomorrow 10am", "下周五下午3点" — as a moment in the team's zone (pure, table-tested).

The text is normalised first (full-width digits and colons, Traditional forms of 点/后/周), then
one date form and one time form are taken out of it; anything left but filler ("at", "，")
means the text was not understood. A follow-up's next step must lie ahead, within a year.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from storage.access import Invalid

DEFAULT_HOUR = 9
EVENING_HOUR = 19
HORIZON = timedelta(days=366)
_FOLD = str.maketrans({"點": "点", "時": "时", "號": "号", "後": "后", "週": "周", "禮": "礼"})
_PM = {"pm", "p.m.", "下午", "傍晚", "晚上", "晚"}
_AM = {"am", "a.m.", "上午", "早上", "早晨", "凌晨", "早"}
_CN_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5}
_CN_DIGITS |= {"六": 6, "七": 7, "八": 8, "九": 9}
_RELATIVE: dict[str, tuple[int, str | None]] = {
    "day after tomorrow": (2, None),
    "tomorrow": (1, None),
    "tmrw": (1, None),
    "tmr": (1, None),
    "today": (0, None),
    "tonight": (0, "pm"),
    "大后天": (3, None),
    "后天": (2, None),
    "明天": (1, None),
    "明日": (1, None),
    "明早": (1, "am"),
    "明晚": (1, "pm"),
    "今天": (0, None),
    "今日": (0, None),
    "今早": (0, "am"),
    "今晚": (0, "pm"),
}
_EN_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_CN_DAYS = "一二三四五六日"
_EN_DAY_NAMES = (
    "mon(?:day)?|tue(?:s|sday)?|wed(?:nesday)?|thu(?:rs?|rsday)?|fri(?:day)?|sat(?:urday)?"
    "|sun(?:day)?"
)
_MERIDIEM_CN = r"(?:(上午|早上|早晨|凌晨|中午|下午|傍晚|晚上)\s*)?"
_NUMBER = r"([0-9]{1,2}|[零一二两三四五六七八九十]{1,3})"
_DATE_FORMS = (
    ("ymd", re.compile(r"(?<!\d)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)")),
    ("ymd", re.compile(r"(?<!\d)(\d{4})年(\d{1,2})月(\d{1,2})[日号]?")),
    ("md", re.compile(r"(?<!\d)(\d{1,2})月(\d{1,2})[日号]?")),
    ("md", re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})(?![\d/])")),
    ("rel", re.compile("|".join(re.escape(w) for w in sorted(_RELATIVE, key=len, reverse=True)))),
    ("cnday", re.compile(r"(下个?|这|本)?(?:周|星期|礼拜)([一二三四五六日天])")),
    ("enday", re.compile(r"\b(next\s+|this\s+)?(" + _EN_DAY_NAMES + r")\b")),
)
_TIME_FORMS = (
    (
        "clock",
        re.compile(_MERIDIEM_CN + r"(?<!\d)(\d{1,2}):(\d{2})(?!\d)\s*(am|pm|a\.m\.|p\.m\.)?"),
    ),
    (
        "cn",
        re.compile(_MERIDIEM_CN + _NUMBER + r"\s*[点时](?:\s*(半|" + _NUMBER[1:-1] + r")\s*分?)?"),
    ),
    ("ampm", re.compile(r"(?<![\d:])(\d{1,2})\s*(am|pm|a\.m\.|p\.m\.)(?![a-z])")),
)
_FILLER = re.compile(r"\b(?:at|on)\b|[@,，的在于]")


def _cn_number(text: str) -> int | None:
    """``10`` or ``十`` / ``十二`` / ``二十三`` → int; None for anything else."""
    if text.isdigit():
        return int(text)
    if "十" not in text:
        return _CN_DIGITS.get(text) if len(text) == 1 else None
    tens, _, ones = text.partition("十")
    high = _CN_DIGITS.get(tens, -1) if tens else 1
    low = _CN_DIGITS.get(ones, -1) if ones else 0
    return None if high < 0 or low < 0 else high * 10 + low


def _hour(hour: int, meridiem: str | None, *, strict: bool) -> int | None:
    """The hour of the day; ``strict`` (a typed am/pm) allows only 1–12 before it."""
    if strict and not 1 <= hour <= 12:
        return None
    if meridiem in _PM and hour < 12:
        hour += 12
    elif meridiem in _AM and hour == 12:
        hour = 0
    elif meridiem == "中午" and hour < 6:
        hour += 12
    return hour if 0 <= hour <= 23 else None


def _take(pattern: re.Pattern[str], text: str) -> tuple[re.Match[str] | None, str]:
    match = pattern.search(text)
    if match is None:
        return None, text
    return match, text[: match.start()] + " " + text[match.end() :]


def _weekday(today: date, index: int, which: str | None) -> date:
    """``周五`` / ``fri``: the next such day (today included); ``下周五`` / ``next fri``: the one
    in next week; ``这周五`` / ``this fri``: this week's (maybe already past)."""
    monday = today - timedelta(days=today.weekday())
    if which and which.strip() in ("下", "下个", "next"):
        return monday + timedelta(days=7 + index)
    if which and which.strip() in ("这", "本", "this"):
        return monday + timedelta(days=index)
    return today + timedelta(days=(index - today.weekday()) % 7)


def _month_day(today: date, month: int, day: int) -> date:
    """A month and day without a year: the one nearest to today (so yesterday's date stays
    yesterday's, and "1/15" typed in December means next January)."""
    found = []
    for year in (today.year - 1, today.year, today.year + 1):
        try:
            found.append(date(year, month, day))
        except ValueError:
            continue
    if not found:
        raise ValueError(f"no {month}/{day} in any year near {today}")
    return min(found, key=lambda d: abs((d - today).days))


def _read_date(kind: str, m: re.Match[str], today: date) -> tuple[date, str | None]:
    if kind == "ymd":
        return date(int(m[1]), int(m[2]), int(m[3])), None
    if kind == "md":
        return _month_day(today, int(m[1]), int(m[2])), None
    if kind == "rel":
        days, hint = _RELATIVE[m[0]]
        return today + timedelta(days=days), hint
    if kind == "cnday":
        index = 6 if m[2] in ("日", "天") else _CN_DAYS.index(m[2])
        return _weekday(today, index, m[1]), None
    return _weekday(today, _EN_DAYS.index(m[2][:3]), m[1]), None


def _read_time(kind: str, m: re.Match[str], hint: str | None) -> time | None:
    strict = False
    if kind == "clock":
        hour, minute, meridiem, strict = int(m[2]), int(m[3]), m[4] or m[1] or hint, bool(m[4])
    elif kind == "cn":
        number = _cn_number(m[2])
        minutes = 30 if m[3] == "半" else _cn_number(m[3]) if m[3] else 0
        if number is None or minutes is None:
            return None
        hour, minute, meridiem = number, minutes, m[1] or hint
    else:
        hour, minute, meridiem, strict = int(m[1]), 0, m[2], True
    hour_of_day = _hour(hour, meridiem, strict=strict)
    if hour_of_day is None or not 0 <= minute <= 59:
        return None
    return time(hour_of_day, minute)


def parse_when(text: str, *, now: datetime, zone: str) -> datetime:
    """The moment ``text`` names, in UTC, read in the team's ``zone``; Invalid if it names
    nothing, a day that does not exist, a moment not after ``now``, or one over a year away.

    A date without a time means 09:00 (19:00 for "tonight"/"今晚"); a time without a date
    means today. A local time skipped by a daylight-saving change moves forward with it.
    """
    tz = ZoneInfo(zone)
    today = now.astimezone(tz).date()
    rest = unicodedata.normalize("NFKC", text).translate(_FOLD).lower().strip()
    day: date | None = None
    hint: str | None = None
    try:
        for kind, pattern in _DATE_FORMS:
            match, rest = _take(pattern, rest)
            if match is not None:
                day, hint = _read_date(kind, match, today)
                break
    except ValueError as exc:
        raise Invalid("followups.when_no_such_day", text=text.strip()[:40]) from exc
    at: time | None = None
    for kind, pattern in _TIME_FORMS:
        match, rest = _take(pattern, rest)
        if match is not None:
            at = _read_time(kind, match, hint)
            if at is None:
                raise Invalid("followups.when_unknown", text=text.strip()[:40])
            break
    if (day is None and at is None) or _FILLER.sub(" ", rest).strip():
        raise Invalid("followups.when_unknown", text=text.strip()[:40])
    default = time(EVENING_HOUR if hint == "pm" else DEFAULT_HOUR)
    local = datetime.combine(day or today, at or default, tzinfo=tz)
    moment = local.astimezone(UTC)
    if moment <= now:
        raise Invalid("followups.when_past", at=local.strftime("%Y-%m-%d %H:%M"))
    if moment - now > HORIZON:
        raise Invalid("followups.when_too_far", at=local.strftime("%Y-%m-%d %H:%M"))
    return moment
