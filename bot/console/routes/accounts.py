"""Accounts: the 1+N matrix, one account's filings, and opening, changing, suspending, closing."""

from collections.abc import Callable
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from bot.console.account_matrix import PLATFORM_NAMES, RULE_NAMES, STATUS_NAMES, matrix
from bot.console.context import Console
from bot.console.pages import Refusal
from bot.console.viewer import Viewer
from knowledge_base.account_flags import flags_of
from knowledge_base.accounts import (
    FILING_ACTION_NAMES,
    add_account,
    change_account,
    close_account,
    get_account,
    mark_filed,
    pending_filings,
    resume_account,
    suspend_account,
)
from knowledge_base.departments import list_departments
from knowledge_base.errors import KbError, NotFound
from knowledge_base.models import Platform

SHOWN_FLAGS = 20  # an account's page shows its newest flags


def build(console: Console) -> APIRouter:
    """Routes of the account registry."""
    router = APIRouter()
    clock = console.runtime.clock

    @router.get("/console/accounts")
    def account_matrix(
        request: Request, viewer: Annotated[Viewer, Depends(console.viewer)]
    ) -> Response:
        def work(session: Session) -> dict[str, Any]:
            platforms, rows = matrix(session, today=clock.today())
            return {
                "platforms": platforms,
                "rows": rows,
                "pending": pending_filings(session),
                "departments": list_departments(session),
            }

        data = console.run(work)
        return console.pages.render(
            request,
            "accounts.html",
            viewer,
            platform_names=PLATFORM_NAMES,
            status_names=STATUS_NAMES,
            rule_names=RULE_NAMES,
            action_names=FILING_ACTION_NAMES,
            all_platforms=list(Platform),
            today=clock.today(),
            **data,
        )

    @router.get("/console/accounts/{code}")
    def account_page(
        request: Request, code: str, viewer: Annotated[Viewer, Depends(console.viewer)]
    ) -> Response:
        def work(session: Session) -> dict[str, Any]:
            try:
                account = get_account(session, code=code)
            except NotFound:
                raise Refusal(404, f"没有编号为 {code} 的账号。") from None
            flags = flags_of(session, account_id=account.id, limit=SHOWN_FLAGS)
            return {"account": account, "flags": flags, "departments": list_departments(session)}

        data = console.run(work)
        return console.pages.render(
            request,
            "account.html",
            viewer,
            platform_names=PLATFORM_NAMES,
            status_names=STATUS_NAMES,
            rule_names=RULE_NAMES,
            action_names=FILING_ACTION_NAMES,
            local=clock.show,
            today=clock.today(),
            **data,
        )

    def manage(
        request: Request, viewer: Viewer, back: str, change: Callable[[Session, date], str]
    ) -> Response:
        if not viewer.manages_accounts:
            raise Refusal(403, "账号的开设、变更、暂停和注销由管理员办理。")
        try:
            note = console.run(lambda session: change(session, clock.today()))
        except KbError as exc:
            return console.pages.redirect(request, back, note=str(exc), error=True)
        return console.pages.redirect(request, back, note=note)

    @router.post("/console/accounts/open")
    def open_account(
        request: Request,
        viewer: Annotated[Viewer, Depends(console.writer)],
        code: Annotated[str, Form(max_length=64)] = "",
        platform: Annotated[str, Form(max_length=32)] = "",
        name: Annotated[str, Form(max_length=200)] = "",
        department: Annotated[str, Form(max_length=64)] = "",
    ) -> Response:
        def change(session: Session, on: date) -> str:
            add_account(
                session,
                code=code.strip(),
                platform=platform,
                name=name,
                department=department,
                actor=viewer.username,
                opened_on=on,
            )
            return f"已开设账号 {name}，并生成开设备案记录，请在 3 个工作日内报备。"

        return manage(request, viewer, "/console/accounts", change)

    @router.post("/console/accounts/{code}/change")
    def rename(
        request: Request,
        code: str,
        viewer: Annotated[Viewer, Depends(console.writer)],
        name: Annotated[str, Form(max_length=200)] = "",
        department: Annotated[str, Form(max_length=64)] = "",
    ) -> Response:
        def change(session: Session, on: date) -> str:
            change_account(
                session,
                code=code,
                actor=viewer.username,
                on=on,
                name=name or None,
                department=department or None,
            )
            return "已变更账号信息，并生成变更备案记录。"

        return manage(request, viewer, f"/console/accounts/{code}", change)

    @router.post("/console/accounts/{code}/status")
    def set_status(
        request: Request,
        code: str,
        viewer: Annotated[Viewer, Depends(console.writer)],
        action: Annotated[str, Form()] = "",
        reason: Annotated[str, Form(max_length=500)] = "",
    ) -> Response:
        def change(session: Session, on: date) -> str:
            if action == "suspend":
                suspend_account(session, code=code, actor=viewer.username, on=on, reason=reason)
                return "账号已暂停更新，并生成备案记录。"
            if action == "resume":
                resume_account(session, code=code, actor=viewer.username, on=on)
                return "账号已恢复更新，并生成备案记录。"
            if action == "close":
                if not reason.strip():
                    raise KbError("注销账号请写明原因。")
                close_account(session, code=code, actor=viewer.username, on=on, reason=reason)
                return "账号已注销，并生成注销备案记录。"
            raise KbError("未知的操作。")

        return manage(request, viewer, f"/console/accounts/{code}", change)

    @router.post("/console/filings/{filing_id}/filed")
    def filed(
        request: Request,
        filing_id: int,
        viewer: Annotated[Viewer, Depends(console.writer)],
        back: Annotated[str, Form(max_length=200)] = "/console/accounts",
    ) -> Response:
        target = back if back.startswith("/console/accounts") else "/console/accounts"

        def change(session: Session, on: date) -> str:
            mark_filed(session, filing_id=filing_id, actor=viewer.username, on=on)
            return "已记录为完成备案。"

        return manage(request, viewer, target, change)

    return router
