"""`govbot calendar …`: working days on the Chinese calendar, as deadlines use them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import typer

from bot.cli.state import STATE
from handlers.workdays import WorkCalendar
from handlers.workdays.calendar import SOURCE_NAMES
from handlers.workdays.statutory import statutory_holidays
from knowledge_base.clock import check_day

app = typer.Typer(help="工作日日历：法定节假日与调休。", no_args_is_help=True)
Day = Annotated[
    datetime,
    typer.Argument(
        formats=["%Y-%m-%d", "%Y/%m/%d", "%Y%m%d"], help="日期，如 2026-10-01、2026/10/01、20261001"
    ),
]


def _calendar() -> WorkCalendar:
    settings = STATE.context.settings
    return WorkCalendar(settings.calendar, tz=settings.tz)


@app.command("add-working-days")
def add_working_days(day: Day, n: Annotated[int, typer.Argument(min=0)]) -> None:
    """Print the date N working days after DATE."""
    print(_calendar().add_working_days(day.date(), n).isoformat())


@app.command("is-workday")
def is_workday(day: Day) -> None:
    """Print whether DATE is a working day, and where that comes from."""
    calendar = _calendar()
    answer = "工作日" if calendar.is_workday(day.date()) else "休息日"
    print(f"{day.date().isoformat()} {answer}（依据：{SOURCE_NAMES[calendar.source(day.year)]}）")


@app.command("holidays")
def holidays(year: int) -> None:
    """Print the statutory holidays of YEAR computed by rule (before 调休)."""
    check_day(date(year, 1, 1), "年份")
    for day, name in sorted(statutory_holidays(year).items()):
        print(f"{day.isoformat()} {name}")
