"""Errors the knowledge base raises for rule violations; their text is shown to the user as is."""


class KbError(Exception):
    """A request that breaks a rule of the knowledge base (one clear line, nothing changed)."""


class NotFound(KbError):
    """The named department, entry, version or account does not exist."""
