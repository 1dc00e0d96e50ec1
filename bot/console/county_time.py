"""Dates and times in the county's time zone, as the console shows them."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo


def today(tz: ZoneInfo) -> date:
    """The county's date now."""
    return datetime.now(tz).date()


def local(moment: datetime | None, tz: ZoneInfo) -> str:
    """`YYYY-MM-DD HH:MM` in the county's time, or a dash."""
    return moment.astimezone(tz).strftime("%Y-%m-%d %H:%M") if moment else "—"
