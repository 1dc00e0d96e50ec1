"""Alert rules against a settable clock, across weekends, holidays and the escalation ladder."""

from __future__ import annotations

from datetime import date, datetime

from knowledge_base.accounts import change_account
from knowledge_base.activity import PostRow, record_post
from knowledge_base.models import AlertStatus
from tests.handlers.alerts.conftest import TZ, County


def names(county: County, rule: str) -> list[str]:
    return sorted(a.staff.name for a in county.alerts(rule))


def scan_at(county: County, *moment: int) -> int:
    county.clock.set(*moment)
    return county.service.scan_now().stored


def test_unacknowledged_ticket_alerts_the_rostered_duty_officer_once(county: County) -> None:
    county.open_ticket(datetime(2026, 11, 20, 9, 0, tzinfo=TZ))
    scan_at(county, 2026, 11, 20, 9, 20)
    assert county.alerts("ack") == []
    scan_at(county, 2026, 11, 20, 9, 31)
    assert names(county, "ack") == ["王轮值"]  # on the roster that day; 李值班 is not
    assert scan_at(county, 2026, 11, 20, 9, 45) == 0


def test_acknowledgement_time_counts_office_minutes_only(county: County) -> None:
    county.open_ticket(datetime(2026, 11, 20, 17, 20, tzinfo=TZ))  # Friday, ten minutes left
    scan_at(county, 2026, 11, 22, 10, 0)  # Sunday
    assert county.alerts("ack") == []
    scan_at(county, 2026, 11, 23, 8, 51)  # Monday: 10 + 21 office minutes
    assert names(county, "ack") == ["李值班", "王轮值"]  # no roster on Monday: all duty staff


def test_deadline_warning_comes_four_office_hours_before(county: County) -> None:
    county.open_ticket(datetime(2026, 11, 20, 9, 0, tzinfo=TZ))  # due Monday 17:30
    scan_at(county, 2026, 11, 23, 10, 55)
    assert county.alerts("soon") == []
    scan_at(county, 2026, 11, 23, 11, 5)  # 3.5 + 0.5 office hours before 17:30, across lunch
    assert names(county, "soon") == ["李值班", "王轮值"]


def test_overdue_escalates_one_rung_per_working_day_once_a_day(county: County) -> None:
    county.open_ticket(datetime(2026, 11, 20, 9, 0, tzinfo=TZ))
    scan_at(county, 2026, 11, 23, 17, 31)
    assert names(county, "overdue") == ["李值班", "王轮值"]
    assert scan_at(county, 2026, 11, 23, 19, 0) == 0  # at most once a day
    scan_at(county, 2026, 11, 24, 9, 0)
    assert "赵分管" in names(county, "overdue")
    scan_at(county, 2026, 11, 25, 9, 0)
    assert "周督查" in names(county, "overdue")
    assert len(county.alerts("overdue")) == 4


def test_national_day_holiday_is_not_counted(county: County) -> None:
    county.open_ticket(datetime(2026, 9, 30, 16, 0, tzinfo=TZ))
    scan_at(county, 2026, 10, 6, 10, 0)
    assert county.alerts("overdue") == []
    scan_at(county, 2026, 10, 8, 17, 31)
    assert len(county.alerts("overdue")) == 2


async def test_no_alert_goes_out_at_three_in_the_morning(county: County) -> None:
    county.open_ticket(datetime(2026, 11, 20, 9, 0, tzinfo=TZ))
    scan_at(county, 2026, 11, 24, 3, 0)  # overdue since Monday evening
    assert county.alerts("overdue")
    assert await county.service.dispatch_once() == 0
    county.clock.set(2026, 11, 24, 7, 1)
    assert await county.service.dispatch_once() > 0
    assert all(a.status is AlertStatus.SENT for a in county.alerts("overdue"))


def test_stale_accounts_are_flagged_and_the_stricter_rule_escalates(county: County) -> None:
    scan_at(county, 2026, 11, 12, 9, 0)  # 云溪交通 last posted 2026-10-28: 15 days
    zombies = {a.subject for a in county.alerts("zombie")}
    assert any("云溪交通" in s for s in zombies)
    serious = {a.subject for a in county.alerts("zombie_serious")}
    assert any("云溪卫健" in s for s in serious)  # 31 days without a post
    assert "周督查" in names(county, "zombie_serious")
    before = len(county.alerts("zombie")) + len(county.alerts("zombie_serious"))
    scan_at(county, 2026, 11, 13, 9, 0)
    assert len(county.alerts("zombie")) + len(county.alerts("zombie_serious")) == before  # weekly
    scan_at(county, 2026, 11, 18, 9, 0)  # 21 days: now the stricter rule
    assert any("云溪交通" in a.subject for a in county.alerts("zombie_serious"))


def test_filing_not_done_in_three_working_days(county: County) -> None:
    with county.database.session() as session:
        change_account(
            session,
            code="yunxi-renshe-wechat",
            actor="office",
            on=date(2026, 11, 16),
            name="云溪县人社",
        )
    scan_at(county, 2026, 11, 19, 10, 0)
    assert county.alerts("filing") == []
    scan_at(county, 2026, 11, 20, 10, 0)
    [alert, *_] = county.alerts("filing")
    assert "云溪县人社" in alert.subject and "2026-11-19" in alert.body


def test_major_news_not_forwarded_within_one_working_day(county: County) -> None:
    with county.database.session() as session:
        record_post(
            session,
            PostRow(
                account="yunxi-fabu-wechat",
                posted_at=datetime(2026, 11, 18, 10, 0, tzinfo=TZ),
                title="关于防范电信诈骗的通告",
                major=True,
                external_id="news-1",
            ),
            source="cli",
            actor="office",
        )
        record_post(
            session,
            PostRow(
                account="yunxi-renshe-wechat",
                posted_at=datetime(2026, 11, 18, 15, 0, tzinfo=TZ),
                title="转发：关于防范电信诈骗的通告",
                forwards="news-1",
            ),
            source="cli",
            actor="rs",
        )
    scan_at(county, 2026, 11, 19, 17, 0)
    assert county.alerts("forward") == []
    scan_at(county, 2026, 11, 20, 9, 0)
    subjects = {a.subject for a in county.alerts("forward")}
    assert any("云溪公安" in s for s in subjects) and any("云溪医保" in s for s in subjects)
    assert not any("云溪人社" in s for s in subjects)  # it forwarded in time
    assert not any("云溪发布" in s for s in subjects)


def test_daily_digest_on_working_days_after_half_past_eight(county: County) -> None:
    scan_at(county, 2026, 11, 20, 8, 0)
    assert county.alerts("digest") == []
    scan_at(county, 2026, 11, 20, 8, 31)
    assert names(county, "digest") == ["周督查"]
    assert scan_at(county, 2026, 11, 20, 15, 0) == 0
    scan_at(county, 2026, 11, 21, 9, 0)  # Saturday
    assert len(county.alerts("digest")) == 1


def test_weekly_inspection_report_on_monday(county: County) -> None:
    scan_at(county, 2026, 11, 23, 9, 1)
    [report] = county.alerts("weekly")
    assert "每周检查调度" in report.subject and "群众留言" in report.body
