"""The working-day calendar used for reply deadlines and for holding reminders to office hours.

Sources, in order: the configured schedule of a year (holidays and make-up workdays), then
chinese-calendar's official data, then — for years neither covers — statutory holidays by rule
with Monday–Friday as workdays (and a warning that the year's schedule should be configured).
"""

from __future__ import annotations

import functools
import logging
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import chinese_calendar

from handlers.workdays.hours import DailyWindow, on_day
from handlers.workdays.settings import CalendarSettings
from handlers.workdays.statutory import statutory_holidays
from knowledge_base.clock import check_day

log = logging.getLogger(__name__)


@functools.cache
def _has_official_data(year: int) -> bool:
    try:
        chinese_calendar.is_workday(date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


@functools.cache
def _rule_holidays(year: int) -> frozenset[date]:
    return frozenset(statutory_holidays(year))


# Where a year's working days come from, as staff read it (`WorkCalendar.source`).
SOURCE_NAMES = {
    "config": "本地配置的节假日安排",
    "official": "国务院公布的节假日安排",
    "rule": "按法定节假日规则推算（未含调休）",
}


class WorkCalendar:
    """Working days and office hours of the county, in its time zone."""

    def __init__(self, settings: CalendarSettings, *, tz: ZoneInfo) -> None:
        self.tz = tz
        self.office_hours = settings.office_hours
        self._schedules = settings.schedules()
        # Deadline and alert arithmetic asks about the same few dates thousands of times.
        self._workdays: dict[date, bool] = {}

    def source(self, year: int) -> str:
        """Where this year's working days come from: config, official or rule."""
        if year in self._schedules and not _has_official_data(year):
            return "config"
        return "official" if _has_official_data(year) else "rule"

    def warn_unconfigured(self, today: date) -> list[int]:
        """Log once (at start-up) which of this and next year rely on holidays by rule."""
        years = [y for y in (today.year, today.year + 1) if self.source(y) == "rule"]
        for year in years:
            log.warning(
                "the official holiday schedule for %d is not configured; working days use the "
                "statutory holidays by rule — add the State Council's schedule (调休) to the "
                "calendar overrides",
                year,
            )
        return years

    def is_workday(self, day: date) -> bool:
        """Whether `day` is a working day (make-up Saturdays included, holidays excluded)."""
        known = self._workdays.get(day)
        if known is None:
            # Beyond the supported years neither the official data nor the lunar calendar
            # answers: refuse in one line instead of failing deep inside lunardate.
            known = self._workdays[day] = self._is_workday(check_day(day))
        return known

    def _is_workday(self, day: date) -> bool:
        schedule = self._schedules.get(day.year)
        if schedule is not None:
            if day in schedule.workdays:
                return True
            if day in schedule.holidays:
                return False
        if _has_official_data(day.year):
            return bool(chinese_calendar.is_workday(day))
        return day.weekday() < 5 and day not in _rule_holidays(day.year)

    def add_working_days(self, day: date, n: int) -> date:
        """The n-th working day after `day` (n = 0: `day` itself if it is a working day, else
        the next one)."""
        if n < 0:
            raise ValueError("n must not be negative")
        current = check_day(day)
        if n == 0:
            while not self.is_workday(current):
                current += timedelta(days=1)
            return current
        while n:
            current += timedelta(days=1)
            if self.is_workday(current):
                n -= 1
        return current

    def _periods(self, day: date) -> list[tuple[datetime, datetime]]:
        if not self.is_workday(day):
            return []
        return [
            (on_day(day, start, self.tz), on_day(day, end, self.tz))
            for start, end in self.office_hours
        ]

    def close_of(self, day: date) -> datetime:
        """The end of the last office period of `day` (deadlines fall there)."""
        return on_day(day, self.office_hours[-1][1], self.tz)

    def release(self, moment: datetime, quiet: DailyWindow, *, urgent: bool) -> datetime:
        """When a message to staff may leave: urgent ones at the first moment outside quiet
        hours (in office hours when quiet hours cover the whole day), the others at the first
        office moment that is not in quiet hours either."""
        if urgent:
            outside = quiet.next_outside(moment, self.tz)
            if outside is not None:
                return outside
        current = moment
        for _ in range(100):  # each round moves forward; a handful settle any real settings
            current = self.next_office_time(current)
            outside = quiet.next_outside(current, self.tz)
            if outside is None:
                return current  # whole-day quiet hours cannot hold office work back forever
            if outside == current:
                return current
            current = outside
        raise RuntimeError("office hours and quiet hours leave no time; check the settings")

    def next_office_time(self, moment: datetime) -> datetime:
        """`moment` if within office hours, else the start of the next office period."""
        local = moment.astimezone(self.tz)
        day = local.date()
        for _ in range(60):  # the longest holiday is far shorter than 60 days
            for start, end in self._periods(day):
                if local < end:
                    return max(local, start)
            day += timedelta(days=1)
            local = on_day(day, timedelta(0), self.tz)
        raise RuntimeError("no office hours in the next 60 days; check the calendar settings")

    def add_office_minutes(self, moment: datetime, minutes: float) -> datetime:
        """The time when `minutes` of office time have passed after `moment`."""
        remaining = timedelta(minutes=minutes)
        current = self.next_office_time(moment)
        while True:
            end = next(e for s, e in self._periods(current.date()) if s <= current < e)
            if current + remaining <= end:
                return current + remaining
            remaining -= end - current
            current = self.next_office_time(end)

    def office_minutes_between(self, start: datetime, end: datetime) -> float:
        """Office minutes elapsed from `start` to `end` (0 if end is earlier)."""
        total = timedelta(0)
        day = start.astimezone(self.tz).date()
        last = end.astimezone(self.tz).date()
        while day <= last:
            for period_start, period_end in self._periods(day):
                overlap = min(period_end, end) - max(period_start, start)
                if overlap > timedelta(0):
                    total += overlap
            day += timedelta(days=1)
        return total.total_seconds() / 60

    def deadline(self, start: datetime, working_days: int) -> datetime:
        """End of office hours on the n-th working day after the day of `start`."""
        return self.close_of(self.add_working_days(start.astimezone(self.tz).date(), working_days))
