"""Paginators that spare a page its own COUNT query."""

from functools import cached_property
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet, Window

# The column each row of a WindowCountPaginator's page is read with: the number of all rows.
TOTAL = "pagination_total"
MAX_PAGE = 1_000_000


class WindowCountPaginator(Paginator):
    """A paginator of a values() queryset that reads a page's rows and the number of all rows in
    one query: COUNT(*) OVER (), which PostgreSQL computes over the rows the page is cut from.
    Django's asks for the count first, in a query of its own, which read a searched caseload's
    matching clients twice (bench/pages.py).

    Only for a list narrowed by an index (a search, a consultant's caseload): the window makes
    PostgreSQL read every row of the list, where Django's page query reads the first rows of an
    index in order. A page past the end (no row to carry the count) and a DISTINCT query (the
    window counts before DISTINCT) are left to Django's way, as is a page number past MAX_PAGE."""

    object_list: QuerySet[Any, dict[str, Any]]

    def get_page(self, number: Any) -> Page:
        try:
            wanted = int(number)
        except (TypeError, ValueError):
            wanted = 1  # as Django: what is not a number is the first page
        # Past MAX_PAGE, Django's way, which compares the number with the count before it asks
        # for rows: an offset too large for PostgreSQL's bigint failed the page's query.
        in_range = 1 <= wanted <= MAX_PAGE
        if in_range and not self.orphans and not self.object_list.query.distinct:
            bottom = (wanted - 1) * self.per_page
            counted = self.object_list.annotate(**{TOTAL: Window(Count("*"))})
            rows = list(counted[bottom : bottom + self.per_page])
            if rows or wanted == 1:
                self.count = rows[0][TOTAL] if rows else 0
                for row in rows:
                    del row[TOTAL]
                return Page(rows, wanted, self)
        return super().get_page(number)


class KnownCountPaginator(Paginator):
    """A paginator told the number of rows, so it does not COUNT the whole queue a second time
    (the work queue's queue_counts has already counted it)."""

    def __init__(self, object_list: Any, per_page: int, *, count: int) -> None:
        super().__init__(object_list, per_page)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count
