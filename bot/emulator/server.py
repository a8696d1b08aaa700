"""The HTTP side: ``/bot{token}/{method}`` and ``/file/bot{token}/{file_path}``.

Accepts every encoding a Bot API client uses — query strings, urlencoded forms, multipart
forms with file parts, and JSON bodies — and turns them into the string-valued parameter map
Telegram works with (JSON body values that are not strings are re-encoded as JSON text, the
same normalisation telegram-bot-api applies).
"""

from __future__ import annotations

import json
import logging
from typing import TYPE_CHECKING

from aiohttp import BodyPartReader, web

from bot.emulator.errors import ApiError, bad_request, not_found, unauthorized
from bot.emulator.spec import UploadedFile

if TYPE_CHECKING:
    from bot.emulator.emulator import BotApiEmulator

log = logging.getLogger(__name__)

EMULATOR_KEY: web.AppKey[BotApiEmulator] = web.AppKey("emulator")
MAX_REQUEST_BYTES = 60 * 1024 * 1024  # Telegram accepts uploads up to 50 MB (+ form overhead)

RawParams = dict[str, str | UploadedFile]


def build_app(emulator: BotApiEmulator) -> web.Application:
    app = web.Application(client_max_size=MAX_REQUEST_BYTES)
    app[EMULATOR_KEY] = emulator
    app.router.add_route("GET", "/bot{token}/{method}", _handle_method)
    app.router.add_route("POST", "/bot{token}/{method}", _handle_method)
    app.router.add_route("GET", "/file/bot{token}/{file_path:.+}", _handle_file)
    return app


def _json(error: ApiError) -> web.Response:
    return web.json_response(error.to_json(), status=error.error_code)


async def _handle_method(request: web.Request) -> web.Response:
    emulator = request.app[EMULATOR_KEY]
    method = request.match_info["method"]
    if request.match_info["token"] != emulator.token:
        error = unauthorized()
        emulator.record(method, {}, None, error.to_json(), error.error_code)
        return _json(error)
    try:
        raw = await parse_params(request)
    except ApiError as error:
        emulator.record(method, {}, None, error.to_json(), error.error_code)
        return _json(error)
    status, body = await emulator.call(method, raw)
    return web.json_response(body, status=status)


async def parse_params(request: web.Request) -> RawParams:
    """All parameters of a Bot API request as strings (and file parts)."""
    params: RawParams = dict(request.query.items())
    if request.method != "POST" or not request.body_exists:
        return params
    content_type = request.content_type
    if content_type == "application/json":
        try:
            body = json.loads(await request.read() or b"{}")
        except ValueError:
            raise bad_request("can't parse JSON encoded request body") from None
        if not isinstance(body, dict):
            raise bad_request("JSON encoded request body must be an Object")
        for key, value in body.items():
            if value is None:
                continue
            params[key] = value if isinstance(value, str) else json.dumps(value)
    elif content_type == "multipart/form-data":
        reader = await request.multipart()
        while True:
            part = await reader.next()
            if part is None:
                break
            if not isinstance(part, BodyPartReader) or part.name is None:
                continue
            if part.filename is not None:
                data = bytes(await part.read(decode=True))
                params[part.name] = UploadedFile(
                    part.name, part.filename, part.headers.get("Content-Type"), data
                )
            else:
                params[part.name] = await part.text()
    else:
        form = await request.post()
        for key, value in form.items():
            if isinstance(value, str):
                params[key] = value
            elif isinstance(value, web.FileField):
                data = value.file.read()
                params[key] = UploadedFile(key, value.filename, value.content_type, data)
            else:
                params[key] = bytes(value).decode("utf-8", "replace")
    return params


async def _handle_file(request: web.Request) -> web.Response:
    emulator = request.app[EMULATOR_KEY]
    if request.match_info["token"] != emulator.token:
        return _json(unauthorized())
    record = emulator.files.by_path(request.match_info["file_path"])
    if record is None:
        return _json(not_found())
    return web.Response(
        body=record.data, content_type=record.mime_type or "application/octet-stream"
    )
