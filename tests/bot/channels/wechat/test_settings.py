"""Configuring official accounts: mistakes are reported in one line, secrets never echoed."""

from __future__ import annotations

import pytest

from bot.settings import SettingsError, load_settings

ACCOUNT = "GOVBOT_WECHAT__ACCOUNTS__yunxi-fabu-wechat__"


def test_an_account_is_configured_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ACCOUNT + "APP_ID", "wx0fab0000000001")
    monkeypatch.setenv(ACCOUNT + "APP_SECRET", "very-secret")
    monkeypatch.setenv(ACCOUNT + "TOKEN", "fabutoken")
    monkeypatch.setenv(ACCOUNT + "ENCODING_AES_KEY", "a" * 43)
    monkeypatch.setenv(ACCOUNT + "MODE", "safe")
    settings = load_settings()
    account = settings.wechat.accounts["yunxi-fabu-wechat"]
    assert account.mode == "safe" and account.app_id == "wx0fab0000000001"
    assert settings.wechat.passive_reply_seconds == 4.0
    assert "very-secret" not in repr(settings)


def test_safe_mode_without_a_43_character_key_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(ACCOUNT + "APP_ID", "wx0fab0000000001")
    monkeypatch.setenv(ACCOUNT + "APP_SECRET", "very-secret")
    monkeypatch.setenv(ACCOUNT + "TOKEN", "fabutoken")
    monkeypatch.setenv(ACCOUNT + "ENCODING_AES_KEY", "too-short-key")
    monkeypatch.setenv(ACCOUNT + "MODE", "safe")
    with pytest.raises(SettingsError) as refused:
        load_settings()
    message = str(refused.value)
    assert "encoding_aes_key" in message and "43" in message
    assert "too-short-key" not in message and "\n" not in message
