import datetime
from decimal import Decimal

import factory

from instruments.models import (
    Allocation,
    Budget,
    BudgetLine,
    ContractType,
    CostUnit,
    EligibilityRule,
    Employer,
    Instrument,
    InstrumentCategory,
    Placement,
    Provider,
    Sector,
    Trajectory,
    Vacancy,
    WorkProfile,
)
from tests.casework.factories import UserFactory
from tests.clients.factories import ClientFactory


class ProviderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Provider
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Provider {n}")


class BudgetLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BudgetLine
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"line-{n}")
    name = factory.Sequence(lambda n: f"Line {n}")
    position = 100


class BudgetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Budget

    line = factory.SubFactory(BudgetLineFactory)
    year = 2024
    amount = Decimal("100000.00")


class AllocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Allocation

    budget = factory.SubFactory(BudgetFactory)
    organisation = "DWT"
    amount = Decimal("10000.00")


class InstrumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Instrument

    name = factory.Sequence(lambda n: f"Instrument {n}")
    category = InstrumentCategory.ACTIVATION
    budget_line = factory.SubFactory(BudgetLineFactory)
    unit_cost = Decimal("1200.00")
    cost_unit = CostUnit.PER_TRAJECTORY
    typical_duration_months = 6


class EligibilityRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EligibilityRule

    instrument = factory.SubFactory(InstrumentFactory)


class TrajectoryFactory(factory.django.DjangoModelFactory):
    """A bare traject row without commitments; use instruments.services.start_trajectory for
    the arithmetic."""

    class Meta:
        model = Trajectory

    client = factory.SubFactory(ClientFactory)
    instrument = factory.SubFactory(InstrumentFactory)
    start_date = datetime.date(2024, 1, 1)
    planned_end_date = datetime.date(2024, 6, 30)
    cost = Decimal("1200.00")
    started_by = factory.SubFactory(UserFactory)


class EmployerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employer

    name = factory.Sequence(lambda n: f"Werkgever {n}")
    kvk_number = factory.Sequence(lambda n: f"{10000000 + n}")
    sector = factory.LazyFunction(lambda: Sector.objects.get(name="Zorg"))
    contact_name = "Piet de Vries"


class VacancyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vacancy

    employer = factory.SubFactory(EmployerFactory)
    title = factory.Sequence(lambda n: f"Vacature {n}")
    hours_per_week = 24


class WorkProfileFactory(factory.django.DjangoModelFactory):
    """Pass `sectors=[...]` for the sectors of interest; none means open to any sector."""

    class Meta:
        model = WorkProfile
        skip_postgeneration_save = True

    client = factory.SubFactory(ClientFactory)
    hours_per_week = 32
    updated_by = factory.SubFactory(UserFactory)

    @factory.post_generation
    def sectors(self, create, extracted, **kwargs):
        if create and extracted:
            self.sectors.set(extracted)


class PlacementFactory(factory.django.DjangoModelFactory):
    """A bare placement row; use instruments.placements.place_client for the benefit's end."""

    class Meta:
        model = Placement

    client = factory.SubFactory(ClientFactory)
    employer = factory.SubFactory(EmployerFactory)
    start_date = datetime.date(2024, 1, 1)
    contract_type = ContractType.FIXED_TERM
    hours_per_week = 24
    placed_by = factory.SubFactory(UserFactory)
