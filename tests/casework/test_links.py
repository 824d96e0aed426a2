"""link_for_id: the links of a list's rows, each as reverse() makes it."""

import pytest
from django.urls import clear_script_prefix, reverse, set_script_prefix

from casework.links import link_for_id


@pytest.mark.parametrize("viewname", ["clients:detail", "plans:detail", "meetings:detail"])
def test_each_link_is_as_reverse_makes_it(viewname):
    link = link_for_id(viewname)
    for pk in (1, 7, 10, 4567, 987654321, 2**40):
        assert link(pk) == reverse(viewname, args=[pk])


def test_under_a_script_prefix():
    # Behind a proxy that serves the product under a path (SCRIPT_NAME).
    set_script_prefix("/werk/")
    try:
        link = link_for_id("clients:detail")
        assert link(12) == reverse("clients:detail", args=[12]) == "/werk/clienten/12/"
    finally:
        clear_script_prefix()
