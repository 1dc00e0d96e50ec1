"""Importing an entry file (all rows or none) and downloading the published knowledge base."""

import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import Response

from bot.console.context import Console
from bot.console.pages import Refusal
from bot.console.viewer import Viewer
from knowledge_base.errors import KbError
from knowledge_base.importing import ImportRejected, export_file, import_file
from knowledge_base.models.users import ConsoleRole

FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "jsonl": "application/x-ndjson; charset=utf-8",
    "yaml": "application/yaml; charset=utf-8",
}
UPLOAD_SUFFIXES = (".xlsx", ".csv", ".jsonl", ".yaml", ".yml")


def build(console: Console) -> APIRouter:
    """Routes of import and export."""
    router = APIRouter()
    max_bytes = console.runtime.settings.max_body_bytes

    def require_admin(viewer: Viewer) -> None:
        if viewer.role is not ConsoleRole.ADMIN:
            raise Refusal(403, "导入会改动各部门的条目，只有管理员可以导入。")

    @router.get("/console/kb/import")
    def import_form(
        request: Request, viewer: Annotated[Viewer, Depends(console.viewer)]
    ) -> Response:
        require_admin(viewer)
        return console.pages.render(request, "kb_import.html", viewer, max_bytes=max_bytes)

    @router.post("/console/kb/import")
    def import_upload(
        request: Request,
        viewer: Annotated[Viewer, Depends(console.writer)],
        file: Annotated[UploadFile, File()],
        mode: Annotated[str, Form()] = "draft",
    ) -> Response:
        require_admin(viewer)
        name = Path(file.filename or "").name
        suffix = Path(name).suffix.lower()
        context: dict[str, Any] = {"max_bytes": max_bytes, "file_name": name}
        if suffix not in UPLOAD_SUFFIXES:
            context["problem"] = "只支持 .xlsx、.csv、.jsonl、.yaml 文件。"
            return console.pages.render(request, "kb_import.html", viewer, status=400, **context)
        with tempfile.TemporaryDirectory(prefix="govbot-import-") as folder:
            path = Path(folder) / f"upload{suffix}"
            path.write_bytes(file.file.read())
            try:
                report = console.run(
                    lambda session: import_file(
                        session, path=path, actor=viewer.username, publish=mode == "publish"
                    )
                )
            except ImportRejected as exc:
                context.update(problem=str(exc), row_errors=[str(e) for e in exc.errors])
                return console.pages.render(
                    request, "kb_import.html", viewer, status=400, **context
                )
            except KbError as exc:
                context["problem"] = str(exc)
                return console.pages.render(
                    request, "kb_import.html", viewer, status=400, **context
                )
        context["report"] = report
        return console.pages.render(request, "kb_import.html", viewer, **context)

    @router.get("/console/kb/export")
    def export(
        viewer: Annotated[Viewer, Depends(console.viewer)], format: str = "xlsx"
    ) -> Response:
        if format not in FORMATS:
            raise Refusal(404, "不支持的导出格式。")
        with tempfile.TemporaryDirectory(prefix="govbot-export-") as folder:
            path = Path(folder) / f"export.{format}"
            console.run(lambda session: export_file(session, path=path))
            body = path.read_bytes()
        filename = f"govbot-kb-{console.runtime.clock.today():%Y%m%d}.{format}"
        return Response(
            body,
            media_type=FORMATS[format],
            headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        )

    return router
