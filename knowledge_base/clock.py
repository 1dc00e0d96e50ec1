"""The county's clock: the one source of "now", "today" and displayed times.

Timestamps are stored in UTC; every date a rule uses and every time a person reads is the
county's local time. Servers usually run in UTC, so nothing here may consult the process time
zone (`date.today()`, naive `datetime.now()`). Tests set the clock's source.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from knowledge_base.errors import KbError

# The working-day calendar covers these years (chinese-calendar's data and solar terms, lunardate);
# a date outside them is a typo, not a plan, and is refused where it enters the system.
FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2099, 12, 31)


class DateOutOfRange(KbError):
    """A date outside the years the calendar supports."""


def check_day(day: date, what: str = "日期") -> date:
    """`day` itself, or a one-line refusal when it is outside the supported years."""
    if not FIRST_DAY <= day <= LAST_DAY:
        raise DateOutOfRange(
            f"{what} {day.isoformat()} 超出支持范围（{FIRST_DAY.year}–{LAST_DAY.year} 年）"
        )
    return day


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class CountyClock:
    """Now, today and formatting in the county's time zone (default Asia/Shanghai)."""

    tz: ZoneInfo = field(default_factory=lambda: ZoneInfo("Asia/Shanghai"))
    source: Callable[[], datetime] = _utc_now

    def now(self) -> datetime:
        """The current moment, time-zone aware, in UTC (as stored)."""
        return self.source().astimezone(UTC)

    def local_now(self) -> datetime:
        """The current moment on the county's wall clock."""
        return self.source().astimezone(self.tz)

    def today(self) -> date:
        """The county's date now."""
        return self.local_now().date()

    def local(self, moment: datetime) -> datetime:
        """A stored moment on the county's wall clock (naive values are taken as UTC)."""
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return moment.astimezone(self.tz)

    def day_of(self, moment: datetime) -> date:
        """The county's date at a stored moment."""
        return self.local(moment).date()

    def show(self, moment: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
        """A stored moment as people read it, or a dash."""
        return self.local(moment).strftime(fmt) if moment is not None else "—"

    def at(self, wall_clock: datetime) -> datetime:
        """A naive county wall-clock time (typed by a person) as an aware moment."""
        return wall_clock.replace(tzinfo=self.tz) if wall_clock.tzinfo is None else wall_clock
