"""SQLAlchemy 2.0 models of the knowledge base; importing this package registers every table."""

from knowledge_base.models.accounts import Account, AccountStatus, Filing, FilingAction, Platform
from knowledge_base.models.audit import AuditRecord
from knowledge_base.models.base import Base
from knowledge_base.models.departments import Department, DepartmentKind, FallbackContact
from knowledge_base.models.entries import DraftState, Entry, EntryDraft, EntryStatus, EntryVersion
from knowledge_base.models.synonyms import SynonymGroupRow

__all__ = [
    "Account",
    "AccountStatus",
    "AuditRecord",
    "Base",
    "Department",
    "DepartmentKind",
    "DraftState",
    "Entry",
    "EntryDraft",
    "EntryStatus",
    "EntryVersion",
    "FallbackContact",
    "Filing",
    "FilingAction",
    "Platform",
    "SynonymGroupRow",
]
