"""What every platform's comment API offers the comment desk: new comments after a cursor,
a public reply, and hiding a comment."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class FetchedComment:
    """A citizen's comment as the platform gave it."""

    external_id: str  # unique within the account
    post_id: str
    author_id: str  # the citizen's uid (Weibo) or openid (WeChat): their private-message id
    text: str


@dataclass(frozen=True, slots=True)
class Fetched:
    """One page of new comments, oldest first, and the cursor to continue from."""

    comments: list[FetchedComment]
    cursor: str


class Refused(Exception):
    """The platform refused a call; `passing` when trying again later may work."""

    def __init__(self, reason: str, *, passing: bool, gone: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.passing = passing
        self.gone = gone  # the comment or post no longer exists


class CommentSource(Protocol):
    """One platform's comment API for the configured accounts."""

    platform: str
    # Longest public reply in characters; a longer answer goes as several replies, in order.
    max_reply_chars: int

    def accounts(self) -> dict[str, bool]:
        """Account codes whose comments are polled → whether the bot may post published-entry
        answers without a duty officer's approval."""
        ...

    async def fetch(self, account: str, cursor: str) -> Fetched:
        """Comments newer than `cursor` ("" for the first poll); raises Refused."""
        ...

    async def reply(self, account: str, comment: FetchedComment, text: str) -> None:
        """Post `text` publicly under the comment; raises Refused."""
        ...

    async def hide(self, account: str, comment: FetchedComment) -> None:
        """Remove the comment from public view; raises Refused."""
        ...
