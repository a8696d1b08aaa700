"""The committed migrations build exactly the schema the models describe."""

from __future__ import annotations

import pytest
from tortoise.context import require_context
from tortoise.exceptions import IntegrityError
from tortoise.migrations.autodetector import MigrationAutodetector

from bot.database import tortoise_config
from storage.models import Customer, Team


async def test_committed_migrations_cover_every_model_change(db: str) -> None:
    """A model change without its migration would make `fieldcrm db migrate` lie."""
    apps_config = tortoise_config(db)["apps"]
    detector = MigrationAutodetector(require_context().apps, apps_config)
    pending = await detector.changes()
    assert pending == [], "run `tortoise makemigrations` and commit the new migration"


async def test_phone_is_unique_within_a_team_only(db: str) -> None:
    north = await Team.create(name="North")
    south = await Team.create(name="South")
    await Customer.create(team=north, name="A", name_key="a", phone="+8613800000001")
    await Customer.create(team=south, name="B", name_key="b", phone="+8613800000001")
    await Customer.create(team=north, name="C", name_key="c", phone=None)
    await Customer.create(team=north, name="D", name_key="d", phone=None)
    assert await Customer.filter(team=north).count() == 3
    with pytest.raises(IntegrityError):
        await Customer.create(team=north, name="E", name_key="e", phone="+8613800000001")
