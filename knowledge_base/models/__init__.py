"""SQLAlchemy 2.0 models of the knowledge base; importing this package registers every table."""

from knowledge_base.models import (  # noqa: F401 - console tables
    comments,
    feedback,
    lookups,
    routing,
    unanswered,
    users,
    vectors,
)
from knowledge_base.models.accounts import Account, AccountStatus, Filing, FilingAction, Platform
from knowledge_base.models.alerts import Alert, AlertStatus
from knowledge_base.models.audit import AuditRecord
from knowledge_base.models.base import ROW_ID_MAX, Base, is_row_id
from knowledge_base.models.conversations import (
    Conversation,
    ConversationMode,
    Delivery,
    Direction,
    Message,
)
from knowledge_base.models.departments import Department, DepartmentKind, FallbackContact
from knowledge_base.models.entries import DraftState, Entry, EntryDraft, EntryStatus, EntryVersion
from knowledge_base.models.posts import AccountFlag, Post
from knowledge_base.models.staff import DutyShift, Staff, StaffRole
from knowledge_base.models.synonyms import SynonymGroupRow
from knowledge_base.models.tickets import Ticket, TicketKind, TicketStatus

__all__ = [
    "ROW_ID_MAX",
    "Account",
    "AccountFlag",
    "AccountStatus",
    "Alert",
    "AlertStatus",
    "AuditRecord",
    "Base",
    "Conversation",
    "ConversationMode",
    "Delivery",
    "Department",
    "DepartmentKind",
    "Direction",
    "DraftState",
    "DutyShift",
    "Entry",
    "EntryDraft",
    "EntryStatus",
    "EntryVersion",
    "FallbackContact",
    "Filing",
    "FilingAction",
    "Message",
    "Platform",
    "Post",
    "Staff",
    "StaffRole",
    "SynonymGroupRow",
    "Ticket",
    "TicketKind",
    "TicketStatus",
    "is_row_id",
]
