"""/servicestats drawn in chat: the team's, each agent's and each category's volume, SLA
times, breaches and ratings, and the period buttons."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup

from bot.callbacks import tickets as cb
from bot.i18n import Lang, t
from bot.keyboards import button
from bot.render import local_time, truncate
from bot.views.tickets import category, duration
from storage.models import TicketCategory
from storage.tickets_stats import PERIODS, ServiceStats, StatsRow


def _stats_line(lang: Lang, row: StatsRow, name: str) -> str:
    return t(
        lang,
        "tickets.stats_line",
        name=name,
        tickets=row.tickets,
        open=row.open,
        rate=f"{row.breach_rate:.0%}" if row.breach_rate is not None else "—",
        first=duration(lang, row.first_response_median),
        resolution=duration(lang, row.resolution_median),
        rating=f"{row.rating_avg:.1f} ({row.ratings})" if row.rating_avg is not None else "—",
    )


def _trend(lang: Lang, s: ServiceStats) -> str:
    if s.trend is None or s.previous_rating is None:
        return t(lang, "tickets.trend_none")
    key = "up" if s.trend > 0.05 else ("down" if s.trend < -0.05 else "flat")
    previous = f"{s.previous_rating:.1f}"
    return t(
        lang, f"tickets.trend_{key}", delta=f"{abs(s.trend):.1f}", previous=previous, days=s.days
    )


def stats(lang: Lang, s: ServiceStats) -> tuple[str, InlineKeyboardMarkup]:
    since = local_time(s.since, s.timezone, "%Y-%m-%d")
    lines = [t(lang, "tickets.stats_header", days=s.days, since=since)]
    if not s.team.tickets and not s.team.ratings:
        lines.append(t(lang, "tickets.stats_none"))
    else:
        lines += [_stats_line(lang, s.team, t(lang, "tickets.stats_team")), _trend(lang, s)]
        lines += ["", t(lang, "tickets.stats_agents")]
        lines += [_stats_line(lang, r, r.key or t(lang, "tickets.no_agent")) for r in s.agents]
        lines += ["", t(lang, "tickets.stats_categories")]
        lines += [_stats_line(lang, r, category(lang, TicketCategory(r.key))) for r in s.categories]
    picks = [
        button(
            ("✓ " if d == s.days else "") + t(lang, "tickets.stats_days", days=d), cb.StatsPeriod(d)
        )
        for d in PERIODS
    ]
    return truncate("\n".join(lines)), InlineKeyboardMarkup([picks])
