"""The hotline operators' look-up page (`/console/lookup`): ask, read the answer, copy it, mark
how the call ended. Every look-up is logged with its text masked."""

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from bot.console.context import Console
from bot.console.lookup import referral_of, view_of
from bot.console.pages import Refusal
from bot.console.viewer import Viewer
from knowledge_base.errors import KbError
from knowledge_base.lookups import EntryFacts, entry_facts, mark_outcome, record_lookup
from knowledge_base.models import is_row_id
from knowledge_base.models.lookups import LookupOutcome
from knowledge_base.models.users import ConsoleRole
from nlu.privacy import mask_personal_data

PAGE = "/console/lookup"
OUTCOME_NOTES = {
    LookupOutcome.SATISFIED: "已记录：来电人满意。",
    LookupOutcome.TRANSFERRED: "已记录：已转接，该问题将进入未答问题列表。",
}


def build(console: Console) -> APIRouter:
    """Routes of the look-up page."""
    router = APIRouter()
    runtime = console.runtime
    decide_chars = runtime.settings.pipeline.decide_chars

    @router.get(PAGE)
    def empty_page(
        request: Request, viewer: Annotated[Viewer, Depends(console.viewer)]
    ) -> Response:
        return console.pages.render(request, "lookup.html", viewer, result=None, today=None)

    @router.post(PAGE)
    async def look_up(
        request: Request,
        viewer: Annotated[Viewer, Depends(console.writer)],
        # No form limit: a pasted long text is looked up by its beginning, never refused with a
        # JSON error (the body size limit still bounds it).
        question: Annotated[str, Form()] = "",
    ) -> Response:
        asked = question.strip()
        # As much of it as the chat decides on, so that the page shows the bot's own decision
        # (an emergency at the end of a long account included).
        masked = mask_personal_data(asked[:decide_chars])
        if not masked:
            return console.pages.redirect(request, PAGE, note="请输入来电人的问题。", error=True)
        # The county-wide view: no account's department, so every referral names its phone.
        decision = await runtime.knowledge.engine.decide(masked, department=None)
        code = decision.item.code if decision.kind == "answer" and decision.item else ""

        def work(session: Session) -> tuple[int, EntryFacts | None]:
            row = record_lookup(
                session,
                operator=viewer.username,
                operator_department=viewer.department_id,
                masked_text=masked,
                decision=decision.kind,
                entry_code=code,
                referral=referral_of(decision),
            )
            return row.id, entry_facts(session, code=code) if code else None

        lookup_id, facts = await console.run_async(work)
        result = view_of(decision, lookup_id=lookup_id, question=masked, facts=facts)
        shortened = f"问题较长，已按前 {decide_chars} 字查询。" if len(asked) > decide_chars else ""
        return console.pages.render(
            request,
            "lookup.html",
            viewer,
            result=result,
            today=runtime.clock.today(),
            shortened=shortened,
        )

    @router.post(PAGE + "/{lookup_id}/outcome")
    def outcome(
        request: Request,
        lookup_id: int,
        viewer: Annotated[Viewer, Depends(console.writer)],
        value: Annotated[str, Form(alias="outcome", max_length=16)] = "",
    ) -> Response:
        if value not in (LookupOutcome.SATISFIED, LookupOutcome.TRANSFERRED):
            raise Refusal(400, "请选择“来电人满意”或“已转接”。")
        if not is_row_id(lookup_id):
            raise Refusal(404, "没有这条查询记录。")
        chosen = LookupOutcome(value)
        try:
            console.run(
                lambda session: mark_outcome(
                    session,
                    lookup_id=lookup_id,
                    operator=viewer.username,
                    outcome=chosen,
                    any_operator=viewer.role is ConsoleRole.ADMIN,
                )
            )
        except KbError as exc:
            raise Refusal(404, str(exc)) from None
        return console.pages.redirect(request, PAGE, note=OUTCOME_NOTES[chosen])

    return router
