"""Alerts as e-mail, sent with the standard library's smtplib in a worker thread."""

from __future__ import annotations

import asyncio
import smtplib
import ssl
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr

from pydantic import SecretStr

from handlers.alerts.notifiers.base import AlertMessage, Notifier, NotifierError, Recipient


class EmailNotifier(Notifier):
    """Sends to `recipient.email` through one SMTP server; returns the Message-ID header.

    `sender` is the From header, with or without a display name ("值班提醒 <duty@example.gov.cn>").
    With `starttls` the connection is upgraded and the server's certificate verified before any
    login, so a password never crosses the network in clear.
    """

    name = "email"

    def __init__(
        self,
        host: str,
        port: int,
        *,
        sender: str,
        username: str | None = None,
        password: SecretStr | None = None,
        starttls: bool = False,
        timeout: float = 10,
    ) -> None:
        self._host, self._port, self._timeout = host, port, timeout
        self._sender = sender
        # Message-IDs use the sender's domain: make_msgid's default would look up this host's
        # name in DNS, a blocking call, and leak the server's host name.
        local, at, self._domain = parseaddr(sender)[1].rpartition("@")
        if not (local and at and self._domain):
            raise ValueError(f"sender is not an e-mail address: {sender!r}")
        self._username, self._password = username, password
        self._starttls = starttls

    def reaches(self, recipient: Recipient) -> bool:
        return bool(recipient.email)

    async def send(self, recipient: Recipient, message: AlertMessage) -> str:
        try:
            to = Address(display_name=recipient.name, addr_spec=recipient.email)
        except (ValueError, IndexError) as exc:  # what email.headerregistry raises for bad syntax
            raise NotifierError(f"not an e-mail address: {recipient.email!r}", retry=False) from exc
        mail = self._compose(to, message)
        try:
            await asyncio.to_thread(self._deliver, mail)
        except smtplib.SMTPRecipientsRefused as exc:
            code, reply = next(iter(exc.recipients.values()))
            # 5xx: the mailbox does not exist or refuses us; 4xx (greylisting, full): try later.
            raise NotifierError(
                f"mail server refused {recipient.email}: {code} {reply.decode(errors='replace')}",
                retry=code < 500,
            ) from exc
        except (smtplib.SMTPException, OSError) as exc:  # refused connection, timeout, TLS, auth
            raise NotifierError(f"mail server {self._host}:{self._port} failed: {exc!r}") from exc
        return str(mail["Message-ID"])

    def _compose(self, to: Address, message: AlertMessage) -> EmailMessage:
        mail = EmailMessage()  # the default policy encodes Chinese headers and body as UTF-8
        mail["From"] = self._sender
        mail["To"] = to
        mail["Subject"] = " ".join(message.subject.split())  # a header cannot hold line breaks
        mail["Date"] = formatdate(localtime=True)
        mail["Message-ID"] = make_msgid(domain=self._domain)
        # base64, not the default 8bit: relays without 8BITMIME would mangle the Chinese text.
        mail.set_content(message.body, cte="base64")
        return mail

    def _deliver(self, mail: EmailMessage) -> None:
        with smtplib.SMTP(self._host, self._port, timeout=self._timeout) as smtp:
            if self._starttls:
                smtp.starttls(context=ssl.create_default_context())
            if self._username is not None and self._password is not None:
                smtp.login(self._username, self._password.get_secret_value())
            smtp.send_message(mail)
