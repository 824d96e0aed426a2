"""Links to many records of one kind at the cost of one reverse(): the rows of a long list."""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse

# An id no record has, reversed in place of a row's: the URL around it is every row's.
_PLACEHOLDER = 987654321987654321


def link_for_id(viewname: str) -> Callable[[int], str]:
    """`reverse(viewname, args=[pk])` for each pk, reversed once: for views taking one integer
    id. reverse() looks up the URL configuration, the script prefix and the language on every
    call: the 25 rows' {% url %} were 6.7% of the searched caseload list's Python time under
    load, and 1.8% with this (py-spy, bench/pages.py)."""
    before, after = reverse(viewname, args=[_PLACEHOLDER]).split(str(_PLACEHOLDER))
    return lambda pk: f"{before}{int(pk)}{after}"
