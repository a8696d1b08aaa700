"""Opening, migrating and probing the database.

The schema is owned by tortoise's migration system (``storage/migrations``); the bot applies
pending migrations on start so a fresh SQLite file just works.
"""

from __future__ import annotations

import logging
from typing import Any

from tortoise import Tortoise, connections
from tortoise.migrations.api.migrate import migrate

log = logging.getLogger(__name__)

MODELS_MODULE = "storage.models"
MIGRATIONS_MODULE = "storage.migrations"


def tortoise_config(database_url: str) -> dict[str, Any]:
    """The tortoise configuration for one database URL."""
    return {
        "connections": {"default": database_url},
        "apps": {
            "models": {
                "models": [MODELS_MODULE],
                "migrations": MIGRATIONS_MODULE,
                "default_connection": "default",
            }
        },
        "use_tz": True,
        "timezone": "UTC",
    }


async def migrate_database(database_url: str) -> None:
    """Apply every pending migration; a no-op on an up-to-date schema."""
    await migrate(config=tortoise_config(database_url))
    await Tortoise.close_connections()


async def open_database(database_url: str, *, apply_migrations: bool = True) -> None:
    """Connect for the life of the process, after bringing the schema up to date."""
    if apply_migrations:
        await migrate_database(database_url)
    await Tortoise.init(
        config=tortoise_config(database_url), _create_db=False, _enable_global_fallback=True
    )


async def close_database() -> None:
    await Tortoise.close_connections()


async def database_reachable() -> bool:
    """True when a trivial query succeeds; the health check's answer."""
    try:
        await connections.get("default").execute_query("SELECT 1")
    except Exception:  # any driver error means "not reachable" to a health check
        log.warning("database health check failed", exc_info=True)
        return False
    return True
