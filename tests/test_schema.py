"""The committed migrations build exactly the schema the models describe."""

from __future__ import annotations

import pytest
from tortoise import Tortoise
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


async def test_every_declared_index_exists_in_the_migrated_database(db: str) -> None:
    """Guards against migration operations that rebuild a table and lose its indexes."""
    connection = Tortoise.get_connection("default")
    for model in require_context().apps.get_models_iterable():  # type: ignore[union-attr]
        meta = model._meta
        declared = {
            tuple(index) if not hasattr(index, "fields") else tuple(index.fields)
            for index in (*meta.indexes, *meta.unique_together)
        }
        if not declared:
            continue
        actual = await _indexed_columns(connection, meta.db_table, db.startswith("sqlite"))
        missing = {cols for cols in declared if tuple(cols) not in actual}
        assert not missing, f"{meta.db_table}: no index on {missing}"


async def _indexed_columns(connection: object, table: str, sqlite: bool) -> set[tuple[str, ...]]:
    run = connection.execute_query_dict  # type: ignore[attr-defined]
    if sqlite:
        indexes = await run(f'PRAGMA index_list("{table}")')
        result = set()
        for index in indexes:
            columns = await run(f'PRAGMA index_info("{index["name"]}")')
            result.add(tuple(c["name"] for c in sorted(columns, key=lambda c: c["seqno"])))
        return result
    rows = await run(
        "SELECT array_agg(a.attname ORDER BY k.ord) AS cols FROM pg_index i "
        "JOIN pg_class t ON t.oid = i.indrelid "
        "CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord) "
        "JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum "
        "WHERE t.relname = $1 GROUP BY i.indexrelid",
        [table],
    )
    return {tuple(row["cols"]) for row in rows}
