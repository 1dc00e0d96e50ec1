"""Account activity: recording posts (CLI, HTTP, CSV logs, WeChat polling) and forwards."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from knowledge_base.accounts import get_account
from knowledge_base.audit import record_change
from knowledge_base.clock import check_day
from knowledge_base.errors import KbError
from knowledge_base.models import Account, Post
from knowledge_base.row_files import validated_rows


class PostRow(BaseModel):
    """One post as reported by an editor, an API client or a log file."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True, coerce_numbers_to_str=True)

    account: str = Field(min_length=1)
    posted_at: datetime
    title: str = Field(default="", max_length=300)
    url: str = Field(default="", max_length=1000)
    major: bool = False
    forwards: str = Field(default="", description="external id of the main account's post")
    external_id: str = ""


def record_post(session: Session, row: PostRow, *, source: str, actor: str) -> tuple[Post, bool]:
    """Store a post (once per account and external id) and move the account's last post time."""
    if row.posted_at.tzinfo is None:
        raise KbError("发布时间必须带时区，例如 2026-11-20T09:00:00+08:00")
    check_day(row.posted_at.date(), "发布时间")
    account = get_account(session, code=row.account)
    external_id = row.external_id or _fingerprint(row)
    existing = session.scalar(
        select(Post).where(Post.account_id == account.id, Post.external_id == external_id)
    )
    if existing is not None:
        return existing, False
    forwarded = _forwarded_post(session, row.forwards) if row.forwards else None
    post = Post(
        account_id=account.id,
        posted_at=row.posted_at,
        title=row.title,
        url=row.url,
        major=row.major,
        forwards_post_id=forwarded.id if forwarded else None,
        source=source,
        external_id=external_id,
    )
    session.add(post)
    if account.last_post_at is None or row.posted_at > account.last_post_at:
        account.last_post_at = row.posted_at
    session.flush()
    record_change(
        session,
        actor=actor,
        action="account.post",
        target_type="account",
        target=account.code,
        detail={"posted_at": row.posted_at.isoformat(), "major": row.major, "source": source},
    )
    return post, True


@dataclass(frozen=True, slots=True)
class PostImport:
    """What a post-log import did."""

    rows: int
    new: int


def import_posts(session: Session, *, path: Path, actor: str) -> PostImport:
    """Import a post log (CSV/XLSX/JSONL/YAML), all rows or none; known posts are skipped."""

    def check(row: PostRow) -> str | None:
        if session.scalar(select(Account.id).where(Account.code == row.account)) is None:
            return f"账号 {row.account} 不存在"
        if row.posted_at.tzinfo is None:
            return "发布时间必须带时区"
        try:
            check_day(row.posted_at.date(), "发布时间")
        except KbError as exc:
            return str(exc)
        return None

    rows = validated_rows(path, PostRow, check=check)
    new = sum(1 for row in rows if record_post(session, row, source="csv", actor=actor)[1])
    return PostImport(rows=len(rows), new=new)


def major_posts_since(session: Session, *, since: datetime) -> list[Post]:
    """Major posts (重要信息) published since `since`."""
    return list(
        session.scalars(
            select(Post)
            .join(Account, Account.id == Post.account_id)
            .where(Post.major.is_(True), Post.posted_at >= since)
        )
    )


def has_forwarded(session: Session, *, account_id: int, post_id: int) -> bool:
    """Whether an account has forwarded a post."""
    forward = select(Post.id).where(Post.account_id == account_id, Post.forwards_post_id == post_id)
    return session.scalar(forward.limit(1)) is not None


def _forwarded_post(session: Session, external_id: str) -> Post:
    post = session.scalar(select(Post).where(Post.external_id == external_id, Post.major.is_(True)))
    if post is None:
        raise KbError(f"没有编号为 {external_id} 的重要信息")
    return post


def _fingerprint(row: PostRow) -> str:
    key = f"{row.account}|{row.posted_at.isoformat()}|{row.title}|{row.url}"
    return "h" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:20]
