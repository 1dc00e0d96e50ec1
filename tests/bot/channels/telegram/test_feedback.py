"""有帮助 / 没帮助 under Telegram answers: inline buttons, through the fake Bot API with the real
python-telegram-bot client."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bot.channels.telegram.channel import UNKNOWN_CHOICE
from knowledge_base.models.feedback import AnswerFeedback
from tests.bot.channels.telegram.conftest import Served, make_update, new_chat
from tests.fakes.telegram_api import SentMessage


def tap(chat: int, sent: SentMessage, label: str, *, data: str | None = None) -> dict[str, Any]:
    """The update Telegram sends when the citizen taps the button `label` under `sent`."""
    button = next(b for b in sent.buttons if b["text"] == label)
    message = {"message_id": sent.message_id, "date": 1763769665, "text": sent.text[:50]}
    message["chat"] = {"id": chat, "type": "private"}
    message["reply_markup"] = {"inline_keyboard": [sent.buttons]}
    return make_update(
        "callback_query", chat_id=chat, data=data or button["callback_data"], message=message
    )


def votes(served: Served) -> list[tuple[str, bool, str]]:
    with served.runtime.database.session() as session:
        rows = session.scalars(select(AnswerFeedback).order_by(AnswerFeedback.id))
        return [(r.entry_code, r.helpful, r.channel) for r in rows]


def test_unhelpful_offers_other_entries_whose_buttons_answer(served: Served) -> None:
    chat = new_chat()
    before = votes(served)
    served.post_update(make_update("text", chat_id=chat, text="社保卡丢了怎么补办"))
    [answer] = served.api.wait_for_sent(chat_id=chat)
    assert [b["text"] for b in answer.buttons] == ["有帮助", "没帮助"]

    assert served.post_update(tap(chat, answer, "没帮助")).status_code == 200
    offer = served.api.wait_for_sent(2, chat_id=chat)[1]
    assert offer.text.startswith("抱歉没有帮到您") and "转人工" in offer.text
    assert offer.buttons and all("社保卡丢了怎么补办" not in b["text"] for b in offer.buttons)
    assert votes(served)[len(before) :] == [("SB-0001", False, "telegram")]

    # The offered choices are live buttons: a tap answers with that entry.
    first = offer.buttons[0]
    served.post_update(
        make_update(
            "callback_query",
            chat_id=chat,
            data=first["callback_data"],
            message={
                "message_id": offer.message_id,
                "date": 1763769665,
                "text": offer.text[:50],
                "chat": {"id": chat, "type": "private"},
                "reply_markup": {"inline_keyboard": [[b] for b in offer.buttons]},
            },
        )
    )
    picked = served.api.wait_for_sent(3, chat_id=chat)[2]
    assert picked.text == served.answer_of(first["text"][3:])


def test_helpful_thanks_and_a_second_tap_does_not_count_twice(served: Served) -> None:
    chat = new_chat()
    before = votes(served)
    served.post_update(make_update("text", chat_id=chat, text="公积金余额怎么查询"))
    [answer] = served.api.wait_for_sent(chat_id=chat)
    served.post_update(tap(chat, answer, "有帮助"))
    thanks = served.api.wait_for_sent(2, chat_id=chat)[1]
    assert "感谢您的反馈" in thanks.text and thanks.buttons == []
    served.post_update(tap(chat, answer, "没帮助"))  # raced the buttons' removal
    again = served.api.wait_for_sent(3, chat_id=chat)[2]
    assert "已对这条答复作出过评价" in again.text
    assert votes(served)[len(before) :] == [("GJJ-0007", True, "telegram")]


def test_a_forged_vote_on_someone_elses_answer_is_refused(served: Served) -> None:
    owner, stranger = new_chat(), new_chat()
    served.post_update(make_update("text", chat_id=owner, text="公积金余额怎么查询"))
    [answer] = served.api.wait_for_sent(chat_id=owner)
    before = votes(served)
    # Buttons the bot never made are refused without a vote.
    forged = tap(owner, answer, "有帮助", data="fb:1:999999")
    served.post_update(forged)
    query_id = forged["callback_query"]["id"]
    assert {"callback_query_id": query_id, "text": UNKNOWN_CHOICE} in served.api.calls_of(
        "answerCallbackQuery"
    )
    # Another chat replaying the owner's button data rates nothing of the owner's.
    served.post_update(tap(stranger, answer, "没帮助"))
    [reply] = served.api.wait_for_sent(chat_id=stranger)
    assert "没有找到可以评价的答复" in reply.text
    assert votes(served) == before
