"""Group chats are not one citizen, and buttons answer only to data the bot made."""

from __future__ import annotations

import itertools
from typing import Any

from sqlalchemy import select

from bot.channels.telegram.channel import STALE_CHOICE, UNKNOWN_CHOICE
from handlers.texts import HUMAN_ACK
from knowledge_base.models import Conversation, Ticket
from tests.bot.channels.telegram.conftest import Served, make_update, new_chat
from tests.fakes.telegram_api import SentMessage

BOT = {"id": 1001, "is_bot": True, "first_name": "云溪发布", "username": "bot1001"}
_message_ids = itertools.count(50_000)


def group_message(
    group: int,
    user: int,
    text: str,
    *,
    mention: bool = True,
    reply_to: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A member's message in a supergroup, addressed to the bot by @mention unless told not."""
    body = f"@bot1001 {text}" if mention else text
    update = make_update("text", chat_id=group, text=body)
    message = update["message"]
    message["message_id"] = next(_message_ids)
    message["chat"] = {"id": group, "type": "supergroup", "title": "云溪县民生群"}
    message["from"] = {"id": user, "is_bot": False, "first_name": f"群友{user % 100}"}
    if mention:
        message["entities"] = [{"type": "mention", "offset": 0, "length": len("@bot1001")}]
    if reply_to is not None:
        message["reply_to_message"] = reply_to
    return update


def tickets(served: Served) -> list[Ticket]:
    with served.runtime.database.session() as session:
        return list(session.scalars(select(Ticket)))


def test_members_talking_among_themselves_are_left_alone(served: Served) -> None:
    group = -new_chat()
    before = served.stored_messages()
    served.post_update(group_message(group, new_chat(), "社保卡丢了怎么补办", mention=False))
    assert served.api.sent_to(group) == [] and served.stored_messages() == before


def test_a_complaint_in_a_group_moves_to_a_private_chat_and_others_still_get_answers(
    served: Served,
) -> None:
    group, member_a, member_b = -new_chat(), new_chat(), new_chat()
    before = len(tickets(served))
    served.post_update(group_message(group, member_a, "转人工"))
    [moved] = served.api.wait_for_sent(chat_id=group)
    assert "https://t.me/bot1001?start=private" in moved.text and "私聊" in moved.text
    assert len(tickets(served)) == before  # no ticket for the whole group

    served.post_update(group_message(group, member_b, "社保卡丢了怎么补办"))
    answer = served.api.wait_for_sent(2, chat_id=group)[1]
    assert answer.text == served.answer_of("社保卡丢了怎么补办？") and answer.text != HUMAN_ACK
    with served.runtime.database.session() as session:
        citizens = set(
            session.scalars(
                select(Conversation.citizen_id).where(Conversation.citizen_id.like(f"{group}:%"))
            )
        )
    assert citizens == {f"{group}:{member_a}", f"{group}:{member_b}"}


def test_a_reply_to_the_bot_addresses_it_and_is_threaded(served: Served) -> None:
    group, member = -new_chat(), new_chat()
    bots_message = {
        "message_id": 7,
        "date": 1763769665,
        "chat": {"id": group, "type": "supergroup"},
        "from": BOT,
        "text": "您好",
    }
    update = group_message(
        group, member, "社保卡丢了怎么补办", mention=False, reply_to=bots_message
    )
    served.post_update(update)
    [answer] = served.api.wait_for_sent(chat_id=group)
    assert answer.text == served.answer_of("社保卡丢了怎么补办？")
    # python-telegram-bot sends reply_to_message_id as reply_parameters
    threaded = [c.get("reply_parameters") for c in served.api.calls_of("sendMessage")]
    assert {"message_id": update["message"]["message_id"]} in threaded


def test_channel_posts_are_ignored(served: Served) -> None:
    channel = -new_chat()
    before = served.stored_messages()
    post = {
        "message_id": 3,
        "date": 1763769665,
        "chat": {"id": channel, "type": "channel", "title": "云溪发布"},
        "text": "@bot1001 社保卡丢了怎么补办",
    }
    assert (
        served.post_update({"update_id": next(_message_ids), "channel_post": post}).status_code
        == 200
    )
    assert served.api.sent_to(channel) == [] and served.stored_messages() == before


def forged_tap(chat: int, clarify: SentMessage, data: str) -> dict[str, Any]:
    """A callback whose data the bot never put on that message's buttons."""
    message = {
        "message_id": clarify.message_id,
        "date": 1763769665,
        "text": clarify.text,
        "chat": {"id": chat, "type": "private"},
        "reply_markup": {"inline_keyboard": [[b] for b in clarify.buttons]},
    }
    return make_update("callback_query", chat_id=chat, data=data, message=message)


def test_forged_callback_data_leaves_the_live_buttons_working(served: Served) -> None:
    chat = new_chat()
    served.post_update(make_update("text", chat_id=chat, text="社保卡"))
    [clarify] = served.api.wait_for_sent(chat_id=chat)
    edits = len(served.api.calls_of("editMessageReplyMarkup"))
    for data in ("9", "drop table", "2;1"):
        forged = forged_tap(chat, clarify, data)
        assert served.post_update(forged).status_code == 200
        query = {"callback_query_id": forged["callback_query"]["id"], "text": UNKNOWN_CHOICE}
        assert query in served.api.calls_of("answerCallbackQuery")
    assert len(served.api.calls_of("editMessageReplyMarkup")) == edits  # buttons untouched

    real = forged_tap(chat, clarify, clarify.buttons[1]["callback_data"])
    served.post_update(real)
    answer = served.api.wait_for_sent(2, chat_id=chat)[1]
    assert answer.text == served.answer_of(clarify.buttons[1]["text"][3:])
    refused = {"callback_query_id": real["callback_query"]["id"], "text": STALE_CHOICE}
    assert refused not in served.api.calls_of("answerCallbackQuery")
