"""Alerts posted by a WeCom group robot (企业微信群机器人) to a department's duty group."""

from __future__ import annotations

import httpx
from pydantic import SecretStr

from handlers.alerts.notifiers.base import AlertMessage, Notifier, NotifierError, Recipient
from handlers.alerts.notifiers.text import plain_texts
from handlers.log_redaction import redact, redact_library_logs

_MAX_BYTES = 2048  # a robot text's content limit, in UTF-8 bytes


def robot_name(department_code: str) -> str:
    """The notifier name of a department's robot, as outbox rows record it."""
    return f"wecom_robot:{department_code}"


class WeComRobotNotifier(Notifier):
    """Posts to one group through its webhook, @-mentioning the recipient if their userid is known.

    It reaches everyone: the group is the department's, so whoever is on duty there sees it.
    The webhook URL carries the robot's key, so it is a secret.
    """

    def __init__(
        self, department_code: str, webhook_url: SecretStr, *, timeout: float = 10
    ) -> None:
        redact_library_logs()
        self.name = robot_name(department_code)
        self.department_code = department_code
        self._url = webhook_url.get_secret_value()
        self._http = httpx.AsyncClient(timeout=timeout)

    def reaches(self, recipient: Recipient) -> bool:
        return True

    async def send(self, recipient: Recipient, message: AlertMessage) -> str:
        mentioned = [recipient.wecom_user_id] if recipient.wecom_user_id else []
        # A long digest goes as several posts, in order; only the first mentions the person.
        for number, content in enumerate(
            plain_texts(message, encoding="utf-8", max_bytes=_MAX_BYTES)
        ):
            await self._post({"content": content, "mentioned_list": [] if number else mentioned})
        return ""  # robots get no message id back

    async def _post(self, text: dict[str, object]) -> None:
        try:
            response = await self._http.post(self._url, json={"msgtype": "text", "text": text})
        except httpx.HTTPError as exc:
            raise NotifierError(
                f"WeCom robot {self.name} unreachable: {redact(repr(exc))}"
            ) from exc
        try:
            answer = response.json()
        except ValueError:  # a proxy's or gateway's error page
            answer = None
        if not isinstance(answer, dict) or answer.get("errcode") != 0:
            detail = answer if isinstance(answer, dict) else response.text[:200]
            raise NotifierError(
                f"WeCom robot {self.name} refused: HTTP {response.status_code} {detail}"
            )

    async def close(self) -> None:
        await self._http.aclose()
