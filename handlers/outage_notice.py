"""One log line when a shared store (Redis) stops answering and one when it answers again,
instead of a line for every message that meets the outage."""

from __future__ import annotations

import logging


class OutageNotice:
    """Tracks whether `what` is down and logs only the changes."""

    def __init__(self, log: logging.Logger, what: str, fallback: str) -> None:
        self.log = log
        self.what = what
        self.fallback = fallback  # what the bot does meanwhile
        self.down = False

    def failed(self, exc: BaseException) -> None:
        """A call failed: logged when it is the first failure of an outage."""
        if not self.down:
            self.down = True
            self.log.warning(
                "%s unreachable (%s); %s until it is back",
                self.what,
                type(exc).__name__,
                self.fallback,
            )

    def worked(self) -> None:
        """A call succeeded: logged when it ends an outage."""
        if self.down:
            self.down = False
            self.log.warning("%s reachable again", self.what)
