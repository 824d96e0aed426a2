"""Writes of plans and agreements (clients.plans.services)."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from clients.models import (
    Agreement,
    AgreementReview,
    AgreementStatus,
    Conversation,
    ConversationKind,
    Responsible,
)
from clients.plans import selectors, services
from tests.clients.plan_factories import AgreementFactory, PlanFactory

pytestmark = pytest.mark.django_db

DAY = datetime.date(2025, 6, 15)


def draft(description, due_date=DAY):
    return Agreement(description=description, responsible=Responsible.CLIENT, due_date=due_date)


def test_draw_up_plan_saves_the_plan_and_its_agreements(client_a, consultant_a):
    plan = services.draw_up_plan(
        client=client_a,
        drawn_up_by=consultant_a,
        drawn_up_on=DAY,
        goals="Work",
        agreements=[draft("One"), draft("Two")],
    )
    assert selectors.current_plan(client_a) == plan
    assert sorted(plan.agreements.values_list("description", flat=True)) == ["One", "Two"]


def test_a_plan_on_the_same_day_as_the_current_one_becomes_current(client_a, consultant_a):
    first = PlanFactory(client=client_a, drawn_up_on=DAY)
    second = services.draw_up_plan(
        client=client_a, drawn_up_by=consultant_a, drawn_up_on=DAY, goals="Again"
    )
    assert selectors.current_plan(client_a) == second != first


def test_a_plan_dated_before_the_current_one_is_refused(client_a, consultant_a):
    PlanFactory(client=client_a, drawn_up_on=DAY)
    with pytest.raises(ValidationError) as error:
        services.draw_up_plan(
            client=client_a,
            drawn_up_by=consultant_a,
            drawn_up_on=DAY - datetime.timedelta(days=1),
            goals="Older",
        )
    assert "drawn_up_on" in error.value.message_dict


def test_update_plan_refuses_to_change_closed_agreements():
    done = AgreementFactory(status=AgreementStatus.DONE)
    done.description = "Rewritten history"
    with pytest.raises(ValidationError):
        services.update_plan(plan=done.plan, goals="G", save=[done])
    done.refresh_from_db()
    assert done.description != "Rewritten history"


def test_update_plan_refuses_agreements_of_another_plan():
    mine = PlanFactory()
    theirs = AgreementFactory()
    with pytest.raises(ValidationError):
        services.update_plan(plan=mine, goals="G", remove=[theirs])
    with pytest.raises(ValidationError):
        services.update_plan(plan=mine, goals="G", save=[theirs])
    assert Agreement.objects.filter(pk=theirs.pk, plan=theirs.plan).exists()


def test_update_plan_keeps_agreements_discussed_in_a_conversation(consultant_a):
    agreement = AgreementFactory(plan=PlanFactory(drawn_up_by=consultant_a))
    conversation = Conversation.objects.create(
        client=agreement.plan.client,
        kind=ConversationKind.PROGRESS,
        held_on=DAY,
        consultant=consultant_a,
    )
    AgreementReview.objects.create(
        conversation=conversation, agreement=agreement, status=AgreementStatus.OPEN
    )
    with pytest.raises(ValidationError):
        services.update_plan(plan=agreement.plan, goals="G", remove=[agreement])
    assert Agreement.objects.filter(pk=agreement.pk).exists()


def test_set_agreement_status_needs_a_reason_for_missed():
    agreement = AgreementFactory()
    with pytest.raises(ValidationError) as error:
        services.set_agreement_status(agreement=agreement, status="missed", on=DAY)
    assert "missed_reason" in error.value.message_dict
    services.set_agreement_status(agreement=agreement, status="missed", on=DAY, missed_reason="Ill")
    services.set_agreement_status(agreement=agreement, status="open", on=DAY)
    agreement.refresh_from_db()
    assert (agreement.status, agreement.missed_reason) == ("open", "")


def test_record_signatures():
    plan = PlanFactory(drawn_up_on=DAY)
    services.record_signatures(plan=plan, client_signed_on=DAY, municipality_signed_on=None)
    plan.refresh_from_db()
    assert (plan.client_signed_on, plan.municipality_signed_on) == (DAY, None)
