"""Configuration for tortoise's own CLI (``tortoise makemigrations`` / ``migrate``).

pyproject's ``[tool.tortoise]`` points here; it is the only module that builds settings at
import time, because that is how tortoise's CLI finds its configuration.
"""

from bot.database import tortoise_config
from bot.settings import Settings

TORTOISE_ORM = tortoise_config(Settings.load().database_url)
