"""Published articles polled from WeChat keep an account's last post time current."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from pydantic import SecretStr
from sqlalchemy import select

from bot.channels.wechat.api_client import build_clients
from bot.channels.wechat.publications import poll_publications
from bot.channels.wechat.settings import WeChatAccountSettings, WeChatSettings
from knowledge_base.models import Account, Post
from tests.fakes.wechat_api import running_wechat_api
from tests.live_server import served_county


def article(article_id: str, title: str, when: datetime) -> dict[str, object]:
    stamp = int(when.timestamp())
    return {
        "article_id": article_id,
        "update_time": stamp,
        "content": {
            "news_item": [{"title": title, "url": f"https://mp.weixin.qq.com/s/{article_id}"}],
            "create_time": stamp,
        },
    }


async def test_polled_articles_become_posts_once(tmp_path: Path) -> None:
    account = WeChatAccountSettings(
        app_id="wxjt000000000001", app_secret=SecretStr("jt"), token=SecretStr("t")
    )
    with running_wechat_api({"wxjt000000000001": "jt"}) as (url, api):
        settings = WeChatSettings(accounts={"yunxi-jiaotong-wechat": account}, api_base_url=url)
        api.articles["wxjt000000000001"] = [
            article("A1", "冬季道路出行提示", datetime(2026, 11, 21, 1, 0, tzinfo=UTC)),
            article("A0", "公交线路调整公告", datetime(2026, 11, 19, 1, 0, tzinfo=UTC)),
        ]
        with served_county(tmp_path, wechat=settings) as (_, runtime):
            clients = build_clients(settings, None)
            assert await poll_publications(runtime.database, clients) == 2
            assert await poll_publications(runtime.database, clients) == 0  # already recorded
            with runtime.database.session() as session:
                jt = session.scalars(
                    select(Account).where(Account.code == "yunxi-jiaotong-wechat")
                ).one()
                titles = sorted(session.scalars(select(Post.title).where(Post.account_id == jt.id)))
                assert jt.last_post_at == datetime(2026, 11, 21, 1, 0, tzinfo=UTC)
    assert titles == ["公交线路调整公告", "冬季道路出行提示"]
