"""Which kinds of service operation (cancel, change, reissue …) a text asks about.

The vocabulary is data (`nlu/data/service_actions.yaml`); see that file for why it matters.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

ACTIONS_FILE = Path(__file__).resolve().parent / "data" / "service_actions.yaml"


@lru_cache(maxsize=1)
def _vocabulary(path: Path = ACTIONS_FILE) -> tuple[tuple[str, tuple[str, ...]], ...]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return tuple((str(kind), tuple(str(w) for w in words)) for kind, words in data.items())


def action_kinds(form: str) -> frozenset[str]:
    """Operation kinds named in `form` (text already in `match_form`)."""
    return frozenset(kind for kind, words in _vocabulary() if any(w in form for w in words))
