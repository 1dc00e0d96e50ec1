"""Tickets: the department's queue with deadlines, a conversation, replying, transferring to
another department (转办) and closing."""

import asyncio
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from bot.console.context import Console
from bot.console.pages import Refusal
from bot.console.ticket_queue import (
    CHANNEL_NAMES,
    KIND_NAMES,
    STATUS_NAMES,
    current_deadline,
    queue,
    urgency,
)
from bot.console.viewer import Viewer
from handlers.tickets.service import acknowledge, close, reply, transfer
from knowledge_base.departments import list_departments
from knowledge_base.errors import KbError
from knowledge_base.models import Message, Ticket, is_row_id

NOT_FOUND = "没有这个工单，或它不属于您的部门。"


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
        if not is_row_id(ticket_id):
            raise Refusal(404, NOT_FOUND)
        ticket = session.scalar(
            select(Ticket)
            .where(Ticket.id == ticket_id)
            .options(joinedload(Ticket.department), joinedload(Ticket.account))
        )
        if ticket is None or not viewer.sees(ticket.department_id):
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
            kinds=KIND_NAMES,
            statuses=STATUS_NAMES,
            channels=CHANNEL_NAMES,
            local=clock.show,
            **data,
        )

    @router.get("/console/tickets/{ticket_id}")
    def ticket_page(
        request: Request, ticket_id: int, viewer: Annotated[Viewer, Depends(console.viewer)]
    ) -> Response:
        may_see(viewer)

        def work(session: Session) -> dict[str, Any]:
            ticket = scoped_ticket(session, ticket_id, viewer)
            messages = list(
                session.scalars(
                    select(Message)
                    .where(Message.conversation_id == ticket.conversation_id)
                    .order_by(Message.id.desc())
                    .limit(200)
                )
            )
            due = current_deadline(ticket)
            return {
                "ticket": ticket,
                "departments": [
                    d for d in list_departments(session) if d.id != ticket.department_id
                ],
                "messages": list(reversed(messages)),
                "due": due,
                "urgency": urgency(due, clock.now(), tz),
            }

        data = console.run(work)
        return console.pages.render(
            request,
            "ticket.html",
            viewer,
            kinds=KIND_NAMES,
            statuses=STATUS_NAMES,
            channels=CHANNEL_NAMES,
            local=clock.show,
            **data,
        )

    async def check(viewer: Viewer, ticket_id: int) -> None:
        if not viewer.handles_tickets:
            raise Refusal(403, "只有值班人员可以处理工单。")
        await asyncio.to_thread(
            console.run, lambda session: scoped_ticket(session, ticket_id, viewer)
        )

    @router.post("/console/tickets/{ticket_id}/reply")
    async def send_reply(
        request: Request,
        ticket_id: int,
        viewer: Annotated[Viewer, Depends(console.writer)],
        text: Annotated[str, Form(max_length=4000)] = "",
    ) -> Response:
        await check(viewer, ticket_id)
        page = f"/console/tickets/{ticket_id}"
        try:
            outcome = await reply(
                database,
                request.app.state.channels,
                ticket_id=ticket_id,
                text=text,
                staff=viewer.username,
                deliveries=console.runtime.deliveries,
            )
        except KbError as exc:
            return console.pages.redirect(request, page, note=str(exc), error=True)
        if outcome.delivered:
            return console.pages.redirect(request, page, note="答复已送达群众。")
        return console.pages.redirect(
            request, page, note=f"答复未能送达：{outcome.detail}", error=True
        )

    @router.post("/console/tickets/{ticket_id}/transfer")
    async def move(
        request: Request,
        ticket_id: int,
        viewer: Annotated[Viewer, Depends(console.writer)],
        to: Annotated[str, Form(max_length=200)] = "",
        # Its limit is the service's, refused with a note on the page, not a JSON error.
        reason: Annotated[str, Form()] = "",
    ) -> Response:
        await check(viewer, ticket_id)
        page = f"/console/tickets/{ticket_id}"
        try:
            outcome = await transfer(
                database,
                request.app.state.channels,
                ticket_id=ticket_id,
                to=to,
                reason=reason,
                staff=viewer.username,
                deliveries=console.runtime.deliveries,
            )
        except KbError as exc:
            return console.pages.redirect(request, page, note=str(exc), error=True)
        told = "已告知群众" if outcome.told else f"未能告知群众：{outcome.detail}"
        note = f"工单 {ticket_id} 已转交{outcome.department}办理（{told}）。"
        # A department's duty staff no longer see a ticket moved elsewhere: back to the queue.
        target = page if viewer.all_departments else "/console/tickets"
        return console.pages.redirect(request, target, note=note, error=not outcome.told)

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
