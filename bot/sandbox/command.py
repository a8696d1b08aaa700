"""``fieldcrm sandbox``: the whole bot in a browser, with one command and no Telegram.

It never needs the production configuration, so it does not read it: no ``Settings.load``,
no ``FIELDCRM_DATABASE_URL``. The one thing it checks is whether a real bot token is around —
a terminal set up for production is the wrong place to start a toy, so it asks for
``--allow-real-token`` before going on (it would still never talk to Telegram).
"""

from __future__ import annotations

import argparse
import asyncio
import errno
import logging
import signal
import sys
import webbrowser
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from bot.sandbox.hosts import is_loopback

if TYPE_CHECKING:
    from bot.sandbox.runtime import SandboxOptions

log = logging.getLogger(__name__)


def add_parser(sub: Any) -> argparse.ArgumentParser:
    """Register ``sandbox`` on the CLI's subparsers."""
    parser: argparse.ArgumentParser = sub.add_parser(
        "sandbox",
        help="try the bot in a browser: demo data, emulated Telegram, no token, no internet",
        description=(
            "Serve the real bot on a fresh SQLite database of demo data, with the Bot API "
            "emulator as its Telegram and a web chat to act as any demo persona."
        ),
    )
    parser.add_argument("--port", type=int, default=8080, help="web chat port (default 8080)")
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to bind (default 127.0.0.1, this machine)"
    )
    parser.add_argument(
        "--no-browser", action="store_true", help="do not open the web chat in a browser"
    )
    parser.add_argument(
        "--database",
        type=Path,
        metavar="PATH",
        help="keep the sandbox in this SQLite file (reused if it exists); default: a temporary one",
    )
    parser.add_argument("--seed", type=int, default=7, help="demo data seed (default 7)")
    parser.add_argument(
        "--allow-real-token",
        action="store_true",
        help="start even though FIELDCRM_BOT_TOKEN is set (the sandbox never uses it)",
    )
    return parser


def refusal(args: argparse.Namespace, env: Mapping[str, str]) -> str | None:
    """Why the sandbox must not start with these arguments here, or None."""
    if (env.get("FIELDCRM_BOT_TOKEN") or "").strip() and not args.allow_real_token:
        return (
            "FIELDCRM_BOT_TOKEN is set, so this looks like a production environment. The sandbox "
            "never talks to Telegram and ignores it; to start anyway, add --allow-real-token "
            "(or run it in a shell without the token)."
        )
    if not 0 <= args.port < 65536:
        return "--port must be between 0 and 65535."
    return None


def exposure_warning(host: str) -> str | None:
    """What binding ``host`` risks, or None on loopback (the default)."""
    if is_loopback(host):
        return None
    return (
        f"binding {host} exposes the sandbox to your network. Anyone who reaches it can act as "
        "every persona and move its clock; there is no login."
    )


def run(args: argparse.Namespace, env: Mapping[str, str], out: TextIO = sys.stdout) -> int:
    """The command's entry point; ``env`` is the process environment plus ``.env``."""
    problem = refusal(args, env)
    if problem is not None:
        print(f"fieldcrm sandbox: {problem}", file=sys.stderr)
        return 2
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    for noisy in ("httpx", "aiohttp.access", "apscheduler"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    caution = exposure_warning(args.host)
    if caution is not None:
        print(f"fieldcrm sandbox: WARNING: {caution}", file=sys.stderr)
    from bot.sandbox.runtime import SandboxOptions

    options = SandboxOptions(database=args.database, seed=args.seed)
    return asyncio.run(serve(options, args.host, args.port, not args.no_browser, out))


async def serve(
    options: SandboxOptions, host: str, port: int, open_browser: bool, out: TextIO
) -> int:
    """Run until Ctrl+C: the sandbox, then the web chat, then (maybe) the browser."""
    from bot.sandbox.runtime import Sandbox
    from bot.sandbox.web import SandboxServer

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    print("Starting the FieldCRM sandbox (demo data, emulated Telegram)…", file=out, flush=True)
    async with Sandbox(options) as sandbox:
        server = SandboxServer(sandbox, host, port)
        try:
            url = await server.start()
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                print(
                    f"fieldcrm sandbox: port {port} is in use; try --port {port + 1}",
                    file=sys.stderr,
                )
                return 1
            raise
        try:
            where = sandbox.database_path
            kept = "kept" if options.database else "deleted on exit"
            print(f"\n  FieldCRM sandbox: {url}\n", file=out)
            print(f"  database: {where} ({kept})", file=out)
            print(f"  {len(sandbox.people)} personas, {len(sandbox.groups)} team groups", file=out)
            print("  Press Ctrl+C to stop.\n", file=out, flush=True)
            if open_browser and not await asyncio.to_thread(webbrowser.open, url):
                print(f"  (could not open a browser: open {url} yourself)", file=out, flush=True)
            await stop.wait()
        finally:
            await server.stop()
    return 0
