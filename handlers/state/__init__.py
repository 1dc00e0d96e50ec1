"""Short-lived shared state (sessions, dedup keys, rate limits, locks) behind one interface."""

from handlers.state.base import StateStore, StateUnavailable
from handlers.state.factory import create_state_store

__all__ = ["StateStore", "StateUnavailable", "create_state_store"]
