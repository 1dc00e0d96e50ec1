"""The weekly alert to a department's editors about entries citizens found unhelpful."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from knowledge_base.models import Account, Conversation, Direction, Message, Staff, StaffRole
from knowledge_base.models.feedback import AnswerFeedback
from knowledge_base.staff import StaffRow, upsert_staff
from tests.handlers.alerts.conftest import TZ, County

AT = datetime(2026, 11, 18, 10, 0, tzinfo=TZ)


def answered_and_rated(county: County, code: str, votes: list[bool], follow_up: str) -> None:
    """Answers of `code` in the week before 2026-11-23, each rated, and one follow-up."""
    with county.database.session() as session:
        account = session.scalars(select(Account).where(Account.code == "yunxi-gongan-wechat"))
        account_id = account.one().id
        for number, helpful in enumerate(votes):
            conversation = Conversation(
                channel="wechat", account_id=account_id, citizen_id=f"o-{code}-{number}"
            )
            session.add(conversation)
            session.flush()
            reply = Message(
                conversation_id=conversation.id,
                direction=Direction.OUT,
                author="bot",
                decision="answer",
                entry_code=code,
                text="…",
                created_at=AT,
            )
            session.add(reply)
            session.flush()
            session.add(
                AnswerFeedback(
                    entry_code=code,
                    helpful=helpful,
                    channel="wechat",
                    reply_id=reply.id,
                    created_at=AT,
                )
            )
            if number == 0:
                session.add(
                    Message(
                        conversation_id=conversation.id,
                        direction=Direction.IN,
                        text=follow_up,
                        created_at=AT.replace(minute=3),
                    )
                )


def test_entries_found_unhelpful_go_to_their_departments_editor_weekly(county: County) -> None:
    with county.database.session() as session:
        upsert_staff(
            session,
            StaffRow(code="gaj-editor", department="gaj", name="孙编辑", role=StaffRole.EDITOR),
            actor="test",
        )
    answered_and_rated(county, "GA-0020", [False, False, False, True, False], "那要本人去吗")
    answered_and_rated(county, "GA-0002", [True, True, True, True, False], "要多少钱")
    answered_and_rated(county, "GA-0003", [False, False], "在哪里办")  # too few votes

    county.clock.set(2026, 11, 23, 8, 0)  # Monday, before the report's time
    county.service.scan_now()
    assert county.alerts("unhelpful") == []
    county.clock.set(2026, 11, 23, 9, 1)
    county.service.scan_now()
    [alert] = county.alerts("unhelpful")
    with county.database.session() as session:
        assert session.get(Staff, alert.staff_id).code == "gaj-editor"  # type: ignore[union-attr]
    assert "GA-0020" in alert.body and "没帮助 4/5（80%）" in alert.body
    assert "随后追问：那要本人去吗" in alert.body
    assert "GA-0002" not in alert.body and "GA-0003" not in alert.body
    county.clock.set(2026, 11, 23, 10, 0)
    county.service.scan_now()
    assert len(county.alerts("unhelpful")) == 1  # once a week
