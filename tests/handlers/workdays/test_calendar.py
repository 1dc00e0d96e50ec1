"""Working days across Spring Festival and National Day 2026 (with 调休) and into 2027."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from handlers.workdays import CalendarSettings, WorkCalendar
from handlers.workdays.settings import YearSchedule
from handlers.workdays.statutory import qingming, statutory_holidays

TZ = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def calendar() -> WorkCalendar:
    return WorkCalendar(CalendarSettings(), tz=TZ)


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (date(2026, 9, 30), 1, date(2026, 10, 8)),  # National Day week
        (date(2026, 2, 13), 1, date(2026, 2, 14)),  # a make-up Saturday before Spring Festival
        (date(2026, 12, 31), 1, date(2027, 1, 4)),  # New Year's Day 2027, then a weekend
        (date(2026, 2, 14), 1, date(2026, 2, 24)),  # across the 2026 Spring Festival holiday
        (date(2026, 11, 20), 0, date(2026, 11, 20)),
        (date(2026, 11, 21), 0, date(2026, 11, 23)),  # a Saturday: next working day
        (date(2026, 11, 20), 5, date(2026, 11, 27)),
    ],
)
def test_add_working_days(calendar: WorkCalendar, start: date, n: int, expected: date) -> None:
    assert calendar.add_working_days(start, n) == expected


def test_2027_is_computed_by_rule_and_never_fails(calendar: WorkCalendar) -> None:
    assert calendar.source(2027) == "rule"
    # 除夕 2027 is 5 February; the four Spring Festival days are off, the Tuesday after is not.
    assert [calendar.is_workday(date(2027, 2, d)) for d in (4, 5, 8, 9)] == [
        True,
        False,
        False,
        True,
    ]
    assert not calendar.is_workday(date(2027, 10, 1)) and calendar.is_workday(date(2027, 10, 4))
    assert not calendar.is_workday(date(2027, 6, 9))  # 端午
    assert calendar.add_working_days(date(2035, 12, 30), 3) > date(2035, 12, 31)


def test_statutory_holidays_follow_the_2024_regulation() -> None:
    days = statutory_holidays(2027)
    assert sum(1 for name in days.values() if name == "春节") == 4
    assert sum(1 for name in days.values() if name == "劳动节") == 2
    assert sum(1 for name in days.values() if name == "国庆节") == 3
    assert len(days) == 13
    assert qingming(2026) == date(2026, 4, 5) and qingming(2025) == date(2025, 4, 4)


def test_configured_schedule_wins_over_the_rule() -> None:
    schedule = YearSchedule(holidays=[date(2027, 2, 9)], workdays=[date(2027, 2, 20)])
    calendar = WorkCalendar(CalendarSettings(years={2027: schedule}), tz=TZ)
    assert not calendar.is_workday(date(2027, 2, 9))
    assert calendar.is_workday(date(2027, 2, 20))  # a make-up Saturday
    assert calendar.source(2027) == "config"


def test_start_up_warns_once_for_unconfigured_years(
    calendar: WorkCalendar, caplog: pytest.LogCaptureFixture
) -> None:
    assert calendar.warn_unconfigured(date(2026, 11, 21)) == [2027]
    assert "2027" in caplog.text


def at(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=TZ)


def test_office_time_skips_lunch_nights_and_weekends(calendar: WorkCalendar) -> None:
    assert calendar.next_office_time(at(20, 9)) == at(20, 9)
    assert calendar.next_office_time(at(20, 13)) != at(20, 13)
    assert calendar.next_office_time(at(21, 10)) != at(21, 10)  # Saturday
    assert calendar.add_office_minutes(at(20, 11, 45), 30) == at(20, 14, 45)
    assert calendar.add_office_minutes(at(20, 17, 20), 30) == at(23, 8, 50)  # Friday → Monday
    assert calendar.add_office_minutes(at(21, 3), 30) == at(23, 9, 0)
    assert calendar.office_minutes_between(at(20, 11, 0), at(20, 15, 0)) == 90


def test_deadline_is_end_of_office_hours_on_the_nth_working_day(calendar: WorkCalendar) -> None:
    due = calendar.deadline(datetime(2026, 9, 30, 10, 0, tzinfo=TZ), 1)
    assert due == datetime.combine(date(2026, 10, 8), time(17, 30), TZ)


def test_office_hours_are_configurable() -> None:
    calendar = WorkCalendar(CalendarSettings(office_hours=[(time(9, 0), time(17, 0))]), tz=TZ)
    assert calendar.next_office_time(at(20, 13)) == at(20, 13)
    with pytest.raises(ValueError):
        CalendarSettings(office_hours=[(time(14, 0), time(12, 0))])
