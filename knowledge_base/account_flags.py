"""Daily flags on accounts gone stale (僵尸账号): recording them and reading them back."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from knowledge_base.concurrent_writes import insert_once
from knowledge_base.models import Account, AccountFlag

STALE = "stale"


def flag_stale(session: Session, *, account_id: int, on: date, days_without_post: int) -> None:
    """Flag an account as stale on a day; a second flag the same day changes nothing."""
    session.execute(
        insert_once(session, AccountFlag, ["account_id", "rule", "flagged_on"]).values(
            account_id=account_id, rule=STALE, flagged_on=on, days_without_post=days_without_post
        )
    )


def stale_days(session: Session, *, account_id: int, since: date) -> list[date]:
    """The days since `since` on which an account was flagged stale."""
    return list(
        session.scalars(
            select(AccountFlag.flagged_on).where(
                AccountFlag.account_id == account_id,
                AccountFlag.rule == STALE,
                AccountFlag.flagged_on >= since,
            )
        )
    )


def flags_of(session: Session, *, account_id: int, limit: int) -> list[AccountFlag]:
    """An account's newest `limit` flags, newest first."""
    return list(
        session.scalars(
            select(AccountFlag)
            .where(AccountFlag.account_id == account_id)
            .order_by(AccountFlag.flagged_on.desc())
            .limit(limit)
        )
    )


def recent_rules(session: Session, *, since: date) -> dict[int, str]:
    """The rule each account was flagged for since `since`, by account id."""
    flags = session.scalars(select(AccountFlag).where(AccountFlag.flagged_on >= since))
    return {flag.account_id: flag.rule for flag in flags}


def flagged_names(session: Session, *, since: date) -> list[str]:
    """The names of the accounts flagged since `since`, each once, in order."""
    names = session.scalars(
        select(Account.name)
        .join(AccountFlag, AccountFlag.account_id == Account.id)
        .where(AccountFlag.flagged_on >= since)
    )
    return sorted(set(names))
