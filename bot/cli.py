"""``fieldcrm``: run the bot, serve webhooks, migrate, invite, create teams, load demo data."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import sys
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from typing import Any

from telegram import Bot
from telegram.error import TelegramError

from bot.database import close_database, migrate_database, open_database
from bot.i18n import Lang
from bot.settings import Settings, SettingsError
from storage.access import DomainError
from storage.models import Role

INVITE_ROLES = {"manager": Role.MANAGER, "rep": Role.REP, "agent": Role.AGENT}


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command == "sandbox":  # its own world: it never loads the production settings
        from bot.sandbox.command import run as run_sandbox

        return run_sandbox(args, _environment())
    try:
        settings = Settings.load(require_token=args.command in {"run", "webhook"})
        if args.command == "webhook" and not settings.webhook_url:
            raise SettingsError(["FIELDCRM_WEBHOOK_URL is required for `fieldcrm webhook`."])
    except SettingsError as exc:
        print("fieldcrm: the configuration has problems:", file=sys.stderr)
        for problem in exc.problems:
            print(f"  - {problem}", file=sys.stderr)
        return 2
    logging.basicConfig(
        level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    logging.getLogger("httpx").setLevel(logging.WARNING)
    command: Callable[[argparse.Namespace, Settings], Coroutine[Any, Any, int]] = args.handler
    return asyncio.run(command(args, settings))


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="fieldcrm", description="FieldCRM, the Telegram CRM.")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("run", help="run the bot with long polling").set_defaults(handler=_run)
    sub.add_parser("webhook", help="serve Telegram webhooks").set_defaults(handler=_webhook)
    db = sub.add_parser("db", help="database maintenance")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    db_sub.add_parser("migrate", help="apply pending migrations").set_defaults(handler=_migrate)
    team = sub.add_parser("team", help="manage teams")
    team_sub = team.add_subparsers(dest="team_command", required=True)
    create = team_sub.add_parser("create", help="create a team")
    create.add_argument("name")
    create.add_argument("--timezone", help="IANA time zone (default: FIELDCRM_TIMEZONE)")
    create.set_defaults(handler=_team_create)
    invite = sub.add_parser("invite", help="print a one-time invite link")
    invite.add_argument("--role", required=True, choices=sorted(INVITE_ROLES))
    invite.add_argument("--team", required=True, help="the team's name")
    invite.set_defaults(handler=_invite)
    demo = sub.add_parser("demo-data", help="fill the database with a realistic data set")
    demo.add_argument("--seed", type=int, default=7, help="random seed (same seed, same data)")
    demo.add_argument("--customers", type=int, default=300, help="customers per team, roughly")
    demo.set_defaults(handler=_demo)
    from bot.sandbox.command import add_parser as add_sandbox_parser

    add_sandbox_parser(sub)
    return parser


def _environment() -> dict[str, str]:
    """The process environment over ``.env``, as ``Settings.load`` would see it."""
    from dotenv import dotenv_values

    merged = {k: v for k, v in dotenv_values(".env").items() if k and v is not None}
    merged.update(os.environ)
    return merged


async def _until_signalled(
    serve: Callable[[Settings, asyncio.Event], Awaitable[None]], settings: Settings
) -> int:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await serve(settings, stop)
    return 0


async def _run(args: argparse.Namespace, settings: Settings) -> int:
    from bot.serve import serve_polling

    return await _until_signalled(serve_polling, settings)


async def _webhook(args: argparse.Namespace, settings: Settings) -> int:
    from bot.serve import serve_webhook

    return await _until_signalled(serve_webhook, settings)


async def _migrate(args: argparse.Namespace, settings: Settings) -> int:
    await migrate_database(settings.database_url)
    print("The database schema is up to date.")
    return 0


async def _team_create(args: argparse.Namespace, settings: Settings) -> int:
    from storage import teams

    await open_database(settings.database_url)
    try:
        from bot.clock import SystemClock

        team = await teams.create_team(
            None, args.name, args.timezone or settings.timezone, now=SystemClock().now()
        )
        print(f"Created team {team.name} (time zone {team.timezone}).")
        return 0
    except DomainError as exc:
        print(f"fieldcrm: {_describe(exc)}", file=sys.stderr)
        return 1
    finally:
        await close_database()


async def _invite(args: argparse.Namespace, settings: Settings) -> int:
    from bot.clock import SystemClock
    from handlers.invites import invite_text
    from storage import invites, teams

    await open_database(settings.database_url)
    try:
        team = await teams.team_by_name(args.team)
        if team is None:
            print(
                f"fieldcrm: there is no team named {args.team!r}; "
                f"create it with: fieldcrm team create {args.team!r}",
                file=sys.stderr,
            )
            return 1
        issued = await invites.create_invite(
            None, INVITE_ROLES[args.role], team.id, now=SystemClock().now()
        )
    finally:
        await close_database()
    username = await _bot_username(settings)
    if username:
        text = invite_text(Lang.EN, issued, username)
        print(text.replace("<b>", "").replace("</b>", ""))
    else:
        print(f"Invite code for a {args.role} of team {issued.team_name}: {issued.code}")
        print(f"Open a chat with your bot and send: /start {issued.code}")
        print("(Set FIELDCRM_BOT_TOKEN to get a clickable t.me link.)")
    return 0


async def _bot_username(settings: Settings) -> str | None:
    """Ask the Bot API who we are, for the t.me link; None when that is not possible."""
    if not settings.bot_token:
        return None
    try:
        async with Bot(settings.bot_token, base_url=settings.bot_api_url) as bot:
            return bot.username
    except TelegramError as exc:
        logging.getLogger(__name__).warning("could not reach the Bot API: %s", exc)
        return None


async def _demo(args: argparse.Namespace, settings: Settings) -> int:
    from bot.clock import SystemClock
    from storage.demo import load_demo_data

    await open_database(settings.database_url)
    try:
        summary = await load_demo_data(
            now=SystemClock().now(),
            seed=args.seed,
            customers_per_team=args.customers,
            timezone=settings.timezone,
        )
    except DomainError as exc:
        print(f"fieldcrm: {_describe(exc)}", file=sys.stderr)
        return 1
    finally:
        await close_database()
    for line in summary:
        print(line)
    return 0


def _describe(exc: DomainError) -> str:
    from bot.i18n import t
    from bot.render import plain_text
    from storage.access import Invalid

    params = exc.params if isinstance(exc, Invalid) else {}
    return plain_text(t(Lang.EN, exc.code, **params), limit=1000)


if __name__ == "__main__":
    raise SystemExit(main())
