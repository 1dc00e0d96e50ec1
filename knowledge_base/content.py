"""Validation of the fields an editor writes, shared by the workflow and by imports."""

from __future__ import annotations

from datetime import date
from typing import Any, Self

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

MAX_QUESTION = 2_000
MAX_WORDING = 500
MAX_ANSWER = 50_000


class EntryContent(BaseModel):
    """Question, wordings, answer and metadata of one entry, cleaned and checked."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    question: str = Field(min_length=1, max_length=MAX_QUESTION)
    # An empty answer is allowed in a draft (real files have such rows) but never published.
    answer: str = Field(default="", max_length=MAX_ANSWER)
    alternates: list[str] = Field(default_factory=list)
    tags: list[str] = Field(default_factory=list)
    source_title: str = Field(default="", max_length=300)
    source_url: str = Field(default="", max_length=1000)
    valid_from: date | None = None
    valid_until: date | None = None

    @field_validator("alternates", "tags", mode="before")
    @classmethod
    def _split_text_lists(cls, value: Any) -> Any:
        # Spreadsheets and CSV carry lists as one cell, one item per line.
        if value is None:
            return []
        if isinstance(value, str):
            return [part for part in value.splitlines()]
        return value

    @field_validator("alternates", "tags")
    @classmethod
    def _clean_list(cls, value: list[str]) -> list[str]:
        seen: dict[str, None] = {}
        for item in value:
            if not isinstance(item, str):
                raise ValueError("每一项都必须是文字")
            text = item.strip()
            if len(text) > MAX_WORDING:
                raise ValueError(f"单项不能超过{MAX_WORDING}字")
            if text:
                seen.setdefault(text, None)
        return list(seen)

    @field_validator("source_url")
    @classmethod
    def _check_url(cls, value: str) -> str:
        if value and not value.startswith(("http://", "https://")):
            raise ValueError("来源链接必须以 http:// 或 https:// 开头")
        return value

    @model_validator(mode="after")
    def _check_dates(self) -> Self:
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            raise ValueError("有效期截止日期早于起始日期")
        self.alternates = [a for a in self.alternates if a != self.question]
        return self

    def as_columns(self) -> dict[str, Any]:
        """The values as model column keyword arguments."""
        return self.model_dump()
