"""Application settings, read once by the app factory from the environment and a YAML file.

Precedence: explicit arguments, then environment variables (`GOVBOT_*`, plus the conventional
`DATABASE_URL` and `REDIS_URL`), then `config/govbot.yaml` (or the file named by
`GOVBOT_SETTINGS_FILE`), then defaults. Nothing here runs at import time.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AliasChoices, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    YamlConfigSettingsSource,
)

from bot.channels.telegram.settings import TelegramSettings
from bot.channels.wechat.settings import WeChatSettings
from bot.channels.weibo.settings import WeiboSettings
from bot.console.settings import ConsoleSettings
from bot.http.address_limits import AddressLimitSettings
from handlers.alerts.notifiers.settings import NotifierSettings
from handlers.alerts.settings import AlertSettings
from handlers.settings import PipelineSettings
from handlers.tickets.policy import TicketSettings
from handlers.workdays.settings import CalendarSettings
from knowledge_base.clock import CountyClock
from nlu.settings import NluSettings

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SYNONYMS_FILE = PROJECT_ROOT / "config" / "synonyms.yaml"
DEFAULT_SETTINGS_FILE = PROJECT_ROOT / "config" / "govbot.yaml"


class SettingsError(Exception):
    """An invalid setting; the message is one line naming the setting and the problem."""


class Settings(BaseSettings):
    """Every setting govbot reads; the README's settings table documents each one."""

    model_config = SettingsConfigDict(
        env_prefix="GOVBOT_",
        env_nested_delimiter="__",
        extra="forbid",
        validate_default=True,
    )

    database_url: str = Field(
        default=f"sqlite:///{PROJECT_ROOT / 'var' / 'govbot.db'}",
        validation_alias=AliasChoices("DATABASE_URL", "GOVBOT_DATABASE_URL", "database_url"),
    )
    redis_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices("REDIS_URL", "GOVBOT_REDIS_URL", "redis_url"),
    )
    county_dir: Path = PROJECT_ROOT / "config" / "sample_county"
    # Messages accepted while the database is unreachable wait here until it answers again.
    spool_dir: Path = PROJECT_ROOT / "var" / "spool"
    # Loaded into the knowledge base by `govbot init` and `govbot kb synonyms`; the engine reads
    # the knowledge base's copy.
    synonyms_file: Path = SYNONYMS_FILE
    timezone: str = "Asia/Shanghai"
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    kb_refresh_seconds: float = Field(default=2.0, gt=0, le=5)
    nlu: NluSettings = Field(default_factory=NluSettings)
    pipeline: PipelineSettings = Field(default_factory=PipelineSettings)
    tickets: TicketSettings = Field(default_factory=TicketSettings)
    alerts: AlertSettings = Field(default_factory=AlertSettings)
    notifiers: NotifierSettings = Field(default_factory=NotifierSettings)
    # Run alert scans and dispatch inside `govbot serve` (a separate `govbot scheduler` also works).
    scheduler_in_serve: bool = True
    # Bearer token of the staff HTTP API (ticket replies, account posts); unset disables it.
    staff_api_token: SecretStr | None = None
    calendar: CalendarSettings = Field(
        default_factory=lambda: CalendarSettings(
            overrides_file=PROJECT_ROOT / "config" / "calendar.yaml"
        )
    )
    http_host: str = "127.0.0.1"
    http_port: int = Field(default=8000, ge=1, le=65535)
    max_body_bytes: int = Field(default=64 * 1024, ge=1024)
    default_account: str = "yunxi-fabu-web"  # account the web chat page talks to by default
    wechat: WeChatSettings = Field(default_factory=WeChatSettings)
    telegram: TelegramSettings = Field(default_factory=TelegramSettings)
    weibo: WeiboSettings = Field(default_factory=WeiboSettings)
    # How often the scheduler polls the Weibo and WeChat comments of the accounts (0: never).
    comments_poll_minutes: float = Field(default=5, ge=0)
    console: ConsoleSettings = Field(default_factory=ConsoleSettings)
    address_limits: AddressLimitSettings = Field(default_factory=AddressLimitSettings)
    # Console uploads (knowledge-base imports) may be larger than webhook bodies.
    max_upload_bytes: int = Field(default=10 * 1024 * 1024, ge=1024)

    @field_validator("database_url")
    @classmethod
    def _check_database_url(cls, value: str) -> str:
        if not value.startswith(("sqlite://", "postgresql://", "postgresql+psycopg://")):
            raise ValueError("must start with sqlite://, postgresql:// or postgresql+psycopg://")
        return value

    @field_validator("redis_url")
    @classmethod
    def _check_redis_url(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        assert value is not None
        if not value.startswith(("redis://", "rediss://", "unix://")):
            raise ValueError("must start with redis://, rediss:// or unix://")
        return value

    @field_validator("timezone")
    @classmethod
    def _check_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r}") from None
        return value

    @property
    def tz(self) -> ZoneInfo:
        """The county's time zone for dates such as entry validity."""
        return ZoneInfo(self.timezone)

    def clock(self, now: Callable[[], datetime] | None = None) -> CountyClock:
        """The county's clock; `now` replaces the system clock (tests)."""
        return CountyClock(self.tz, now) if now is not None else CountyClock(self.tz)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        yaml_file = Path(os.environ.get("GOVBOT_SETTINGS_FILE", DEFAULT_SETTINGS_FILE))
        return (
            init_settings,
            env_settings,
            YamlConfigSettingsSource(settings_cls, yaml_file=yaml_file),
        )


def _setting_name(loc: tuple[int | str, ...]) -> str:
    """Name a setting the way an operator would set it in the environment."""
    parts = [str(p) for p in loc]
    if parts and parts[0].lower().removeprefix("govbot_") in ("database_url", "redis_url"):
        return parts[0].upper().removeprefix("GOVBOT_")
    return "GOVBOT_" + "__".join(p.upper().removeprefix("GOVBOT_") for p in parts)


def load_settings(**overrides: Any) -> Settings:
    """Build the settings once; raise SettingsError with a one-line message when invalid."""
    settings_file = os.environ.get("GOVBOT_SETTINGS_FILE")
    if settings_file and not Path(settings_file).is_file():
        raise SettingsError(f"invalid setting GOVBOT_SETTINGS_FILE: no such file {settings_file}")
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        first = exc.errors()[0]
        # The message never echoes the input value: it might be a secret.
        raise SettingsError(
            f"invalid setting {_setting_name(first['loc'])}: {first['msg']}"
        ) from None
    except Exception as exc:  # a broken YAML file fails before validation
        raise SettingsError(f"invalid settings file: {type(exc).__name__}: {exc}") from None


def redact_url(url: str) -> str:
    """Hide the password in a database or Redis URL before it is shown or logged."""
    scheme, sep, rest = url.partition("://")
    if not sep or "@" not in rest:
        return url
    credentials, _, host = rest.rpartition("@")
    user = credentials.split(":", 1)[0]
    return f"{scheme}://{user}:***@{host}" if ":" in credentials else f"{scheme}://{user}@{host}"
