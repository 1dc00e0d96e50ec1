"""Measure follow-ups: an engine on labelled conversations, turn by turn, in context.

A conversation file has one JSON value a line: either a list of turns or an object with
`turns` (and optionally `id` and `split`, e.g. "tune" or "held_out"); each turn has `text` and
`expected_id` (null when no entry should answer it). Every conversation starts afresh and is
decided the way the pipeline decides it (`nlu.follow_ups`): the last answer is the context of the
next turn, with no time passing between turns.
"""

from __future__ import annotations

import asyncio
import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nlu.base import Nlu
from nlu.decision import Decision
from nlu.follow_ups import LastAnswer, decide_in_context, remember


@dataclass(frozen=True, slots=True)
class ConversationTurn:
    """One labelled citizen message of a conversation."""

    text: str
    expected_id: str | None


@dataclass(frozen=True, slots=True)
class Conversation:
    """Turns in order; `split` names the part of the file it belongs to."""

    id: str
    split: str
    turns: tuple[ConversationTurn, ...]


def read_conversations(path: Path) -> list[Conversation]:
    """The conversations of a JSONL file (see the module docstring)."""
    conversations = []
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            data = json.loads(line)
            turns = data if isinstance(data, list) else data["turns"]
            meta = data if isinstance(data, dict) else {}
            conversations.append(
                Conversation(
                    id=str(meta.get("id", number)),
                    split=str(meta.get("split", "all")),
                    turns=tuple(
                        ConversationTurn(str(t["text"]), t.get("expected_id")) for t in turns
                    ),
                )
            )
    return conversations


@dataclass(frozen=True, slots=True)
class TurnResult:
    """What the engine did with one turn, with and without the conversation's context."""

    conversation: Conversation
    position: int
    in_context: Decision
    alone: Decision


async def _run(
    engine: Nlu, conversations: Sequence[Conversation], answer_at: float
) -> list[TurnResult]:
    results = []
    for conversation in conversations:
        last: LastAnswer | None = None
        for position, turn in enumerate(conversation.turns):
            decided = await decide_in_context(engine, turn.text, last=last, answer_at=answer_at)
            alone = decided.decision if last is None else await engine.decide(turn.text)
            results.append(TurnResult(conversation, position, decided.decision, alone))
            last = remember(last, decided.decision, now=0.0, answer_at=answer_at)
    return results


def run_conversations(
    engine: Nlu, conversations: Sequence[Conversation], *, answer_at: float
) -> list[TurnResult]:
    """Every turn of every conversation, decided in order (`answer_at`: see
    `nlu.follow_ups.decide_in_context`)."""
    return asyncio.run(_run(engine, conversations, answer_at))


def _right(decision: Decision, expected: str | None) -> bool:
    if expected is None:
        return decision.kind != "answer"
    item = decision.item
    return decision.kind == "answer" and item is not None and item.code == expected


def _share(hits: int, total: int) -> float | None:
    return round(hits / total, 4) if total else None


def _figures(results: Sequence[TurnResult]) -> dict[str, Any]:
    first = [r for r in results if r.position == 0]
    later = [r for r in results if r.position > 0]
    later_answerable = [r for r in later if r.conversation.turns[r.position].expected_id]

    def expected(r: TurnResult) -> str | None:
        return r.conversation.turns[r.position].expected_id

    return {
        "conversations": len({r.conversation.id for r in results}),
        "turns": len(results),
        "first_turns": len(first),
        "first_turn_at_1": _share(
            sum(_right(r.in_context, expected(r)) for r in first), len(first)
        ),
        "followups": len(later),
        # Right on turns after the first: the expected entry answered, or for a turn no entry
        # answers, no answer given.
        "followup_at_1": _share(sum(_right(r.in_context, expected(r)) for r in later), len(later)),
        "followup_at_1_alone": _share(sum(_right(r.alone, expected(r)) for r in later), len(later)),
        "followup_answered_wrong_rate": _share(
            sum(
                r.in_context.kind == "answer"
                and r.in_context.item is not None
                and r.in_context.item.code != expected(r)
                for r in later
            ),
            len(later),
        ),
        "followup_hit_at_3": _share(
            sum(
                _right(r.in_context, expected(r))
                or (
                    r.in_context.kind == "clarify"
                    and expected(r) in [c.code for c in r.in_context.candidates[:3]]
                )
                for r in later_answerable
            ),
            len(later_answerable),
        ),
    }


def summarize_conversations(results: Sequence[TurnResult]) -> dict[str, Any]:
    """Figures over all turns and per split.

    first_turn_at_1: first turns decided right (the expected entry answered; for a turn without
    expected_id, no answer); followup_at_1: the same over later turns, in context;
    followup_at_1_alone: later turns decided without context, for comparison;
    followup_answered_wrong_rate: later turns answered with another entry;
    followup_hit_at_3: answerable later turns answered right or offered among three choices.
    """
    summary = _figures(results)
    splits: dict[str, list[TurnResult]] = defaultdict(list)
    for result in results:
        splits[result.conversation.split].append(result)
    if len(splits) > 1:
        summary["by_split"] = {name: _figures(rows) for name, rows in sorted(splits.items())}
    return summary


def misses(results: Sequence[TurnResult]) -> list[dict[str, Any]]:
    """The later turns decided wrong, for reading (not for tuning single conversations)."""
    wrong = []
    for r in results:
        turn = r.conversation.turns[r.position]
        if r.position == 0 or _right(r.in_context, turn.expected_id):
            continue
        decision = r.in_context
        wrong.append(
            {
                "conversation": r.conversation.id,
                "text": turn.text,
                "expected_id": turn.expected_id,
                "kind": decision.kind,
                "got": decision.item.code if decision.item is not None else None,
            }
        )
    return wrong
