"""Property-based: any webhook body either decodes to an update the adapter maps, or is refused
(400), never a crash."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from telegram import Bot

from bot.channels.telegram.updates import BotIdentity, to_incoming
from bot.channels.telegram.webhook import decode_update

BOT = Bot("1001:AAFakeTokenForYunxiFabu")
ME = BotIdentity(id=1001, username="yunxi_fabu_bot")
ANY_TEXT = st.text(st.characters(codec=None), max_size=200)
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), ANY_TEXT)
JSONISH: st.SearchStrategy[Any] = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=20,
)
UPDATES = st.fixed_dictionaries(
    {"update_id": st.one_of(st.integers(), ANY_TEXT)},
    optional={
        "message": st.fixed_dictionaries(
            {
                "message_id": st.integers(min_value=1, max_value=2**31),
                "date": st.integers(min_value=0, max_value=2**31),
                "chat": st.fixed_dictionaries(
                    {"id": st.integers(), "type": st.sampled_from(["private", "group"])}
                ),
            },
            optional={
                "text": ANY_TEXT,
                "from": st.fixed_dictionaries(
                    {"id": st.integers(), "is_bot": st.booleans(), "first_name": ANY_TEXT}
                ),
                "photo": JSONISH,
                "location": JSONISH,
            },
        ),
        "callback_query": JSONISH,
        "edited_message": JSONISH,
    },
)


def _body(value: Any) -> bytes:
    return json.dumps(value).encode()


@settings(max_examples=200, deadline=None)
@given(body=st.one_of(st.binary(max_size=300), JSONISH.map(_body), UPDATES.map(_body)))
def test_any_body_is_decoded_and_mapped_or_refused(body: bytes) -> None:
    update = decode_update(body, BOT)
    if update is None:
        return
    message = to_incoming("yunxi-fabu-telegram", update, ME)
    if message is not None:
        assert "\x00" not in message.text
        message.text.encode("utf-8")
