"""Settings of the answer engine (filled in by the answer-engine work)."""

from pydantic import BaseModel


class NluSettings(BaseModel):
    """Which answer engine to use."""

    backend: str = "builtin"
