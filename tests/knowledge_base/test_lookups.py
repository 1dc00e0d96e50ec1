"""The hotline look-up log on SQLite and PostgreSQL: whose inbox a look-up feeds, outcomes only by
their operator, and which calls count as unanswered."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from knowledge_base.db import Database
from knowledge_base.errors import KbError
from knowledge_base.lookups import mark_outcome, record_lookup, unanswered_calls
from knowledge_base.models import Department, DepartmentKind
from knowledge_base.models.lookups import LookupOutcome


def departments(db: Database) -> tuple[int, int]:
    with db.session() as session:
        office = Department(code="zfb", name="云溪县人民政府办公室", kind=DepartmentKind.MASTER)
        police = Department(code="gaj", name="云溪县公安局", kind=DepartmentKind.DEPARTMENT)
        session.add_all([office, police])
        session.flush()
        return office.id, police.id


def test_lookups_feed_the_right_inbox_and_only_unsettled_calls_count(db: Database) -> None:
    office, police = departments(db)
    with db.session() as session:
        answered = record_lookup(
            session,
            operator="op1",
            operator_department=None,
            masked_text="身份证丢了怎么补办",
            decision="answer",
            entry_code="GA-0002",
        ).id
        routed = record_lookup(
            session,
            operator="op1",
            operator_department=None,
            masked_text="我的电话138****5678，护照怎么办",
            decision="route",
            referral="云溪县公安局",
        )
        unknown = record_lookup(
            session,
            operator="op2",
            operator_department=None,
            masked_text="县城哪里可以学游泳",
            decision="fallback",
        )
        assert (routed.department_id, unknown.department_id) == (police, office)

    with db.session() as session, pytest.raises(KbError):
        mark_outcome(
            session,
            lookup_id=answered,
            operator="op2",
            outcome=LookupOutcome.SATISFIED,
            any_operator=False,
        )
    since = datetime.now(UTC) - timedelta(hours=1)
    with db.session() as session:
        calls = unanswered_calls(session, since=since, department_id=None, limit=100)
        assert {c.text for c in calls} == {"我的电话138****5678，护照怎么办", "县城哪里可以学游泳"}
        mark_outcome(
            session,
            lookup_id=answered,
            operator="op1",
            outcome=LookupOutcome.TRANSFERRED,
            any_operator=False,
        )
    with db.session() as session:
        calls = unanswered_calls(session, since=since, department_id=police, limit=100)
        assert [c.decision for c in calls] == ["route"]
        everyone = unanswered_calls(session, since=since, department_id=None, limit=100)
        assert "hotline_transfer" in {c.decision for c in everyone}
