"""Settings of the alert rules (numbers from the governing notices, all configurable)."""

from __future__ import annotations

from datetime import time, timedelta

from pydantic import BaseModel, Field

from handlers.workdays.hours import DailyWindow, TimeOfDay


class AlertSettings(BaseModel):
    """Thresholds, schedules and retry policy of staff alerts."""

    zombie_days: int = Field(default=15, ge=1)
    # The stricter rule: 20 days once, or flagged in two separate stale spells.
    serious_days: int = Field(default=20, ge=1)
    serious_spells: int = Field(default=2, ge=2)
    serious_window_days: int = Field(default=60, ge=14)
    filing_working_days: int = Field(default=3, ge=0)
    forward_working_days: int = Field(default=1, ge=0)
    digest_at: time = time(8, 30)
    weekly_weekday: int = Field(default=0, ge=0, le=6)  # Monday
    weekly_at: time = time(9, 0)
    # With the weekly report: entries whose 没帮助 share of the past week is above this, out of
    # at least `unhelpful_min_votes` votes, are sent to their department's editors.
    unhelpful_share: float = Field(default=0.4, ge=0, le=1)
    unhelpful_min_votes: int = Field(default=5, ge=1)
    # Urgent alerts (overdue tickets) may go out of office hours, but never in quiet hours,
    # [quiet_from, quiet_until): it may wrap midnight (22:00–07:00) or not (01:00–06:00);
    # equal bounds mean no quiet hours, 00:00–24:00 the whole day.
    quiet_from: TimeOfDay = timedelta(hours=22)
    quiet_until: TimeOfDay = timedelta(hours=7)
    scan_seconds: float = Field(default=60, gt=0)
    dispatch_seconds: float = Field(default=10, gt=0)
    max_attempts: int = Field(default=8, ge=1)
    retry_seconds: float = Field(default=30, gt=0)
    lease_seconds: float = Field(default=120, gt=0)

    @property
    def quiet_hours(self) -> DailyWindow:
        """The quiet hours as a daily window."""
        return DailyWindow(self.quiet_from, self.quiet_until)
