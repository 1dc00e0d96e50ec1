"""Settings of the web console: the signing key, session length and sign-in lockout."""

from __future__ import annotations

import logging
import secrets
from functools import lru_cache

from pydantic import BaseModel, Field, SecretStr

log = logging.getLogger(__name__)


class ConsoleSettings(BaseModel):
    """Mounted in the application settings as `console` (`GOVBOT_CONSOLE__SECRET_KEY` …)."""

    secret_key: SecretStr | None = Field(
        default=None, description="key signing the console's cookies; set it in production"
    )
    session_hours: float = Field(default=12, gt=0, le=24 * 30)
    lockout_failures: int = Field(default=5, ge=1)
    lockout_window_minutes: float = Field(default=15, gt=0)
    lockout_minutes: float = Field(default=15, gt=0)
    # Password checks run on their own threads; beyond `hash_waiting` queued checks sign-ins
    # are refused at once.
    hash_workers: int = Field(default=1, ge=1, le=16)
    hash_waiting: int = Field(default=8, ge=0, le=1000)

    def signing_key(self) -> str:
        """The configured key, or one generated for this process (with a warning)."""
        if self.secret_key is not None and self.secret_key.get_secret_value():
            return self.secret_key.get_secret_value()
        return _process_key()


@lru_cache(maxsize=1)
def _process_key() -> str:
    log.warning(
        "GOVBOT_CONSOLE__SECRET_KEY is not set: using a key generated for this process; "
        "console sign-ins end when it restarts and are not shared between workers"
    )
    return secrets.token_urlsafe(32)
