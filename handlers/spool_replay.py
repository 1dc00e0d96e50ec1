"""Writing spooled turns to the database once it answers again.

Only an unreachable database stops a replay (the records wait for the next try); a record the
database refuses goes to the quarantine, the supervising office is alerted, and the records
behind it are still written.
"""

from __future__ import annotations

import asyncio
import json
import logging
import uuid
from collections.abc import Callable
from datetime import datetime

from handlers.alerts.service import AlertService
from handlers.spool import Quarantined, Spool, SpooledTurn
from handlers.tickets.opening import TicketOpener
from knowledge_base.conversations import store_incoming, store_outgoing
from knowledge_base.models import TicketKind
from knowledge_base.storable import unreachable

OnQuarantine = Callable[[Quarantined], None]

log = logging.getLogger(__name__)


def _write(turn: SpooledTurn, opener: TicketOpener) -> None:
    database = opener.database
    stored = store_incoming(
        database,
        channel=turn.channel,
        account_id=turn.account_id,
        citizen_id=turn.citizen_id,
        external_id=turn.external_id,
        kind=turn.kind,
        masked_text=turn.masked_text,
        received_at=turn.received,
    )
    if stored.message_id is None:
        return  # written before (a replay interrupted half-way); the platform id proves it
    if turn.reply_text is not None:
        with database.connection() as connection:
            store_outgoing(
                connection,
                conversation_id=stored.conversation_id,
                text=turn.reply_text,
                decision=turn.decision,
            )
    if turn.ticket_kind is not None:
        opener.open(
            conversation_id=stored.conversation_id,
            account_id=turn.account_id,
            department_id=turn.department_id,
            department_code=turn.department_code,
            channel=turn.channel,
            kind=TicketKind(turn.ticket_kind),
            question=turn.masked_text,
            opened_at=turn.received,
        )


def _set_aside(spool: Spool, line: str, error: Exception, on_quarantine: OnQuarantine) -> None:
    entry = spool.quarantine(line, error)
    log.error("spooled message quarantined: %s", entry.error)
    try:
        on_quarantine(entry)
    except Exception as exc:  # the record is safe in the quarantine; the alert is best effort
        log.error("could not alert the supervisor about a quarantined message: %s", exc)


def alert_supervisors(service: AlertService) -> OnQuarantine:
    """Quarantine hook: an urgent alert to the supervising office for each record set aside."""

    def alert(entry: Quarantined) -> None:
        record = entry.record() or {}
        try:
            received = datetime.fromisoformat(str(record["received_at"]))
            when = received.astimezone(service.calendar.tz).strftime("%m月%d日 %H:%M")
        except (KeyError, ValueError):
            when = "未知"
        service.alert_supervisors(
            firing=f"spool_quarantine:{uuid.uuid4().hex}",
            subject="有一条群众留言未能写入数据库，已隔离待处理",
            body=(
                f"渠道：{record.get('channel', '未知')}；收到时间：{when}。"
                f"原因：{entry.error}。留言已保存在隔离区，"
                "请联系运维人员处理后运行 govbot spool requeue 重新写入。"
            ),
        )

    return alert


def replay(spool: Spool, opener: TicketOpener, on_quarantine: OnQuarantine) -> int:
    """Write every pending spooled turn in order; returns how many were written.

    Raises when the database is unreachable (the rest waits for the next try); quarantines a
    record that fails for any other reason and goes on.
    """
    written = 0
    for path, lines in spool.pending():
        done = 0
        try:
            for line in lines:
                if line.strip():
                    try:
                        _write(SpooledTurn(**json.loads(line)), opener)
                        written += 1
                    except Exception as exc:
                        if unreachable(exc):
                            raise
                        _set_aside(spool, line, exc, on_quarantine)
                done += 1
        finally:
            if done:
                spool.done(path, done)
    return written


async def keep_replaying(
    spool: Spool, opener: TicketOpener, every: float, on_quarantine: OnQuarantine
) -> None:
    """Replay until cancelled; while the database is down, try again later (one log line when
    the outage is noticed, one when the waiting records are written)."""
    waiting = False
    while True:
        await asyncio.sleep(every)
        try:
            written = await asyncio.to_thread(replay, spool, opener, on_quarantine)
        except Exception as exc:
            if not waiting:
                log.warning("spool replay waits for the database: %s", type(exc).__name__)
            waiting = True
            continue
        waiting = False
        if written:
            log.warning("wrote %d messages accepted while the database was down", written)
