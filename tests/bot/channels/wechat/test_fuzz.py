"""Property-based: whatever a signed caller sends, WeChat's envelope and push parser in every
mode either give a message or refuse it with their own exceptions (400/403, never a 500)."""

from __future__ import annotations

import time
import uuid

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.channels.wechat.envelope import Envelope, Forbidden, Malformed
from bot.channels.wechat.inbound import NotAMessage, read_push
from tests.bot.channels.wechat.official_accounts import ACCOUNTS
from tests.bot.channels.wechat.pushes import signed_query

ENVELOPES = {a.mode: (a, Envelope(a.settings())) for a in ACCOUNTS}
# Everything a body could hold: any character (NUL and lone surrogates included), encoded.
ANY_TEXT = st.text(st.characters(codec=None), max_size=300)
TAGS = st.sampled_from(
    ["ToUserName", "FromUserName", "CreateTime", "MsgType", "Content", "MsgId", "Event", "Encrypt"]
)
XML = st.lists(st.tuples(TAGS, ANY_TEXT), max_size=8).map(
    lambda items: (
        "<xml>" + "".join(f"<{tag}><![CDATA[{value}]]></{tag}>" for tag, value in items) + "</xml>"
    )
)
BODIES = st.one_of(st.binary(max_size=500), XML.map(lambda x: x.encode("utf-8", "surrogatepass")))
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(mode=st.sampled_from(["plain", "compatible", "safe"]), body=BODIES, aes=st.booleans())
def test_any_signed_body_is_opened_or_refused(mode: str, body: bytes, aes: bool) -> None:
    account, envelope = ENVELOPES[mode]
    query = signed_query(account.token, **({"encrypt_type": "aes"} if aes else {}))
    if aes:
        query["msg_signature"] = "0" * 40
    try:
        opened = envelope.open(query, body)
    except (Forbidden, Malformed):
        return
    try:
        inbound = read_push(opened.xml, account=account.code)
    except NotAMessage:
        return
    if inbound.message is not None:
        # Only storable text goes further.
        message = inbound.message
        for value in (message.text, message.citizen_id, message.external_id or ""):
            assert "\x00" not in value
            value.encode("utf-8")


@FUZZ
@given(stamp=st.text(max_size=20), nonce=st.text(max_size=80))
def test_any_timestamp_and_nonce_are_checked_without_crashing(stamp: str, nonce: str) -> None:
    account, envelope = ENVELOPES["plain"]
    query = signed_query(account.token, timestamp=stamp)
    query["nonce"] = nonce or uuid.uuid4().hex
    try:
        envelope.check_signature(query)
    except Forbidden:
        return
    assert int(time.time()) > 0
