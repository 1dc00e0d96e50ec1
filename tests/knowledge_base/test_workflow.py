"""Review workflow: drafts are invisible, reviewers are never authors, versions and rollback."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from knowledge_base.content import EntryContent
from knowledge_base.db import Database
from knowledge_base.errors import KbError
from knowledge_base.models import AuditRecord, Department, EntryStatus, EntryVersion
from knowledge_base.snapshot import load_snapshot
from knowledge_base.workflow import (
    get_entry,
    publish,
    reject,
    retire,
    rollback,
    save_draft,
    submit_for_review,
)

TODAY = date(2026, 11, 21)


def content(
    answer: str = "携带身份证到县行政服务中心2楼人社窗口办理。", **extra: object
) -> EntryContent:
    return EntryContent(question="社保卡丢了怎么补办？", answer=answer, **extra)  # type: ignore[arg-type]


@pytest.fixture
def dept(db: Database) -> str:
    with db.session() as session:
        session.add(Department(code="rsj", name="云溪县人力资源和社会保障局"))
    return "rsj"


def visible_answers(db: Database, today: date = TODAY) -> dict[str, str]:
    with db.session() as session:
        return {item.code: item.answer for item in load_snapshot(session, today=today).items}


def write_and_submit(db: Database, dept: str, author: str = "editor", **kw: object) -> None:
    with db.session() as session:
        save_draft(session, code="SB-1", content=content(**kw), author=author, department=dept)  # type: ignore[arg-type]
        submit_for_review(session, code="SB-1", actor=author)


def test_drafts_and_entries_in_review_are_invisible_to_citizens(db: Database, dept: str) -> None:
    with db.session() as session:
        save_draft(session, code="SB-1", content=content(), author="editor", department=dept)
    assert visible_answers(db) == {}
    with db.session() as session:
        submit_for_review(session, code="SB-1", actor="editor")
        assert get_entry(session, code="SB-1").status is EntryStatus.IN_REVIEW
    assert visible_answers(db) == {}


def test_author_cannot_review_own_entry(db: Database, dept: str) -> None:
    write_and_submit(db, dept)
    with pytest.raises(KbError, match="不能审核"), db.session() as session:
        publish(session, code="SB-1", reviewer="editor")
    assert visible_answers(db) == {}


def test_co_author_cannot_review_either(db: Database, dept: str) -> None:
    with db.session() as session:
        save_draft(session, code="SB-1", content=content(), author="editor", department=dept)
        save_draft(session, code="SB-1", content=content("改过的答案"), author="colleague")
        submit_for_review(session, code="SB-1", actor="colleague")
    with pytest.raises(KbError), db.session() as session:
        publish(session, code="SB-1", reviewer="colleague")
    with db.session() as session:
        version = publish(session, code="SB-1", reviewer="reviewer")
        assert version.author == "editor, colleague"
    assert visible_answers(db) == {"SB-1": "改过的答案"}


def test_publish_by_another_person_makes_the_answer_visible(db: Database, dept: str) -> None:
    write_and_submit(db, dept)
    with db.session() as session:
        version = publish(session, code="SB-1", reviewer="reviewer", reason="首次发布")
        assert (version.number, version.author, version.reviewer) == (1, "editor", "reviewer")
    assert visible_answers(db) == {"SB-1": "携带身份证到县行政服务中心2楼人社窗口办理。"}


def test_a_new_draft_does_not_change_the_live_answer_until_published(
    db: Database, dept: str
) -> None:
    write_and_submit(db, dept)
    with db.session() as session:
        publish(session, code="SB-1", reviewer="reviewer")
        save_draft(session, code="SB-1", content=content("新答案"), author="editor")
        submit_for_review(session, code="SB-1", actor="editor")
    assert visible_answers(db)["SB-1"].startswith("携带身份证")
    with db.session() as session:
        reject(session, code="SB-1", reviewer="reviewer", comment="请补充办理时限")
        entry = get_entry(session, code="SB-1")
        assert entry.status is EntryStatus.PUBLISHED
        assert entry.draft is not None and entry.draft.review_comment == "请补充办理时限"
    assert visible_answers(db)["SB-1"].startswith("携带身份证")


def test_entries_outside_their_validity_are_not_shown(db: Database, dept: str) -> None:
    write_and_submit(db, dept, valid_from=TODAY - timedelta(days=10), valid_until=TODAY)
    with db.session() as session:
        publish(session, code="SB-1", reviewer="reviewer")
    assert "SB-1" in visible_answers(db, TODAY)
    assert visible_answers(db, TODAY + timedelta(days=1)) == {}
    assert visible_answers(db, TODAY - timedelta(days=11)) == {}


def test_retired_entries_disappear_and_keep_their_history(db: Database, dept: str) -> None:
    write_and_submit(db, dept)
    with db.session() as session:
        publish(session, code="SB-1", reviewer="reviewer")
        retire(session, code="SB-1", actor="reviewer", reason="政策废止")
    assert visible_answers(db) == {}
    with db.session() as session:
        assert len(get_entry(session, code="SB-1").versions) == 1


def test_rollback_publishes_an_earlier_version_again(db: Database, dept: str) -> None:
    write_and_submit(db, dept)
    with db.session() as session:
        publish(session, code="SB-1", reviewer="reviewer")
        save_draft(session, code="SB-1", content=content("第二版答案"), author="editor")
        submit_for_review(session, code="SB-1", actor="editor")
        publish(session, code="SB-1", reviewer="reviewer")
    assert visible_answers(db)["SB-1"] == "第二版答案"
    with pytest.raises(KbError), db.session() as session:
        rollback(session, code="SB-1", to_version=1, actor="editor", reason="")
    with db.session() as session:
        version = rollback(
            session, code="SB-1", to_version=1, actor="reviewer", reason="第二版有误"
        )
        assert version.number == 3
    assert visible_answers(db)["SB-1"].startswith("携带身份证")
    with db.session() as session:
        numbers = [v.number for v in get_entry(session, code="SB-1").versions]
    assert numbers == [1, 2, 3]


def test_published_versions_cannot_be_modified(db: Database, dept: str) -> None:
    write_and_submit(db, dept)
    with db.session() as session:
        publish(session, code="SB-1", reviewer="reviewer")
    with pytest.raises(RuntimeError, match="immutable"), db.session() as session:
        version = session.scalars(select(EntryVersion)).one()
        version.answer = "偷偷改掉"
        session.flush()
    assert visible_answers(db)["SB-1"].startswith("携带身份证")


def test_an_entry_without_answer_cannot_be_published(db: Database, dept: str) -> None:
    write_and_submit(db, dept, answer="")
    with pytest.raises(KbError, match="没有答案"), db.session() as session:
        publish(session, code="SB-1", reviewer="reviewer")


def test_the_audit_log_masks_numbers_a_draft_holds_and_the_draft_keeps_them(
    db: Database, dept: str
) -> None:
    question = "13812345678 打不通怎么办？"
    with db.session() as session:
        save_draft(
            session,
            code="SB-1",
            content=EntryContent(question=question, answer="请拨打 13812345678。"),
            author="editor",
            department=dept,
        )
        submit_for_review(session, code="SB-1", actor="editor")
        reject(session, code="SB-1", reviewer="reviewer", comment="不要写 110101199003071234")
    with db.session() as session:
        logged = [r.detail for r in session.scalars(select(AuditRecord).order_by(AuditRecord.id))]
        draft = get_entry(session, code="SB-1").draft
        assert draft is not None and draft.question == question, "the draft itself is intact"
        assert draft.answer == "请拨打 13812345678。"
    text = repr(logged)
    assert "13812345678" not in text and "110101199003071234" not in text
    assert {"question": "138****5678 打不通怎么办？"} in logged
    assert any(d.get("comment", "").startswith("不要写 110101") for d in logged)
