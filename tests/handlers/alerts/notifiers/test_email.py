"""The e-mail notifier (smtplib) against a real aiosmtpd server on loopback."""

from __future__ import annotations

import logging
from email.utils import parsedate_to_datetime
from pathlib import Path

import pytest
from pydantic import SecretStr

from handlers.alerts.notifiers.base import AlertMessage, NotifierError, Recipient
from handlers.alerts.notifiers.email import EmailNotifier
from tests.fakes.smtp_server import HOST, running_smtp_server

SENDER = "云和县政务新媒体值班 <duty@yunhe.gov.cn>"
STAFF = Recipient(staff_id=1, name="王芳", email="wangfang@yunhe.gov.cn")
ALERT = AlertMessage(
    subject="【待回复】市民留言已等待 2 小时",
    body="留言：孩子入学需要哪些材料？\n渠道：云和发布（微信）\n请于 11 月 23 日 17:00 前回复。",
    ticket_id=17,
)
PASSWORD = "smtp-PASSWORD-9f2c"


async def test_the_staff_member_receives_the_chinese_subject_and_body() -> None:
    with running_smtp_server() as server:
        notifier = EmailNotifier(HOST, server.port, sender=SENDER)
        message_id = await notifier.send(STAFF, ALERT)

    [mail] = server.received
    assert (mail.mail_from, mail.rcpt_tos) == ("duty@yunhe.gov.cn", ["wangfang@yunhe.gov.cn"])
    message = mail.message
    assert message["Subject"] == ALERT.subject
    assert message["From"] == SENDER
    assert message["To"] == "王芳 <wangfang@yunhe.gov.cn>"
    assert message.get_content().rstrip("\n") == ALERT.body
    assert message["Message-ID"] == message_id  # what a reply's In-Reply-To will quote
    assert message_id.endswith("@yunhe.gov.cn>")
    assert parsedate_to_datetime(message["Date"]).tzinfo is not None
    assert mail.raw.isascii()  # encoded, so relays without 8BITMIME cannot mangle the Chinese


async def test_a_subject_with_line_breaks_becomes_one_line() -> None:
    with running_smtp_server() as server:
        notifier = EmailNotifier(HOST, server.port, sender=SENDER)
        await notifier.send(STAFF, AlertMessage(subject="待回复留言\n2 条", body="请处理。"))

    assert [m.message["Subject"] for m in server.received] == ["待回复留言 2 条"]


@pytest.mark.parametrize(
    ("reply", "retry"),
    [("550 5.1.1 User unknown", False), ("450 4.2.0 Greylisted, try again later", True)],
    ids=["no-such-mailbox", "greylisted"],
)
async def test_a_refused_recipient_is_retried_only_when_the_refusal_is_temporary(
    reply: str, retry: bool
) -> None:
    with running_smtp_server(refusals={STAFF.email: reply}) as server:
        notifier = EmailNotifier(HOST, server.port, sender=SENDER)
        with pytest.raises(NotifierError) as raised:
            await notifier.send(STAFF, ALERT)

    assert raised.value.retry is retry
    assert reply.split()[0] in str(raised.value)
    assert server.received == []


async def test_a_stopped_server_is_retried_later() -> None:
    with running_smtp_server() as server:
        pass  # stopped: nothing listens on its port any more

    notifier = EmailNotifier(HOST, server.port, sender=SENDER, timeout=2)
    with pytest.raises(NotifierError) as raised:
        await notifier.send(STAFF, ALERT)

    assert raised.value.retry is True


async def test_a_malformed_address_is_not_retried() -> None:
    with running_smtp_server() as server:
        notifier = EmailNotifier(HOST, server.port, sender=SENDER)
        with pytest.raises(NotifierError) as raised:
            await notifier.send(Recipient(staff_id=2, name="李强", email="李强@yunhe"), ALERT)

    assert raised.value.retry is False
    assert server.received == []


async def test_starttls_then_login_delivers_without_logging_the_password(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    logins = {"duty@yunhe.gov.cn": PASSWORD}
    with running_smtp_server(tls_dir=tmp_path, logins=logins) as server:
        assert server.ca_file is not None
        monkeypatch.setenv("SSL_CERT_FILE", str(server.ca_file))  # trust the test certificate
        notifier = EmailNotifier(
            HOST,
            server.port,
            sender=SENDER,
            username="duty@yunhe.gov.cn",
            password=SecretStr(PASSWORD),
            starttls=True,
        )
        await notifier.send(STAFF, ALERT)

    assert server.authenticated == ["duty@yunhe.gov.cn"]
    assert [m.message["Subject"] for m in server.received] == [ALERT.subject]
    ours = [r for r in caplog.records if not r.name.startswith("mail.log")]  # not the server's
    assert all(PASSWORD not in r.getMessage() for r in ours)


async def test_an_untrusted_certificate_stops_before_the_password_is_sent(tmp_path: Path) -> None:
    with running_smtp_server(tls_dir=tmp_path, logins={"duty@yunhe.gov.cn": PASSWORD}) as server:
        notifier = EmailNotifier(
            HOST,
            server.port,
            sender=SENDER,
            username="duty@yunhe.gov.cn",
            password=SecretStr(PASSWORD),
            starttls=True,
        )
        with pytest.raises(NotifierError) as raised:
            await notifier.send(STAFF, ALERT)

    assert raised.value.retry is True
    assert "CERTIFICATE_VERIFY_FAILED" in str(raised.value)
    assert server.authenticated == []
    assert server.received == []


def test_reaches_only_staff_with_an_address_and_needs_a_sender_address() -> None:
    notifier = EmailNotifier(HOST, 25, sender=SENDER)

    assert notifier.reaches(STAFF)
    assert not notifier.reaches(Recipient(staff_id=2, name="李强", telegram_chat_id="42"))
    with pytest.raises(ValueError, match="sender"):
        EmailNotifier(HOST, 25, sender="值班室")
