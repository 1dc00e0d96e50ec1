"""Text every supported database can store, and which database errors mean "unreachable".

PostgreSQL refuses the NUL character in text and no UTF-8 database can hold a lone surrogate
(JSON's `"\\ud800"` decodes to one). Such characters are removed or replaced where text comes in
(every channel's message, imports, the console) and, as a backstop for every text column, on
the way into the database (`guard_engine`).
"""

from __future__ import annotations

import json
import re
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def _replacement(match: re.Match[str]) -> str:
    # NUL carries nothing a reader could see; a broken surrogate becomes the usual "?" mark.
    return "" if match.group() == "\x00" else "\ufffd"


def storable(text: str) -> str:
    """`text` without NUL characters and with lone surrogates replaced by U+FFFD."""
    if _UNSTORABLE.search(text) is None:
        return text
    return _UNSTORABLE.sub(_replacement, text)


def storable_data(value: Any) -> Any:
    """`storable` applied to every string inside lists, tuples and mappings."""
    if isinstance(value, str):
        return storable(value)
    if isinstance(value, dict):
        return {storable_data(k): storable_data(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(storable_data(v) for v in value)
    return value


def _storable_parameters(
    _conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, _many: bool
) -> tuple[str, Any]:
    return statement, storable_data(parameters)


def storable_json(value: Any) -> str:
    """JSON columns' serialiser: the same cleaning, then ordinary JSON."""
    return json.dumps(storable_data(value))


def guard_engine(engine: Engine) -> None:
    """Clean every bound string before it reaches the database driver."""
    event.listen(engine, "before_cursor_execute", _storable_parameters, retval=True)


# SQLSTATE classes of a server that is away or overwhelmed: connection exception, insufficient
# resources, operator intervention (shutdown, starting up), system error; and the codes a retry
# cures (serialisation failure, deadlock, lock not available).
_TRANSIENT_CLASSES = frozenset({"08", "53", "57", "58"})
_TRANSIENT_STATES = frozenset({"40001", "40P01", "55P03"})
_TRANSIENT_SQLITE = (
    "SQLITE_BUSY",
    "SQLITE_LOCKED",
    "SQLITE_CANTOPEN",
    "SQLITE_IOERR",
    "SQLITE_FULL",
)


def unreachable(error: BaseException) -> bool:
    """Whether `error` says the database cannot be reached now (try later), as opposed to a
    refusal of this particular data or statement (trying again would fail the same way)."""
    if isinstance(error, PoolTimeout):
        return True  # every pooled connection is busy or hanging
    if not isinstance(error, DBAPIError):
        return False
    if error.connection_invalidated:
        return True
    state = getattr(error.orig, "sqlstate", None)
    if isinstance(state, str) and state:
        return state[:2] in _TRANSIENT_CLASSES or state in _TRANSIENT_STATES
    sqlite_name = getattr(error.orig, "sqlite_errorname", None)
    if isinstance(sqlite_name, str):
        return sqlite_name.startswith(_TRANSIENT_SQLITE)
    # Without a code (a refused or broken connection), the DB-API class decides.
    return isinstance(error, OperationalError | InterfaceError)
