"""Without the encoder the engine says so and keeps answering, on words alone."""

from __future__ import annotations

from nlu.builtin import BuiltinNlu
from nlu.settings import NluSettings
from tests.nlu.engine import decide
from tests.nlu.kb import snapshot


def test_an_engine_without_its_encoder_answers_in_lexical_mode() -> None:
    engine = BuiltinNlu(NluSettings(encoder="no-such-encoder"))
    engine.load(snapshot())
    status = engine.status()
    assert status["mode"] == "lexical"
    assert "no-such-encoder" in str(status["encoder_error"])
    answered = decide(engine, "身份证丢了怎么补办？")
    assert answered.item is not None and answered.item.code == "GA-0001"
    assert decide(engine, "今天天气怎么样").kind == "fallback"


def test_the_encoder_can_be_switched_off() -> None:
    engine = BuiltinNlu(NluSettings(encoder="none"))
    engine.load(snapshot())
    assert engine.status()["mode"] == "lexical" and engine.status()["encoder_error"] is None
