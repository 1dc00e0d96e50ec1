"""Unanswered questions: grouped list, adding a wording to an entry, drafting, dismissing."""

from datetime import timedelta
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from bot.console.context import Console
from bot.console.entry_views import shown_version
from bot.console.pages import Refusal
from bot.console.routes.kb import readable_entry
from bot.console.unanswered import (
    DECISION_NAMES,
    QuestionGroup,
    closest_entries,
    entry_choice,
    group_questions,
)
from bot.console.viewer import Viewer
from knowledge_base.catalog import list_entries
from knowledge_base.content import EntryContent
from knowledge_base.departments import list_departments
from knowledge_base.errors import KbError
from knowledge_base.models import DraftState, EntryStatus
from knowledge_base.unanswered import dismiss, dismissed_forms, unanswered_messages
from knowledge_base.workflow import save_draft, submit_for_review

PAGE = "/console/unanswered"


def draft_link(group: QuestionGroup) -> str:
    """The new-entry form filled with the group's wordings."""
    alternates = [w.text for w in group.wordings[1:10]]
    return "/console/kb/new?" + urlencode({"question": group.text, "alternates": alternates}, True)


def build(console: Console) -> APIRouter:
    """Routes of the unanswered-questions page."""
    router = APIRouter()
    clock = console.runtime.clock

    @router.get(PAGE)
    def question_groups(
        request: Request,
        viewer: Annotated[Viewer, Depends(console.viewer)],
        days: int = 30,
        department: int | None = None,
    ) -> Response:
        days = min(max(days, 1), 365)
        since = clock.now() - timedelta(days=days)
        scope = viewer.scope() if viewer.scope() is not None else department

        def work(session: Session) -> dict[str, Any]:
            asked = unanswered_messages(session, since=since, department_id=scope)
            groups = group_questions(asked, dismissed_forms(session))[:200]
            choices = [
                entry_choice(e.code, v.question, v.alternates)
                for e in list_entries(session, status=EntryStatus.PUBLISHED)
                if viewer.may_edit(e.department_id) and (v := e.live_version) is not None
            ]
            return {
                "groups": [(g, closest_entries(g.text, choices)) for g in groups],
                "departments": list_departments(session) if viewer.all_departments else [],
            }

        data = console.run(work)
        return console.pages.render(
            request,
            "unanswered.html",
            viewer,
            days=days,
            department=department,
            decision_names=DECISION_NAMES,
            draft_link=draft_link,
            local=clock.show,
            **data,
        )

    @router.post(f"{PAGE}/dismiss")
    def dismiss_group(
        request: Request,
        viewer: Annotated[Viewer, Depends(console.writer)],
        texts: Annotated[list[str] | None, Form(alias="text")] = None,
    ) -> Response:
        if not viewer.writes_entries:
            raise Refusal(403, "只有知识库编辑和审核人可以处理未答问题。")
        count = console.run(
            lambda session: dismiss(session, texts=texts or [], actor=viewer.username)
        )
        return console.pages.redirect(request, PAGE, note=f"已忽略 {count} 种问法。")

    @router.post(f"{PAGE}/add-wording")
    def add_wording(
        request: Request,
        viewer: Annotated[Viewer, Depends(console.writer)],
        code: Annotated[str, Form(max_length=64)] = "",
        other_code: Annotated[str, Form(max_length=64)] = "",
        wording: Annotated[str, Form(max_length=500)] = "",
    ) -> Response:
        code = other_code.strip() or code.strip()
        if not code:
            return console.pages.redirect(request, PAGE, note="请选择或填写条目编号。", error=True)

        def work(session: Session) -> None:
            entry = readable_entry(session, code, viewer)
            if not viewer.may_edit(entry.department_id):
                raise Refusal(403, "该条目属于其他部门，请联系该部门的编辑添加问法。")
            draft = entry.draft
            if draft is not None and draft.state is DraftState.IN_REVIEW:
                raise KbError(f"条目 {code} 正在审核中，请审核完成后再添加问法。")
            source = draft if draft is not None else shown_version(entry)
            assert source is not None
            content = EntryContent.model_validate(
                {**source.content(), "alternates": [*source.alternates, wording]}
            )
            save_draft(session, code=code, content=content, author=viewer.username)
            submit_for_review(session, code=code, actor=viewer.username)

        try:
            console.run(work)
        except KbError as exc:
            return console.pages.redirect(request, PAGE, note=str(exc), error=True)
        return console.pages.redirect(
            request,
            f"/console/kb/{code}",
            note=f"已把“{wording}”加为其他问法并提交审核，审核通过后生效。",
        )

    return router
