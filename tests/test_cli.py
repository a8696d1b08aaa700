"""The `fieldcrm` command: what an operator types, and what they get back."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

from bot.emulator import BotApiEmulator, SimMessage
from tests.support.sim import TOKEN


def fieldcrm(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("FIELDCRM_")}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_migrate_creates_the_default_sqlite_database(tmp_path: Path) -> None:
    result = fieldcrm(tmp_path, "db", "migrate")
    assert result.returncode == 0, result.stderr
    assert "up to date" in result.stdout
    tables = {
        row[0]
        for row in sqlite3.connect(tmp_path / "fieldcrm.sqlite3").execute(
            "SELECT name FROM sqlite_master WHERE type='table'"
        )
    }
    assert {"customer", "team", "user", "jobrun", "botconversation"} <= tables


def test_configuration_problems_are_listed_one_per_line(tmp_path: Path) -> None:
    result = fieldcrm(
        tmp_path, "run", FIELDCRM_ADMIN_IDS="12,abc", FIELDCRM_TIMEZONE="Nowhere/City"
    )
    assert result.returncode == 2
    lines = [line for line in result.stderr.splitlines() if line.startswith("  - ")]
    assert len(lines) == 3  # no token, a bad admin id, a bad zone
    assert any("@BotFather" in line for line in lines)


def test_env_file_is_read(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("FIELDCRM_TIMEZONE=Not/AZone\n")
    result = fieldcrm(tmp_path, "db", "migrate")
    assert result.returncode == 2 and "Not/AZone" in result.stderr


def test_team_and_invite_from_the_shell(tmp_path: Path) -> None:
    assert (
        fieldcrm(tmp_path, "team", "create", "North", "--timezone", "Asia/Taipei").returncode == 0
    )
    again = fieldcrm(tmp_path, "team", "create", "North")
    assert again.returncode == 1 and "already exists" in again.stderr

    result = fieldcrm(tmp_path, "invite", "--role", "manager", "--team", "North")
    assert result.returncode == 0, result.stderr
    code = result.stdout.split("/start ")[1].split()[0]
    database = sqlite3.connect(tmp_path / "fieldcrm.sqlite3")
    assert database.execute("SELECT role FROM invite WHERE code = ?", (code,)).fetchone() == (
        "manager",
    )

    missing = fieldcrm(tmp_path, "invite", "--role", "rep", "--team", "Nowhere")
    assert missing.returncode == 1 and "fieldcrm team create" in missing.stderr


async def test_run_answers_start_help_and_lang(tmp_path: Path) -> None:
    """The README's first command, against the emulator instead of Telegram."""
    async with BotApiEmulator(TOKEN, bot_username="fieldcrm_bot") as emu:
        arrived: asyncio.Queue[SimMessage] = asyncio.Queue()
        emu.subscribe(lambda event, chat_id, message: arrived.put_nowait(message))
        environment = {k: v for k, v in os.environ.items() if not k.startswith("FIELDCRM_")}
        environment.update(
            FIELDCRM_BOT_TOKEN=TOKEN,
            FIELDCRM_BOT_API_URL=emu.base_url,
            FIELDCRM_BOT_FILE_URL=emu.base_file_url,
        )
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot.cli",
            "run",
            cwd=tmp_path,
            env=environment,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        try:
            user = emu.add_user("Newcomer")

            async def bot_reply(text: str) -> SimMessage:
                emu.send_message(user, text)
                while True:
                    message = await asyncio.wait_for(arrived.get(), 60)
                    if message.from_bot and message.chat_id == user.id:
                        return message

            assert "FieldCRM" in (await bot_reply("/start")).text
            assert "not part of a team" in (await bot_reply("/help")).text
            assert "Choose your language" in (await bot_reply("/lang")).text
        finally:
            process.send_signal(signal.SIGTERM)
            output, _ = await asyncio.wait_for(process.communicate(), 60)
        assert process.returncode == 0, output.decode()
        assert (tmp_path / "fieldcrm.sqlite3").exists()
