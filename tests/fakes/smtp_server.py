"""A real SMTP server on loopback (aiosmtpd) that records the mail it accepts.

Optionally it offers STARTTLS with a self-signed certificate made for 127.0.0.1 (its `ca_file` is
what a client must trust) and requires AUTH LOGIN/PLAIN after it. Tests can refuse recipients
with any SMTP reply, e.g. "550 5.1.1 User unknown" or "450 4.2.0 Greylisted".
"""

from __future__ import annotations

import datetime
import errno
import ipaddress
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tests.live_server import free_port

HOST = "127.0.0.1"
_BIND_ATTEMPTS = 5


@dataclass(frozen=True)
class ReceivedMail:
    """One accepted message: the envelope, the bytes as sent, and the message parsed back."""

    mail_from: str
    rcpt_tos: list[str]
    raw: bytes
    message: EmailMessage


@dataclass
class _Recorder:
    """The aiosmtpd handler and authenticator, running on the server's own thread."""

    refusals: dict[str, str]  # recipient address → SMTP reply line
    logins: dict[str, str]  # username → password the server accepts
    received: list[ReceivedMail] = field(default_factory=list)
    authenticated: list[str] = field(default_factory=list)

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: Any
    ) -> str:
        if address in self.refusals:
            return self.refusals[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        raw = envelope.original_content or b""
        message = message_from_bytes(raw, policy=policy.default)
        assert isinstance(message, EmailMessage)
        self.received.append(
            ReceivedMail(str(envelope.mail_from), list(envelope.rcpt_tos), raw, message)
        )
        return "250 Message accepted for delivery"

    def authenticate(
        self, server: SMTP, session: Session, envelope: Envelope, mechanism: str, auth_data: Any
    ) -> AuthResult:
        if not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False)
        login, password = auth_data.login.decode(), auth_data.password.decode()
        if self.logins.get(login) != password:
            return AuthResult(success=False, handled=False)
        self.authenticated.append(login)
        return AuthResult(success=True)


@dataclass
class SmtpServer:
    """What tests see: the address, the trusted certificate (if TLS) and the recorded mail."""

    port: int
    ca_file: Path | None
    recorder: _Recorder

    @property
    def received(self) -> list[ReceivedMail]:
        return self.recorder.received

    @property
    def authenticated(self) -> list[str]:
        """Usernames that logged in successfully, in order."""
        return self.recorder.authenticated


def _self_signed(directory: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 signed by its own key; returns (certificate, key) files."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "govbot test mail")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(HOST))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = directory / "smtp-cert.pem", directory / "smtp-key.pem"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_file, key_file


def _started(recorder: _Recorder, options: dict[str, Any]) -> Controller:
    """A started controller on a free port; another process (a parallel test worker) taking the
    port between choosing and binding it means trying the next one."""
    for _ in range(_BIND_ATTEMPTS - 1):
        controller = Controller(recorder, hostname=HOST, port=free_port(), **options)
        try:
            controller.start()
            return controller
        except OSError as exc:
            if exc.errno != errno.EADDRINUSE:
                raise
            controller.stop(no_assert=True)
    controller = Controller(recorder, hostname=HOST, port=free_port(), **options)
    controller.start()
    return controller


@contextmanager
def running_smtp_server(
    *,
    tls_dir: Path | None = None,
    logins: dict[str, str] | None = None,
    refusals: dict[str, str] | None = None,
) -> Iterator[SmtpServer]:
    """Serve SMTP on a free loopback port until the block ends.

    With `tls_dir` the server offers STARTTLS (certificate written there), requires it, and
    accepts AUTH from `logins` after it.
    """
    recorder = _Recorder(refusals or {}, logins or {})
    options: dict[str, Any] = {}
    ca_file = None
    if tls_dir is not None:
        ca_file, key_file = _self_signed(tls_dir)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(ca_file, key_file)
        options = {
            "tls_context": context,
            "require_starttls": True,
            "authenticator": recorder.authenticate,
        }
    controller = _started(recorder, options)
    port = int(controller.port)
    try:
        yield SmtpServer(port, ca_file, recorder)
    finally:
        controller.stop()
