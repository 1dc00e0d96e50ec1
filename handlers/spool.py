"""A durable local spool for messages accepted while the database is unreachable.

Each record is one JSON line, flushed and fsynced before the citizen is answered. When the
database answers again the records are written in order — the citizen's message, the reply it
got, and a ticket when a human was needed — and the spool file is removed. One file per process,
so several workers never write to the same file.

A record that fails for a reason other than an unreachable database (the database refuses its
data, or the line is damaged) would stop every later record behind it; it is moved to
`quarantine.jsonl` with its error instead, and replay goes on.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class SpooledTurn:
    """What must reach the database for one accepted message."""

    channel: str
    account_id: int
    department_id: int
    department_code: str
    citizen_id: str
    external_id: str | None
    kind: str
    masked_text: str
    received_at: str
    reply_text: str | None = None
    decision: str | None = None
    ticket_kind: str | None = None

    @property
    def received(self) -> datetime:
        """When the message arrived."""
        return datetime.fromisoformat(self.received_at)


QUARANTINE = "quarantine.jsonl"


@dataclass(frozen=True, slots=True)
class Quarantined:
    """A spooled line set aside, with why it could not be written."""

    line: str
    error: str
    at: str

    def record(self) -> dict[str, Any] | None:
        """The spooled fields, when the line is readable JSON at all."""
        try:
            value = json.loads(self.line)
        except ValueError:
            return None
        return value if isinstance(value, dict) else None


class Spool:
    """Appends records to `<directory>/spool-<pid>.jsonl` and hands them back for replay."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.path = directory / f"spool-{os.getpid()}.jsonl"
        self._lock = threading.Lock()

    def append(self, record: SpooledTurn) -> None:
        """Write one record durably (blocking; call it from a thread)."""
        self.directory.mkdir(parents=True, exist_ok=True)
        line = json.dumps(asdict(record), ensure_ascii=False) + "\n"
        with self._lock, self.path.open("a", encoding="utf-8") as out:
            out.write(line)
            out.flush()
            os.fsync(out.fileno())

    def pending(self) -> list[tuple[Path, list[str]]]:
        """This process's spool and those left by processes that have ended, as their lines
        (parsed one by one by the replay, so one damaged line cannot block the others)."""
        self._adopt_orphans()
        found = []
        for path in sorted(self.directory.glob(f"spool-{os.getpid()}*.jsonl")):
            with self._lock:
                lines = path.read_text(encoding="utf-8").splitlines()
            found.append((path, lines))
        return found

    def quarantine(self, line: str, error: BaseException) -> Quarantined:
        """Set one spooled line aside durably, with the error that kept it out."""
        entry = Quarantined(
            line=line,
            error=f"{type(error).__name__}: {error}".splitlines()[0][:500],
            at=datetime.now(UTC).isoformat(),
        )
        self.directory.mkdir(parents=True, exist_ok=True)
        with self._lock, (self.directory / QUARANTINE).open("a", encoding="utf-8") as out:
            out.write(json.dumps(asdict(entry), ensure_ascii=False) + "\n")
            out.flush()
            os.fsync(out.fileno())
        return entry

    def quarantined(self) -> list[Quarantined]:
        """Every line set aside, oldest first."""
        path = self.directory / QUARANTINE
        if not path.is_file():
            return []
        lines = path.read_text(encoding="utf-8").splitlines()
        return [Quarantined(**json.loads(line)) for line in lines if line.strip()]

    def requeue(self) -> int:
        """Give every quarantined line another try (after a fix): they go back to a spool file
        the next replay adopts, and the quarantine is emptied."""
        entries = self.quarantined()
        if entries:
            with self._lock, self.path.open("a", encoding="utf-8") as out:
                out.write("".join(entry.line + "\n" for entry in entries))
                out.flush()
                os.fsync(out.fileno())
            (self.directory / QUARANTINE).unlink()
        return len(entries)

    def depth(self) -> int:
        """Records waiting in every process's spool file in the directory."""
        count = 0
        for path in self.directory.glob("spool-*.jsonl"):
            try:
                with path.open("rb") as lines:
                    count += sum(1 for line in lines if line.strip())
            except FileNotFoundError:
                continue  # replayed and removed meanwhile
        return count

    def _adopt_orphans(self) -> None:
        # Renaming is atomic, so of several processes only one adopts a dead process's spool.
        for path in self.directory.glob("spool-*.jsonl"):
            owner = path.stem.split("-")[1]
            if owner.isdigit() and int(owner) != os.getpid() and not _alive(int(owner)):
                try:
                    path.rename(self.directory / f"spool-{os.getpid()}-from-{owner}.jsonl")
                except FileNotFoundError:
                    continue

    def done(self, path: Path, count: int) -> None:
        """Drop the first `count` records of `path` (replayed), keeping any appended since."""
        with self._lock:
            lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
            rest = lines[count:]
            if rest:
                path.write_text("".join(rest), encoding="utf-8")
            else:
                path.unlink()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
