"""A citizen talks to 云溪发布's Telegram bot; Telegram posts updates to the webhook."""

from __future__ import annotations

from typing import Any

import pytest

from bot.channels.telegram.channel import STALE_CHOICE
from handlers.texts import MEDIA, WELCOME
from knowledge_base.workflow import get_entry
from tests.bot.channels.telegram.conftest import (
    ACCOUNT,
    FIXTURES,
    PUBLIC_URL,
    SECRET,
    TOKEN,
    Served,
    make_update,
    new_chat,
)
from tests.fakes.telegram_api import SentMessage


def test_the_webhook_is_registered_with_its_secret(served: Served) -> None:
    webhook = served.api.webhooks[TOKEN]
    assert webhook["url"] == f"{PUBLIC_URL}/telegram/{ACCOUNT}"
    assert webhook["secret_token"] == SECRET
    assert set(webhook["allowed_updates"]) == {"message", "callback_query"}


def test_a_question_gets_the_knowledge_base_answer(served: Served) -> None:
    chat = new_chat()
    response = served.post_update(make_update("text", chat_id=chat, text="社保卡丢了怎么补办"))
    assert response.status_code == 200
    with served.runtime.database.session() as session:
        live = get_entry(session, code="SB-0001").live_version
        assert live is not None
    [sent] = served.api.wait_for_sent(chat_id=chat)
    assert sent.text == live.answer
    assert sent.parse_mode is None
    assert [b["text"] for b in sent.buttons] == ["有帮助", "没帮助"]


@pytest.mark.parametrize("secret", [None, "", "wrong-secret", SECRET + "x"])
def test_a_wrong_or_missing_secret_is_refused_and_nothing_stored(
    served: Served, secret: str | None
) -> None:
    chat = new_chat()
    before = served.stored_messages()
    update = make_update("text", chat_id=chat, text="社保卡丢了怎么补办")
    assert served.post_update(update, secret=secret).status_code == 403
    assert served.stored_messages() == before
    assert served.api.sent_to(chat) == []


def test_malformed_json_is_400_and_nothing_stored(served: Served) -> None:
    before = served.stored_messages()
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET, "Content-Type": "application/json"}
    for body in [(FIXTURES / "malformed.json").read_bytes(), b'{"message": {}}', b"[1, 2]"]:
        response = served.http.post(f"/telegram/{ACCOUNT}", content=body, headers=headers)
        assert response.status_code == 400, body
    assert served.stored_messages() == before


def test_an_account_without_a_bot_is_404(served: Served) -> None:
    update = make_update("text", chat_id=new_chat())
    response = served.http.post(
        "/telegram/yunxi-fabu-wechat",
        json=update,
        headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
    )
    assert response.status_code == 404


def test_start_gets_the_welcome(served: Served) -> None:
    chat = new_chat()
    assert served.post_update(make_update("start", chat_id=chat)).status_code == 200
    [sent] = served.api.wait_for_sent(chat_id=chat)
    assert sent.text == WELCOME.format(account="云溪发布")


def tap(chat: int, clarify: SentMessage, number: int) -> dict[str, Any]:
    """The update Telegram sends when the citizen taps button `number` under `clarify`."""
    message = {"message_id": clarify.message_id, "date": 1763769665, "text": clarify.text}
    message["chat"] = {"id": chat, "type": "private"}
    button = clarify.buttons[number - 1]
    return make_update(
        "callback_query", chat_id=chat, data=button["callback_data"], message=message
    )


def edited(served: Served, chat: int, message_id: int) -> bool:
    """Whether the buttons of that message were taken away."""
    edit = {"chat_id": str(chat), "message_id": str(message_id)}
    return edit in served.api.calls_of("editMessageReplyMarkup")


def test_a_clarify_offers_buttons_and_a_tap_answers_the_chosen_question(served: Served) -> None:
    chat = new_chat()
    served.post_update(make_update("text", chat_id=chat, text="社保卡"))
    [clarify] = served.api.wait_for_sent(chat_id=chat)
    assert clarify.text.startswith("您是不是想问")
    assert 2 <= len(clarify.buttons) <= 3
    second = clarify.buttons[1]["text"]
    assert second.startswith("2. ") and second[3:] in clarify.text

    update = tap(chat, clarify, 2)
    assert served.post_update(update).status_code == 200
    answer = served.api.wait_for_sent(2, chat_id=chat)[1]
    assert answer.text == served.answer_of(second[3:])
    query_id = update["callback_query"]["id"]
    assert {"callback_query_id": query_id} in served.api.calls_of("answerCallbackQuery")
    assert edited(served, chat, clarify.message_id)  # the same choice cannot be sent twice


def test_buttons_of_an_older_question_are_removed_and_refused(served: Served) -> None:
    chat = new_chat()
    served.post_update(make_update("text", chat_id=chat, text="社保卡"))
    [first] = served.api.wait_for_sent(chat_id=chat)
    served.post_update(make_update("text", chat_id=chat, text="公积金"))
    second = served.api.wait_for_sent(2, chat_id=chat)[1]
    assert second.buttons and edited(served, chat, first.message_id)

    old_tap = tap(chat, first, 2)  # a tap that raced the removal
    assert served.post_update(old_tap).status_code == 200
    query_id = old_tap["callback_query"]["id"]
    assert {"callback_query_id": query_id, "text": STALE_CHOICE} in served.api.calls_of(
        "answerCallbackQuery"
    )
    assert len(served.api.sent_to(chat)) == 2  # no answer to a question from the old list

    served.post_update(tap(chat, second, 2))
    answer = served.api.wait_for_sent(3, chat_id=chat)[2]
    assert answer.text == served.answer_of(second.buttons[1]["text"][3:])


def test_a_redelivered_update_is_answered_once(served: Served) -> None:
    chat = new_chat()
    update = make_update("text", chat_id=chat, text="社保卡丢了怎么补办")
    before = served.stored_messages()
    assert served.post_update(update).status_code == 200
    assert served.post_update(update).status_code == 200  # Telegram retries until it gets 200
    assert len(served.api.wait_for_sent(chat_id=chat)) == 1
    assert served.stored_messages() == before + 2  # the question and its answer, once


@pytest.mark.parametrize("fixture", ["photo", "voice", "location"])
def test_photos_voice_and_locations_get_a_polite_text(served: Served, fixture: str) -> None:
    chat = new_chat()
    assert served.post_update(make_update(fixture, chat_id=chat)).status_code == 200
    [sent] = served.api.wait_for_sent(chat_id=chat)
    assert sent.text == MEDIA
