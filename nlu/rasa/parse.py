"""Reading a Rasa `POST /model/parse` answer: the top intent and the ranked `faq/<code>` keys."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from nlu.rasa.export import RETRIEVAL_INTENT

_PREFIX = f"{RETRIEVAL_INTENT}/"


@dataclass(frozen=True, slots=True)
class RasaParse:
    """What Rasa made of a message: its top intent and the entries best first."""

    intent: str | None
    intent_confidence: float
    ranking: tuple[tuple[str, float], ...]


def read_parse(payload: Any) -> RasaParse:
    """Parse a /model/parse body; missing parts read as "no intent" and "no entries".

    The entries come from `response_selector.faq.ranking`, whose `intent_response_key` is
    `faq/<code>`; anything else in the ranking is ignored. A body that is not a JSON object
    raises ValueError.
    """
    if not isinstance(payload, Mapping):
        raise ValueError("Rasa's parse answer is not a JSON object")
    intent = payload.get("intent") or {}
    selector = (payload.get("response_selector") or {}).get(RETRIEVAL_INTENT) or {}
    ranking = []
    for row in selector.get("ranking") or ():
        key = str(row.get("intent_response_key") or "")
        if key.startswith(_PREFIX):
            ranking.append((key.removeprefix(_PREFIX), float(row.get("confidence") or 0.0)))
    ranking.sort(key=lambda pair: -pair[1])
    name = intent.get("name")
    return RasaParse(
        intent=str(name) if name else None,
        intent_confidence=float(intent.get("confidence") or 0.0),
        ranking=tuple(ranking),
    )
