import datetime

import factory

from clients.models import Agreement, AgreementStatus, Plan, Responsible
from tests.casework.factories import UserFactory
from tests.clients.factories import ClientFactory


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    client = factory.SubFactory(ClientFactory)
    drawn_up_on = datetime.date(2024, 3, 1)
    drawn_up_by = factory.SubFactory(UserFactory, team=factory.SelfAttribute("..client.team"))
    goals = "Work 20 hours a week in a warehouse."


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agreement

    plan = factory.SubFactory(PlanFactory)
    description = factory.Sequence(lambda n: f"Agreement step {n}")
    responsible = Responsible.CLIENT
    due_date = datetime.date(2024, 6, 1)
    status = AgreementStatus.OPEN
