"""Settings of the working-day calendar: office hours and per-year overrides."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import yaml
from pydantic import BaseModel, Field, field_validator

from handlers.workdays.hours import TimeOfDay


class YearSchedule(BaseModel):
    """The official schedule of one year: extra days off and make-up workdays (调休)."""

    holidays: list[date] = Field(default_factory=list)
    workdays: list[date] = Field(default_factory=list)


class CalendarSettings(BaseModel):
    """Office hours and the per-year schedules that override or extend chinese-calendar."""

    # Half-open periods [start, end); "24:00" ends a period at midnight. A period across
    # midnight is written as two (22:00–24:00 and 00:00–02:00).
    office_hours: list[tuple[TimeOfDay, TimeOfDay]] = Field(
        default_factory=lambda: [
            (timedelta(hours=8, minutes=30), timedelta(hours=12)),
            (timedelta(hours=14, minutes=30), timedelta(hours=17, minutes=30)),
        ]
    )
    overrides_file: Path | None = None
    years: dict[int, YearSchedule] = Field(default_factory=dict)

    @field_validator("office_hours")
    @classmethod
    def _ordered(
        cls, value: list[tuple[timedelta, timedelta]]
    ) -> list[tuple[timedelta, timedelta]]:
        if not value:
            raise ValueError("at least one office period is needed")
        previous = timedelta(0)
        for start, end in value:
            if not previous <= start < end:
                raise ValueError("office periods must be ordered and not overlap")
            previous = end
        return value

    def schedules(self) -> dict[int, YearSchedule]:
        """Schedules from the overrides file, then from `years` (which win)."""
        merged: dict[int, YearSchedule] = {}
        if self.overrides_file is not None and self.overrides_file.is_file():
            data = yaml.safe_load(self.overrides_file.read_text(encoding="utf-8")) or {}
            for year, schedule in (data.get("years") or {}).items():
                merged[int(year)] = YearSchedule.model_validate(schedule or {})
        merged.update(self.years)
        return merged
