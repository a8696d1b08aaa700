"""Who is acting, and the one place that decides what their role allows.

Every storage function that acts for a person takes an ``Actor`` and checks it here; handlers
check the same rules through ``bot.access`` before calling, but the rule lives in storage so the
scheduler and the web API cannot bypass it.
"""

from __future__ import annotations

from dataclasses import dataclass

from storage.models import Role


class DomainError(Exception):
    """Base of expected refusals; ``code`` names the message the user sees."""

    code = "error.generic"


class NotAllowed(DomainError):
    """The actor's role does not permit this."""

    code = "error.not_allowed"


class NotFound(DomainError):
    """Missing, or not visible to this actor — deliberately the same answer."""

    code = "error.not_found"


class Invalid(DomainError):
    """Input that fails a business rule; ``code`` is specific to the rule."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class Actor:
    """The acting person as storage sees them: enough to decide, nothing Telegram-specific."""

    user_id: int
    telegram_id: int
    full_name: str
    role: Role | None
    team_id: int | None
    language: str | None
    telegram_language: str | None
    customer_id: int | None = None

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN

    def has_role(self, *roles: Role) -> bool:
        return self.role in roles

    def require(self, *roles: Role) -> None:
        """Raise NotAllowed unless the actor holds one of ``roles``."""
        if self.role not in roles:
            raise NotAllowed()

    def require_team(self, team_id: int) -> None:
        """Admins act on every team; everyone else only on their own."""
        if not self.is_admin and self.team_id != team_id:
            raise NotFound()
