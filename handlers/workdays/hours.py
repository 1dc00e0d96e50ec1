"""Times of day and daily windows (office periods, quiet hours) as half-open intervals.

A time of day is kept as the offset from midnight, so the end of the day can be written
`24:00`: office hours 00:00–24:00 are the whole day, and 30 office minutes from 23:50 end at
00:20 (an end of 23:59 would silently lose a minute a day). A window [start, end) wraps midnight
when its end is earlier than its start (quiet hours 22:00–07:00), is empty when both are equal,
and is the whole day from 00:00 to 24:00.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Annotated
from zoneinfo import ZoneInfo

from pydantic import BeforeValidator, PlainSerializer

DAY = timedelta(hours=24)
_HH_MM = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?$")


def _parse(value: object) -> timedelta:
    if isinstance(value, timedelta):
        offset = value
    elif isinstance(value, time):
        offset = timedelta(hours=value.hour, minutes=value.minute, seconds=value.second)
    elif isinstance(value, str) and (match := _HH_MM.match(value.strip())):
        hours, minutes, seconds = (int(part or 0) for part in match.groups())
        if minutes > 59 or seconds > 59:
            raise ValueError(f"not a time of day: {value!r}")
        offset = timedelta(hours=hours, minutes=minutes, seconds=seconds)
    else:
        raise ValueError(f"not a time of day (HH:MM, 24:00 for the end of the day): {value!r}")
    if not timedelta(0) <= offset <= DAY:
        raise ValueError(f"a time of day lies between 00:00 and 24:00: {value!r}")
    return offset


def format_time_of_day(offset: timedelta) -> str:
    """`HH:MM` (`24:00` for the end of the day)."""
    minutes = int(offset.total_seconds()) // 60
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


# A time of day from "HH:MM" (or a `time`), up to and including "24:00".
TimeOfDay = Annotated[
    timedelta,
    BeforeValidator(_parse),
    PlainSerializer(format_time_of_day, return_type=str, when_used="json"),
]


def on_day(day: date, offset: timedelta, tz: ZoneInfo) -> datetime:
    """The moment `offset` after the county's midnight starting `day` (24:00 is the next day)."""
    return datetime.combine(day, time(0, 0), tz) + offset


@dataclass(frozen=True, slots=True)
class DailyWindow:
    """The same stretch of every day, [start, end) in the county's time."""

    start: timedelta
    end: timedelta

    @property
    def empty(self) -> bool:
        """No time at all (equal bounds)."""
        return self.start == self.end or (self.start == DAY and self.end == timedelta(0))

    @property
    def whole_day(self) -> bool:
        """Every moment of every day (00:00–24:00)."""
        return self.end - self.start == DAY

    def spans(self, day: date, tz: ZoneInfo) -> list[tuple[datetime, datetime]]:
        """The window's intervals that start on `day` or run into it from the day before."""
        if self.empty:
            return []
        if self.start < self.end:
            return [(on_day(day, self.start, tz), on_day(day, self.end, tz))]
        before = day - timedelta(days=1)
        return [
            (on_day(before, self.start, tz), on_day(day, self.end, tz)),
            (on_day(day, self.start, tz), on_day(day + timedelta(days=1), self.end, tz)),
        ]

    def contains(self, moment: datetime, tz: ZoneInfo) -> bool:
        """Whether `moment` falls inside the window."""
        local = moment.astimezone(tz)
        return any(start <= local < end for start, end in self.spans(local.date(), tz))

    def next_outside(self, moment: datetime, tz: ZoneInfo) -> datetime | None:
        """`moment` if outside the window, else when the window ends; None for the whole day."""
        if self.whole_day:
            return None
        local = moment.astimezone(tz)
        for _ in range(3):  # an end at 24:00 may meet the next day's start at 00:00
            end = next((e for s, e in self.spans(local.date(), tz) if s <= local < e), None)
            if end is None:
                return local
            local = end
        return local
