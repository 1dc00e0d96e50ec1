"""The comment store on SQLite and PostgreSQL: a comment is claimed once however many pollers
see it, every state change is audited, and cursors move on per account and scope."""

from __future__ import annotations

from knowledge_base.comments import (
    claim_comment,
    comments_in,
    load_cursor,
    save_cursor,
    settle_comment,
)
from knowledge_base.db import Database
from knowledge_base.models.comments import CommentState


def claim(db: Database, external_id: str) -> int | None:
    with db.session() as session:
        return claim_comment(
            session,
            account="yunxi-fabu-weibo",
            platform="weibo",
            external_id=external_id,
            post_id="4890000000000001",
            author_id="2489518277",
            masked_text="电话138****5678，社保卡丢了怎么补办",
        )


def test_a_comment_is_claimed_once_and_every_change_is_audited(db: Database) -> None:
    first = claim(db, "4900000000000001")
    assert first is not None
    assert claim(db, "4900000000000001") is None, "a second poller leaves it alone"
    with db.session() as session:
        settle_comment(
            session,
            comment_id=first,
            state=CommentState.AWAITING_APPROVAL,
            actor="bot",
            action="drafted",
            public_reply="请私信我们",
            category="personal",
        )
    with db.session() as session:
        settle_comment(
            session,
            comment_id=first,
            state=CommentState.FAILED,
            actor="staff:duty",
            action="reply_failed",
            detail="微博已被删除（20101）",
        )
    with db.session() as session:
        [row] = comments_in(
            session, states=(CommentState.FAILED,), accounts=["yunxi-fabu-weibo"], limit=10
        )
        assert row.public_reply == "请私信我们" and row.detail == "微博已被删除（20101）"
        assert [(a.action, a.actor) for a in row.actions] == [
            ("fetched", "bot"),
            ("drafted", "bot"),
            ("reply_failed", "staff:duty"),
        ]
        assert row.actions[-1].detail["detail"] == "微博已被删除（20101）"
        others = comments_in(session, states=(CommentState.FAILED,), accounts=["other"], limit=10)
        assert others == []


def test_cursors_move_on_per_account_and_scope(db: Database) -> None:
    with db.session() as session:
        assert load_cursor(session, account="a", scope="comments") == ""
        save_cursor(session, account="a", scope="comments", cursor="4900000000000007")
        save_cursor(session, account="b", scope="comments", cursor='{"2247483650:1": 3}')
    with db.session() as session:
        save_cursor(session, account="a", scope="comments", cursor="4900000000000009")
    with db.session() as session:
        assert load_cursor(session, account="a", scope="comments") == "4900000000000009"
        assert load_cursor(session, account="b", scope="comments") == '{"2247483650:1": 3}'
