"""The sandbox's web server: the page, its JSON API, and live events.

Served from files inside the package (no CDN, no build step), so it works offline. Because a
browser on the same machine can be steered by any web page it visits, the server protects the
toy from the web: it answers only to loopback host names when bound to loopback (against DNS
rebinding), every state-changing request must carry a custom header a cross-site form cannot
send, and every response forbids inline scripts and framing.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from pathlib import Path

from aiohttp import web

from bot.sandbox.api import routes
from bot.sandbox.hosts import is_loopback, loopback_hosts
from bot.sandbox.runtime import Sandbox

log = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).parent / "static"
ACTION_HEADER = "X-FieldCRM-Sandbox"
KEEPALIVE_SECONDS = 15.0
UPLOAD_LIMIT = 20 * 1024 * 1024
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; "
        "media-src 'self'; connect-src 'self'; form-action 'none'; base-uri 'none'; "
        "frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}
SANDBOX_KEY = web.AppKey("sandbox", Sandbox)
HOSTS_KEY = web.AppKey("allowed_hosts", set[str])

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@web.middleware
async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Refuse foreign Host headers and cross-site writes before any handler runs."""
    allowed = request.app[HOSTS_KEY]
    if allowed and request.host.lower() not in allowed:
        return web.json_response({"error": "unknown host"}, status=421)
    if (
        request.method not in ("GET", "HEAD", "OPTIONS")
        and request.headers.get(ACTION_HEADER) != "1"
    ):
        return web.json_response({"error": f"missing the {ACTION_HEADER} header"}, status=403)
    return await handler(request)


async def _secure(request: web.Request, response: web.StreamResponse) -> None:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)


async def index(request: web.Request) -> web.StreamResponse:
    return web.FileResponse(STATIC_DIR / "index.html", headers={"Cache-Control": "no-cache"})


async def favicon(request: web.Request) -> web.StreamResponse:
    return web.FileResponse(STATIC_DIR / "favicon.svg", headers={"Content-Type": "image/svg+xml"})


async def events(request: web.Request) -> web.StreamResponse:
    """Server-sent events: every message, edit and deletion in every chat, the clock, people."""
    sandbox = request.app[SANDBOX_KEY]
    response = web.StreamResponse(
        headers={
            "Content-Type": "text/event-stream; charset=utf-8",
            "Cache-Control": "no-cache",
            "X-Accel-Buffering": "no",
        }
    )
    await response.prepare(request)
    async with sandbox.hub.subscribe() as queue:
        hello = {"type": "hello", "now": sandbox.clock.now().isoformat()}
        try:
            await response.write(f"retry: 1000\ndata: {json.dumps(hello)}\n\n".encode())
            while True:
                try:
                    event = await asyncio.wait_for(queue.get(), KEEPALIVE_SECONDS)
                except TimeoutError:
                    await response.write(b": keep-alive\n\n")
                    continue
                if event is None:
                    break
                data = json.dumps(event, ensure_ascii=False)
                await response.write(f"data: {data}\n\n".encode())
        except ConnectionResetError:  # the tab went away; its queue goes with it
            pass
    return response


def web_app(sandbox: Sandbox, allowed_hosts: set[str] | None = None) -> web.Application:
    """The aiohttp application; ``allowed_hosts`` empty or None means any Host header."""
    app = web.Application(middlewares=[guard], client_max_size=UPLOAD_LIMIT)
    app[SANDBOX_KEY] = sandbox
    app[HOSTS_KEY] = allowed_hosts if allowed_hosts is not None else set()
    app.on_response_prepare.append(_secure)
    app.router.add_get("/", index)
    app.router.add_get("/favicon.ico", favicon)
    app.router.add_get("/api/events", events)
    app.router.add_routes(routes(sandbox))
    app.router.add_static("/static/", STATIC_DIR, append_version=False)
    return app


class SandboxServer:
    """The web chat for one running sandbox, on ``host:port`` (port 0: any free port)."""

    def __init__(self, sandbox: Sandbox, host: str = "127.0.0.1", port: int = 8080) -> None:
        self.sandbox = sandbox
        self.host = host
        self.port = port
        self._hosts: set[str] = set()
        self._runner: web.AppRunner | None = None

    @property
    def url(self) -> str:
        host = self.host
        if host in ("0.0.0.0", "::", ""):
            host = "127.0.0.1"
        if ":" in host and not host.startswith("["):
            host = f"[{host}]"
        return f"http://{host}:{self.port}/"

    async def start(self) -> str:
        runner = web.AppRunner(
            web_app(self.sandbox, self._hosts), access_log=None, shutdown_timeout=2.0
        )
        await runner.setup()
        try:
            site = web.TCPSite(runner, self.host, self.port)
            await site.start()
        except BaseException:
            await runner.cleanup()
            raise
        self._runner = runner
        self.port = int(runner.addresses[0][1])
        if is_loopback(self.host):
            self._hosts.update(loopback_hosts(self.port))
        return self.url

    async def stop(self) -> None:
        self.sandbox.hub.close()
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()
