"""Follow-up questions in the whole pipeline: decided in the context of the last answer while it
is fresh, per account and sender, on SQLite + memory state and PostgreSQL + Redis."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.runtime import Runtime
from handlers.messages import IncomingMessage
from handlers.turn import Turn
from knowledge_base.clock import CountyClock
from tests.county_runtime import county_runtime


class MovableClock:
    """The county clock's source, moved by the test instead of waiting."""

    def __init__(self) -> None:
        self.now = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def moments() -> MovableClock:
    return MovableClock()


@pytest.fixture
async def runtime(
    database_url: str, tmp_path: Path, moments: MovableClock
) -> AsyncIterator[Runtime]:
    async with county_runtime(database_url, tmp_path, clock=CountyClock(source=moments)) as bot:
        yield bot


async def ask(runtime: Runtime, text: str, *, citizen: str = "c1", channel: str = "web") -> Turn:
    return await runtime.handle(
        IncomingMessage(
            channel=channel, account=f"yunxi-fabu-{channel}", citizen_id=citizen, text=text
        )
    )


def answered(turn: Turn) -> str | None:
    decision = turn.decision
    if decision is None or decision.kind != "answer" or decision.item is None:
        return None
    return decision.item.code


async def test_a_follow_up_is_answered_with_the_topic_of_the_last_answer(runtime: Runtime) -> None:
    # Alone, 那要带什么材料？ names no matter: a newcomer is not given the 户口 answer.
    alone = await ask(runtime, "那要带什么材料？", citizen="newcomer")
    assert answered(alone) != "GA-0008"

    first = await ask(runtime, "新生儿怎么上户口？")
    assert answered(first) == "GA-0008"
    follow = await ask(runtime, "那要带什么材料？")
    assert answered(follow) == "GA-0008" and follow.in_context
    assert follow.reply is not None and "出生医学证明" in follow.reply.text


async def test_a_clear_new_topic_starts_afresh(runtime: Runtime) -> None:
    assert answered(await ask(runtime, "新生儿怎么上户口？")) == "GA-0008"
    turn = await ask(runtime, "社保卡丢了怎么补办？")
    assert answered(turn) == "SB-0001" and not turn.in_context
    # And the new topic is the context from now on.
    assert answered(await ask(runtime, "要多少钱")) == "SB-0001"


async def test_the_context_expires_after_the_configured_minutes(
    runtime: Runtime, moments: MovableClock
) -> None:
    assert answered(await ask(runtime, "新生儿怎么上户口？")) == "GA-0008"
    moments.now += timedelta(minutes=9)
    assert answered(await ask(runtime, "网上能办吗？")) == "GA-0008"
    # Ten minutes after that last answer the follow-up stands alone again.
    moments.now += timedelta(minutes=10, seconds=1)
    turn = await ask(runtime, "网上能办吗？")
    assert answered(turn) != "GA-0008" and not turn.in_context


async def test_the_context_belongs_to_one_sender_on_one_account(runtime: Runtime) -> None:
    assert answered(await ask(runtime, "新生儿怎么上户口？", citizen="parent")) == "GA-0008"
    other = await ask(runtime, "那要带什么材料？", citizen="someone-else")
    assert answered(other) != "GA-0008" and not other.in_context
    elsewhere = await ask(runtime, "那要带什么材料？", citizen="parent", channel="telegram")
    assert not elsewhere.in_context
