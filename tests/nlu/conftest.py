"""Fixtures: a built-in engine loaded with the small test knowledge base."""

from __future__ import annotations

import pytest

from nlu.builtin import BuiltinNlu
from nlu.encoders.base import Encoder
from nlu.encoders.registry import encoder_failure, load_encoder
from nlu.registry import create_nlu
from nlu.settings import NluSettings
from tests.nlu.kb import snapshot


@pytest.fixture(scope="module")
def engine() -> BuiltinNlu:
    built = create_nlu("builtin", NluSettings())
    assert isinstance(built, BuiltinNlu)
    built.load(snapshot())
    return built


@pytest.fixture(scope="session")
def real_encoder() -> Encoder:
    """The bundled encoder (tests measure the real model, never a stand-in)."""
    loaded = load_encoder("e5-small")
    assert loaded is not None, encoder_failure("e5-small")
    return loaded
