"""The employer services of the demo data: employers, vacancies, placements and work profiles.

The municipality is seeded once for the module; the tests read it (the determinism test deletes
it inside its own transaction and seeds it again). The rules are computed here in plain Python
over the rows, apart from durability, which is the application's own derivation."""

import datetime
import io
from collections import Counter, defaultdict

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from casework.models import PolicySettings, Team, User
from clients.models import BenefitPeriod, Client, ClientGroupAssignment, Meeting, OutflowReason
from demo.employers import JOB_COACHING_INSTRUMENT, WAGE_SUBSIDY_INSTRUMENT
from instruments.employer_selectors import with_durability
from instruments.models import (
    Employer,
    Placement,
    Sector,
    Trajectory,
    Vacancy,
    WorkProfile,
    validate_kvk_number,
)

TODAY = datetime.date(2025, 6, 30)
CLIENTS = 400
SEED = 7411

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module", autouse=True)
def demo_municipality(django_db_setup, django_db_blocker):
    hashers = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # the default is slow
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=hashers),
        transaction.atomic(),
    ):
        seed()
        yield
        transaction.set_rollback(True)


def seed() -> None:
    call_command("seed_demo", clients=CLIENTS, seed=SEED, today=TODAY, stdout=io.StringIO())


def benefit_periods() -> dict[int, list[BenefitPeriod]]:
    periods = defaultdict(list)
    for period in BenefitPeriod.objects.order_by("start_date"):
        periods[period.client_id].append(period)
    return periods


def test_every_work_outflow_has_one_placement_starting_the_day_after():
    outflows = Counter(
        (period.client_id, period.end_date + datetime.timedelta(days=1))
        for period in BenefitPeriod.objects.filter(end_reason=OutflowReason.WORK)
    )
    placements = Counter(Placement.objects.values_list("client_id", "start_date"))

    assert len(outflows) > 20
    assert placements == outflows


def test_placements_end_the_day_before_the_client_is_back_on_benefit():
    periods = benefit_periods()

    back_on_benefit = ended_otherwise = 0
    for placement in Placement.objects.all():
        later = [
            p.start_date
            for p in periods[placement.client_id]
            if p.start_date > placement.start_date
        ]
        if later:
            assert placement.ended_on == min(later) - datetime.timedelta(days=1)
            back_on_benefit += 1
        elif placement.ended_on is not None:
            assert placement.start_date < placement.ended_on < TODAY
            ended_otherwise += 1
    assert back_on_benefit > 0
    assert ended_otherwise > 0
    assert Placement.objects.filter(ended_on__isnull=True).exists()


def test_most_but_not_all_placements_are_durable():
    months = PolicySettings.load().durable_placement_months
    placements = with_durability(Placement.objects.all(), today=TODAY, months=months)
    matured = list(placements.filter(durable_from__lte=TODAY).values_list("is_durable", flat=True))

    assert 0.6 < sum(matured) / len(matured) < 1


def test_placements_mix_contracts_support_and_vacancies():
    placements = list(Placement.objects.select_related("vacancy", "placed_by"))

    assert len({p.contract_type for p in placements}) >= 3
    assert any(p.with_wage_subsidy for p in placements)
    assert not all(p.with_wage_subsidy for p in placements)
    assert any(p.with_job_coaching for p in placements)
    through = [p for p in placements if p.vacancy is not None]
    assert 0 < len(through) < len(placements)
    for p in through:
        assert p.vacancy.employer_id == p.employer_id
        assert not p.vacancy.is_open
        assert p.vacancy.posted_on < p.start_date
        assert p.vacancy.hours_per_week == p.hours_per_week
    consultants = dict(Client.consultants.through.objects.values_list("client_id", "user_id"))
    assert all(p.placed_by_id == consultants[p.client_id] for p in placements)


def test_a_traject_running_at_the_start_brings_its_support_to_the_placement():
    support = defaultdict(list)
    for client_id, name, start, end, planned_end in Trajectory.objects.filter(
        instrument__name__in=[WAGE_SUBSIDY_INSTRUMENT, JOB_COACHING_INSTRUMENT]
    ).values_list("client_id", "instrument__name", "start_date", "end_date", "planned_end_date"):
        support[client_id].append((name, start, end or planned_end))

    for placement in Placement.objects.filter(client_id__in=support):
        running = {
            name
            for name, start, end in support[placement.client_id]
            if start <= placement.start_date <= end
        }
        if WAGE_SUBSIDY_INSTRUMENT in running:
            assert placement.with_wage_subsidy
        if JOB_COACHING_INSTRUMENT in running:
            assert placement.with_job_coaching


def test_employers_have_valid_unique_kvk_numbers_and_contacts():
    employers = list(Employer.objects.select_related("sector"))

    assert len(employers) == max(20, CLIENTS // 10)
    numbers = [employer.kvk_number for employer in employers]
    assert len(set(numbers)) == len(numbers)
    for employer in employers:
        validate_kvk_number(employer.kvk_number)
        employer.full_clean()
        assert employer.sector.is_active
        assert employer.contact_name
        assert employer.contact_phone
    assert Counter(employer.city for employer in employers).most_common(1)[0][0] == "Deventer"
    assert len({employer.sector_id for employer in employers}) >= 5
    assert len({employer.name for employer in employers}) > 0.95 * len(employers)


def test_vacancies_open_in_the_last_three_months_closed_before():
    vacancies = list(Vacancy.objects.all())
    open_ = [v for v in vacancies if v.is_open]

    assert open_
    assert len(open_) < len(vacancies)
    assert all(TODAY - datetime.timedelta(days=92) < v.posted_on <= TODAY for v in open_)
    not_placed = Vacancy.objects.filter(is_open=False, placements__isnull=True)
    assert not_placed.exists()
    assert all(v.posted_on <= TODAY - datetime.timedelta(days=91) for v in not_placed)
    assert all(16 <= v.hours_per_week <= 40 for v in vacancies)
    assert len({v.level for v in vacancies}) >= 3
    for vacancy in vacancies[:50]:
        vacancy.full_clean()


def test_work_profiles_only_for_clients_on_benefit_offered_vacancies():
    offered = set(
        ClientGroupAssignment.objects.filter(
            end_date__isnull=True, group__offered_vacancies=True
        ).values_list("client_id", flat=True)
    )
    on_benefit = set(
        BenefitPeriod.objects.filter(end_date__isnull=True).values_list("client_id", flat=True)
    )
    consultants = dict(Client.consultants.through.objects.values_list("client_id", "user_id"))
    profiles = list(WorkProfile.objects.prefetch_related("sectors"))
    eligible = offered & on_benefit

    assert {p.client_id for p in profiles} <= eligible
    assert len(profiles) > 0.6 * len(eligible)
    sectors = Counter(len(p.sectors.all()) for p in profiles)
    assert set(sectors) == {0, 1, 2, 3}
    active = set(Sector.objects.filter(is_active=True).values_list("pk", flat=True))
    for profile in profiles:
        assert 8 <= profile.hours_per_week <= 40
        assert profile.updated_by_id == consultants[profile.client_id]
        assert {sector.pk for sector in profile.sectors.all()} <= active
        assert profile.updated_at.date() <= TODAY


def test_the_same_seed_gives_the_same_employer_services():
    before = fingerprint()
    Client.objects.all().delete()  # and their placements and work profiles
    Employer.objects.all().delete()  # and their vacancies
    Meeting.objects.all().delete()
    User.objects.all().delete()
    Team.objects.all().delete()

    seed()

    assert fingerprint() == before


def fingerprint() -> tuple[list[tuple], ...]:
    """The rows without their ids, which differ between runs."""
    return (
        sorted(
            Employer.objects.values_list(
                "kvk_number",
                "name",
                "sector__name",
                "contact_name",
                "contact_phone",
                "contact_email",
                "address",
                "city",
            )
        ),
        sorted(
            Vacancy.objects.values_list(
                "employer__kvk_number",
                "posted_on",
                "title",
                "hours_per_week",
                "level",
                "requirements",
                "is_open",
            )
        ),
        sorted(
            Placement.objects.values_list(
                "client__bsn",
                "start_date",
                "employer__kvk_number",
                "vacancy__posted_on",
                "contract_type",
                "hours_per_week",
                "with_wage_subsidy",
                "with_job_coaching",
                "ended_on",
                "placed_by__username",
            )
        ),
        sorted(
            (
                profile.client.bsn,
                profile.hours_per_week,
                profile.updated_by.username,
                sorted(sector.name for sector in profile.sectors.all()),
            )
            # Client, consultant and sectors of every profile: joined and prefetched.
            for profile in WorkProfile.objects.select_related(
                "client", "updated_by"
            ).prefetch_related("sectors")
        ),
    )
