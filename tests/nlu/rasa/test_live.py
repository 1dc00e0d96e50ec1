"""The whole bot on the sample county with the `rasa` backend and a real Rasa server.

The server is trained once per knowledge-base version (cached) and started for the session;
the last test stops it mid-conversation and checks the built-in engine takes over in time.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator

import pytest

from bot.app import build_runtime
from bot.runtime import Runtime
from bot.settings import Settings
from handlers.messages import IncomingMessage
from knowledge_base.db import Database
from nlu.rasa.backend import RasaNlu
from nlu.rasa.client import RasaClient
from nlu.rasa.server import RasaServer
from nlu.rasa.settings import RasaSettings

# WeChat waits 5 s for a reply; everything but the engine has to fit in what is left.
WECHAT_BUDGET_S = 5.0


class Bot:
    """The bot with a `rasa` engine, and a way to send it citizen messages."""

    def __init__(self, runtime: Runtime, engine: RasaNlu) -> None:
        self.runtime = runtime
        self.engine = engine
        self.sent = 0

    async def ask(self, text: str) -> tuple[str | None, str | None, float]:
        """The decision kind, the answered code (or intent) and the seconds the turn took."""
        self.sent += 1
        started = time.perf_counter()
        turn = await self.runtime.handle(
            IncomingMessage(
                channel="web",
                account="yunxi-fabu-web",
                citizen_id=f"rasa-citizen-{self.sent}",
                text=text,
            )
        )
        seconds = time.perf_counter() - started
        decision = turn.decision
        assert decision is not None and turn.reply is not None
        label = decision.item.code if decision.item else decision.intent
        return decision.kind, label, seconds


@pytest.fixture
async def bot(rasa_server: RasaServer, county_settings: Settings) -> AsyncIterator[Bot]:
    database = Database(county_settings.database_url)
    runtime = build_runtime(county_settings, database=database)
    # Until `rasa` is in the engine registry, put it in place of the configured engine.
    engine = RasaNlu(county_settings.nlu, RasaSettings(url=rasa_server.url, failures_to_open=1))
    runtime.knowledge.engine = engine
    await runtime.knowledge.refresh_async()
    yield Bot(runtime, engine)
    await runtime.state.close()
    database.dispose()


async def test_rasa_recognises_a_greeting(rasa_server: RasaServer) -> None:
    client = RasaClient(rasa_server.url, timeout_s=5, retries=0, budget_s=5)
    parse = await client.parse("您好，在吗")
    await client.aclose()
    assert parse.intent == "greeting"


async def test_questions_are_answered_with_their_entry_and_greetings_recognised(bot: Bot) -> None:
    kind, code, _ = await bot.ask("小孩第一次办身份证要带什么材料")
    assert (kind, code) == ("answer", "GA-0001")
    kind, intent, _ = await bot.ask("你好")
    assert (kind, intent) == ("intent", "greeting")
    assert bot.engine.counters()["rasa_total"] >= 1
    assert bot.engine.counters()["fallbacks_total"] == 0


async def test_when_rasa_stops_the_builtin_engine_answers_in_time(
    bot: Bot, rasa_server: RasaServer
) -> None:
    kind, code, _ = await bot.ask("身份证丢了怎么补办")
    assert (kind, code) == ("answer", "GA-0002")
    rasa_server.stop()
    kind, code, seconds = await bot.ask("身份证掉了去哪里补")
    assert (kind, code) == ("answer", "GA-0002")
    assert seconds < WECHAT_BUDGET_S
    counters = bot.engine.counters()
    assert counters["fallbacks_total"] == 1
    assert counters["circuit_open"] is True
    # While the breaker is open Rasa is not even tried: the next answer is immediate.
    kind, code, seconds = await bot.ask("身份证快到期了怎么换领")
    assert (kind, code) == ("answer", "GA-0003")
    assert bot.engine.counters()["rasa_total"] == counters["rasa_total"]
