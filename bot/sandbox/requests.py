"""Reading the web chat's requests: JSON bodies, numbers in range, and who is acting.

Every problem becomes ``{"error": …}`` with a 4xx status, worded for the page to show as is.
"""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web

from bot.sandbox.runtime import Person, Sandbox

JSON = dict[str, Any]


def problem(status: int, message: str) -> web.HTTPException:
    """An error the page shows as is: ``{"error": message}`` with an HTTP status."""
    error: type[web.HTTPException] = {
        400: web.HTTPBadRequest,
        404: web.HTTPNotFound,
        409: web.HTTPConflict,
    }.get(status, web.HTTPBadRequest)
    return error(text=json.dumps({"error": message}), content_type="application/json")


def number(body: JSON, key: str, *, low: float, high: float, default: float | None = None) -> float:
    """``body[key]`` as a number within [low, high]."""
    raw = body.get(key, default)
    try:
        value = float(raw)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise problem(400, f"{key} must be a number") from None
    if not low <= value <= high:
        raise problem(400, f"{key} must be between {low:g} and {high:g}")
    return value


def integer(raw: Any, what: str) -> int:
    try:
        return int(raw)
    except (TypeError, ValueError):
        raise problem(400, f"{what} must be a whole number") from None


async def json_body(request: web.Request) -> JSON:
    try:
        body = await request.json()
    except ValueError:
        raise problem(400, "send a JSON object") from None
    if not isinstance(body, dict):
        raise problem(400, "send a JSON object")
    return body


def acting_person(sandbox: Sandbox, raw: Any) -> Person:
    """The person a request acts as: only people of the sandbox (never the bot)."""
    person = sandbox.people.get(integer(raw, "user"))
    if person is None:
        raise problem(404, "no such person")
    return person
