"""The ticket queue: which tickets a user sees, and how urgent each one is."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from bot.console.viewer import Viewer
from handlers.deliveries import STAFF_PREFIX
from knowledge_base.models import Direction, Message, Ticket, TicketStatus
from knowledge_base.tickets import tickets_in

# The channel a citizen wrote on, as staff say it.
CHANNEL_NAMES = {
    "web": "网站",
    "wechat": "微信",
    "weibo": "微博",
    "telegram": "Telegram",
    "console": "命令行",
}
STATUS_NAMES = {
    "open": "待受理",
    "acknowledged": "已受理",
    "answered": "已答复",
    "closed": "已关闭",
}
SHOWN_TICKETS = 500  # the queue shows the oldest tickets of a view
VIEWS = {
    "waiting": (TicketStatus.OPEN, TicketStatus.ACKNOWLEDGED),
    "answered": (TicketStatus.ANSWERED,),
    "closed": (TicketStatus.CLOSED,),
}


@dataclass(frozen=True, slots=True)
class QueueItem:
    """A ticket with the deadline that matters now and its urgency."""

    ticket: Ticket
    due: datetime | None
    urgency: str  # "overdue", "today" or ""

    @property
    def urgency_name(self) -> str:
        """The urgency in Chinese."""
        return {"overdue": "已超期", "today": "今日到期"}.get(self.urgency, "")


def author_name(message: Message) -> str:
    """Who wrote a message of a ticket's conversation, as staff say it."""
    if message.direction is Direction.IN:
        return "群众"
    if message.author.startswith(STAFF_PREFIX):
        return f"工作人员 {message.author.removeprefix(STAFF_PREFIX)}"
    return "智能助手"


def current_deadline(ticket: Ticket) -> datetime | None:
    """First response until someone answered, then resolution; none once closed."""
    if ticket.status is TicketStatus.CLOSED:
        return None
    return ticket.first_response_due if ticket.first_response_at is None else ticket.resolution_due


def urgency(due: datetime | None, now: datetime, tz: ZoneInfo) -> str:
    """Overdue (red), due today in the county (amber), or not urgent."""
    if due is None:
        return ""
    if due <= now:
        return "overdue"
    return "today" if due.astimezone(tz).date() == now.astimezone(tz).date() else ""


def queue(
    session: Session,
    *,
    viewer: Viewer,
    view: str,
    department_id: int | None,
    now: datetime,
    tz: ZoneInfo,
) -> list[QueueItem]:
    """Tickets in the user's scope, the most urgent first."""
    scope = viewer.scope()
    tickets = tickets_in(
        session,
        statuses=VIEWS.get(view, VIEWS["waiting"]),
        department_id=scope if scope is not None else department_id,
        limit=SHOWN_TICKETS,
    )
    items = []
    for ticket in tickets:
        due = current_deadline(ticket)
        items.append(QueueItem(ticket, due, urgency(due, now, tz)))
    far = datetime.max.replace(tzinfo=now.tzinfo)
    return sorted(items, key=lambda i: i.due or far)
