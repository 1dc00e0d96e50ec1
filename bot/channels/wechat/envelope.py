"""WeChat's message envelope: the URL signature, and AES encryption in compatible and safe mode."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from wechatpy.crypto import WeChatCrypto
from wechatpy.exceptions import InvalidAppIdException, InvalidSignatureException
from wechatpy.utils import check_signature

from bot.channels.wechat.settings import WeChatAccountSettings
from bot.channels.wechat.xml_guard import BadXml, parse_safely


class Forbidden(Exception):
    """The request cannot be shown to come from WeChat for this account."""


class Malformed(Exception):
    """The request is signed but its body is not a usable WeChat message."""


@dataclass(frozen=True, slots=True)
class Opened:
    """A message's plaintext XML (already checked by defusedxml) and whether it came encrypted."""

    xml: str
    encrypted: bool


class Envelope:
    """Signature checks and encryption with one account's token and EncodingAESKey."""

    def __init__(self, account: WeChatAccountSettings) -> None:
        self._token = account.token.get_secret_value()
        self._mode = account.mode
        key = account.encoding_aes_key
        self._crypto = (
            WeChatCrypto(self._token, key.get_secret_value(), account.app_id) if key else None
        )

    def check_signature(self, query: Mapping[str, str]) -> None:
        """Raise Forbidden unless the URL signature is the account's."""
        try:
            check_signature(
                self._token,
                query.get("signature", ""),
                query.get("timestamp", ""),
                query.get("nonce", ""),
            )
        except InvalidSignatureException:
            raise Forbidden("signature") from None

    def verify_url(self, query: Mapping[str, str]) -> str:
        """The echostr to send back when WeChat checks the server address (服务器配置)."""
        self.check_signature(query)
        return query.get("echostr", "")

    def open(self, query: Mapping[str, str], body: bytes) -> Opened:
        """Check the signature first, so nothing unsigned is ever parsed further or stored."""
        self.check_signature(query)
        try:
            root = parse_safely(body)
        except BadXml as exc:
            raise Malformed(str(exc)) from None
        if query.get("encrypt_type", "raw").lower() != "aes":
            if self._mode == "safe":
                # In plain form only timestamp and nonce are signed, not the body.
                raise Forbidden("plaintext message to a safe-mode account")
            try:
                return Opened(body.decode("utf-8"), encrypted=False)
            except UnicodeDecodeError:
                raise Malformed("not UTF-8") from None
        return Opened(self._decrypt(query, root.findtext("Encrypt") or ""), encrypted=True)

    def _decrypt(self, query: Mapping[str, str], encrypted: str) -> str:
        if self._crypto is None:
            raise Forbidden("encrypted message but no EncodingAESKey configured")
        if not encrypted:
            raise Malformed("no Encrypt element")
        try:
            plain: str = self._crypto.decrypt_message(
                {"Encrypt": encrypted},  # a dict: wechatpy must not re-parse the raw body
                query.get("msg_signature", ""),
                query.get("timestamp", ""),
                query.get("nonce", ""),
            )
        except (InvalidSignatureException, InvalidAppIdException):
            raise Forbidden("msg_signature") from None
        except Exception as exc:  # bad base64, padding or length: not a WeChat ciphertext
            raise Malformed(f"cannot decrypt: {type(exc).__name__}") from None
        try:
            parse_safely(plain)  # the decrypted document is just as untrusted
        except BadXml as exc:
            raise Malformed(str(exc)) from None
        return plain

    def seal(self, xml: str, *, nonce: str) -> str:
        """Encrypt a passive reply for an account whose request came encrypted."""
        if self._crypto is None:
            raise RuntimeError("sealing needs an EncodingAESKey")
        sealed: str = self._crypto.encrypt_message(xml, nonce)
        return sealed
