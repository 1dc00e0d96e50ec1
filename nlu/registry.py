"""Answer engines by name."""

from __future__ import annotations

from collections.abc import Callable

from nlu.base import Nlu
from nlu.baseline import BaselineNlu
from nlu.builtin import BuiltinNlu
from nlu.rasa.backend import RasaNlu
from nlu.settings import NluSettings
from nlu.vectors import VectorStore

_BACKENDS: dict[str, Callable[[NluSettings, VectorStore | None], Nlu]] = {
    BuiltinNlu.name: lambda settings, vectors: BuiltinNlu(settings, vectors=vectors),
    BaselineNlu.name: lambda settings, _: BaselineNlu(settings),
    RasaNlu.name: lambda settings, vectors: RasaNlu(settings, vectors=vectors),
}


def backend_names() -> tuple[str, ...]:
    """Names `create_nlu` accepts."""
    return tuple(_BACKENDS)


def create_nlu(name: str, settings: NluSettings, *, vectors: VectorStore | None = None) -> Nlu:
    """A new, empty engine of backend `name`; call `load` with a snapshot before deciding.

    `vectors` persists the sentence vectors of entry wordings (engines that use them).
    """
    try:
        factory = _BACKENDS[name]
    except KeyError:
        raise ValueError(f"unknown answer engine {name!r}; known: {', '.join(_BACKENDS)}") from None
    return factory(settings, vectors)
