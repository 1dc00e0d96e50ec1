"""Account registry: one live account per unit and platform, filings, consistent names."""

from __future__ import annotations

from datetime import date

import pytest

from knowledge_base.accounts import (
    add_account,
    change_account,
    close_account,
    list_accounts,
    mark_filed,
    name_mismatches,
    suspend_account,
)
from knowledge_base.db import Database
from knowledge_base.errors import KbError
from knowledge_base.models import Department, FilingAction

DAY = date(2026, 11, 2)


@pytest.fixture
def units(db: Database) -> None:
    with db.session() as session:
        session.add_all(
            [
                Department(code="gaj", name="云溪县公安局"),
                Department(code="jyj", name="云溪县教育局"),
            ]
        )


def add(db: Database, code: str, platform: str, name: str, department: str = "gaj") -> None:
    with db.session() as session:
        add_account(
            session,
            code=code,
            platform=platform,
            name=name,
            department=department,
            actor="office",
            opened_on=DAY,
        )


def test_a_unit_holds_at_most_one_account_per_platform(db: Database, units: None) -> None:
    add(db, "ga-wx", "wechat_official", "云溪公安")
    with pytest.raises(KbError, match="同一平台只能开设一个账号"):
        add(db, "ga-wx2", "wechat_official", "云溪公安二号")
    add(db, "jy-wx", "wechat_official", "云溪教育", department="jyj")
    add(db, "ga-dy", "douyin", "云溪公安")
    with db.session() as session:
        assert [a.code for a in list_accounts(session)] == ["ga-dy", "ga-wx", "jy-wx"]


def test_closing_an_account_frees_the_platform(db: Database, units: None) -> None:
    add(db, "ga-wx", "wechat_official", "云溪公安")
    with db.session() as session:
        close_account(session, code="ga-wx", actor="office", on=DAY, reason="整合")
    add(db, "ga-wx-new", "wechat_official", "云溪公安")
    with db.session() as session:
        assert [a.code for a in list_accounts(session)] == ["ga-wx-new"]
        assert len(list_accounts(session, include_closed=True)) == 2


def test_moving_an_account_cannot_break_the_rule(db: Database, units: None) -> None:
    add(db, "ga-wx", "wechat_official", "云溪公安")
    add(db, "jy-wx", "wechat_official", "云溪教育", department="jyj")
    with pytest.raises(KbError), db.session() as session:
        change_account(session, code="jy-wx", actor="office", on=DAY, department="gaj")


def test_every_lifecycle_event_is_a_filing_to_be_filed(db: Database, units: None) -> None:
    add(db, "ga-wx", "wechat_official", "云溪公安")
    with db.session() as session:
        change_account(session, code="ga-wx", actor="office", on=DAY, name="云溪县公安局")
        suspend_account(session, code="ga-wx", actor="office", on=DAY, reason="整改")
        close_account(session, code="ga-wx", actor="office", on=DAY, reason="撤并")
    with db.session() as session:
        account = list_accounts(session, include_closed=True)[0]
        actions = [f.action for f in account.filings]
        assert actions == [
            FilingAction.OPEN,
            FilingAction.CHANGE,
            FilingAction.SUSPEND,
            FilingAction.CLOSE,
        ]
        assert all(f.filed_on is None for f in account.filings)
        mark_filed(session, filing_id=account.filings[0].id, actor="office", on=date(2026, 11, 4))
    with db.session() as session, pytest.raises(KbError, match="已于"):
        mark_filed(session, filing_id=1, actor="office", on=DAY)


def test_differing_names_of_one_unit_are_reported(db: Database, units: None) -> None:
    add(db, "ga-wx", "wechat_official", "云溪公安")
    add(db, "ga-wb", "weibo", "平安云溪")
    add(db, "jy-wx", "wechat_official", "云溪教育", department="jyj")
    with db.session() as session:
        mismatches = name_mismatches(session)
    assert len(mismatches) == 1
    assert mismatches[0].department == "云溪县公安局"
    assert mismatches[0].names == {"云溪公安": ["wechat_official"], "平安云溪": ["weibo"]}


def test_unknown_platform_is_refused(db: Database, units: None) -> None:
    with pytest.raises(KbError, match="不支持的平台"):
        add(db, "ga-x", "myspace", "云溪公安")
