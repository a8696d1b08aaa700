"""The sandbox in tests: the demo database loaded once, a running copy per test, a real PNG.

Shared by the web API tests (``tests/test_sandbox_api.py``) and the browser stories
(``tests/browser/``).
"""

from __future__ import annotations

import asyncio
import shutil
import struct
import zlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path

from tortoise.backends.base.executor import EXECUTOR_CACHE

from bot.database import close_database, open_database
from bot.sandbox.runtime import Sandbox, SandboxOptions, load_demo

START = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)  # Monday 09:00 in Shanghai


def load_demo_database(path: Path, start: datetime = START) -> bool:
    """Migrate a new SQLite database at ``path`` and fill it with the demo data (seed 7).

    Loading takes seconds: do it once per module or session and copy the file per test.
    Whether the demo data was loaded.
    """

    async def prepare() -> bool:
        EXECUTOR_CACHE.clear()
        await open_database(f"sqlite://{path}")
        try:
            return await load_demo(start, seed=7)
        finally:
            await close_database()

    return asyncio.run(prepare())


@asynccontextmanager
async def running_copy(
    template: Path, folder: Path, start: datetime = START
) -> AsyncIterator[Sandbox]:
    """The sandbox running on a copy of ``template`` kept in ``folder``, with no flood limit."""
    database = folder / "sandbox.sqlite3"
    shutil.copyfile(template, database)
    EXECUTOR_CACHE.clear()
    options = SandboxOptions(database=database, start=start, private_chat_rate=0)
    async with Sandbox(options) as running:
        yield running


def png(width: int, height: int, colour: bytes = b"\xc8\x78\x3c") -> bytes:
    """A real PNG of one ``colour`` (RGB), so the emulator and the browser read its size."""
    rows = b"".join(b"\x00" + colour * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )
