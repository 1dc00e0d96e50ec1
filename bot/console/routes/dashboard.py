"""Dashboards with server-drawn charts, and the printable weekly inspection report."""

from datetime import date, datetime, time, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from bot.console.charts import horizontal_bars, stacked_days
from bot.console.context import Console
from bot.console.figures import collect
from bot.console.pages import Refusal
from bot.console.viewer import Viewer
from handlers.alerts.reports import inspect, render
from knowledge_base.answer_feedback import EntryFeedback, entry_feedback
from knowledge_base.catalog import entries_with_codes
from knowledge_base.departments import list_departments


def fared(
    session: Session, *, start: datetime, end: datetime, department_id: int | None
) -> list[tuple[str, str, EntryFeedback]]:
    """(code, question, figures) of the entries that answered in the period (of one
    department when given), the most often unhelpful first."""
    feedback = entry_feedback(session, start=start, end=end)
    rows = []
    for entry in entries_with_codes(session, codes=feedback, department_id=department_id):
        live = entry.live_version
        question = live.question if live is not None else entry.code
        rows.append((entry.code, question, feedback[entry.code]))
    rows.sort(key=lambda r: (-(r[2].unhelpful_share or 0), -r[2].answered, r[0]))
    return rows


def build(console: Console) -> APIRouter:
    """Routes of the dashboard and the weekly report."""
    router = APIRouter()
    tz = console.runtime.settings.tz
    clock = console.runtime.clock

    @router.get("/console/dashboard")
    def dashboard(
        request: Request,
        viewer: Annotated[Viewer, Depends(console.viewer)],
        days: int = 7,
        department: int | None = None,
    ) -> Response:
        days = min(max(days, 1), 90)
        now = clock.now()
        end = datetime.combine(clock.today() + timedelta(days=1), time(0), tz)
        start = end - timedelta(days=days)
        scope = viewer.scope() if viewer.scope() is not None else department

        def work(session: Session) -> dict[str, Any]:
            figures = collect(session, start=start, end=end, now=now, tz=tz, department_id=scope)
            return {
                "figures": figures,
                "entry_feedback": fared(session, start=start, end=end, department_id=scope),
                "departments": list_departments(session) if viewer.all_departments else [],
            }

        data = console.run(work)
        figures = data["figures"]
        charts = [
            stacked_days(figures.days, figures.per_day, "每日群众留言（按渠道）"),
            horizontal_bars(figures.outcomes, "智能助手答复方式占比", "次"),
            horizontal_bars(
                [(f"{q}", n) for _, q, n in figures.top_questions], "最常被问的问题", "次"
            ),
            horizontal_bars(
                [(g.text, g.count) for g in figures.top_unanswered], "最常见的未答问题", "次"
            ),
        ]
        return console.pages.render(
            request,
            "dashboard.html",
            viewer,
            days=days,
            department=department,
            charts=charts,
            **data,
        )

    @router.get("/console/report")
    def weekly_report(
        request: Request,
        viewer: Annotated[Viewer, Depends(console.viewer)],
        week_end: date | None = None,
    ) -> Response:
        if not viewer.sees_report:
            raise Refusal(403, "每周检查报告面向主管单位，您的角色不能查看。")
        last_day = week_end or clock.today() - timedelta(days=1)
        end = datetime.combine(last_day + timedelta(days=1), time(0), tz)
        start = end - timedelta(days=7)
        now = clock.now()

        def work(session: Session) -> dict[str, Any]:
            report = inspect(session, start=start, end=end, now=now)
            figures = collect(session, start=start, end=end, now=now, tz=tz, department_id=None)
            return {"report": report, "figures": figures}

        data = console.run(work)
        title = f"{start.date().isoformat()} 至 {last_day.isoformat()}："
        return console.pages.render(
            request,
            "report.html",
            viewer,
            first_day=start.date(),
            last_day=last_day,
            text=render(data["report"], title),
            chart=stacked_days(data["figures"].days, data["figures"].per_day, "每日群众留言"),
            **data,
        )

    return router
