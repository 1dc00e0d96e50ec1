"""Comments (留言) on the official accounts' articles through wechatpy's comment API:

- `POST comment/list` `{msg_data_id, index, begin, count ≤ 50, type: 0}` →
  `{"errcode": 0, "total": N, "comment": [{"user_comment_id", "openid", "create_time", "content",
  "comment_type", "reply": {"content", "create_time"}}]}`;
- `POST comment/reply/add` `{msg_data_id, index, user_comment_id, content}`;
- `POST comment/delete` `{msg_data_id, index, user_comment_id}`.
Errors: 88000 no comment privilege, 88001 article does not exist, 88004 comment deleted by its
author, 88008 comment does not exist, 45009 call limit, 40001/42001 token (refetched next call).
The cursor is the newest user_comment_id seen per article, as JSON.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

from wechatpy.exceptions import WeChatClientException

from bot.channels.comments.source import Fetched, FetchedComment, Refused
from bot.channels.wechat.api_client import AccountClient
from bot.channels.wechat.settings import WeChatSettings

PAGE = 50
MAX_PAGES = 20  # 1000 comments per article and poll; the rest come next time
GONE = {88001, 88004, 88008}
_PASSING = {-1, 45009, 40001, 42001}
_REASONS = {
    88000: "该公众号没有留言管理权限（88000）",
    88001: "文章不存在（88001）",
    88004: "留言已被作者删除（88004）",
    88008: "留言已被删除（88008）",
    45009: "微信接口调用次数超过限制（45009），稍后自动重试",
}


def _refused(exc: WeChatClientException) -> Refused:
    code = exc.errcode
    fallback = "微信接口暂时不可用" if code is None else f"微信接口返回错误（{code}）"
    reason = _REASONS.get(code, fallback)
    return Refused(reason, passing=code is None or code in _PASSING, gone=code in GONE)


class WeChatComments:
    """The comment source of every official account with `comment_articles`."""

    platform = "wechat"
    max_reply_chars = 600

    def __init__(self, clients: dict[str, AccountClient], settings: WeChatSettings) -> None:
        self._clients = clients
        self._settings = settings

    def accounts(self) -> dict[str, bool]:
        return {
            code: account.auto_reply_answers
            for code, account in self._settings.accounts.items()
            if account.comment_articles and code in self._clients
        }

    async def _api(self, call: Callable[..., dict[str, Any]], *args: Any) -> dict[str, Any]:
        try:
            return await asyncio.to_thread(call, *args)
        except WeChatClientException as exc:
            raise _refused(exc) from None
        except OSError:  # requests' connection errors too
            raise Refused("无法连接微信接口", passing=True) from None

    async def fetch(self, account: str, cursor: str) -> Fetched:
        seen: dict[str, int] = json.loads(cursor) if cursor else {}
        client = self._clients[account]
        found: list[FetchedComment] = []
        for ref in self._settings.accounts[account].comment_articles:
            msg, _, index = ref.partition(":")
            last = int(seen.get(ref, 0))
            for page in range(MAX_PAGES):
                try:
                    data = await self._api(
                        client.material.list_comment, int(msg), int(index), page * PAGE, PAGE, 0
                    )
                except Refused as exc:
                    if exc.gone:
                        break  # the article was deleted: nothing more to read under it
                    raise
                items = data.get("comment") or []
                for item in items:
                    number = int(item.get("user_comment_id", 0))
                    if number <= int(seen.get(ref, 0)) or item.get("reply"):
                        continue  # already read, or answered in WeChat's own backend
                    last = max(last, number)
                    author, text = str(item.get("openid", "")), str(item.get("content", ""))
                    found.append(FetchedComment(f"{ref}:{number}", ref, author, text))
                if len(items) < PAGE:
                    break
            seen[ref] = last
        found.sort(key=lambda c: (c.post_id, int(c.external_id.rsplit(":", 1)[1])))
        return Fetched([c for c in found if c.author_id], json.dumps(seen, sort_keys=True))

    async def reply(self, account: str, comment: FetchedComment, text: str) -> None:
        msg, index, number = (int(part) for part in comment.external_id.split(":"))
        material = self._clients[account].material
        await self._api(material.add_reply_comment, msg, index, number, text)

    async def hide(self, account: str, comment: FetchedComment) -> None:
        msg, index, number = (int(part) for part in comment.external_id.split(":"))
        await self._api(self._clients[account].material.delete_comment, msg, index, number)
