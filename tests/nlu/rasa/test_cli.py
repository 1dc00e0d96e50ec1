"""`govbot rasa export` writes a project from the published knowledge base."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from bot.cli.rasa_commands import app
from bot.cli.state import STATE
from bot.settings import Settings


@pytest.fixture
def on_county(county_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("DATABASE_URL", county_settings.database_url)
    STATE.reset()
    yield
    STATE.reset()


def test_export_writes_the_sample_county(on_county: None, tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["export", str(tmp_path / "project"), "--small"])
    assert result.exit_code == 0, result.output
    assert "已导出 92 条" in result.output
    domain = yaml.safe_load((tmp_path / "project" / "domain.yml").read_text(encoding="utf-8"))
    assert "utter_faq/GA-0001" in domain["responses"]
    assert (tmp_path / "project" / "data" / "nlu.yml").is_file()
