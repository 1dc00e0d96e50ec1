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
