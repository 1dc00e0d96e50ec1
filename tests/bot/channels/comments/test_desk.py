"""Weibo comments end to end against the stand-in API: polled with a cursor, public replies
drafted and posted only after a duty officer approves, personal matters and complaints moved to
private, abuse hidden, API errors recorded, every step audited."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select

from handlers.texts import COMMENT_TO_PRIVATE
from knowledge_base.models import Conversation, Direction, Message
from knowledge_base.models.comments import CommentState
from tests.bot.channels.comments.conftest import Desk, served_desk
from tests.bot.channels.weibo.pushes import UID, new_uid
from tests.bot.console.console_client import PASSWORD, ConsoleClient

QUESTION = "社保卡丢了怎么补办"


def approve(desk: Desk, comment_id: int) -> str:
    response = desk.duty.submit(f"/console/comments/{comment_id}/approve", {})
    assert response.status_code == 303
    return desk.duty.get("/console/comments").text


def bot_replies(desk: Desk, author: str) -> list[str]:
    """Delivery states of the bot's stored replies in the commenter's conversation."""
    with desk.runtime.database.session() as session:
        rows = session.scalars(
            select(Message)
            .join(Conversation, Message.conversation_id == Conversation.id)
            .where(Conversation.citizen_id == author, Message.direction == Direction.OUT)
        )
        return [m.delivery.value for m in rows]


def test_a_question_is_answered_publicly_only_after_a_duty_officer_approves(desk: Desk) -> None:
    author = new_uid()
    cid = desk.api.add_comment(UID, author=author, text=f"回复@云溪发布:{QUESTION}？")
    assert desk.poll() == 1
    # The conversation does not claim the citizen was sent the answer: it waits on the comment.
    assert bot_replies(desk, author) == ["held"]
    drafted = desk.comment(cid)
    assert drafted.state is CommentState.AWAITING_APPROVAL
    assert drafted.public_reply == desk.answer("SB-0001")
    assert desk.api.replies_to(cid) == [], "nothing is public before approval"
    page = desk.duty.get("/console/comments").text
    assert "待审核" in page and "审核通过并发布" in page

    after = approve(desk, drafted.id)
    assert "回复已公开发布" in after
    parts = desk.api.replies_to(cid)
    assert len(parts) > 1 and all(len(p) <= 140 for p in parts), "Weibo's 140-character limit"
    assert "\n".join(parts) == desk.answer("SB-0001")
    posted = desk.comment(cid)
    assert posted.state is CommentState.REPLIED
    assert [a.action for a in posted.actions] == ["fetched", "drafted", "approved", "replied"]
    assert posted.actions[-1].actor == "staff:duty-zfb"

    assert desk.poll() == 0, "the cursor moved past the comments already handled"
    assert len(desk.api.replies_to(cid)) == len(parts)


def test_personal_data_is_never_echoed_and_the_answer_goes_by_private_message(
    desk: Desk,
) -> None:
    citizen = new_uid()
    cid = desk.api.add_comment(UID, author=citizen, text=f"我的手机13812345678，{QUESTION}")
    desk.poll()
    row = desk.comment(cid)
    assert row.category == "personal"
    assert "13812345678" not in row.text and "138****5678" in row.text
    assert row.public_reply == COMMENT_TO_PRIVATE
    assert desk.api.texts_to(citizen) == [desk.answer("SB-0001")], "private follow-up"
    approve(desk, row.id)
    assert desk.api.replies_to(cid) == [COMMENT_TO_PRIVATE]
    assert "5678" not in "".join(r.text for r in desk.api.replies)


def test_a_complaint_gets_a_ticket_and_only_a_public_invitation_to_write_privately(
    desk: Desk,
) -> None:
    cid = desk.api.add_comment(UID, author=new_uid(), text="我要投诉，窗口工作人员态度太差了")
    desk.poll()
    row = desk.comment(cid)
    assert row.category == "complaint"
    assert row.ticket_id is not None
    assert row.public_reply == COMMENT_TO_PRIVATE
    assert f"/console/tickets/{row.ticket_id}" in desk.duty.get("/console/comments").text
    rejected = desk.duty.submit(f"/console/comments/{row.id}/reject", {})
    assert rejected.status_code == 303
    assert desk.comment(cid).state is CommentState.REJECTED
    assert desk.api.replies_to(cid) == []


def test_abuse_is_recorded_and_hidden_and_never_answered(desk: Desk) -> None:
    cid = desk.api.add_comment(UID, author=new_uid(), text="你们这帮废物，什么都办不好")
    desk.poll()
    row = desk.comment(cid)
    assert row.category == "abuse" and row.state is CommentState.HIDDEN
    assert cid in desk.api.destroyed
    assert desk.api.replies_to(cid) == []
    assert [a.action for a in row.actions] == ["fetched", "abuse_recorded", "hidden"]
    assert "已隐藏" in desk.duty.get("/console/comments").text


def test_chit_chat_markup_and_overlong_comments_are_handled_without_a_public_reply(
    desk: Desk,
) -> None:
    emoji = desk.api.add_comment(UID, author=new_uid(), text="👍👍<img src='x.png'>")
    long = desk.api.add_comment(
        UID, author=new_uid(), text='<a href="http://t.cn/x">链接</a>' + "办事" * 3000
    )
    assert desk.poll() == 2
    assert desk.comment(emoji).state is CommentState.NO_REPLY
    stored = desk.comment(long)
    assert "<a" not in stored.text and len(stored.text) <= 1000
    assert stored.state in (CommentState.AWAITING_APPROVAL, CommentState.NO_REPLY)


def test_api_errors_are_retried_or_recorded_and_never_crash(desk: Desk) -> None:
    cid = desk.api.add_comment(UID, author=new_uid(), text=QUESTION)
    desk.api.refusals.append(10023)  # rate limit on fetching: the cursor stays
    assert desk.poll() == 0
    assert desk.poll() == 1
    row = desk.comment(cid)

    desk.api.refusals.append(21327)  # the token expired while posting
    page = approve(desk, row.id)
    assert "发布失败" in page and "过期" in page
    assert desk.comment(cid).state is CommentState.FAILED
    assert "重新发布" in page
    approve(desk, row.id)
    assert desk.comment(cid).state is CommentState.REPLIED

    gone = desk.api.add_comment(UID, author=new_uid(), text=QUESTION)
    desk.poll()
    desk.api.destroyed.add(gone)  # the citizen deleted the comment before approval
    page = approve(desk, desk.comment(gone).id)
    assert "已被删除" in page
    failed = desk.comment(gone)
    assert failed.state is CommentState.FAILED and "已被删除" in failed.detail


def test_other_departments_and_readers_cannot_post(desk: Desk) -> None:
    cid = desk.api.add_comment(UID, author=new_uid(), text=QUESTION)
    desk.poll()
    row = desk.comment(cid)
    with ConsoleClient(desk.base_url) as other:
        other.sign_in("duty-rsj", PASSWORD)
        assert other.submit(f"/console/comments/{row.id}/approve", {}).status_code == 404
    with ConsoleClient(desk.base_url) as editor:
        editor.sign_in("editor-gaj", PASSWORD)
        assert editor.submit(f"/console/comments/{row.id}/approve", {}).status_code == 403
    assert desk.api.replies_to(cid) == []


@pytest.fixture(scope="module")
def auto_desk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Desk]:
    """The account allows the bot to post published-entry answers by itself."""
    yield from served_desk(tmp_path_factory, auto=True)


def test_an_account_may_let_the_bot_post_published_answers_itself(auto_desk: Desk) -> None:
    asked = auto_desk.api.add_comment(UID, author=new_uid(), text=QUESTION)
    personal = auto_desk.api.add_comment(
        UID, author=new_uid(), text=f"身份证号330102199001011234，{QUESTION}"
    )
    auto_desk.poll()
    assert "\n".join(auto_desk.api.replies_to(asked)) == auto_desk.answer("SB-0001")
    assert [a.actor for a in auto_desk.comment(asked).actions][-1] == "bot"
    # Only answers from published entries go out unreviewed.
    assert auto_desk.comment(personal).state is CommentState.AWAITING_APPROVAL
    assert auto_desk.api.replies_to(personal) == []


def test_a_burst_of_comments_over_several_pages_is_read_completely(desk: Desk) -> None:
    burst = [desk.api.add_comment(UID, author=new_uid(), text="👍") for _ in range(120)]
    assert desk.poll() == 120, "three pages of 50, newest first, none skipped"
    assert {desk.comment(cid).state for cid in (burst[0], burst[60], burst[-1])} == {
        CommentState.NO_REPLY
    }
    assert desk.poll() == 0
