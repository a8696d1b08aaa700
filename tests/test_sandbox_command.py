"""`fieldcrm sandbox` from the shell: it starts with nothing configured, serves the web chat,
stops on Ctrl+C, and keeps away from production settings."""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from bot.sandbox.command import exposure_warning
from bot.sandbox.hosts import is_loopback, loopback_hosts
from bot.sandbox.runtime import BOT_USERNAME

STARTUP_SECONDS = 120


def clean_env(**extra: str) -> dict[str, str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("FIELDCRM_")}
    environment.update(extra)
    return environment


def test_refuses_to_start_where_a_real_token_is_configured(tmp_path: Path) -> None:
    for env, files in (
        (clean_env(FIELDCRM_BOT_TOKEN="123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ"), {}),
        (clean_env(), {".env": "FIELDCRM_BOT_TOKEN=123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ\n"}),
    ):
        for name, text in files.items():
            (tmp_path / name).write_text(text)
        result = subprocess.run(
            [sys.executable, "-m", "bot.cli", "sandbox", "--no-browser", "--port", "0"],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert result.returncode == 2
        assert "--allow-real-token" in result.stderr
        assert not list(tmp_path.glob("*.sqlite3"))


async def test_serves_the_web_chat_until_interrupted(tmp_path: Path) -> None:
    database = tmp_path / "kept" / "sandbox.sqlite3"
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.cli",
        "sandbox",
        "--no-browser",
        "--port",
        "0",
        "--database",
        str(database),
        "--allow-real-token",
        cwd=tmp_path,
        env=clean_env(
            FIELDCRM_BOT_TOKEN="123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ",
            FIELDCRM_DATABASE_URL="postgres://nobody@127.0.0.1:9/never_read",
        ),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    assert process.stdout is not None
    try:
        async with asyncio.timeout(STARTUP_SECONDS):
            found = None
            while found is None:
                line = await process.stdout.readline()
                assert line, "the sandbox exited early"
                found = re.search(rb"http://127\.0\.0\.1:\d+/", line)
        url = found.group(0).decode()
        state = await asyncio.to_thread(
            lambda: json.load(urllib.request.urlopen(f"{url}api/state", timeout=30))
        )
        assert len(state["people"]) >= 28 and len(state["groups"]) == 3
        assert state["bot"]["username"] == BOT_USERNAME  # its own bot, never the real token's
    finally:
        process.send_signal(signal.SIGINT)
        _, stderr = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 0, stderr.decode()
    teams = sqlite3.connect(database).execute("SELECT count(*) FROM team").fetchone()
    assert teams == (3,)  # --database keeps the sandbox for next time


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.0.0.2", True),
        ("localhost", True),
        ("::1", True),
        ("[::1]", True),
        ("0.0.0.0", False),
        ("::", False),
        ("192.168.1.20", False),
        ("sandbox.example.com", False),
    ],
)
def test_only_loopback_binds_quietly(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback
    assert (exposure_warning(host) is None) is loopback


def test_the_host_names_a_browser_uses_for_loopback() -> None:
    assert loopback_hosts(8080) == {"127.0.0.1:8080", "localhost:8080", "[::1]:8080"}
    assert "localhost" in loopback_hosts(80)
