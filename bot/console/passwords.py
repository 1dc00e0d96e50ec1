"""Password hashing with argon2id (argon2-cffi's recommended parameters), on its own small pool.

Each check costs tens of milliseconds of CPU on purpose. Sign-ins run it on a bounded pool of
their own, so a burst of sign-in attempts queues there (and is refused beyond the queue) instead
of taking the threads that handle citizens' messages.
"""

from __future__ import annotations

import asyncio
import functools
import threading
from concurrent.futures import ThreadPoolExecutor

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_HASHER = PasswordHasher()


@functools.cache
def _dummy_hash() -> str:
    """Verified against when the user name is unknown, so both cases take the same time; made
    on the first sign-in, not when the module is imported."""
    return _HASHER.hash("govbot-console-dummy-password")


MIN_LENGTH = 8


def hash_password(password: str) -> str:
    """The argon2id hash to store."""
    return _HASHER.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """Whether `password` matches; with no stored hash a dummy is checked and False returned."""
    try:
        return _HASHER.verify(stored_hash or _dummy_hash(), password) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False


class HashingBusy(Exception):
    """More password checks are waiting than the pool accepts."""


class HashingPool:
    """`workers` threads for password checks, and at most `waiting` more checks queued."""

    def __init__(self, *, workers: int, waiting: int) -> None:
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="argon2")
        self._slots = threading.BoundedSemaphore(workers + waiting)

    async def verify(self, stored_hash: str | None, password: str) -> bool:
        """`verify_password` on the pool; raises HashingBusy at once when the queue is full."""
        if not self._slots.acquire(blocking=False):
            raise HashingBusy
        try:
            loop = asyncio.get_running_loop()
            return await loop.run_in_executor(
                self._executor, verify_password, stored_hash, password
            )
        finally:
            self._slots.release()
