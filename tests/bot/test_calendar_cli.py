"""`govbot calendar add-working-days` prints the date an operator can rely on."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.conftest import CliResult


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize(
    ("day", "n", "expected"),
    [
        ("2026-09-30", "1", "2026-10-08"),
        ("2026-02-13", "1", "2026-02-14"),
        ("2026-12-31", "1", "2027-01-04"),
        # The ways dates are commonly written here.
        ("2026/09/30", "1", "2026-10-08"),
        ("20260930", "1", "2026-10-08"),
    ],
)
def test_add_working_days(
    govbot: Callable[..., CliResult], day: str, n: str, expected: str
) -> None:
    result = govbot("calendar", "add-working-days", day, n)
    assert result.code == 0 and result.out.strip() == expected


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_bad_date_is_one_clear_error(govbot: Callable[..., CliResult]) -> None:
    result = govbot("calendar", "add-working-days", "2026-02-30", "1")
    assert result.code == 2 and "2026-02-30" in result.err


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize(
    "args",
    [
        ("is-workday", "2206-01-01"),
        ("add-working-days", "2206-01-01", "1"),
        ("add-working-days", "2099-12-30", "5"),
        ("holidays", "2206"),
    ],
)
def test_a_date_beyond_the_calendar_is_one_error_line(
    govbot: Callable[..., CliResult], args: tuple[str, ...]
) -> None:
    result = govbot("calendar", *args)
    assert result.code == 1
    assert result.err.startswith("错误：") and len(result.err.strip().splitlines()) == 1
    assert "超出支持范围" in result.err and "Traceback" not in result.err


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_is_workday_names_its_source_in_chinese(govbot: Callable[..., CliResult]) -> None:
    official = govbot("calendar", "is-workday", "2025-10-01")
    assert official.out.strip() == "2025-10-01 休息日（依据：国务院公布的节假日安排）"
    by_rule = govbot("calendar", "is-workday", "2040-10-01")
    assert by_rule.out.strip() == "2040-10-01 休息日（依据：按法定节假日规则推算（未含调休））"
