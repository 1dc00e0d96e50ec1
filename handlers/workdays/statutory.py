"""Statutory holidays computed by rule, for years the official data does not cover yet.

The national holiday regulation as revised in 2024 gives: 元旦 1 day; 春节 4 days (New Year's
Eve to the third day of the first lunar month); 清明 1 day; 劳动节 2 days (1–2 May); 端午 1 day;
中秋 1 day; 国庆 3 days (1–3 October). The State Council's yearly schedule adds bridging days and
make-up workdays (调休); those cannot be computed and come from configuration.
"""

from __future__ import annotations

from datetime import date, timedelta

from chinese_calendar import get_solar_terms
from lunardate import LunarDate


def qingming(year: int) -> date:
    """The day of the 清明 solar term (4, 5 or 6 April), from chinese-calendar's solar terms."""
    terms = get_solar_terms(date(year, 4, 1), date(year, 4, 10))
    return next(day for day, name in terms if name == "清明")


def statutory_holidays(year: int) -> dict[date, str]:
    """Every statutory holiday date of `year` with its festival name."""
    days: dict[date, str] = {date(year, 1, 1): "元旦"}
    spring = LunarDate(year, 1, 1).toSolarDate()
    for offset in range(-1, 3):
        days[spring + timedelta(days=offset)] = "春节"
    days[qingming(year)] = "清明节"
    days[date(year, 5, 1)] = days[date(year, 5, 2)] = "劳动节"
    days[LunarDate(year, 5, 5).toSolarDate()] = "端午节"
    days[LunarDate(year, 8, 15).toSolarDate()] = "中秋节"
    for day in (1, 2, 3):
        days[date(year, 10, day)] = "国庆节"
    return days
