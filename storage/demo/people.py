"""The demo's people: persona users, and the portal accounts customers sign in with."""

from __future__ import annotations

from datetime import datetime, timedelta
from statistics import fmean
from typing import Any

from storage.demo.catalog import DemoPersona
from storage.demo.plan import CustomerPlan
from storage.demo.state import DAY, TeamState
from storage.models import PortalAccount, Team, User


async def persona_user(persona: DemoPersona, team: Team | None, now: datetime) -> User:
    """Create a persona's user, or adopt the account if that Telegram id already wrote to the bot.

    A sandbox often starts the bot first, so the admin persona may exist before the load.
    """
    values: dict[str, Any] = {
        "username": persona.username,
        "full_name": persona.full_name,
        "telegram_language": persona.language,
        "language": persona.language,
        "role": persona.role,
        "team_id": team.id if team else None,
        "last_seen_at": now - timedelta(minutes=(persona.telegram_id % 97) * 7),
    }
    user = await User.get_or_none(telegram_id=persona.telegram_id)
    if user is None:
        return await User.create(
            telegram_id=persona.telegram_id, created_at=now - timedelta(days=400), **values
        )
    await User.filter(id=user.id).update(**values)
    return await User.get(id=user.id)


class PortalWriter(TeamState):
    """Gives each customer persona of the team a portal account."""

    async def _write_portal(self) -> None:
        """Portal users speak for established customers that have tickets to show."""
        preferences = (
            [c for c in self.customers if c.owner and c.ratings and fmean(c.ratings) >= 3],
            [c for c in self.customers if c.owner and c.won_deals],
            [c for c in self.customers if c.owner],
        )
        chosen: list[CustomerPlan] = []
        for group in preferences:
            rest = [c for c in group if c not in chosen]
            need = len(self.portal_users) - len(chosen)
            chosen += self.rng.sample(rest, k=min(need, len(rest)))
        for user, c in zip(self.portal_users, chosen, strict=True):
            since = min((d.closed_at for d in c.won_deals if d.closed_at), default=c.created_at)
            joined = self._between(since, self.now - DAY)
            await PortalAccount.create(user_id=user.id, customer_id=c.id, created_at=joined)
            c.portal = user
            self.counts["portal_users"] += 1
