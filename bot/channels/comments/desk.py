"""The comment desk: each new comment on an account's post goes through the same pipeline as a
private message, then only what is safe is said in public.

- abuse (辱骂、粗言秽语): recorded and hidden through the platform's API, never answered;
- a complaint, a personal matter (the comment carries personal data, or a human must handle it):
  the public reply is only "请私信我们"; the pipeline's ticket, or a private message with the
  answer, follows up in private;
- a question: the bot's own reply text, which comes from the knowledge base or fixed wording and
  never quotes the comment, so no personal data is echoed;
- chit-chat, thanks, emoji: no public reply.
Nothing is posted publicly without a duty officer's approval in the console (先审后发), unless the
account allows the bot to post published-entry answers by itself. Every step is audited.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping
from functools import partial
from typing import Any, TypeVar

from apscheduler.schedulers.base import BaseScheduler
from sqlalchemy.orm import Session

from bot.channels.comments.markup import plain_comment
from bot.channels.comments.source import CommentSource, FetchedComment, Refused
from bot.channels.parts import CommentParts
from bot.channels.pushed.answering import Sender
from handlers.messages import IncomingMessage
from handlers.text_parts import split_text
from handlers.texts import COMMENT_TO_PRIVATE
from handlers.turn import Turn
from knowledge_base.comments import (
    claim_comment,
    hold_reply,
    load_cursor,
    save_cursor,
    settle_comment,
)
from knowledge_base.models import Delivery, TicketKind
from knowledge_base.models.comments import Comment, CommentState
from nlu.privacy import mask_personal_data

log = logging.getLogger(__name__)

SCOPE = "comments"
JOB_ID = "comments"
BOT = "bot"
T = TypeVar("T")
HANDLING_FAILED = "处理出错，请人工查看"
# A duty officer may post (again) or drop these.
REVIEWABLE = (CommentState.AWAITING_APPROVAL, CommentState.FAILED)


class CommentDesk:
    """Polls every source's accounts and handles, drafts, posts and hides comments."""

    def __init__(
        self,
        runtime: CommentParts,
        sources: list[CommentSource],
        private: Mapping[str, Sender],
    ) -> None:
        self._runtime = runtime
        self._sources = {s.platform: s for s in sources}
        self._private = private  # platform → private-message sender

    async def _run(self, work: Callable[[Session], T]) -> T:
        def in_session() -> T:
            with self._runtime.database.session() as session:
                return work(session)

        return await asyncio.to_thread(in_session)

    def schedule(self, scheduler: BaseScheduler, *, minutes: float) -> None:
        """Poll every `minutes` on `scheduler`; a poll still running is not started twice, and
        missed runs (a sleeping host) collapse into one."""
        scheduler.add_job(
            self.poll,
            "interval",
            minutes=minutes,
            id=JOB_ID,
            max_instances=1,
            coalesce=True,
            replace_existing=True,
        )

    async def poll(self) -> int:
        """Fetch and handle every account's new comments once; returns how many were new.
        A failing account (API refusal) does not stop the others; its cursor stays."""
        new = 0
        for source in self._sources.values():
            for account, auto in source.accounts().items():
                if self._runtime.knowledge.account(account) is None:
                    continue  # closed or unknown in the registry
                cursor = await self._run(partial(load_cursor, account=account, scope=SCOPE))
                try:
                    fetched = await source.fetch(account, cursor)
                except Refused as exc:
                    log.warning("comments of %s not fetched: %s", account, exc.reason)
                    continue
                for comment in fetched.comments:
                    new += await self.handle(source, account, comment, auto=auto)
                await self._run(
                    partial(save_cursor, account=account, scope=SCOPE, cursor=fetched.cursor)
                )
        return new

    async def handle(
        self, source: CommentSource, account: str, comment: FetchedComment, *, auto: bool
    ) -> int:
        """Handle one comment; 0 when another poller already has it."""
        clean = plain_comment(comment.text)
        masked = mask_personal_data(clean)
        claimed = await self._run(
            partial(
                claim_comment,
                account=account,
                platform=source.platform,
                external_id=comment.external_id,
                post_id=comment.post_id,
                author_id=comment.author_id,
                masked_text=masked,
            )
        )
        if claimed is None:
            return 0
        try:
            turn = await self._runtime.handle(
                IncomingMessage(
                    channel=source.platform,
                    account=account,
                    citizen_id=comment.author_id,
                    text=clean,
                    external_id=f"comment:{comment.external_id}",
                )
            )
            if turn.reply_id is not None:
                await self._run(partial(hold_reply, message_id=turn.reply_id))
            await self._decide(source, account, comment, claimed, turn, personal=masked != clean)
        except Exception:
            log.exception("comment %s of %s could not be handled", claimed, account)
            await self._settle(claimed, CommentState.FAILED, "failed", detail=HANDLING_FAILED)
            return 1
        if auto:
            await self._auto_post(source, account, comment, claimed)
        return 1

    async def _decide(
        self,
        source: CommentSource,
        account: str,
        comment: FetchedComment,
        comment_id: int,
        turn: Turn,
        *,
        personal: bool,
    ) -> None:
        decision, reply = turn.decision, turn.reply
        intent = decision.intent if decision is not None else None
        base: dict[str, Any] = {
            "decision": decision.kind if decision is not None else (turn.note or ""),
            "ticket_id": turn.ticket_id,
        }
        if intent == "abuse":
            base["category"] = "abuse"
            await self._settle(comment_id, CommentState.RECEIVED, "abuse_recorded", **base)
            await self._hide(source, account, comment, comment_id)
        elif intent == "complaint" or turn.ticket_kind == TicketKind.COMPLAINT.value:
            await self._draft(comment_id, COMMENT_TO_PRIVATE, category="complaint", **base)
        elif personal or turn.ticket_id is not None:
            if turn.ticket_id is None and reply is not None and reply.entry_code:
                base["ticket_id"] = await self._follow_up(source, account, comment, turn)
            await self._draft(comment_id, COMMENT_TO_PRIVATE, category="personal", **base)
        elif decision is not None and reply is not None and decision.kind != "intent":
            code = reply.entry_code or ""
            await self._draft(comment_id, reply.text, category="question", entry_code=code, **base)
        else:
            base["category"] = "other"
            await self._settle(comment_id, CommentState.NO_REPLY, "no_reply", **base)

    async def _follow_up(
        self, source: CommentSource, account: str, comment: FetchedComment, turn: Turn
    ) -> int | None:
        """The answer by private message; when that fails, a ticket so a person follows up."""
        sender = self._private.get(source.platform)
        if sender is not None and turn.reply is not None:
            sent = await sender.send_text(
                account=account, citizen_id=comment.author_id, text=turn.reply.text
            )
            if sent.status is Delivery.SENT:
                return None
        if turn.conversation_id is None:
            return None
        return await asyncio.to_thread(
            self._runtime.tickets.open_for, turn, TicketKind.HUMAN_REQUEST
        )

    async def _draft(self, comment_id: int, text: str, **fields: Any) -> None:
        await self._settle(
            comment_id, CommentState.AWAITING_APPROVAL, "drafted", public_reply=text, **fields
        )

    async def _settle(
        self, comment_id: int, state: CommentState, action: str, *, actor: str = BOT, **fields: Any
    ) -> Comment:
        return await self._run(
            partial(
                settle_comment,
                comment_id=comment_id,
                state=state,
                actor=actor,
                action=action,
                **fields,
            )
        )

    async def _hide(
        self, source: CommentSource, account: str, comment: FetchedComment, comment_id: int
    ) -> None:
        try:
            await source.hide(account, comment)
        except Refused as exc:
            state = CommentState.HIDDEN if exc.gone else CommentState.FAILED
            await self._settle(comment_id, state, "hide_failed", detail=exc.reason)
            return
        await self._settle(comment_id, CommentState.HIDDEN, "hidden")

    async def _auto_post(
        self, source: CommentSource, account: str, comment: FetchedComment, comment_id: int
    ) -> None:
        """Post at once when the draft is a published entry's answer (the account allows it)."""
        row = await self._run(partial(_comment, comment_id=comment_id))
        answer = row.category == "question" and bool(row.entry_code)
        if row.state is CommentState.AWAITING_APPROVAL and answer:
            await self._post(source, account, comment, row, actor=BOT)

    async def _post(
        self,
        source: CommentSource,
        account: str,
        comment: FetchedComment,
        row: Comment,
        *,
        actor: str,
    ) -> bool:
        limit = source.max_reply_chars * 4  # four bytes a character in UTF-32
        try:
            for part in split_text(row.public_reply, limit, encoding="utf-32-le"):
                await source.reply(account, comment, part)
        except Refused as exc:
            failed = CommentState.FAILED
            await self._settle(row.id, failed, "reply_failed", actor=actor, detail=exc.reason)
            return False
        await self._settle(row.id, CommentState.REPLIED, "replied", actor=actor, detail="")
        return True

    async def approve(self, comment_id: int, *, actor: str) -> tuple[bool, str]:
        """A duty officer approves the drafted public reply: post it now."""
        row = await self._run(partial(_comment, comment_id=comment_id))
        if row.state not in REVIEWABLE or not row.public_reply:
            return False, "该评论没有待发布的回复。"
        source = self._sources.get(row.platform)
        if source is None:
            return False, f"{row.platform} 评论接口未配置。"
        await self._settle(row.id, row.state, "approved", actor=actor)
        comment = FetchedComment(row.external_id, row.post_id, row.author_id, row.text)
        posted = await self._post(source, row.account_code, comment, row, actor=actor)
        if posted:
            return True, "回复已公开发布。"
        failed = await self._run(partial(_comment, comment_id=comment_id))
        return False, f"发布失败：{failed.detail}"

    async def reject(self, comment_id: int, *, actor: str) -> bool:
        """A duty officer decides the comment gets no public reply."""
        row = await self._run(partial(_comment, comment_id=comment_id))
        if row.state not in REVIEWABLE:
            return False
        await self._settle(row.id, CommentState.REJECTED, "rejected", actor=actor)
        return True


def _comment(session: Session, *, comment_id: int) -> Comment:
    row = session.get(Comment, comment_id)
    if row is None:
        raise LookupError(comment_id)
    session.expunge(row)
    return row
