"""The account matrix and its lifecycle actions, each leaving a filing record."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from bot.runtime import Runtime
from knowledge_base.account_flags import flag_stale
from knowledge_base.accounts import get_account
from knowledge_base.models import AccountStatus, FilingAction
from tests.bot.console.console_client import ConsoleClient


def test_the_matrix_shows_units_by_platform(signed_in: Callable[[str], ConsoleClient]) -> None:
    page = signed_in("editor-gaj").get("/console/accounts").text
    assert "云溪县公安局" in page and "微信公众号" in page
    assert 'href="/console/accounts/yunxi-gongan-wechat"' in page
    assert "开设新账号" not in page, "only admins change the registry"


def test_an_admin_suspends_and_resumes_an_account_with_filings(
    signed_in: Callable[[str], ConsoleClient], served: tuple[str, Runtime]
) -> None:
    runtime = served[1]
    editor = signed_in("editor-gaj")
    refused = editor.submit(
        "/console/accounts/yunxi-gongan-douyin/status", {"action": "suspend", "reason": "整改"}
    )
    assert refused.status_code == 403

    admin = signed_in("admin")
    done = admin.submit(
        "/console/accounts/yunxi-gongan-douyin/status", {"action": "suspend", "reason": "内容整改"}
    )
    assert done.status_code == 303
    with runtime.database.session() as session:
        account = get_account(session, code="yunxi-gongan-douyin")
        assert account.status is AccountStatus.SUSPENDED
        filing = account.filings[-1]
        assert filing.action is FilingAction.SUSPEND and filing.filed_on is None
    page = admin.get("/console/accounts/yunxi-gongan-douyin").text
    assert "内容整改" in page and "待备案" in page

    filed = admin.submit(f"/console/filings/{filing.id}/filed", {})
    assert filed.status_code == 303
    with runtime.database.session() as session:
        account = get_account(session, code="yunxi-gongan-douyin")
        assert account.filings[-1].filed_on is not None

    assert (
        admin.submit(
            "/console/accounts/yunxi-gongan-douyin/status", {"action": "resume"}
        ).status_code
        == 303
    )
    with runtime.database.session() as session:
        assert get_account(session, code="yunxi-gongan-douyin").status is AccountStatus.ACTIVE


def test_one_account_per_platform_is_enforced_with_a_clear_message(
    signed_in: Callable[[str], ConsoleClient],
) -> None:
    admin = signed_in("admin")
    response = admin.submit(
        "/console/accounts/open",
        {
            "code": "gaj-wechat-2",
            "platform": "wechat_official",
            "name": "云溪公安",
            "department": "gaj",
        },
    )
    assert response.status_code == 303
    page = admin.get(response.headers["location"]).text
    assert "同一单位在同一平台只能开设一个账号" in page


def test_closing_an_account_needs_a_reason_and_is_filed(
    signed_in: Callable[[str], ConsoleClient], served: tuple[str, Runtime]
) -> None:
    admin = signed_in("admin")
    path = "/console/accounts/yunxi-renshe-mini/status"
    refused = admin.submit(path, {"action": "close", "reason": " "})
    assert "注销账号请写明原因" in admin.get(refused.headers["location"]).text
    assert admin.submit(path, {"action": "close", "reason": "整合到公众号"}).status_code == 303
    renamed = admin.submit("/console/accounts/yunxi-renshe-wechat/change", {"name": "云溪人社发布"})
    assert renamed.status_code == 303
    with served[1].database.session() as session:
        closed = get_account(session, code="yunxi-renshe-mini")
        assert closed.status is AccountStatus.CLOSED
        assert closed.filings[-1].action is FilingAction.CLOSE
        renamed_account = get_account(session, code="yunxi-renshe-wechat")
        assert renamed_account.name == "云溪人社发布"
        assert renamed_account.filings[-1].action is FilingAction.CHANGE
    matrix, pending = admin.get("/console/accounts").text.split("待备案事项")
    assert 'href="/console/accounts/yunxi-renshe-mini"' not in matrix, "closed: off the matrix"
    assert 'href="/console/accounts/yunxi-renshe-mini"' in pending, "its closing is to be filed"


def test_a_stale_flag_is_named_in_chinese_on_the_account_page(
    signed_in: Callable[[str], ConsoleClient], served: tuple[str, Runtime]
) -> None:
    runtime = served[1]
    with runtime.database.session() as session:
        account = get_account(session, code="yunxi-jiaotong-wechat")
        flag_stale(session, account_id=account.id, on=date(2026, 11, 20), days_without_post=18)
    page = signed_in("admin").get("/console/accounts/yunxi-jiaotong-wechat").text
    assert "2026-11-20：长期未更新（僵尸账号）（18 天未更新）" in page
    assert "stale" not in page
