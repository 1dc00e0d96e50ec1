"""Fixtures: a built-in engine loaded with the small test knowledge base."""

from __future__ import annotations

import pytest

from nlu.builtin import BuiltinNlu
from nlu.registry import create_nlu
from nlu.settings import NluSettings
from tests.nlu.kb import snapshot


@pytest.fixture(scope="module")
def engine() -> BuiltinNlu:
    built = create_nlu("builtin", NluSettings())
    assert isinstance(built, BuiltinNlu)
    built.load(snapshot())
    return built
