"""A `rasa` engine on the test knowledge base whose Rasa server is an httpx mock transport."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx

from nlu.rasa.backend import RasaNlu
from nlu.rasa.settings import RasaSettings
from nlu.settings import NluSettings
from tests.nlu.kb import snapshot

Handler = Callable[[httpx.Request], Any]  # sync or async, as httpx.MockTransport takes


def parse_body(
    ranking: list[tuple[str, float]], intent: str = "faq", confidence: float = 1.0
) -> dict[str, Any]:
    return {
        "text": "…",
        "intent": {"name": intent, "confidence": confidence},
        "response_selector": {
            "all_retrieval_intents": ["faq"],
            "faq": {
                "ranking": [
                    {"intent_response_key": f"faq/{code}", "confidence": c} for code, c in ranking
                ]
            },
        },
    }


def engine_with(handler: Handler, **rasa: float) -> RasaNlu:
    settings = RasaSettings(url="http://rasa.test", **rasa)
    engine = RasaNlu(NluSettings(), settings)
    engine.client.transport = httpx.MockTransport(handler)
    engine.load(snapshot())
    return engine


def answering(
    ranking: list[tuple[str, float]], intent: str = "faq", confidence: float = 1.0
) -> Handler:
    def handle(request: httpx.Request) -> httpx.Response:
        assert request.url.path == "/model/parse"
        assert "text" in json.loads(request.content)
        return httpx.Response(200, json=parse_body(ranking, intent, confidence))

    return handle
