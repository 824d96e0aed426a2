"""The API's ordering: DRF's, made total."""

from collections.abc import Sequence
from typing import Any

from django.db.models import QuerySet
from rest_framework import filters
from rest_framework.request import Request


class OrderingFilter(filters.OrderingFilter):
    """DRF's `ordering` parameter, with the primary key to break ties: sorted on a field many rows
    share (a start date, a city), the pages would otherwise come back in whatever order PostgreSQL
    finds them, and a row could show on two pages or on none. The key follows the direction of
    the first field, so `-start_date` lists the newest row of a day first. The views' own default
    orderings already end with the key."""

    def get_ordering(
        self, request: Request, queryset: QuerySet[Any], view: Any
    ) -> Sequence[str] | None:
        ordering = super().get_ordering(request, queryset, view)
        if not ordering or any(term.lstrip("-") in ("id", "pk") for term in ordering):
            return ordering
        return [*ordering, "-pk" if ordering[0].startswith("-") else "pk"]
