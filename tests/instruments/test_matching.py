"""Suitable clients for a vacancy: who is proposed to the werkmakelaar, in which order, to whom,
and what is written to the access log."""

import datetime

import pytest
from django.urls import reverse

from casework.models import AccessLog, PolicySettings
from clients.models import ClientGroup, LadderStep, OutflowReason
from instruments import employer_views, matching
from instruments.models import Sector
from tests.clients.factories import (
    BenefitPeriodFactory,
    ClientFactory,
    ClientGroupAssignmentFactory,
    LadderMeasurementFactory,
)
from tests.instruments.factories import (
    EmployerFactory,
    PlacementFactory,
    VacancyFactory,
    WorkProfileFactory,
)

pytestmark = pytest.mark.django_db

POLICY_STEP = 4  # PolicySettings' default, read by the view


@pytest.fixture
def vacancy():
    """24 hours a week at an employer in zorg."""
    return VacancyFactory(
        employer=EmployerFactory(sector=Sector.objects.get(name="Zorg")), hours_per_week=24
    )


def candidate(
    team,
    *,
    group="matchen",
    step=5,
    hours=32,
    sectors=("Zorg",),
    benefit_since=datetime.date(2023, 1, 1),
    on_benefit=True,
    profile=True,
):
    """A client who suits the vacancy fixture unless an argument says otherwise."""
    client = ClientFactory(team=team)
    if on_benefit:
        BenefitPeriodFactory(client=client, start_date=benefit_since)
    else:
        BenefitPeriodFactory(
            client=client,
            start_date=benefit_since,
            end_date=datetime.date(2024, 6, 30),
            end_reason=OutflowReason.WORK,
        )
    if group:
        ClientGroupAssignmentFactory(client=client, group=ClientGroup.objects.get(code=group))
    LadderMeasurementFactory(
        client=client,
        measured_on=datetime.date(2024, 1, 1),
        step=LadderStep.objects.get(number=step),
        target_step=LadderStep.objects.get(number=6),
    )
    if profile:
        WorkProfileFactory(
            client=client,
            hours_per_week=hours,
            sectors=list(Sector.objects.filter(name__in=sectors)),
        )
    return client


def candidates(user, vacancy, *, min_step=POLICY_STEP, sector_only=False):
    return list(
        matching.candidates_for_vacancy(user, vacancy, min_step=min_step, sector_only=sector_only)
    )


def url(vacancy):
    return reverse("instruments:vacancy-candidates", args=[vacancy.employer_id, vacancy.pk])


# Who is suitable ---------------------------------------------------------------------------------


def test_a_client_who_meets_every_criterion_is_proposed(consultant_a, team_a, vacancy):
    suitable = candidate(team_a)
    [shown] = candidates(consultant_a, vacancy)
    assert shown == suitable
    assert (shown.current_group_name, shown.current_step, shown.available_hours) == (
        "Matchen",
        5,
        32,
    )
    assert shown.sector_interest is True
    assert shown.benefit_since == datetime.date(2023, 1, 1)


@pytest.mark.parametrize(
    "fails",
    [
        pytest.param({"on_benefit": False}, id="off benefit"),
        pytest.param({"group": "faciliteren"}, id="faciliteren"),
        pytest.param({"group": None}, id="no klantgroep"),
        pytest.param({"step": POLICY_STEP - 1}, id="step too low"),
        pytest.param({"hours": 23}, id="too few hours"),
        pytest.param({"sectors": ("Techniek",)}, id="other sector"),
        pytest.param({"profile": False}, id="no work profile"),
    ],
)
def test_a_client_failing_one_criterion_is_left_out(consultant_a, team_a, vacancy, fails):
    suitable = candidate(team_a)
    candidate(team_a, **fails)
    assert candidates(consultant_a, vacancy) == [suitable]


def test_a_client_of_another_team_is_left_out(consultant_a, team_a, team_b, vacancy):
    suitable = candidate(team_a)
    candidate(team_b)
    assert candidates(consultant_a, vacancy) == [suitable]


def test_a_placed_client_is_left_out_until_the_placement_ends(consultant_a, team_a, vacancy):
    suitable = candidate(team_a)
    placed = candidate(team_a)
    placement = PlacementFactory(client=placed)
    assert candidates(consultant_a, vacancy) == [suitable]
    placement.ended_on = datetime.date(2024, 3, 1)
    placement.save()
    assert placed in candidates(consultant_a, vacancy)


def test_groeien_is_offered_too_and_the_groups_are_data(consultant_a, team_a, vacancy):
    groeien = candidate(team_a, group="groeien")
    zorgen = candidate(team_a, group="zorgen")
    assert candidates(consultant_a, vacancy) == [groeien]
    ClientGroup.objects.filter(code="zorgen").update(offered_vacancies=True)
    ClientGroup.objects.filter(code="groeien").update(offered_vacancies=False)
    assert candidates(consultant_a, vacancy) == [zorgen]


def test_the_latest_ladder_measurement_counts(consultant_a, team_a, vacancy):
    climbed = candidate(team_a, step=POLICY_STEP - 1)
    LadderMeasurementFactory(
        client=climbed,
        measured_on=datetime.date(2024, 6, 1),
        step=LadderStep.objects.get(number=POLICY_STEP),
        target_step=LadderStep.objects.get(number=6),
    )
    dropped = candidate(team_a)
    LadderMeasurementFactory(
        client=dropped,
        measured_on=datetime.date(2024, 6, 1),
        step=LadderStep.objects.get(number=POLICY_STEP - 1),
        target_step=LadderStep.objects.get(number=6),
    )
    assert candidates(consultant_a, vacancy) == [climbed]


def test_the_minimum_step_can_be_lowered_or_raised(consultant_a, team_a, vacancy):
    step_3 = candidate(team_a, step=3)
    step_4 = candidate(team_a, step=4)
    step_5 = candidate(team_a, step=5)
    assert candidates(consultant_a, vacancy, min_step=3) == [step_5, step_4, step_3]
    assert candidates(consultant_a, vacancy, min_step=5) == [step_5]


def test_exactly_the_vacancys_hours_are_enough(consultant_a, team_a, vacancy):
    exact = candidate(team_a, hours=vacancy.hours_per_week)
    assert candidates(consultant_a, vacancy) == [exact]


def test_a_client_open_to_any_sector_is_proposed_unless_only_the_sector_is_asked(
    consultant_a, team_a, vacancy
):
    interested = candidate(team_a, sectors=("Zorg", "Techniek"))
    open_to_any = candidate(team_a, sectors=())
    shown = candidates(consultant_a, vacancy)
    assert shown == [interested, open_to_any]
    assert [c.sector_interest for c in shown] == [True, False]
    assert candidates(consultant_a, vacancy, sector_only=True) == [interested]


def test_the_order_is_sector_interest_then_higher_step_then_longer_on_benefit(
    consultant_a, team_a, vacancy
):
    open_step_6 = candidate(team_a, sectors=(), step=6, benefit_since=datetime.date(2020, 1, 1))
    step_4 = candidate(team_a, step=4, benefit_since=datetime.date(2021, 1, 1))
    step_5_recent = candidate(team_a, step=5, benefit_since=datetime.date(2023, 6, 1))
    step_5_longer = candidate(team_a, step=5, benefit_since=datetime.date(2022, 1, 1))
    assert candidates(consultant_a, vacancy) == [step_5_longer, step_5_recent, step_4, open_step_6]


# The page ----------------------------------------------------------------------------------------


def test_each_open_vacancy_links_to_its_suitable_clients(client, consultant_a, vacancy):
    closed = VacancyFactory(employer=vacancy.employer, is_open=False)
    client.force_login(consultant_a)
    response = client.get(reverse("instruments:employer-detail", args=[vacancy.employer_id]))
    assert f'href="{url(vacancy)}"' in response.text
    assert url(closed) not in response.text


def test_the_page_shows_the_suitable_clients(client, consultant_a, team_a, vacancy):
    suitable = candidate(team_a, hours=36)
    open_to_any = candidate(team_a, sectors=())
    candidate(team_a, step=2)
    client.force_login(consultant_a)
    response = client.get(url(vacancy))
    assert response.status_code == 200
    assert list(response.context["page"]) == [suitable, open_to_any]
    assert response.text.count("<h1>") == 1
    assert reverse("clients:detail", args=[suitable.pk]) in response.text
    assert '<td class="number">36</td>' in response.text
    assert 'name="min_step"' in response.text and 'name="sector_only"' in response.text


def test_the_form_lowers_the_step_and_narrows_to_the_sector(client, consultant_a, team_a, vacancy):
    step_3 = candidate(team_a, step=3)
    open_to_any = candidate(team_a, sectors=())
    client.force_login(consultant_a)
    assert list(client.get(url(vacancy)).context["page"]) == [open_to_any]
    response = client.get(url(vacancy), {"min_step": "3"})
    assert list(response.context["page"]) == [step_3, open_to_any]
    response = client.get(url(vacancy), {"min_step": "3", "sector_only": "on"})
    assert list(response.context["page"]) == [step_3]


def test_the_step_defaults_to_the_policy_setting(client, consultant_a, team_a, vacancy):
    candidate(team_a, step=4)
    step_5 = candidate(team_a, step=5)
    PolicySettings.objects.update_or_create(pk=1, defaults={"matching_min_ladder_step": 5})
    client.force_login(consultant_a)
    response = client.get(url(vacancy))
    assert list(response.context["page"]) == [step_5]
    assert response.context["form"]["min_step"].value() == "5"


def test_an_unknown_step_is_an_error_and_the_policy_step_is_used(
    client, consultant_a, team_a, vacancy
):
    step_4 = candidate(team_a, step=4)
    client.force_login(consultant_a)
    response = client.get(url(vacancy), {"min_step": "99"})
    assert response.status_code == 200
    assert response.context["form"].errors["min_step"]
    assert list(response.context["page"]) == [step_4]


def test_a_closed_vacancy_or_another_employers_vacancy_is_404(client, consultant_a, vacancy):
    closed = VacancyFactory(employer=vacancy.employer, is_open=False)
    client.force_login(consultant_a)
    assert client.get(url(closed)).status_code == 404
    other_employer = EmployerFactory()
    wrong = reverse("instruments:vacancy-candidates", args=[other_employer.pk, vacancy.pk])
    assert client.get(wrong).status_code == 404


def test_a_policy_officer_is_refused(client, policy_officer, team_a, vacancy):
    candidate(team_a)
    client.force_login(policy_officer)
    assert client.get(url(vacancy)).status_code == 403
    assert AccessLog.objects.count() == 0


def test_anonymous_users_are_sent_to_log_in(client, vacancy):
    response = client.get(url(vacancy))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_consultant_of_team_b_sees_only_team_bs_clients(
    client, consultant_b, team_a, team_b, vacancy
):
    candidate(team_a)
    of_team_b = candidate(team_b)
    client.force_login(consultant_b)
    assert list(client.get(url(vacancy)).context["page"]) == [of_team_b]


def test_a_team_leader_sees_the_list(client, manager_a, team_a, vacancy):
    suitable = candidate(team_a)
    client.force_login(manager_a)
    response = client.get(url(vacancy))
    assert list(response.context["page"]) == [suitable]
    assert "?vacature=" not in response.text  # placing in work is the consultants' work


def test_each_client_links_to_placing_in_work_with_the_vacancy(
    client, consultant_a, team_a, vacancy
):
    suitable = candidate(team_a)
    client.force_login(consultant_a)
    response = client.get(url(vacancy))
    place = reverse("instruments:placement-create", args=[suitable.pk])
    assert f'href="{place}?vacature={vacancy.pk}"' in response.text
    form = client.get(place, {"vacature": vacancy.pk}).context["form"]
    assert form["vacancy"].value() == vacancy.pk


def test_exactly_the_clients_shown_are_written_to_the_access_log(
    client, consultant_a, team_a, team_b, vacancy, monkeypatch
):
    monkeypatch.setattr(employer_views, "PAGE_SIZE", 2)
    first, second, third = (
        candidate(team_a, benefit_since=datetime.date(2020 + i, 1, 1)) for i in range(3)
    )
    candidate(team_a, step=1)
    candidate(team_b)
    client.force_login(consultant_a)
    response = client.get(url(vacancy))
    assert list(response.context["page"]) == [first, second]
    entries = AccessLog.objects.all()
    assert sorted(e.client_id for e in entries) == sorted([first.pk, second.pk])
    assert {(e.user, e.view, e.path) for e in entries} == {
        (consultant_a, "instruments:vacancy-candidates", url(vacancy))
    }
    response = client.get(url(vacancy), {"page": 2})
    assert list(response.context["page"]) == [third]
    assert AccessLog.objects.count() == 3
    assert AccessLog.objects.filter(client_id=third.pk).count() == 1


@pytest.mark.parametrize("rows", [2, 6])
def test_the_query_count_does_not_grow_with_the_rows(
    client, consultant_a, team_a, vacancy, django_assert_num_queries, rows
):
    for _ in range(rows):
        candidate(team_a)
    client.force_login(consultant_a)
    # session, user (with the team and unread notifications of the layout: casework.backends),
    # vacancy with employer and sector, policy settings, the ladder steps (the select), count,
    # page, access log insert
    with django_assert_num_queries(8):
        response = client.get(url(vacancy))
    assert len(response.context["page"]) == rows
