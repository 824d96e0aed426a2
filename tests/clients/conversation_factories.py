"""Factories for conversations and the plans with agreements they review. Kick-off meetings come
from tests.clients.meeting_factories."""

import datetime

import factory
from django.utils import timezone

from clients.models import (
    Agreement,
    Conversation,
    ConversationKind,
    ConversationStatus,
    DomainScore,
    LifeDomain,
    Location,
    Plan,
)
from tests.casework.factories import UserFactory
from tests.clients.factories import ClientFactory


class ConversationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Conversation

    client = factory.SubFactory(ClientFactory)
    kind = ConversationKind.COACHING
    held_on = factory.LazyFunction(timezone.localdate)
    consultant = factory.SubFactory(UserFactory, team=factory.SelfAttribute("..client.team"))
    location = Location.OFFICE
    notes = "Gesproken over de week."

    class Params:
        completed = factory.Trait(
            status=ConversationStatus.COMPLETED,
            completed_at=factory.LazyFunction(timezone.now),
        )


class DomainScoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DomainScore

    conversation = factory.SubFactory(ConversationFactory, kind=ConversationKind.AMBITION)
    domain = factory.LazyFunction(lambda: LifeDomain.objects.get(code="work"))
    score = 3


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    client = factory.SubFactory(ClientFactory)
    drawn_up_on = datetime.date(2024, 1, 15)
    drawn_up_by = factory.SubFactory(UserFactory, team=factory.SelfAttribute("..client.team"))
    goals = "Binnen een jaar aan het werk."


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agreement

    plan = factory.SubFactory(PlanFactory)
    description = factory.Sequence(lambda n: f"Afspraak {n}")
    due_date = datetime.date(2024, 6, 1)
