"""Answer engines by name."""

from __future__ import annotations

from collections.abc import Callable

from nlu.base import Nlu
from nlu.baseline import BaselineNlu
from nlu.builtin import BuiltinNlu
from nlu.rasa.backend import RasaNlu
from nlu.settings import NluSettings

_BACKENDS: dict[str, Callable[[NluSettings], Nlu]] = {
    BuiltinNlu.name: BuiltinNlu,
    BaselineNlu.name: BaselineNlu,
    RasaNlu.name: RasaNlu,
}


def backend_names() -> tuple[str, ...]:
    """Names `create_nlu` accepts."""
    return tuple(_BACKENDS)


def create_nlu(name: str, settings: NluSettings) -> Nlu:
    """A new, empty engine of backend `name`; call `load` with a snapshot before deciding."""
    try:
        factory = _BACKENDS[name]
    except KeyError:
        raise ValueError(f"unknown answer engine {name!r}; known: {', '.join(_BACKENDS)}") from None
    return factory(settings)
