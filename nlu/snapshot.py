"""Read-only view of the knowledge base that answer engines index.

The knowledge base package builds a `KbSnapshot` from published, currently valid entry versions;
engines never touch the database themselves, so they can be rebuilt in the background and swapped.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class KbItem:
    """One published entry version as citizens may see it."""

    code: str
    question: str
    answer: str
    department: str
    alternates: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    source_title: str = ""
    source_url: str = ""


@dataclass(frozen=True, slots=True)
class SynonymGroup:
    """Words that mean the same thing; `department` None means the group applies everywhere."""

    canonical: str
    variants: tuple[str, ...]
    department: str | None = None


@dataclass(frozen=True, slots=True)
class DirectoryDepartment:
    """A department in the referral directory: what it handles and how to reach it.

    `aliases` are the other names citizens call it by (城管 for 综合行政执法局, 派出所 for
    公安局): a message naming one is that department's business.
    """

    name: str
    remit: str
    phone: str = ""
    address: str = ""
    hours: str = ""
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Fallback:
    """Where citizens go when no department fits (the 12345 hotline)."""

    name: str = "12345政务服务便民热线"
    phone: str = "12345"
    hours: str = "全天24小时"
    note: str = ""


@dataclass(frozen=True, slots=True)
class Directory:
    """The referral directory: departments plus the fallback hotline."""

    departments: tuple[DirectoryDepartment, ...] = ()
    fallback: Fallback = field(default_factory=Fallback)


@dataclass(frozen=True, slots=True)
class KbSnapshot:
    """Everything an engine indexes; `revision` changes whenever published content changes."""

    items: tuple[KbItem, ...]
    synonyms: tuple[SynonymGroup, ...] = ()
    directory: Directory = field(default_factory=Directory)
    revision: str = ""
