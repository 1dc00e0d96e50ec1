"""Tickets: the department's queue with deadlines, a conversation, replying, transferring to
another department (转办) and closing."""

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from bot.console.context import Console
from bot.console.pages import Refusal
from bot.console.ticket_queue import (
    CHANNEL_NAMES,
    STATUS_NAMES,
    author_name,
    current_deadline,
    queue,
    urgency,
)
from bot.console.viewer import Viewer
from handlers.tickets.service import (
    ReplyOutcome,
    TransferOutcome,
    acknowledge,
    close,
    reply,
    transfer,
)
from knowledge_base.conversations import latest_messages
from knowledge_base.departments import list_departments
from knowledge_base.errors import KbError, NotFound
from knowledge_base.models import Ticket
from knowledge_base.tickets import TICKET_KIND_NAMES, get_ticket

NOT_FOUND = "没有这个工单，或它不属于您的部门。"
SHOWN_MESSAGES = 200  # a ticket's page shows the conversation's newest messages

Outcome = TypeVar("Outcome")


@dataclass(frozen=True, slots=True)
class Note:
    """What a staff member is told after a step, and where they go (the ticket's page when
    `target` is None)."""

    text: str
    error: bool = False
    target: str | None = None


def build(console: Console) -> APIRouter:
    """Routes of the ticket queue."""
    router = APIRouter()
    tz = console.runtime.settings.tz
    clock = console.runtime.clock
    database = console.runtime.database

    def may_see(viewer: Viewer) -> None:
        if not viewer.sees_tickets:
            raise Refusal(403, "人工工单由值班人员处理，您的角色不能查看。")

    def scoped_ticket(session: Session, ticket_id: int, viewer: Viewer) -> Ticket:
        try:
            ticket = get_ticket(session, ticket_id=ticket_id)
        except NotFound:
            raise Refusal(404, NOT_FOUND) from None
        if not viewer.sees(ticket.department_id):
            raise Refusal(404, NOT_FOUND)
        return ticket

    @router.get("/console/tickets")
    def ticket_list(
        request: Request,
        viewer: Annotated[Viewer, Depends(console.viewer)],
        view: str = "waiting",
        department: int | None = None,
    ) -> Response:
        may_see(viewer)
        now = clock.now()

        def work(session: Session) -> dict[str, Any]:
            return {
                "items": queue(
                    session, viewer=viewer, view=view, department_id=department, now=now, tz=tz
                ),
                "departments": list_departments(session) if viewer.all_departments else [],
            }

        data = console.run(work)
        return console.pages.render(
            request,
            "tickets.html",
            viewer,
            view=view,
            department=department,
            kinds=TICKET_KIND_NAMES,
            statuses=STATUS_NAMES,
            channels=CHANNEL_NAMES,
            local=clock.show,
            **data,
        )

    def ticket_view(
        request: Request,
        viewer: Viewer,
        ticket_id: int,
        *,
        problem: str = "",
        typed: dict[str, str] | None = None,
    ) -> Response:
        """The ticket's page; after a refused step, with the problem and what was typed."""

        def work(session: Session) -> dict[str, Any]:
            ticket = scoped_ticket(session, ticket_id, viewer)
            due = current_deadline(ticket)
            return {
                "ticket": ticket,
                "departments": [
                    d for d in list_departments(session) if d.id != ticket.department_id
                ],
                "messages": latest_messages(
                    session, conversation_id=ticket.conversation_id, limit=SHOWN_MESSAGES
                ),
                "due": due,
                "urgency": urgency(due, clock.now(), tz),
            }

        data = console.run(work)
        return console.pages.render(
            request,
            "ticket.html",
            viewer,
            status=400 if problem else 200,
            kinds=TICKET_KIND_NAMES,
            statuses=STATUS_NAMES,
            channels=CHANNEL_NAMES,
            local=clock.show,
            author_name=author_name,
            problem=problem,
            typed=typed or {},
            **data,
        )

    @router.get("/console/tickets/{ticket_id}")
    def ticket_page(
        request: Request, ticket_id: int, viewer: Annotated[Viewer, Depends(console.viewer)]
    ) -> Response:
        may_see(viewer)
        return ticket_view(request, viewer, ticket_id)

    async def check(viewer: Viewer, ticket_id: int) -> None:
        if not viewer.handles_tickets:
            raise Refusal(403, "只有值班人员可以处理工单。")
        await asyncio.to_thread(
            console.run, lambda session: scoped_ticket(session, ticket_id, viewer)
        )

    async def delivering(
        request: Request,
        viewer: Viewer,
        ticket_id: int,
        service: Callable[..., Awaitable[Outcome]],
        told: Callable[[Outcome], Note],
        **fields: str,
    ) -> Response:
        """A step that may reach the citizen (a reply, a transfer notice), then its note; a
        refused step shows the page again with what was typed kept."""
        await check(viewer, ticket_id)
        page = f"/console/tickets/{ticket_id}"
        try:
            outcome = await service(
                database,
                request.app.state.channels,
                ticket_id=ticket_id,
                staff=viewer.username,
                deliveries=console.runtime.deliveries,
                **fields,
            )
        except KbError as exc:
            return await asyncio.to_thread(
                ticket_view, request, viewer, ticket_id, problem=str(exc), typed=fields
            )
        note = told(outcome)
        return console.pages.redirect(
            request, note.target or page, note=note.text, error=note.error
        )

    @router.post("/console/tickets/{ticket_id}/reply")
    async def send_reply(
        request: Request,
        ticket_id: int,
        viewer: Annotated[Viewer, Depends(console.writer)],
        # Its limit is the service's, refused on the page with the text kept, not a JSON error.
        text: Annotated[str, Form()] = "",
    ) -> Response:
        def told(outcome: ReplyOutcome) -> Note:
            if outcome.delivered:
                return Note("答复已送达群众。")
            return Note(f"答复未能送达：{outcome.detail}", error=True)

        return await delivering(request, viewer, ticket_id, reply, told, text=text)

    @router.post("/console/tickets/{ticket_id}/transfer")
    async def move(
        request: Request,
        ticket_id: int,
        viewer: Annotated[Viewer, Depends(console.writer)],
        to: Annotated[str, Form(max_length=200)] = "",
        # As the reply's text: the service's limit, refused on the page with the reason kept.
        reason: Annotated[str, Form()] = "",
    ) -> Response:
        def told(outcome: TransferOutcome) -> Note:
            told = "已告知群众" if outcome.told else f"未能告知群众：{outcome.detail}"
            return Note(
                f"工单 {ticket_id} 已转交{outcome.department}办理（{told}）。",
                error=not outcome.told,
                # A department's duty staff no longer see a ticket moved elsewhere: back to
                # the queue.
                target=None if viewer.all_departments else "/console/tickets",
            )

        return await delivering(request, viewer, ticket_id, transfer, told, to=to, reason=reason)

    @router.post("/console/tickets/{ticket_id}/acknowledge")
    async def take(
        request: Request, ticket_id: int, viewer: Annotated[Viewer, Depends(console.writer)]
    ) -> Response:
        await check(viewer, ticket_id)
        page = f"/console/tickets/{ticket_id}"
        try:
            await asyncio.to_thread(
                acknowledge,
                database,
                ticket_id=ticket_id,
                staff=viewer.username,
                clock=console.runtime.clock,
            )
        except KbError as exc:
            return console.pages.redirect(request, page, note=str(exc), error=True)
        return console.pages.redirect(request, page, note="已受理，请在时限内答复群众。")

    @router.post("/console/tickets/{ticket_id}/close")
    async def finish(
        request: Request, ticket_id: int, viewer: Annotated[Viewer, Depends(console.writer)]
    ) -> Response:
        await check(viewer, ticket_id)
        await asyncio.to_thread(
            close, database, ticket_id=ticket_id, staff=viewer.username, clock=console.runtime.clock
        )
        return console.pages.redirect(
            request, "/console/tickets", note=f"工单 {ticket_id} 已关闭，该对话恢复由智能助手答复。"
        )

    return router
