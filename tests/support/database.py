"""Test databases: migrated once per session, then a fresh copy for every test.

SQLite: the migrated template file is copied. PostgreSQL: ``CREATE DATABASE … TEMPLATE``.
Both are built by the real migrations, so the tests exercise the schema production gets.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg

from bot.database import migrate_database

POSTGRES_ENV = "FIELDCRM_TEST_POSTGRES_URL"


def backends() -> list[str]:
    return ["sqlite", "postgres"] if os.environ.get(POSTGRES_ENV) else ["sqlite"]


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


def _asyncpg_dsn(url: str) -> str:
    return "postgresql://" + url.split("://", 1)[1]


class SqliteTemplate:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.template = directory / "template.sqlite3"
        asyncio.run(migrate_database(f"sqlite://{self.template}"))

    def fresh(self) -> Iterator[str]:
        path = self.directory / f"test-{uuid.uuid4().hex[:10]}.sqlite3"
        shutil.copyfile(self.template, path)
        try:
            yield f"sqlite://{path}"
        finally:
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)


class PostgresTemplate:
    def __init__(self, server_url: str) -> None:
        self.server_url = server_url
        self.template_name = f"fieldcrm_tpl_{uuid.uuid4().hex[:10]}"
        asyncio.run(self._admin(f'CREATE DATABASE "{self.template_name}"'))
        asyncio.run(migrate_database(_with_database(server_url, self.template_name)))

    async def _admin(self, *statements: str) -> None:
        connection = await asyncpg.connect(_asyncpg_dsn(self.server_url))
        try:
            for statement in statements:
                await connection.execute(statement)
        finally:
            await connection.close()

    def fresh(self) -> Iterator[str]:
        name = f"fieldcrm_t_{uuid.uuid4().hex[:12]}"
        asyncio.run(self._admin(f'CREATE DATABASE "{name}" TEMPLATE "{self.template_name}"'))
        try:
            yield _with_database(self.server_url, name)
        finally:
            asyncio.run(self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    def drop(self) -> None:
        asyncio.run(self._admin(f'DROP DATABASE IF EXISTS "{self.template_name}" WITH (FORCE)'))
