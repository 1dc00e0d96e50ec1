"""Comments on the Weibo accounts' posts through the open API (评论接口):

- `GET comments/to_me.json?since_id=…&count=…` → `{"comments": [{"id", "idstr", "text",
  "created_at", "user": {"id", "idstr", …}, "status": {"id", "idstr", …}}, …], "total_number"}`,
  newest first;
- `POST comments/reply.json` with `cid` (the comment), `id` (its post) and `comment` (≤ 140
  characters) posts a public reply;
- `POST comments/destroy.json` with `cid` removes a comment under the account's own post.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx

from bot.channels.comments.source import Fetched, FetchedComment, Refused
from bot.channels.weibo.api_client import GONE, ApiError, call
from bot.channels.weibo.settings import MAX_COMMENT_CHARS, WeiboSettings

PAGE = 50
MAX_PAGES = 20  # 1000 new comments per poll; a later poll reads on from the cursor


def _refused(exc: ApiError) -> Refused:
    return Refused(exc.reason, passing=exc.passing, gone=exc.code in GONE)


def _id(value: Any) -> str:
    text = str(value) if isinstance(value, int | str) and not isinstance(value, bool) else ""
    return text if text.isascii() and text.isdigit() else ""


class WeiboComments:
    """The comment source of every Weibo account with `comments` on."""

    platform = "weibo"
    max_reply_chars = MAX_COMMENT_CHARS

    def __init__(self, client: httpx.AsyncClient, settings: WeiboSettings) -> None:
        self._client = client
        self._base = settings.api_base_url
        self._settings: Mapping[str, Any] = settings.accounts

    def accounts(self) -> dict[str, bool]:
        return {
            code: account.auto_reply_answers
            for code, account in self._settings.items()
            if account.comments
        }

    def _token(self, account: str) -> str:
        return str(self._settings[account].access_token.get_secret_value())

    async def _page(self, account: str, cursor: str, page: int) -> list[Any]:
        try:
            data = await call(
                self._client,
                "GET",
                f"{self._base}comments/to_me.json",
                token=self._token(account),
                since_id=cursor or "0",
                count=PAGE,
                page=page,
            )
        except ApiError as exc:
            raise _refused(exc) from None
        items = data.get("comments")
        return items if isinstance(items, list) else []

    async def fetch(self, account: str, cursor: str) -> Fetched:
        # Newest first: read every page since the cursor before moving it, or comments older
        # than the newest page would be skipped for good.
        items: list[Any] = []
        for page in range(1, MAX_PAGES + 1):
            batch = await self._page(account, cursor, page)
            items.extend(batch)
            if len(batch) < PAGE:
                break
        own = self._settings[account].uid
        found: dict[str, FetchedComment] = {}
        newest = int(cursor or 0)
        for item in items:
            if not isinstance(item, dict):
                continue
            cid = _id(item.get("idstr") or item.get("id"))
            user, status = item.get("user") or {}, item.get("status") or {}
            author = _id(user.get("idstr") or user.get("id")) if isinstance(user, dict) else ""
            post = _id(status.get("idstr") or status.get("id")) if isinstance(status, dict) else ""
            if not cid or not author or not post or int(cid) <= int(cursor or 0):
                continue
            newest = max(newest, int(cid))
            if author == own:
                continue  # the account's own replies
            text = item.get("text") if isinstance(item.get("text"), str) else ""
            found[cid] = FetchedComment(cid, post, author, str(text))
        ordered = sorted(found.values(), key=lambda c: int(c.external_id))
        return Fetched(ordered, str(newest) if newest else cursor)

    async def _post(self, account: str, method: str, **fields: str) -> None:
        try:
            await call(
                self._client,
                "POST",
                f"{self._base}comments/{method}.json",
                token=self._token(account),
                **fields,
            )
        except ApiError as exc:
            raise _refused(exc) from None

    async def reply(self, account: str, comment: FetchedComment, text: str) -> None:
        await self._post(
            account, "reply", cid=comment.external_id, id=comment.post_id, comment=text
        )

    async def hide(self, account: str, comment: FetchedComment) -> None:
        await self._post(account, "destroy", cid=comment.external_id)
