"""Pages of a list, for lists shown a screenful at a time in chat."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from tortoise.models import Model
from tortoise.queryset import QuerySet

T = TypeVar("T")
M = TypeVar("M", bound=Model)
PAGE_SIZE = 8


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    number: int
    """Zero-based."""
    total: int
    size: int = PAGE_SIZE

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def has_previous(self) -> bool:
        return self.number > 0

    @property
    def has_next(self) -> bool:
        return self.number + 1 < self.pages


async def paginate(query: QuerySet[M], number: int, size: int = PAGE_SIZE) -> Page[M]:
    """One page of an ordered query; a page past the end shows the last one."""
    total = await query.count()
    last = max(0, -(-total // size) - 1)
    number = min(max(number, 0), last)
    items = await query.offset(number * size).limit(size)
    return Page(list(items), number, total, size)
