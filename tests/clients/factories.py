import datetime
import itertools
from collections.abc import Iterator

import factory

from clients.bsn import check_digit
from clients.models import (
    BenefitPeriod,
    BenefitScheme,
    Client,
    ClientGroup,
    ClientGroupAssignment,
    EducationLevel,
    Gender,
    HouseholdType,
    LadderMeasurement,
    LadderStep,
)
from tests.casework.factories import TeamFactory


def valid_bsns() -> Iterator[str]:
    """Distinct BSNs that pass the elfproef, in increasing order."""
    for number in itertools.count(10_000_000):
        check = check_digit(f"{number:08d}")
        if check is not None:
            yield f"{number:08d}{check}"


class ClientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Client

    bsn = factory.Iterator(valid_bsns(), cycle=False)
    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.Faker("last_name", locale="nl_NL")
    date_of_birth = factory.Faker("date_of_birth", minimum_age=18, maximum_age=66)
    gender = Gender.FEMALE
    household_type = HouseholdType.SINGLE
    education_level = EducationLevel.VOCATIONAL
    team = factory.SubFactory(TeamFactory)


class BenefitPeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BenefitPeriod

    client = factory.SubFactory(ClientFactory)
    scheme = BenefitScheme.PW
    start_date = datetime.date(2022, 1, 1)


class ClientGroupAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClientGroupAssignment

    client = factory.SubFactory(ClientFactory)
    group = factory.LazyFunction(lambda: ClientGroup.objects.get(code="groeien"))
    start_date = datetime.date(2022, 2, 1)


class LadderMeasurementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LadderMeasurement

    client = factory.SubFactory(ClientFactory)
    measured_on = datetime.date(2022, 2, 1)
    step = factory.LazyFunction(lambda: LadderStep.objects.get(number=2))
    target_step = factory.LazyFunction(lambda: LadderStep.objects.get(number=3))
