"""Telegram-shaped API errors.

Every failure the emulator reports to a bot goes through :class:`ApiError`, so the JSON body
(``{"ok": false, "error_code": N, "description": "..."}``) and the HTTP status always agree,
exactly as on ``api.telegram.org``. python-telegram-bot decides which exception to raise from
the HTTP status and the ``parameters`` object, so both must be right for a bot's error
handling to be exercised faithfully.
"""

from __future__ import annotations

from typing import Any

_PREFIXES = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    409: "Conflict",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
}


class ApiError(Exception):
    """An error answered to the bot with Telegram's JSON shape and a real HTTP status."""

    def __init__(
        self,
        error_code: int,
        description: str,
        *,
        retry_after: int | None = None,
        migrate_to_chat_id: int | None = None,
    ) -> None:
        super().__init__(description)
        self.error_code = error_code
        self.description = description
        self.retry_after = retry_after
        self.migrate_to_chat_id = migrate_to_chat_id

    def to_json(self) -> dict[str, Any]:
        """The response body Telegram would send for this error."""
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.error_code,
            "description": self.description,
        }
        parameters: dict[str, int] = {}
        if self.retry_after is not None:
            parameters["retry_after"] = self.retry_after
        if self.migrate_to_chat_id is not None:
            parameters["migrate_to_chat_id"] = self.migrate_to_chat_id
        if parameters:
            body["parameters"] = parameters
        return body

    def __repr__(self) -> str:
        return f"ApiError({self.error_code}, {self.description!r})"


def bad_request(message: str) -> ApiError:
    """``400 Bad Request: <message>`` — the message is used verbatim after the prefix."""
    return ApiError(400, f"Bad Request: {message}")


def forbidden(message: str) -> ApiError:
    """``403 Forbidden: <message>``."""
    return ApiError(403, f"Forbidden: {message}")


def conflict(message: str) -> ApiError:
    """``409 Conflict: <message>``."""
    return ApiError(409, f"Conflict: {message}")


def too_many_requests(retry_after: int) -> ApiError:
    """``429`` with ``parameters.retry_after`` so PTB raises ``RetryAfter``."""
    retry_after = max(1, int(retry_after))
    return ApiError(429, f"Too Many Requests: retry after {retry_after}", retry_after=retry_after)


def not_found() -> ApiError:
    """What api.telegram.org answers for a method name it does not know."""
    return ApiError(404, "Not Found")


def unauthorized() -> ApiError:
    """What api.telegram.org answers for a token it does not know."""
    return ApiError(401, "Unauthorized")


def error_for_code(error_code: int, retry_after: int, description: str | None) -> ApiError:
    """Build an on-demand failure (``fail_next``) with a plausible default description."""
    if error_code == 429:
        error = too_many_requests(retry_after)
        if description is not None:
            error.description = description
        return error
    if description is None:
        prefix = _PREFIXES.get(error_code, "Error")
        description = f"{prefix}: failure injected by the emulator"
    return ApiError(error_code, description)
