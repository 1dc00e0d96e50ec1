"""Lazily built application context shared by the CLI commands of one invocation."""

from __future__ import annotations

import getpass
import os
import sys
from collections.abc import Callable
from datetime import datetime
from typing import NoReturn

import typer

from bot.app import AppContext, build_context


class CliState:
    """Holds the context so that `--help` never touches settings or the database."""

    def __init__(self) -> None:
        self._context: AppContext | None = None
        # Tests set this to run commands at a chosen moment; None is the system clock.
        self.now: Callable[[], datetime] | None = None

    @property
    def context(self) -> AppContext:
        """The app context, built on first use."""
        if self._context is None:
            self._context = build_context(now=self.now)
        return self._context

    def reset(self) -> None:
        """Forget the context (tests run many invocations in one process)."""
        if self._context is not None:
            self._context.database.dispose()
        self._context = None


STATE = CliState()


def default_user() -> str:
    """Who the audit log names when `--user` is not given."""
    return os.environ.get("GOVBOT_USER") or getpass.getuser()


def fail(message: str, code: int = 1) -> NoReturn:
    """Print one clear line to stderr and exit non-zero."""
    print(f"错误：{message}", file=sys.stderr)
    raise typer.Exit(code)
