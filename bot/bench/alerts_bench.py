"""`govbot bench alerts`: one full alert scan over 1,000,000 messages and 50,000 open tickets.

A throw-away PostgreSQL database gets the sample county, duty staff and COPY-loaded history:
conversations, messages over the past 30 days, and open tickets whose deadlines are spread
around now (most not yet due, some overdue), so every ticket rule has work. It times the first
scan (which plans and stores alerts) and the steady-state scans after it (nothing new), as the
scheduler runs them every minute.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg

from bot.bench.http_bench import postgres_database
from bot.settings import Settings
from handlers.alerts.notifiers.settings import Notifiers
from handlers.alerts.service import AlertService
from handlers.workdays import WorkCalendar
from knowledge_base.db import Database, normalise_url
from knowledge_base.models import StaffRole
from knowledge_base.sample_county import load_county
from knowledge_base.staff import StaffRow, upsert_staff


def _seed(url: str, *, messages: int, tickets: int, now: datetime) -> dict[str, float]:
    """COPY the history in; returns seconds per table."""
    rng = random.Random(20261121)
    timings: dict[str, float] = {}
    plain = normalise_url(url).replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain) as connection:
        accounts = connection.execute("SELECT id, department_id FROM accounts").fetchall()
        conversations = messages // 5
        started = time.perf_counter()
        with connection.cursor().copy(
            "COPY conversations (channel, account_id, citizen_id, mode, created_at) FROM STDIN"
        ) as copy:
            for n in range(conversations):
                at = now - timedelta(seconds=rng.randrange(30 * 86400))
                account = accounts[n % len(accounts)][0]
                copy.write_row(("web", account, f"c{n:08d}", "bot", at))
        timings["conversations"] = time.perf_counter() - started
        started = time.perf_counter()
        with connection.cursor().copy(
            "COPY messages (conversation_id, direction, kind, text, author, decision, delivery, "
            "created_at) FROM STDIN"
        ) as copy:
            for n in range(messages):
                at = now - timedelta(seconds=rng.randrange(30 * 86400))
                outgoing = n % 2 == 1
                copy.write_row(
                    (
                        n // 5 + 1,
                        "out" if outgoing else "in",
                        "text",
                        "您好，请问社保卡丢了怎么补办？" if not outgoing else "请先挂失，再补办。",
                        "bot" if outgoing else "citizen",
                        "answer" if outgoing else None,
                        "sent",
                        at,
                    )
                )
        timings["messages"] = time.perf_counter() - started
        started = time.perf_counter()
        with connection.cursor().copy(
            "COPY tickets (conversation_id, account_id, department_id, channel, kind, status, "
            "question, created_at, acknowledged_at, ack_due, first_response_due, resolution_due, "
            "warn_at, answered_by, note) FROM STDIN"
        ) as copy:
            for n in range(tickets):
                # Most open tickets are recent; a tenth have been waiting for days.
                age = rng.uniform(0, 20 * 3600) if n % 10 else rng.uniform(2 * 86400, 10 * 86400)
                opened = now - timedelta(seconds=age)
                account, department = accounts[n % len(accounts)]
                acknowledged = n % 3 == 0
                first_due = opened + timedelta(days=1, hours=8)
                copy.write_row(
                    (
                        (n * 4) % conversations + 1,
                        account,
                        department,
                        "web",
                        "human_request",
                        "acknowledged" if acknowledged else "open",
                        "请工作人员回复",
                        opened,
                        opened + timedelta(minutes=10) if acknowledged else None,
                        opened + timedelta(minutes=30),
                        first_due,
                        opened + timedelta(days=7),
                        first_due - timedelta(hours=4),
                        "",
                        "",
                    )
                )
        timings["tickets"] = time.perf_counter() - started
        connection.execute("ANALYZE")
    return timings


def run_alerts_bench(*, admin_url: str, messages: int, tickets: int, scans: int) -> dict[str, Any]:
    """Seed a fresh database and time alert scans; returns the figures."""
    now = datetime.now(UTC)
    with postgres_database(admin_url) as url:
        settings = Settings(database_url=url)
        database = Database(url)
        database.migrate()
        with database.session() as session:
            load_county(
                session,
                county_dir=settings.county_dir,
                synonyms_file=settings.synonyms_file,
                actor="bench",
                today=settings.clock().day_of(now),
            )
            for code, department in (("duty-zfb", "zfb"), ("duty-rsj", "rsj"), ("office", "zfb")):
                role = StaffRole.SUPERVISOR if code == "office" else StaffRole.DUTY
                upsert_staff(
                    session,
                    StaffRow(code=code, department=department, name=code, role=role),
                    actor="bench",
                )
        print(f"seeding {messages:,} messages and {tickets:,} open tickets …", file=sys.stderr)
        seeded = _seed(url, messages=messages, tickets=tickets, now=now)
        calendar = WorkCalendar(settings.calendar, tz=settings.tz)
        service = AlertService(database, calendar, settings.alerts, Notifiers(), clock=lambda: now)
        first = service.scan_now()
        steady = [service.scan_now().seconds for _ in range(scans)]
        database.dispose()
    return {
        "messages": messages,
        "open_tickets": tickets,
        "seed_seconds": {k: round(v, 1) for k, v in seeded.items()},
        "first_scan_ms": round(first.seconds * 1000, 1),
        "first_scan_alerts_stored": first.stored,
        "scan_ms_median": round(statistics.median(steady) * 1000, 1),
        "scan_ms_max": round(max(steady) * 1000, 1),
        "scans": scans,
    }
