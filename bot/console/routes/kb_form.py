"""Writing entries: the form (new or edit) with channel previews, saving and submitting a draft."""

import re
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from bot.console.context import Console
from bot.console.diff import FIELD_NAMES
from bot.console.entry_views import shown_version, visible_draft
from bot.console.pages import Refusal
from bot.console.preview import previews
from bot.console.routes.kb import readable_entry
from bot.console.viewer import Viewer
from knowledge_base.content import EntryContent
from knowledge_base.departments import get_department, list_departments
from knowledge_base.entry_codes import suggest_code
from knowledge_base.errors import KbError
from knowledge_base.models import Department, DraftState
from knowledge_base.workflow import find_entry, save_draft, submit_for_review

CODE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
TEXT_FIELDS = ("question", "answer", "source_title", "source_url", "valid_from", "valid_until")


def _explain(exc: ValidationError) -> str:
    error = exc.errors()[0]
    loc = [str(p) for p in error["loc"]]
    label = FIELD_NAMES.get(loc[0], "") if loc else ""
    kind = error["type"]
    if kind in ("missing", "string_too_short"):
        return f"{label}不能为空。"
    if kind == "string_too_long":
        return f"{label}过长。"
    if kind.startswith("date"):
        return f"{label}不是有效日期（格式 YYYY-MM-DD）。"
    message = error["msg"].removeprefix("Value error, ")
    return f"{label}：{message}" if label else message


def _values_of(source: Any, code: str, department: Department) -> dict[str, str]:
    return {
        "code": code,
        "department": department.code,
        "department_name": department.name,
        "question": source.question,
        "alternates": "\n".join(source.alternates),
        "answer": source.answer,
        "tags": "\n".join(source.tags),
        "source_title": source.source_title,
        "source_url": source.source_url,
        "valid_from": source.valid_from.isoformat() if source.valid_from else "",
        "valid_until": source.valid_until.isoformat() if source.valid_until else "",
    }


def _content(values: dict[str, str]) -> EntryContent:
    tags = values["tags"].replace("，", "\n").replace(",", "\n")
    return EntryContent.model_validate(
        {
            "question": values["question"],
            "answer": values["answer"],
            "alternates": values["alternates"],
            "tags": tags,
            "source_title": values["source_title"],
            "source_url": values["source_url"],
            "valid_from": values["valid_from"] or None,
            "valid_until": values["valid_until"] or None,
        }
    )


def build(console: Console) -> APIRouter:
    """Routes of the entry form."""
    router = APIRouter()

    def departments_for(session: Session, viewer: Viewer) -> list[Department]:
        return [d for d in list_departments(session) if viewer.may_edit(d.id)]

    def form_page(
        request: Request,
        viewer: Viewer,
        values: dict[str, str],
        *,
        is_new: bool,
        problem: str = "",
        show_preview: bool = False,
        status: int = 200,
    ) -> Response:
        departments = console.run(lambda session: departments_for(session, viewer))
        return console.pages.render(
            request,
            "kb_form.html",
            viewer,
            status=status,
            values=values,
            is_new=is_new,
            departments=departments,
            problem=problem,
            previews=previews(values["answer"]) if show_preview else None,
        )

    @router.get("/console/kb/new")
    def new_entry(
        request: Request,
        viewer: Annotated[Viewer, Depends(console.viewer)],
        question: Annotated[str, Query(max_length=2000)] = "",
        alternates: Annotated[list[str] | None, Query()] = None,
    ) -> Response:
        if not viewer.writes_entries:
            raise Refusal(403, "您的角色不能编写条目。")
        values = dict.fromkeys(("code", *TEXT_FIELDS, "alternates", "tags"), "")
        values["question"] = question
        values["alternates"] = "\n".join(a for a in alternates or [] if a != question)
        values["department"] = ""
        department_id = viewer.scope()
        if department_id is not None:
            values["code"] = console.run(
                lambda session: suggest_code(session, department_id=department_id)
            )
        return form_page(request, viewer, values, is_new=True)

    @router.get("/console/kb/{code}/edit")
    def edit_entry(
        request: Request, code: str, viewer: Annotated[Viewer, Depends(console.viewer)]
    ) -> Response:
        def work(session: Session) -> dict[str, str]:
            entry = readable_entry(session, code, viewer)
            if not viewer.may_edit(entry.department_id):
                raise Refusal(403, "该条目属于其他部门，您不能修改。")
            draft = visible_draft(entry, viewer)
            if draft is not None and draft.state is DraftState.IN_REVIEW:
                raise KbError("条目正在审核中，请审核人先退回再修改。")
            source = draft if draft is not None else shown_version(entry)
            return _values_of(source, entry.code, entry.department)

        try:
            values = console.run(work)
        except KbError as exc:
            return console.pages.redirect(request, f"/console/kb/{code}", note=str(exc), error=True)
        return form_page(request, viewer, values, is_new=False)

    @router.post("/console/kb/save")
    def save(
        request: Request,
        viewer: Annotated[Viewer, Depends(console.writer)],
        code: Annotated[str, Form(max_length=64)] = "",
        department: Annotated[str, Form(max_length=64)] = "",
        is_new: Annotated[str, Form()] = "",
        action: Annotated[str, Form()] = "save",
        question: Annotated[str, Form(max_length=2000)] = "",
        alternates: Annotated[str, Form(max_length=20000)] = "",
        answer: Annotated[str, Form(max_length=50000)] = "",
        tags: Annotated[str, Form(max_length=2000)] = "",
        source_title: Annotated[str, Form(max_length=300)] = "",
        source_url: Annotated[str, Form(max_length=1000)] = "",
        valid_from: Annotated[str, Form(max_length=20)] = "",
        valid_until: Annotated[str, Form(max_length=20)] = "",
    ) -> Response:
        code = code.strip()
        values = {
            "code": code,
            "department": department,
            "question": question,
            "alternates": alternates,
            "answer": answer,
            "tags": tags,
            "source_title": source_title,
            "source_url": source_url,
            "valid_from": valid_from,
            "valid_until": valid_until,
        }
        creating = is_new == "1"

        def again(problem: str = "", *, show_preview: bool = False) -> Response:
            status = 400 if problem else 200
            return form_page(
                request,
                viewer,
                values,
                is_new=creating,
                problem=problem,
                show_preview=show_preview,
                status=status,
            )

        if action == "preview":
            return again(show_preview=True)
        if not CODE.match(code):
            return again("编号只能包含字母、数字、- 和 _，例如 GA-0101。")
        try:
            content = _content(values)
        except ValidationError as exc:
            return again(_explain(exc))

        def work(session: Session) -> None:
            entry = find_entry(session, code=code)
            if entry is not None and creating:
                raise KbError(f"编号 {code} 已被使用，请换一个编号。")
            if entry is None:
                owner = get_department(session, key=department) if department else None
                if owner is None:
                    raise KbError("请选择条目所属部门。")
                if not viewer.may_edit(owner.id):
                    raise Refusal(403, "您不能为其他部门编写条目。")
                save_draft(
                    session,
                    code=code,
                    content=content,
                    author=viewer.username,
                    department=owner.code,
                )
            else:
                if not viewer.may_edit(entry.department_id):
                    raise Refusal(403, "该条目属于其他部门，您不能修改。")
                save_draft(session, code=code, content=content, author=viewer.username)
            if action == "submit":
                submit_for_review(session, code=code, actor=viewer.username)

        try:
            console.run(work)
        except KbError as exc:
            return again(str(exc))
        note = "草稿已保存并提交审核。" if action == "submit" else "草稿已保存。"
        return console.pages.redirect(request, f"/console/kb/{code}", note=note)

    return router
