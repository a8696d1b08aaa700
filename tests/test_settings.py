"""Settings are validated at start, one clear line per problem."""

from __future__ import annotations

import pytest

from bot.settings import DEFAULT_DATABASE_URL, TELEGRAM_API_URL, Settings, SettingsError

TOKEN = "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ_abc"


def test_defaults_need_nothing_but_sqlite() -> None:
    settings = Settings.from_env({})
    assert settings.database_url == DEFAULT_DATABASE_URL == "sqlite://fieldcrm.sqlite3"
    assert settings.bot_api_url == TELEGRAM_API_URL
    assert settings.admin_ids == frozenset()


def test_every_setting_is_read() -> None:
    settings = Settings.from_env(
        {
            "FIELDCRM_BOT_TOKEN": TOKEN,
            "FIELDCRM_DATABASE_URL": "postgresql://u@db:5432/crm",
            "FIELDCRM_BOT_API_URL": "http://127.0.0.1:8081/bot",
            "FIELDCRM_BOT_FILE_URL": "http://127.0.0.1:8081/file/bot",
            "FIELDCRM_ADMIN_IDS": "42, 43",
            "FIELDCRM_TIMEZONE": "Asia/Taipei",
            "FIELDCRM_WEBHOOK_URL": "https://crm.example.com",
            "FIELDCRM_WEBHOOK_SECRET": "s3cret_-",
            "FIELDCRM_WEBHOOK_PORT": "9000",
            "FIELDCRM_WEBHOOK_PATH": "/tg",
        },
        require_token=True,
    )
    assert settings.database_url == "postgres://u@db:5432/crm"
    assert settings.admin_ids == {42, 43}
    assert settings.timezone == "Asia/Taipei"
    assert settings.webhook_port == 9000 and settings.webhook_path == "/tg"
    assert settings.effective_webhook_secret == "s3cret_-"


def test_all_problems_are_reported_together() -> None:
    with pytest.raises(SettingsError) as caught:
        Settings.from_env(
            {
                "FIELDCRM_BOT_TOKEN": "not-a-token",
                "FIELDCRM_DATABASE_URL": "mysql://x",
                "FIELDCRM_ADMIN_IDS": "42,bob",
                "FIELDCRM_TIMEZONE": "Mars/Olympus",
                "FIELDCRM_WEBHOOK_PORT": "http",
            }
        )
    problems = caught.value.problems
    assert len(problems) == 5
    assert any("FIELDCRM_BOT_TOKEN" in p for p in problems)
    assert any("'bob'" in p for p in problems)
    assert any("Mars/Olympus" in p for p in problems)


def test_run_requires_a_token() -> None:
    with pytest.raises(SettingsError, match="@BotFather"):
        Settings.from_env({}, require_token=True)


def test_webhook_secret_is_derived_from_the_token_when_not_set() -> None:
    one = Settings.from_env({"FIELDCRM_BOT_TOKEN": TOKEN})
    two = Settings.from_env({"FIELDCRM_BOT_TOKEN": TOKEN})
    assert one.effective_webhook_secret == two.effective_webhook_secret
    assert TOKEN not in one.effective_webhook_secret
