"""Settings of the Weibo channel: credentials per govbot account, reply timing, API address."""

from __future__ import annotations

from pydantic import BaseModel, Field, SecretStr, field_validator

# A comment (and a reply to one) is at most 140 characters (comments/create, comments/reply).
MAX_COMMENT_CHARS = 140
# 粉丝服务平台 private-message text: "文本大小必须小于300个汉字" (messages/reply, and the passive
# reply's data.text) — counted in characters, not bytes.
MAX_MESSAGE_CHARS = 300


class WeiboAccountSettings(BaseModel):
    """One Weibo account's fans-service credentials (粉丝服务平台 → 高级功能 → 开发模式)."""

    # The account's numeric uid: pushes name it as receiver_id.
    uid: str = Field(pattern=r"^\d{1,20}$")
    # Signs every push: sha1 of the sorted (app secret, timestamp, nonce).
    app_secret: SecretStr
    # Long-lived token of the fans service, for the reply and comment APIs.
    access_token: SecretStr
    # Poll the comments on this account's posts.
    comments: bool = True
    # 先审后发: public replies wait for a duty officer's approval, unless this allows the bot to
    # post answers from published knowledge-base entries by itself.
    auto_reply_answers: bool = False


class WeiboSettings(BaseModel):
    """Weibo accounts served at /weibo/{account}, keyed by govbot account code."""

    accounts: dict[str, WeiboAccountSettings] = Field(default_factory=dict)
    api_base_url: str = "https://api.weibo.com/2/"
    # Private messages are replied through m.api.weibo.com; tests point both at one stand-in.
    message_api_base_url: str = "https://m.api.weibo.com/2/"
    # Weibo drops the connection after 5 s and retries, like WeChat.
    passive_reply_seconds: float = Field(default=4.0, ge=0, le=4.8)
    api_timeout_seconds: float = Field(default=5.0, gt=0, le=60)
    signature_window_seconds: float = Field(default=300, ge=10, le=86400)

    @field_validator("api_base_url", "message_api_base_url")
    @classmethod
    def _trailing_slash(cls, value: str) -> str:
        if not value.startswith(("https://", "http://")):
            raise ValueError("must start with https:// or http://")
        return value if value.endswith("/") else value + "/"
