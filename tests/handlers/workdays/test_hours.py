"""Daily windows are half-open, may wrap midnight or not, be empty or the whole day; 24:00 ends
a day; and no date outside the supported years reaches the lunar calendar."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from handlers.alerts.settings import AlertSettings
from handlers.workdays import CalendarSettings, WorkCalendar
from handlers.workdays.hours import DailyWindow
from knowledge_base.clock import DateOutOfRange

TZ = ZoneInfo("Asia/Shanghai")


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=TZ)


def quiet(start: str, end: str) -> DailyWindow:
    return AlertSettings(quiet_from=start, quiet_until=end).quiet_hours  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("window", "inside", "outside"),
    [
        (("22:00", "07:00"), [at(20, 23, 30), at(21, 3), at(20, 22)], [at(20, 14), at(21, 7)]),
        (("00:00", "07:00"), [at(21, 0), at(21, 6, 59)], [at(20, 14), at(20, 23, 59), at(21, 7)]),
        (("01:00", "06:00"), [at(21, 1), at(21, 5)], [at(20, 14), at(21, 0, 30), at(21, 6)]),
        (("22:00", "24:00"), [at(20, 23, 59)], [at(21, 0), at(20, 21, 59)]),
        (("00:00", "24:00"), [at(20, 0), at(20, 14), at(20, 23, 59)], []),
        (("07:00", "07:00"), [], [at(20, 7), at(20, 3), at(20, 23)]),
    ],
)
def test_any_window_shape(
    window: tuple[str, str], inside: list[datetime], outside: list[datetime]
) -> None:
    w = quiet(*window)
    assert all(w.contains(m, TZ) for m in inside)
    assert not any(w.contains(m, TZ) for m in outside)


def test_the_end_of_a_window_is_where_sending_resumes() -> None:
    assert quiet("22:00", "07:00").next_outside(at(20, 23, 30), TZ) == at(21, 7)
    assert quiet("00:00", "07:00").next_outside(at(20, 14), TZ) == at(20, 14)
    assert quiet("01:00", "06:00").next_outside(at(21, 3), TZ) == at(21, 6)
    # 22:00–24:00 then 00:00–02:00 the next day, configured as one wrapping window
    assert quiet("22:00", "02:00").next_outside(at(20, 23), TZ) == at(21, 2)
    assert quiet("00:00", "24:00").next_outside(at(20, 14), TZ) is None


def test_office_hours_to_midnight_lose_no_minute() -> None:
    settings = CalendarSettings(office_hours=[("00:00", "24:00")])  # type: ignore[list-item]
    calendar = WorkCalendar(settings, tz=TZ)
    # Monday 23:50 + 30 office minutes = Tuesday 00:20 (23:59 as the end gave 00:21)
    assert calendar.add_office_minutes(at(23, 23, 50), 30) == at(24, 0, 20)
    assert calendar.next_office_time(at(23, 23, 59) + timedelta(seconds=59)) == at(
        23, 23, 59
    ) + timedelta(seconds=59)
    assert calendar.deadline(at(23, 10), 1) == at(25, 0)
    assert settings.model_dump(mode="json")["office_hours"] == [["00:00", "24:00"]]


@pytest.mark.parametrize("bad", ["24:01", "25:00", "12:60", "noon"])
def test_impossible_times_of_day_are_refused(bad: str) -> None:
    with pytest.raises(ValueError):
        AlertSettings(quiet_from=bad)  # type: ignore[arg-type]


def test_dates_outside_the_supported_years_are_refused_in_one_line() -> None:
    calendar = WorkCalendar(CalendarSettings(), tz=TZ)
    with pytest.raises(DateOutOfRange, match="2206-01-01 超出支持范围"):
        calendar.is_workday(date(2206, 1, 1))
    with pytest.raises(DateOutOfRange):
        calendar.add_working_days(date(2099, 12, 30), 5)
