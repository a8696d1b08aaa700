"""Shared fixtures: a real, migrated database per test on every configured backend."""

from __future__ import annotations

import os
import warnings
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from tortoise import Tortoise
from tortoise.backends.base.executor import EXECUTOR_CACHE

from bot.database import tortoise_config
from tests.support.database import POSTGRES_ENV, PostgresTemplate, SqliteTemplate, backends
from tests.support.sim import Sim, simulation

try:
    from tortoise.warnings import TortoiseLoopSwitchWarning

    warnings.filterwarnings("ignore", category=TortoiseLoopSwitchWarning)
except ImportError:  # pragma: no cover - older tortoise
    pass


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> SqliteTemplate:
    return SqliteTemplate(tmp_path_factory.mktemp("db"))


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[PostgresTemplate]:
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        pytest.skip(f"{POSTGRES_ENV} is not set")
    template = PostgresTemplate(url)
    yield template
    template.drop()


@pytest.fixture(params=backends())
def database_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """A fresh migrated database for this test, on SQLite and (when configured) PostgreSQL."""
    template = request.getfixturevalue(f"{request.param}_template")
    yield from template.fresh()


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[str]:
    """The test's database, connected for the duration of the test."""
    # Tortoise caches generated SQL by connection *name*; tests switch dialects under one name.
    EXECUTOR_CACHE.clear()
    await Tortoise.init(config=tortoise_config(database_url), _enable_global_fallback=True)
    try:
        yield database_url
    finally:
        await Tortoise.close_connections()


@pytest.fixture
async def sim(db: str) -> AsyncIterator[Sim]:
    """The bot running against the emulator on this test's database."""
    async with simulation(db) as running_sim:
        yield running_sim


@pytest.fixture
def repo_root() -> Path:
    return Path(__file__).resolve().parent.parent
