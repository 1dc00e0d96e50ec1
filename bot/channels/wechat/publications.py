"""Account activity from WeChat itself: poll each official account's published articles
(发布能力 `freepublish/batchget`) and record them as posts, so stale-account checks do not rely
on editors remembering to report what they published."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime
from typing import Any

from wechatpy.exceptions import WeChatClientException

from bot.channels.wechat.api_client import AccountClient
from knowledge_base.activity import PostRow, record_post
from knowledge_base.db import Database
from knowledge_base.errors import KbError

log = logging.getLogger(__name__)


def published_articles(client: AccountClient, *, count: int = 20) -> list[dict[str, Any]]:
    """The newest published articles of one account (blocking)."""
    data = client.post("freepublish/batchget", data={"offset": 0, "count": count, "no_content": 1})
    return list(data.get("item", []))


def record_publications(database: Database, account: str, items: list[dict[str, Any]]) -> int:
    """Store the articles as posts of `account`; returns how many were new (blocking)."""
    new = 0
    with database.session() as session:
        for item in items:
            news = (item.get("content") or {}).get("news_item") or [{}]
            row = PostRow(
                account=account,
                posted_at=datetime.fromtimestamp(int(item.get("update_time", 0)), UTC),
                title=str(news[0].get("title", ""))[:300],
                url=str(news[0].get("url", ""))[:1000],
                external_id=f"wx:{item.get('article_id', '')}",
            )
            new += record_post(session, row, source="wechat", actor="wechat")[1]
    return new


async def poll_publications(database: Database, clients: dict[str, AccountClient]) -> int:
    """Poll every configured account once; an account that fails does not stop the others."""
    new = 0
    for account, client in clients.items():
        try:
            items = await asyncio.to_thread(published_articles, client)
            new += await asyncio.to_thread(record_publications, database, account, items)
        except (WeChatClientException, KbError, OSError) as exc:
            log.warning("could not poll the published articles of %s: %s", account, exc)
    return new
