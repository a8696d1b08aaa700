"""How the on-site check-in is drawn: the customer list, the form's prompts and keyboards, the
confirmation with its flags, the check-out, and /visits (B4).

Functions take storage results and a language and return text, or ``(text, keyboard)``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
)

from bot.callbacks.checkin import (
    CheckInPage,
    CheckInPick,
    CheckInSkip,
    CheckOut,
    OpenCheckIn,
    SkipStep,
    VisitsDay,
)
from bot.i18n import Html, Lang, t
from bot.keyboards import button, cancel_row, pager
from bot.render import local_time, truncate
from storage.checkins import CheckInResult, CheckInTarget
from storage.checkins_choices import ChoicePage
from storage.checkins_live import CheckOutResult
from storage.checkins_rules import Flag
from storage.checkins_visits import VisitDay, VisitDetail, VisitLine

View = tuple[str, InlineKeyboardMarkup | None]
CAPTION_NOTE = 300
LINE_NOTE = 60


def _markup(rows: Sequence[Sequence[InlineKeyboardButton]]) -> InlineKeyboardMarkup | None:
    kept = [list(row) for row in rows if row]
    return InlineKeyboardMarkup(kept) if kept else None


def _short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def meters(lang: Lang, value: float) -> str:
    """``85 m``, ``1.2 km``."""
    if value < 1000:
        return t(lang, "checkin.unit.m", n=round(value))
    return t(lang, "checkin.unit.km", n=f"{value / 1000:.1f}")


def duration(lang: Lang, seconds: int) -> str:
    """``42 min``, ``1 h 05 min``."""
    minutes = max(0, seconds) // 60
    if minutes < 60:
        return t(lang, "checkin.unit.min", n=minutes)
    return t(lang, "checkin.unit.h_min", h=minutes // 60, m=f"{minutes % 60:02d}")


def accuracy(lang: Lang, value: float | None) -> str:
    return t(lang, "checkin.accuracy_unknown") if value is None else meters(lang, value)


def flag_short(lang: Lang, flag: Flag) -> str:
    return t(lang, f"checkin.flag_short.{flag.value}")


# ----- choosing the customer -----


def choices(lang: Lang, result: ChoicePage) -> View:
    """The rep's customers, today's planned visits first, with a pager and Cancel."""
    page = result.page
    if page.total == 0:
        key = "checkin.pick_no_match" if result.text else "checkin.pick_none"
        markup = _markup([cancel_row(lang)]) if result.text else None
        return t(lang, key, text=result.text), markup
    head = "checkin.pick_search" if result.text else "checkin.pick"
    rows: list[list[InlineKeyboardButton]] = []
    for choice in page.items:
        label = choice.name
        if choice.visit_at is not None:
            at = local_time(choice.visit_at, result.timezone, "%H:%M")
            label = t(lang, "checkin.pick_visit", time=at, name=choice.name)
        rows.append([button(label, CheckInPick(choice.customer_id))])
    rows.append(pager(page, CheckInPage))  # type: ignore[arg-type]
    rows.append(cancel_row(lang))
    return t(lang, head, text=result.text), _markup(rows)


# ----- the form -----


def ask_location(lang: Lang, target: CheckInTarget) -> tuple[str, ReplyKeyboardMarkup]:
    """Ask for the current location through the request-location button."""
    text = t(lang, "checkin.ask_location", name=target.customer_name)
    if target.live_allowed:
        text += "\n\n" + t(lang, "checkin.ask_location_live")
    keyboard = ReplyKeyboardMarkup(
        [
            [KeyboardButton(t(lang, "checkin.btn.share_location"), request_location=True)],
            [KeyboardButton(t(lang, "checkin.btn.cancel"))],
        ],
        resize_keyboard=True,
        one_time_keyboard=True,
        input_field_placeholder=t(lang, "checkin.location_placeholder"),
    )
    return text, keyboard


def cancel_labels() -> list[str]:
    """The reply keyboard's Cancel in every language (the keyboard sends its label)."""
    return [t(lang, "checkin.btn.cancel") for lang in Lang]


def ask_photo(lang: Lang, required: bool, minutes: int) -> View:
    key = "checkin.ask_photo" if required else "checkin.ask_photo_optional"
    skip = [] if required else [button(t(lang, "checkin.btn.skip"), CheckInSkip(SkipStep.PHOTO))]
    return t(lang, key, minutes=minutes), _markup([skip, cancel_row(lang)])


def ask_note(lang: Lang) -> View:
    skip = [button(t(lang, "checkin.btn.skip"), CheckInSkip(SkipStep.NOTE))]
    return t(lang, "checkin.ask_note"), _markup([skip, cancel_row(lang)])


def _flag_line(lang: Lang, flag: Flag, result: CheckInResult) -> str:
    return t(
        lang,
        f"checkin.flag.{flag.value}",
        distance=meters(lang, result.distance_m or 0),
        radius=meters(lang, result.radius_m),
        accuracy=accuracy(lang, result.accuracy_m),
        limit=meters(lang, result.max_accuracy_m),
    )


def checked_in(lang: Lang, result: CheckInResult, *, photo: bool, note: str) -> View:
    """The confirmation: where, how far, what was flagged and why, and the Leave button."""
    at = local_time(result.checked_in_at, result.timezone, "%H:%M")
    lines = [t(lang, "checkin.saved", name=result.customer_name, time=at)]
    if result.distance_m is not None:
        lines.append(
            t(
                lang,
                "checkin.saved_distance",
                distance=meters(lang, result.distance_m),
                radius=meters(lang, result.radius_m),
            )
        )
    lines.append(t(lang, "checkin.saved_accuracy", accuracy=accuracy(lang, result.accuracy_m)))
    if photo:
        lines.append(t(lang, "checkin.saved_photo"))
    if note:
        lines.append(t(lang, "checkin.saved_note", note=_short(note, 200)))
    if result.learned_location:
        lines.append(t(lang, "checkin.saved_learned", name=result.customer_name))
    if result.closed_visit_at is not None:
        planned = local_time(result.closed_visit_at, result.timezone, "%H:%M")
        lines.append(t(lang, "checkin.saved_closed", time=planned))
    lines.append("")
    if result.flagged:
        lines.append(t(lang, "checkin.saved_flagged"))
        lines += [_flag_line(lang, flag, result) for flag in result.flags]
    else:
        lines.append(t(lang, "checkin.saved_ok"))
    if result.live is not None:
        lines += ["", t(lang, "checkin.saved_live", radius=meters(lang, result.radius_m))]
    lines += ["", t(lang, "checkin.saved_leave_hint")]
    leave = [button(t(lang, "checkin.btn.leave"), CheckOut(result.checkin_id))]
    return truncate("\n".join(lines)), _markup([leave])


def checked_out(lang: Lang, result: CheckOutResult) -> str:
    at = local_time(result.checked_out_at, result.timezone, "%H:%M")
    key = "checkin.already_out" if result.already else "checkin.checked_out"
    text = t(
        lang,
        key,
        name=result.customer_name,
        time=at,
        duration=duration(lang, result.duration_seconds),
    )
    if result.dwell_seconds is not None:
        text += "\n" + t(lang, "checkin.dwell", dwell=duration(lang, result.dwell_seconds))
    return text


# ----- /visits -----


def day_code(day: date) -> int:
    """A day as YYYYMMDD, the form it takes in a button."""
    return day.year * 10_000 + day.month * 100 + day.day


def parse_day(code: int) -> date | None:
    try:
        return date(code // 10_000, code // 100 % 100, code % 100)
    except ValueError:
        return None


def _visit_line(lang: Lang, number: int, line: VisitLine, zone: str, team_wide: bool) -> str:
    flags = ", ".join(flag_short(lang, f) for f in line.flags)
    return t(
        lang,
        "checkin.visits.line_team" if team_wide else "checkin.visits.line_own",
        number=number,
        mark="⚠️ " if line.flags else "",
        time=local_time(line.checked_in_at, zone, "%H:%M"),
        rep=line.rep,
        customer=line.customer,
        distance=meters(lang, line.distance_m)
        if line.distance_m is not None
        else t(lang, "checkin.distance_unknown"),
        flags=Html(" · " + t(lang, "checkin.visits.flags", flags=flags)) if flags else "",
    )


def visits(lang: Lang, result: VisitDay) -> View:
    """A day's check-ins, flagged first; a button per visit; ‹ day › and the page."""
    page = result.page
    day = result.day.isoformat()
    heading = "checkin.visits.header_team" if result.team_wide else "checkin.visits.header_own"
    if result.day == result.today:
        day = t(lang, "checkin.visits.today", day=day)
    lines = [t(lang, heading, day=day)]
    if page.total == 0:
        lines.append(t(lang, "checkin.visits.none"))
    else:
        lines.append(t(lang, "checkin.visits.summary", total=page.total, flagged=result.flagged))
        lines.append("")
    rows: list[list[InlineKeyboardButton]] = []
    taps: list[InlineKeyboardButton] = []
    first = page.number * page.size + 1
    for number, line in enumerate(page.items, start=first):
        lines.append(_visit_line(lang, number, line, result.timezone, result.team_wide))
        taps.append(
            button(("⚠️ " if line.flags else "") + str(number), OpenCheckIn(line.checkin_id))
        )
    if taps:
        lines += ["", t(lang, "checkin.visits.tap_hint")]
        rows += [taps[i : i + 5] for i in range(0, len(taps), 5)]
    code = day_code(result.day)
    rows.append(pager(page, lambda n: VisitsDay(code, n)))  # type: ignore[arg-type]
    nav: list[InlineKeyboardButton] = []
    if result.day > result.earliest:
        before = date.fromordinal(result.day.toordinal() - 1)
        nav.append(button(f"‹ {before.isoformat()}", VisitsDay(day_code(before), 0)))
    if result.day < result.today:
        after = date.fromordinal(result.day.toordinal() + 1)
        nav.append(button(f"{after.isoformat()} ›", VisitsDay(day_code(after), 0)))
        nav.append(
            button(t(lang, "checkin.visits.btn_today"), VisitsDay(day_code(result.today), 0))
        )
    rows.append(nav)
    return truncate("\n".join(lines)), _markup(rows)


def _when(moment: datetime | None, zone: str) -> str:
    return local_time(moment, zone, "%Y-%m-%d %H:%M") if moment is not None else "—"


def visit_detail(lang: Lang, detail: VisitDetail) -> str:
    """Everything about one visit, sent with its location and photo."""
    zone = detail.timezone
    lines = [t(lang, "checkin.detail.header", customer=detail.customer, rep=detail.rep)]
    if detail.checked_out_at is None:
        lines.append(t(lang, "checkin.detail.open", time_in=_when(detail.checked_in_at, zone)))
    else:
        seconds = int((detail.checked_out_at - detail.checked_in_at).total_seconds())
        lines.append(
            t(
                lang,
                "checkin.detail.closed",
                time_in=_when(detail.checked_in_at, zone),
                time_out=local_time(detail.checked_out_at, zone, "%H:%M"),
                duration=duration(lang, seconds),
            )
        )
    distance = (
        meters(lang, detail.distance_m)
        if detail.distance_m is not None
        else t(lang, "checkin.distance_unknown")
    )
    lines.append(
        t(
            lang,
            "checkin.detail.where",
            distance=distance,
            accuracy=accuracy(lang, detail.accuracy_m),
        )
    )
    if detail.dwell_seconds is not None:
        lines.append(t(lang, "checkin.dwell", dwell=duration(lang, detail.dwell_seconds)))
    if detail.planned:
        lines.append(t(lang, "checkin.detail.planned"))
    if not detail.photo_file_id:
        lines.append(t(lang, "checkin.detail.no_photo"))
    if detail.note:
        lines.append(t(lang, "checkin.saved_note", note=_short(detail.note, 1000)))
    if detail.flags:
        flags = ", ".join(flag_short(lang, f) for f in detail.flags)
        lines.append(t(lang, "checkin.detail.flags", flags=flags))
    else:
        lines.append(t(lang, "checkin.detail.not_flagged"))
    return truncate("\n".join(lines))


def photo_caption(lang: Lang, detail: VisitDetail) -> str:
    at = local_time(detail.checked_in_at, detail.timezone, "%Y-%m-%d %H:%M")
    return t(lang, "checkin.detail.caption", customer=detail.customer, rep=detail.rep, time=at)
