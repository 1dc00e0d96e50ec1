"""Staff API routes: acknowledge, answer, transfer (转办) and close tickets; record posts."""

from __future__ import annotations

import asyncio
from dataclasses import asdict
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request
from pydantic import BaseModel, Field

from bot.api.auth import require_staff_token
from handlers.tickets import service
from knowledge_base.activity import PostRow, record_post
from knowledge_base.errors import KbError, NotFound
from knowledge_base.staff import find_active_staff


class TicketReply(BaseModel):
    """A staff member's answer to the citizen."""

    text: str = Field(min_length=1, max_length=service.MAX_REPLY_CHARS)
    staff: str = Field(min_length=1, max_length=100)


class TicketTransfer(BaseModel):
    """Moving a ticket to another department: which one, why, and who (a person on the roster,
    by code or name, so the audit names someone real)."""

    to: str = Field(min_length=1, max_length=200)
    reason: str = Field(min_length=1, max_length=service.MAX_REASON_CHARS)
    staff: str = Field(min_length=1, max_length=100)


class StaffAction(BaseModel):
    """Who acknowledges or closes a ticket."""

    staff: str = Field(min_length=1, max_length=100)


def _failure(exc: KbError) -> HTTPException:
    return HTTPException(404 if isinstance(exc, NotFound) else 409, detail=str(exc))


def staff_router() -> APIRouter:
    """Routes under /api/staff, all requiring the bearer token."""
    router = APIRouter(prefix="/api/staff", dependencies=[Depends(require_staff_token)])

    @router.post("/tickets/{ticket_id}/reply")
    async def reply(ticket_id: int, body: TicketReply, request: Request) -> dict[str, Any]:
        runtime = request.app.state.runtime
        staff = await _on_roster(request, body.staff)
        try:
            outcome = await service.reply(
                runtime.database,
                request.app.state.channels,
                ticket_id=ticket_id,
                text=body.text,
                staff=staff,
                deliveries=runtime.deliveries,
            )
        except KbError as exc:
            raise _failure(exc) from None
        return asdict(outcome)

    @router.post("/tickets/{ticket_id}/transfer")
    async def transfer(ticket_id: int, body: TicketTransfer, request: Request) -> dict[str, Any]:
        runtime = request.app.state.runtime
        staff = await _on_roster(request, body.staff)
        try:
            outcome = await service.transfer(
                runtime.database,
                request.app.state.channels,
                ticket_id=ticket_id,
                to=body.to.strip(),
                reason=body.reason,
                staff=staff,
                deliveries=runtime.deliveries,
            )
        except KbError as exc:
            raise _failure(exc) from None
        return asdict(outcome)

    @router.post("/tickets/{ticket_id}/ack")
    async def acknowledge(ticket_id: int, body: StaffAction, request: Request) -> dict[str, Any]:
        return await _status(request, service.acknowledge, ticket_id, body.staff)

    @router.post("/tickets/{ticket_id}/close")
    async def close(ticket_id: int, body: StaffAction, request: Request) -> dict[str, Any]:
        return await _status(request, service.close, ticket_id, body.staff)

    @router.post("/posts")
    async def post(body: PostRow, request: Request) -> dict[str, Any]:
        runtime = request.app.state.runtime

        def save() -> tuple[int, bool]:
            with runtime.database.session() as session:
                stored, new = record_post(session, body, source="api", actor="api")
                return stored.id, new

        try:
            post_id, new = await asyncio.to_thread(save)
        except KbError as exc:
            raise _failure(exc) from None
        return {"id": post_id, "new": new}

    return router


async def _on_roster(request: Request, key: str) -> str:
    """The name of the active person on the roster whose code or name is `key`; anyone else
    is refused with 403 (the token is right, the person named may not act; 401 is for the
    token), so a ticket and its audit only ever name someone real."""
    runtime = request.app.state.runtime

    def person() -> str | None:
        with runtime.database.session() as session:
            found = find_active_staff(session, key=key.strip())
            return found.name if found is not None else None

    staff = await asyncio.to_thread(person)
    if staff is None:
        raise HTTPException(403, detail=f"人员 {key} 不在工作人员名单中")
    return staff


async def _status(request: Request, action: Any, ticket_id: int, staff: str) -> dict[str, Any]:
    staff = await _on_roster(request, staff)
    try:
        runtime = request.app.state.runtime
        ticket = await asyncio.to_thread(
            action, runtime.database, ticket_id=ticket_id, staff=staff, clock=runtime.clock
        )
    except KbError as exc:
        raise _failure(exc) from None
    return {"id": ticket.id, "status": ticket.status.value}
