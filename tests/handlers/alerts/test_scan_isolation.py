"""One bad record never stops the other alert rules: it is skipped, logged and reported once."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select, update

from knowledge_base.models import Account, Filing, FilingAction
from tests.handlers.alerts.conftest import TZ, County


def bad_filing(county: County) -> int:
    """A filing dated 2206, as the CLI accepted before dates were checked at the edges."""
    with county.database.session() as session:
        account = session.scalars(
            select(Account).where(Account.code == "yunxi-jiaotong-wechat")
        ).one()
        filing = Filing(
            account_id=account.id, action=FilingAction.SUSPEND, occurred_on=date(2026, 11, 2)
        )
        session.add(filing)
        session.flush()
        # Written behind the model's back, as an old row or another tool would have left it.
        session.execute(
            update(Filing).where(Filing.id == filing.id).values(occurred_on=date(2206, 1, 1))
        )
        return filing.id


def test_a_bad_filing_does_not_stop_overdue_ticket_alerts(county: County) -> None:
    filing_id = bad_filing(county)
    county.open_ticket(datetime(2026, 11, 20, 9, 0, tzinfo=TZ))
    county.clock.set(2026, 11, 23, 17, 31)
    county.service.scan_now()  # no exception
    assert county.alerts("overdue")  # the other rules ran
    [report] = county.alerts("scan_problem")
    assert report.staff.name == "周督查" and f"备案记录 #{filing_id}" in report.subject
    assert "2206-01-01 超出支持范围" in report.body
    county.clock.set(2026, 11, 24, 9, 0)
    county.service.scan_now()
    assert len(county.alerts("scan_problem")) == 1  # reported once


def test_a_bad_record_only_skips_itself(county: County) -> None:
    bad_filing(county)
    with county.database.session() as session:
        account = session.scalars(
            select(Account).where(Account.code == "yunxi-renshe-wechat")
        ).one()
        session.add(
            Filing(account_id=account.id, action=FilingAction.CHANGE, occurred_on=date(2026, 11, 2))
        )
    county.clock.set(2026, 11, 23, 9, 0)
    county.service.scan_now()
    assert any("备案逾期" in a.subject for a in county.alerts("filing"))
