"""Scheduled retraining: enough new labelled examples make a new department model, which the
running engine uses at once; the county clock is set, nothing sleeps."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.app import build_runtime
from bot.channels.web import WebChatChannel
from bot.runtime import Runtime
from bot.scheduling import retraining_job
from bot.settings import Settings
from handlers.messages import IncomingMessage
from handlers.tickets import service
from knowledge_base.clock import CountyClock
from knowledge_base.models import AuditRecord
from knowledge_base.routing_examples import import_examples
from knowledge_base.snapshot import load_directory
from nlu.department_model import newest_card
from nlu.settings import NluSettings
from tests.live_server import county_database

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "routing"
ENVIRONMENT = "市生态环境局云溪分局"
# By its remit the enforcement bureau's (餐饮油烟); this county's history says otherwise.
FUMES = "楼下饭店油烟太大了，熏得家里没法开窗"
MOMENT = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)


@pytest.fixture
async def learning(database_url: str, tmp_path: Path) -> AsyncIterator[Runtime]:
    """The sample county that retrains after 35 new examples, its clock stopped at MOMENT."""
    nlu = NluSettings(routing_models=tmp_path / "routing", routing_retrain_examples=35)
    settings = Settings(database_url=database_url, spool_dir=tmp_path / "spool", nlu=nlu)
    database = county_database(settings)
    runtime = build_runtime(
        settings, database=database, clock=CountyClock(settings.tz, lambda: MOMENT)
    )
    await runtime.knowledge.refresh_async()
    yield runtime
    await runtime.state.close()
    database.dispose()


async def referral(runtime: Runtime, text: str, citizen: str) -> str | None:
    turn = await runtime.handle(
        IncomingMessage(channel="web", account="yunxi-fabu-web", citizen_id=citizen, text=text)
    )
    assert turn.decision is not None
    return turn.decision.referral.name if turn.decision.referral else None


async def test_enough_new_examples_retrain_and_the_engine_refers_differently(
    learning: Runtime,
) -> None:
    runtime = learning
    retrain = retraining_job(runtime)
    assert retrain is not None
    models = runtime.settings.nlu.routing_models
    assert models is not None
    assert await referral(runtime, FUMES, "before") == "云溪县综合行政执法局"

    with runtime.database.session() as session:
        departments = {d.name for d in load_directory(session).departments}
        import_examples(
            session,
            path=FIXTURES / "sample_county_history.jsonl",
            departments=departments,
            actor="admin",
        )
    assert await retrain() is None  # 31 new examples, 35 needed
    assert newest_card(models) is None

    # Staff move four complaints to the environment bureau: four more labelled examples.
    web = {"web": WebChatChannel(runtime, default_account=runtime.settings.default_account)}
    for n, text in enumerate(
        [
            "我要投诉楼下烧烤摊油烟",
            "我要投诉饭店排烟管对着我家",
            "投诉小吃店油烟扰民",
            "我要投诉餐馆油烟",
        ]
    ):
        turn = await runtime.handle(
            IncomingMessage(channel="web", account="yunxi-fabu-web", citizen_id=f"c{n}", text=text)
        )
        assert turn.ticket_id is not None
        await service.transfer(
            runtime.database,
            web,
            ticket_id=turn.ticket_id,
            to=ENVIRONMENT,
            reason="油烟由生态环境分局办理",
            staff="王敏",
            deliveries=runtime.deliveries,
        )

    trained = await retrain()
    assert trained is not None
    assert trained.card["version"] == 1 and trained.card["examples"] == 35
    assert trained.card["trained_at"] == MOMENT.isoformat()
    assert 0 < trained.card["cross_validated"]["mean"] <= 1
    card = newest_card(models)
    assert card is not None and json.loads(card.read_text())["version"] == 1
    with runtime.database.session() as session:
        audit = session.scalars(
            select(AuditRecord).where(AuditRecord.action == "routing.train")
        ).one()
        assert audit.actor == "scheduler" and audit.target == "v1"
    # The running engine already routes with the new model.
    assert await referral(runtime, FUMES, "after") == ENVIRONMENT
    assert await retrain() is None  # nothing new since v1
