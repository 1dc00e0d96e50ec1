"""The WeChat developer settings the tests configure, one account per security mode."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pydantic import SecretStr

from bot.channels.wechat.settings import WeChatAccountSettings


@dataclass(frozen=True)
class TestAccount:
    """A sample-county account code with made-up credentials and its gh_ id."""

    code: str
    app_id: str
    secret: str
    token: str
    aes_key: str
    mode: Literal["plain", "compatible", "safe"]
    official_id: str

    def settings(self) -> WeChatAccountSettings:
        """The account as it would be configured in govbot's settings."""
        return WeChatAccountSettings(
            app_id=self.app_id,
            app_secret=SecretStr(self.secret),
            token=SecretStr(self.token),
            encoding_aes_key=SecretStr(self.aes_key) if self.mode != "plain" else None,
            mode=self.mode,
        )


PLAIN = TestAccount(
    code="yunxi-fabu-wechat",
    app_id="wx0fab0000000001",
    secret="fabu-secret",
    token="fabutoken",
    aes_key="",
    mode="plain",
    official_id="gh_yunxifabu001",
)
SAFE = TestAccount(
    code="yunxi-renshe-wechat",
    app_id="wx0rs00000000002",
    secret="renshe-secret",
    token="renshetoken",
    aes_key="abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG",
    mode="safe",
    official_id="gh_yunxirenshe02",
)
COMPATIBLE = TestAccount(
    code="yunxi-gongan-wechat",
    app_id="wx0ga00000000003",
    secret="gongan-secret",
    token="gongantoken",
    aes_key="ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210zyxwvut",
    mode="compatible",
    official_id="gh_yunxigongan03",
)
ACCOUNTS = (PLAIN, SAFE, COMPATIBLE)
