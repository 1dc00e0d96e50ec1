"""Settings of the WeChat channel: credentials per govbot account, reply timing, API address."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, SecretStr, field_validator, model_validator

AES_KEY_LENGTH = 43  # EncodingAESKey as the WeChat console shows it


class WeChatAccountSettings(BaseModel):
    """One official account's developer credentials (公众号开发者配置)."""

    app_id: str
    app_secret: SecretStr
    token: SecretStr
    encoding_aes_key: SecretStr | None = None
    mode: Literal["plain", "compatible", "safe"] = "plain"
    # Articles whose comments (留言) are polled, as "msg_data_id:index" (the mass-send result's
    # msg_data_id, index from 1); the newest few are enough.
    comment_articles: list[str] = Field(default_factory=list, max_length=50)
    # 先审后发: as for Weibo, public replies wait for approval unless this is on.
    auto_reply_answers: bool = False

    @field_validator("comment_articles")
    @classmethod
    def _article_refs(cls, value: list[str]) -> list[str]:
        for ref in value:
            msg, _, index = ref.partition(":")
            if not (msg.isdigit() and index.isdigit() and int(index) >= 1):
                raise ValueError(f"{ref!r} is not msg_data_id:index")
        return value

    @model_validator(mode="after")
    def _key_for_encrypted_modes(self) -> WeChatAccountSettings:
        key = self.encoding_aes_key.get_secret_value() if self.encoding_aes_key else ""
        if self.mode != "plain" and len(key) != AES_KEY_LENGTH:
            raise ValueError(
                f"encoding_aes_key of {AES_KEY_LENGTH} characters is required in {self.mode} mode"
            )
        if key and len(key) != AES_KEY_LENGTH:
            raise ValueError(f"encoding_aes_key must have {AES_KEY_LENGTH} characters")
        return self


class WeChatSettings(BaseModel):
    """Official accounts served at /wechat/{account}, keyed by govbot account code."""

    accounts: dict[str, WeChatAccountSettings] = Field(default_factory=dict)
    api_base_url: str = "https://api.weixin.qq.com/cgi-bin/"
    # WeChat drops the connection after 5 s and retries; answer before that or switch to
    # customer-service messages.
    passive_reply_seconds: float = Field(default=4.0, ge=0, le=4.8)
    api_timeout_seconds: float = Field(default=5.0, gt=0, le=60)
    # Pushes whose signed timestamp is further than this from now are refused, and nonces are
    # remembered this long (replayed signatures).
    signature_window_seconds: float = Field(default=300, ge=10, le=86400)
    # How often the scheduler polls each account's published articles (0: never).
    publications_poll_minutes: float = Field(default=60, ge=0)
    # WeChat has no buttons: with this on, answers end with 回复"1"有帮助，"0"没帮助 and a
    # reply of 1 or 0 right after an answer is a vote on it.
    feedback_hint: bool = False

    @field_validator("api_base_url")
    @classmethod
    def _trailing_slash(cls, value: str) -> str:
        if not value.startswith(("https://", "http://")):
            raise ValueError("must start with https:// or http://")
        return value if value.endswith("/") else value + "/"
