"""The dashboard's message counts on SQLite and PostgreSQL: only the period counts, a department
sees its own accounts only, staff replies are not bot decisions, and the most used entries are
named by their live question."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from knowledge_base.accounts import add_account
from knowledge_base.content import EntryContent
from knowledge_base.conversations import store_incoming, store_outgoing
from knowledge_base.db import Database
from knowledge_base.message_counts import arrivals, reply_decisions, top_answers
from knowledge_base.models import Department, DepartmentKind, Message
from knowledge_base.workflow import publish, save_draft, submit_for_review

START = datetime(2026, 11, 23, tzinfo=UTC)
END = START + timedelta(days=7)


def county(db: Database) -> dict[str, int]:
    """Two departments, one web account each, and one published entry of the police."""
    with db.session() as session:
        session.add_all(
            [
                Department(code="zfb", name="云溪县人民政府办公室", kind=DepartmentKind.MASTER),
                Department(code="gaj", name="云溪县公安局", kind=DepartmentKind.DEPARTMENT),
            ]
        )
        session.flush()
        ids = {}
        for code, department in (("zfb-web", "zfb"), ("gaj-web", "gaj")):
            account = add_account(
                session,
                code=code,
                platform="web",
                name=f"{code} 网页",
                department=department,
                actor="admin",
                opened_on=date(2026, 1, 5),
            )
            session.flush()
            ids[department] = account.id
            ids[f"{department}-department"] = account.department_id
        content = EntryContent(question="身份证丢了怎么补办？", answer="携带户口簿到派出所办理。")
        save_draft(session, code="GA-0001", content=content, author="editor", department="gaj")
        submit_for_review(session, code="GA-0001", actor="editor")
        publish(session, code="GA-0001", reviewer="reviewer")
    return ids


def exchange(
    db: Database, account_id: int, citizen: str, at: datetime, *, decision: str, author: str = "bot"
) -> None:
    """A citizen's message at `at` and one reply to it."""
    stored = store_incoming(
        db,
        channel="web",
        account_id=account_id,
        citizen_id=citizen,
        external_id=None,
        kind="text",
        masked_text="身份证丢了",
        received_at=at,
    )
    with db.session() as session:
        reply = store_outgoing(
            session,
            conversation_id=stored.conversation_id,
            text="答复",
            author=author,
            decision=decision,
            entry_code="GA-0001" if decision == "answer" else None,
        )
        session.get_one(Message, reply).created_at = at


def test_counts_keep_to_the_period_and_the_department(db: Database) -> None:
    ids = county(db)
    inside = START + timedelta(days=1)
    exchange(db, ids["gaj"], "a", inside, decision="answer")
    exchange(db, ids["gaj"], "b", inside, decision="answer")
    exchange(db, ids["gaj"], "c", inside, decision="staff", author="staff:duty")
    exchange(db, ids["zfb"], "d", inside, decision="fallback")
    exchange(db, ids["zfb"], "e", END, decision="answer")  # the period ends before this

    with db.session() as session:
        everywhere = arrivals(session, start=START, end=END, department_id=None)
        police = ids["gaj-department"]
        assert sorted(channel for _, channel in everywhere) == ["web"] * 4
        assert len(arrivals(session, start=START, end=END, department_id=police)) == 3

        decisions = reply_decisions(session, start=START, end=END, department_id=None)
        assert sorted(decisions) == [("answer", None, 2), ("fallback", None, 1)]
        office = ids["zfb-department"]
        assert reply_decisions(session, start=START, end=END, department_id=office) == [
            ("fallback", None, 1)
        ]

        top = top_answers(session, start=START, end=END, department_id=None, limit=10)
        assert top == [("GA-0001", "身份证丢了怎么补办？", 2)]
        assert top_answers(session, start=START, end=END, department_id=office, limit=10) == []
