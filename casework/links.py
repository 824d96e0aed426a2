"""Links to many records of one kind at the cost of one reverse(): the rows of a long list."""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse

# A number whose digits appear nowhere else in a URL: split on, it leaves what surrounds the id.
_PLACEHOLDER = 987654321987654321


def link_for_id(viewname: str) -> Callable[[int], str]:
    """`reverse(viewname, args=[pk])` for each pk, reversed once: for views taking one id through
    the int converter (`<int:pk>`), which writes it as its digits. Call it in the view, once per
    request: the URL begins with the request's script prefix. reverse() looks up the URL
    configuration, the script prefix and the language on every call: the 25 rows' {% url %} were
    6.7% of the searched caseload list's Python time under load, and 1.8% with this (py-spy,
    bench/pages.py)."""
    before, after = reverse(viewname, args=[_PLACEHOLDER]).split(str(_PLACEHOLDER))
    return lambda pk: f"{before}{int(pk)}{after}"
