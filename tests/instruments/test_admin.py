"""The catalogue and the budgets in /beheer/: a budget change asks for the reason and is logged."""

from decimal import Decimal

import pytest
from django.urls import reverse

from instruments.models import Budget, BudgetChange, Instrument

pytestmark = pytest.mark.django_db


def test_the_application_manager_edits_the_catalogue(client, application_manager):
    client.force_login(application_manager)
    instrument = Instrument.objects.get(name="Loonkostensubsidie")
    assert (
        client.get(reverse("admin:instruments_instrument_change", args=[instrument.pk])).status_code
        == 200
    )
    assert client.get(reverse("admin:instruments_budgetchange_changelist")).status_code == 200


def test_a_budget_change_in_the_admin_needs_a_reason_and_is_logged(client, application_manager):
    client.force_login(application_manager)
    budget = Budget.objects.filter(line__code="participatie").first()
    url = reverse("admin:instruments_budget_change", args=[budget.pk])
    data = {"line": budget.line_id, "year": budget.year, "amount": "6500000.00"}
    response = client.post(url, data)
    assert response.status_code == 200  # the reason is missing
    assert not BudgetChange.objects.exists()
    response = client.post(url, {**data, "change_reason": "Meicirculaire"})
    assert response.status_code == 302
    change = BudgetChange.objects.get()
    assert (change.old_amount, change.new_amount, change.reason, change.changed_by) == (
        budget.amount,
        Decimal("6500000.00"),
        "Meicirculaire",
        application_manager,
    )


@pytest.mark.parametrize("user", ["consultant_a", "manager_a", "policy_officer"])
def test_other_roles_do_not_edit_budgets(client, request, user):
    client.force_login(request.getfixturevalue(user))
    response = client.get(reverse("admin:instruments_budget_changelist"))
    assert response.status_code == 302
