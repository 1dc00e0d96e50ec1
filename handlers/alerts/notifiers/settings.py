"""Settings of the staff-alert media, and the factory building a notifier for each configured one.

Mounted in the app settings as `notifiers`; every section is optional, so an install with none
configured simply pushes nothing. Example (config/govbot.yaml):

    notifiers:
      telegram: {token: "123456:ABC…"}
      wecom_app: {corp_id: ww0123456789abcdef, secret: "…", agent_id: 1000002}
      wecom_robots:  # department code → its duty group's robot webhook
        jyj: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…"
      email: {host: smtp.exmail.qq.com, port: 587, sender: "值班提醒 <duty@yunhe.gov.cn>",
              username: duty@yunhe.gov.cn, password: "…", starttls: true}

or from the environment: GOVBOT_NOTIFIERS__TELEGRAM__TOKEN=…, GOVBOT_NOTIFIERS__EMAIL__HOST=….
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator
from wechatpy.session import SessionStorage

from handlers.alerts.notifiers.base import Notifier
from handlers.alerts.notifiers.email import EmailNotifier
from handlers.alerts.notifiers.telegram import TELEGRAM_BASE_URL, TelegramNotifier
from handlers.alerts.notifiers.wecom_app import WECOM_API_BASE_URL, WeComAppNotifier
from handlers.alerts.notifiers.wecom_robot import WeComRobotNotifier

_STRICT = ConfigDict(extra="forbid")  # a misspelt key must fail loudly, not silently disable


class TelegramNotifierSettings(BaseModel):
    """The duty bot that messages staff (it can be one of the accounts' bots or its own)."""

    model_config = _STRICT
    token: SecretStr
    base_url: str = TELEGRAM_BASE_URL


class WeComAppSettings(BaseModel):
    """A self-built WeCom application (自建应用) whose visible range includes the duty staff."""

    model_config = _STRICT
    corp_id: str
    secret: SecretStr
    agent_id: int
    api_base_url: str = WECOM_API_BASE_URL


class EmailSettings(BaseModel):
    """One SMTP server; `starttls` for port 587, plain for a relay on the internal network."""

    model_config = _STRICT
    host: str
    port: int = Field(default=25, ge=1, le=65535)
    sender: str
    username: str | None = None
    password: SecretStr | None = None
    starttls: bool = False
    timeout: float = Field(default=10, gt=0)


class NotifierSettings(BaseModel):
    """Which media alerts go out on; see the module docstring for an example."""

    model_config = _STRICT
    telegram: TelegramNotifierSettings | None = None
    wecom_app: WeComAppSettings | None = None
    wecom_robots: dict[str, SecretStr] = Field(default_factory=dict)
    email: EmailSettings | None = None

    @field_validator("wecom_robots")
    @classmethod
    def _check_webhooks(cls, value: dict[str, SecretStr]) -> dict[str, SecretStr]:
        for code, url in value.items():
            if not url.get_secret_value().startswith(("https://", "http://")):
                raise ValueError(f"the webhook of {code} is not an http(s) URL")
        return value


@dataclass(frozen=True)
class Notifiers:
    """The configured notifiers, split by how the dispatcher chooses them.

    `personal` reach a staff member at their own address: send through each whose `reaches`
    is true. `group_robots` post to a department's group: pick the alert's department's robot
    by department code (a robot reaches anyone, so it must never be chosen by `reaches`).
    """

    personal: tuple[Notifier, ...] = ()
    group_robots: Mapping[str, WeComRobotNotifier] = field(default_factory=dict)

    def by_name(self) -> dict[str, Notifier]:
        """Every notifier under its `name` ("wecom_robot:{code}" for robots), for outbox rows."""
        everything = [*self.personal, *self.group_robots.values()]
        return {notifier.name: notifier for notifier in everything}

    async def close(self) -> None:
        """Release every notifier's HTTP clients."""
        for notifier in self.by_name().values():
            await notifier.close()


def build_notifiers(
    settings: NotifierSettings, *, wecom_session: SessionStorage | None = None
) -> Notifiers:
    """A notifier for each configured medium; `wecom_session` shares WeCom's access token."""
    personal: list[Notifier] = []
    if settings.telegram is not None:
        telegram = settings.telegram
        personal.append(
            TelegramNotifier(telegram.token.get_secret_value(), base_url=telegram.base_url)
        )
    if settings.wecom_app is not None:
        app = settings.wecom_app
        personal.append(
            WeComAppNotifier(
                app.corp_id,
                app.secret,
                app.agent_id,
                api_base_url=app.api_base_url,
                session=wecom_session,
            )
        )
    if settings.email is not None:
        mail = settings.email
        personal.append(
            EmailNotifier(
                mail.host,
                mail.port,
                sender=mail.sender,
                username=mail.username,
                password=mail.password,
                starttls=mail.starttls,
                timeout=mail.timeout,
            )
        )
    robots = {code: WeComRobotNotifier(code, url) for code, url in settings.wecom_robots.items()}
    return Notifiers(tuple(personal), robots)
