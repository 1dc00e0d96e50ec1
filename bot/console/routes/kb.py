"""Knowledge base: the list with filters, an entry's page, and the review workflow actions."""

from collections.abc import Callable
from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from bot.console.context import Console
from bot.console.diff import content_diff
from bot.console.entry_views import (
    entry_row,
    expiring,
    matches,
    shown_version,
    visible,
    visible_draft,
)
from bot.console.pages import Refusal
from bot.console.preview import previews
from bot.console.viewer import Viewer
from knowledge_base.answer_feedback import entry_feedback
from knowledge_base.catalog import list_entries
from knowledge_base.departments import list_departments
from knowledge_base.errors import KbError, NotFound
from knowledge_base.models import DraftState, Entry, EntryStatus
from knowledge_base.workflow import get_entry, publish, reject, retire, rollback, submit_for_review

# The entry list shows how each entry fared over this period.
FEEDBACK_PERIOD = timedelta(days=30)
STATES = {"published": "已发布", "editing": "草稿", "review": "待审核", "retired": "已下线"}


def readable_entry(session: Session, code: str, viewer: Viewer) -> Entry:
    """The entry if this user may see it; otherwise 404 (its existence is not revealed)."""
    try:
        entry = get_entry(session, code=code)
    except NotFound:
        raise Refusal(404, f"没有编号为 {code} 的条目，或您无权查看。") from None
    if not visible(entry, viewer):
        raise Refusal(404, f"没有编号为 {code} 的条目，或您无权查看。")
    return entry


def build(console: Console) -> APIRouter:
    """Routes of the knowledge-base list, entry pages and review actions."""
    router = APIRouter()
    clock = console.runtime.clock

    @router.get("/console/kb")
    def entry_list(
        request: Request,
        viewer: Annotated[Viewer, Depends(console.viewer)],
        q: str = "",
        department: str = "",
        state: str = "",
        tag: str = "",
        expiring_only: str = "",
    ) -> Response:
        day = clock.today()
        now = clock.now()

        def work(session: Session) -> dict[str, Any]:
            entries = list_entries(session, department=department or None)
            feedback = entry_feedback(session, start=now - FEEDBACK_PERIOD, end=now)
            rows = []
            tags: set[str] = set()
            expiring_count = 0
            for entry in entries:
                if not visible(entry, viewer):
                    continue
                row = entry_row(entry, viewer, day)
                expiring_count += row.expiring
                tags.update(row.tags)
                if not matches(entry, viewer, q):
                    continue
                if state and state not in (row.state, row.pending_draft):
                    continue
                if tag and tag not in row.tags:
                    continue
                if expiring_only and not row.expiring:
                    continue
                rows.append(row)
            return {
                "rows": rows,
                "departments": list_departments(session),
                "tags": sorted(tags),
                "expiring_count": expiring_count,
                "feedback": feedback,
            }

        data = console.run(work)
        return console.pages.render(
            request,
            "kb_list.html",
            viewer,
            q=q,
            department=department,
            state=state,
            tag=tag,
            expiring_only=bool(expiring_only),
            states=STATES,
            **data,
        )

    @router.get("/console/kb/{code}")
    def entry_page(
        request: Request, code: str, viewer: Annotated[Viewer, Depends(console.viewer)]
    ) -> Response:
        day = clock.today()

        def work(session: Session) -> dict[str, Any]:
            entry = readable_entry(session, code, viewer)
            draft = visible_draft(entry, viewer)
            version = shown_version(entry)
            live = entry.live_version
            shown = draft if draft is not None else version
            assert shown is not None
            in_review = draft is not None and draft.state is DraftState.IN_REVIEW
            return {
                "entry": entry,
                "draft": draft,
                "version": version,
                "live": live,
                "in_review": in_review,
                "diff": content_diff(live.content() if live else None, draft.content())
                if draft is not None
                else [],
                "previews": previews(shown.answer),
                "history": list(reversed(entry.versions)),
                "expiring": live is not None and expiring(live.valid_until, day),
                "may_edit": viewer.may_edit(entry.department_id) and not in_review,
                "may_submit": viewer.may_edit(entry.department_id)
                and draft is not None
                and not in_review,
                "may_review": viewer.may_review(entry.department_id) and in_review,
                "own_work": draft is not None and viewer.username in draft.contributors,
                "may_retire": viewer.may_review(entry.department_id)
                and entry.status is not EntryStatus.RETIRED
                and bool(entry.versions),
                "may_rollback": viewer.may_review(entry.department_id),
            }

        data = console.run(work)
        return console.pages.render(request, "kb_entry.html", viewer, local=clock.show, **data)

    def act(
        request: Request,
        viewer: Viewer,
        code: str,
        allowed: Callable[[Entry], bool],
        change: Callable[[Session], str],
    ) -> Response:
        def work(session: Session) -> str:
            entry = readable_entry(session, code, viewer)
            if not allowed(entry):
                raise Refusal(403, "您没有权限对该条目执行此操作。")
            return change(session)

        try:
            note = console.run(work)
        except KbError as exc:
            return console.pages.redirect(request, f"/console/kb/{code}", note=str(exc), error=True)
        return console.pages.redirect(request, f"/console/kb/{code}", note=note)

    @router.post("/console/kb/{code}/submit")
    def submit(
        request: Request, code: str, viewer: Annotated[Viewer, Depends(console.writer)]
    ) -> Response:
        def change(session: Session) -> str:
            submit_for_review(session, code=code, actor=viewer.username)
            return "已提交审核，审核人通过后即对外发布。"

        return act(request, viewer, code, lambda e: viewer.may_edit(e.department_id), change)

    @router.post("/console/kb/{code}/publish")
    def approve(
        request: Request,
        code: str,
        viewer: Annotated[Viewer, Depends(console.writer)],
        comment: Annotated[str, Form(max_length=2000)] = "",
    ) -> Response:
        def change(session: Session) -> str:
            version = publish(session, code=code, reviewer=viewer.username, reason=comment)
            return f"审核通过，已发布第 {version.number} 版，各渠道将在数秒内生效。"

        return act(request, viewer, code, lambda e: viewer.may_review(e.department_id), change)

    @router.post("/console/kb/{code}/reject")
    def send_back(
        request: Request,
        code: str,
        viewer: Annotated[Viewer, Depends(console.writer)],
        comment: Annotated[str, Form(max_length=2000)] = "",
    ) -> Response:
        def change(session: Session) -> str:
            reject(session, code=code, reviewer=viewer.username, comment=comment)
            return "已退回给编辑修改。"

        return act(request, viewer, code, lambda e: viewer.may_review(e.department_id), change)

    @router.post("/console/kb/{code}/retire")
    def withdraw(
        request: Request,
        code: str,
        viewer: Annotated[Viewer, Depends(console.writer)],
        reason: Annotated[str, Form(max_length=2000)] = "",
    ) -> Response:
        def change(session: Session) -> str:
            retire(session, code=code, actor=viewer.username, reason=reason)
            return "条目已下线，群众将不再收到该答复。"

        return act(request, viewer, code, lambda e: viewer.may_review(e.department_id), change)

    @router.post("/console/kb/{code}/rollback")
    def roll_back(
        request: Request,
        code: str,
        viewer: Annotated[Viewer, Depends(console.writer)],
        version: Annotated[int, Form(ge=1)] = 1,
        reason: Annotated[str, Form(max_length=2000)] = "",
    ) -> Response:
        def change(session: Session) -> str:
            new = rollback(
                session, code=code, to_version=version, actor=viewer.username, reason=reason
            )
            return f"已回退：第 {version} 版的内容重新发布为第 {new.number} 版。"

        return act(request, viewer, code, lambda e: viewer.may_review(e.department_id), change)

    return router
