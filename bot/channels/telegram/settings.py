"""Settings of the Telegram channel: one bot token per govbot account."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, Field, SecretStr, field_validator, model_validator

# Telegram accepts only these characters in a webhook secret_token.
_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")


class TelegramAccountSettings(BaseModel):
    """One bot: its token and the secret Telegram sends with every webhook call."""

    token: SecretStr
    webhook_secret: SecretStr | None = None

    @field_validator("webhook_secret")
    @classmethod
    def _check_secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not _SECRET.fullmatch(value.get_secret_value()):
            raise ValueError("must be 1-256 characters of A-Z, a-z, 0-9, _ and -")
        return value


class TelegramSettings(BaseModel):
    """Bots keyed by govbot account code.

    `mode` webhook: Telegram posts updates to `{public_url}/telegram/{account}` (registered at
    start when `public_url` is set). `mode` polling: each bot long-polls getUpdates for
    `poll_timeout` seconds a call; for one process only, as Telegram allows one poller per bot.
    """

    accounts: dict[str, TelegramAccountSettings] = Field(default_factory=dict)
    mode: Literal["webhook", "polling"] = "webhook"
    base_url: str = "https://api.telegram.org/bot"
    public_url: str | None = None
    poll_timeout: int = Field(default=30, ge=0, le=50)

    @field_validator("public_url")
    @classmethod
    def _strip_slash(cls, value: str | None) -> str | None:
        return value.rstrip("/") if value else None

    @model_validator(mode="after")
    def _webhooks_need_secrets(self) -> TelegramSettings:
        # Without a secret anyone who guesses the URL could speak as any citizen.
        if self.mode == "webhook":
            missing = [code for code, a in self.accounts.items() if a.webhook_secret is None]
            if missing:
                raise ValueError(f"webhook mode needs a webhook_secret for {', '.join(missing)}")
        return self
