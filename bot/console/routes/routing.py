"""The routing page: how well the department classifier routes (its cross-validated accuracy
per department and confusion matrix), the newest labelled examples, and retraining status."""

import json
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from bot.console.charts import confusion_matrix, horizontal_bars
from bot.console.context import Console
from bot.console.viewer import Viewer
from handlers.routing_training import new_examples
from knowledge_base.models.routing import RoutingExample
from knowledge_base.routing_examples import newest_examples
from nlu.department_model import newest_card
from nlu.privacy import mask_personal_data

SOURCE_NAMES = {"import": "历史导入", "transfer": "工作人员转办", "closed": "工单办结"}
NEWEST = 30


def _card(models: Path | None) -> dict[str, Any] | None:
    """The newest model's card, or None (no model, or unreadable: routing is zero-shot)."""
    path = newest_card(models) if models else None
    if path is None:
        return None
    try:
        card: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return card


def build(console: Console) -> APIRouter:
    """Route of the routing page."""
    router = APIRouter()
    runtime = console.runtime
    settings = runtime.settings.nlu

    @router.get("/console/routing")
    def routing_page(
        request: Request, viewer: Annotated[Viewer, Depends(console.viewer)]
    ) -> Response:
        card = _card(settings.routing_models)
        figures = (card or {}).get("cross_validated") or None
        charts = []
        if figures:
            per_department = sorted(
                figures["per_department"].items(), key=lambda kv: kv[1], reverse=True
            )
            charts.append(
                horizontal_bars(
                    [(d, round(a * 100)) for d, a in per_department],
                    "各部门分派准确率（交叉验证）",
                    "%",
                )
            )
            confusion = figures.get("confusion")
            if confusion:
                charts.append(
                    confusion_matrix(
                        confusion["labels"],
                        confusion["counts"],
                        "分派混淆矩阵（行：应办部门；列：模型分派的部门）",
                    )
                )

        def work(session: Session) -> list[RoutingExample]:
            # Citizens' words stay within the department that handles them.
            own = None if viewer.all_departments else viewer.department_name
            return newest_examples(session, limit=NEWEST, department=own)

        examples = console.run(work)
        trained_at = card.get("trained_at") if card else None
        return console.pages.render(
            request,
            "routing.html",
            viewer,
            card=card,
            figures=figures,
            charts=charts,
            trained_at=runtime.clock.show(datetime.fromisoformat(trained_at)) if trained_at else "",
            arrived=new_examples(runtime.database, settings),
            threshold=settings.routing_retrain_examples,
            examples=[
                {
                    "when": runtime.clock.show(e.created_at),
                    "source": SOURCE_NAMES.get(e.source, e.source),
                    "department": e.department,
                    "text": mask_personal_data(e.text),
                }
                for e in examples
            ],
        )

    return router
