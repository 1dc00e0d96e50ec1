"""What WeChat's servers send: fixture XML filled in, signed, and encrypted for safe mode."""

from __future__ import annotations

import itertools
import time
import uuid
from pathlib import Path
from xml.etree.ElementTree import fromstring

from wechatpy.crypto import WeChatCrypto
from wechatpy.utils import WeChatSigner

from tests.bot.channels.wechat.official_accounts import TestAccount

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures" / "wechat"
_msg_ids = itertools.count(int(time.time()) * 1000)


def new_openid() -> str:
    """A fresh follower, so tests never share a conversation or a rate limit."""
    return "o" + uuid.uuid4().hex[:27]


def new_msg_id() -> int:
    """A MsgId no other test used."""
    return next(_msg_ids)


def push_xml(name: str, *, official_id: str, openid: str, **values: object) -> str:
    """The fixture `name`.xml with its placeholders filled."""
    values.setdefault("create_time", int(time.time()))
    values.setdefault("msg_id", new_msg_id())
    template = (FIXTURES / f"{name}.xml").read_text(encoding="utf-8")
    return template.format(official_id=official_id, openid=openid, **values)


def _sign(*parts: str) -> str:
    signer = WeChatSigner()
    signer.add_data(*parts)
    return str(signer.signature)


def signed_query(token: str, *, timestamp: str | None = None, **extra: str) -> dict[str, str]:
    """signature/timestamp/nonce as WeChat puts them on every callback URL."""
    timestamp = timestamp if timestamp is not None else str(int(time.time()))
    nonce = uuid.uuid4().hex[:10]
    return {
        "signature": _sign(token, timestamp, nonce),
        "timestamp": timestamp,
        "nonce": nonce,
        **extra,
    }


def encrypted_push(xml: str, account: TestAccount, *, openid: str) -> tuple[dict[str, str], str]:
    """Query and body of a safe-mode push to `account`: AES-encrypted, msg_signature added."""
    query = signed_query(account.token, openid=openid, encrypt_type="aes")
    sealed = WeChatCrypto(account.token, account.aes_key, account.app_id).encrypt_message(
        xml, query["nonce"], query["timestamp"]
    )
    envelope = fromstring(sealed)
    query["msg_signature"] = envelope.findtext("MsgSignature") or ""
    body = (
        f"<xml><ToUserName><![CDATA[{account.official_id}]]></ToUserName>"
        f"<Encrypt><![CDATA[{envelope.findtext('Encrypt')}]]></Encrypt></xml>"
    )
    return query, body


def decrypt_reply(body: str, account: TestAccount) -> str:
    """The plaintext XML of an encrypted passive reply from `account`, signature checked."""
    envelope = fromstring(body)
    plain: str = WeChatCrypto(account.token, account.aes_key, account.app_id).decrypt_message(
        body,
        envelope.findtext("MsgSignature"),
        envelope.findtext("TimeStamp"),
        envelope.findtext("Nonce"),
    )
    return plain


def reply_fields(xml: str) -> dict[str, str]:
    """The child elements of a passive reply, by tag."""
    return {child.tag: child.text or "" for child in fromstring(xml)}
