"""Private messages sent outside a push's response: `messages/reply.json` of the fans service.

POST m.api.weibo.com/2/messages/reply.json with access_token, type=text, receiver_id and
data = URL-encoded `{"text": "..."}` (under 300 characters); a longer answer goes in parts.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from functools import partial

import httpx

from bot.channels.base import SendOutcome
from bot.channels.weibo.api_client import ApiError, call
from bot.channels.weibo.passive_reply import encoded_text
from bot.channels.weibo.settings import MAX_MESSAGE_CHARS
from handlers.text_parts import split_text
from knowledge_base.models import Delivery

log = logging.getLogger(__name__)

# Count characters, as Weibo does: four bytes a character in UTF-32.
message_parts = partial(split_text, limit=MAX_MESSAGE_CHARS * 4, encoding="utf-32-le")


class MessagesApi:
    """Sends texts with each account's token; never raises, reports a Delivery."""

    def __init__(self, client: httpx.AsyncClient, base_url: str, tokens: Mapping[str, str]):
        self._client = client
        self._url = f"{base_url}messages/reply.json"
        self._tokens = tokens

    async def send_text(self, *, account: str, citizen_id: str, text: str) -> SendOutcome:
        """Send `text` to the citizen's uid, in parts when over the platform's length."""
        token = self._tokens.get(account)
        if token is None:
            return SendOutcome(Delivery.FAILED, f"账号 {account} 未配置微博")
        for part in message_parts(text):
            try:
                await call(
                    self._client,
                    "POST",
                    self._url,
                    token=token,
                    type="text",
                    receiver_id=citizen_id,
                    data=encoded_text(part),
                    save_sender_box=0,
                )
            except ApiError as exc:
                log.warning(
                    "weibo message to %s… via %s refused: %s %s",
                    citizen_id[:4],
                    account,
                    exc.code,
                    exc.error,
                )
                return SendOutcome(Delivery.FAILED, exc.reason, retry=exc.passing)
        return SendOutcome(Delivery.SENT)
