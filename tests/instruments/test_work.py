"""The dossier's work section: the client's work profile, placing the client in work (which can end
the benefit with reason "work") and ending a placement, with the derived durability in words."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from casework.models import AccessLog, PolicySettings, Role
from clients.models import OutflowReason
from instruments import placements
from instruments.models import ContractType, Placement, Sector, WorkProfile
from tests.casework.factories import UserFactory
from tests.clients.factories import BenefitPeriodFactory, ClientFactory
from tests.database import second_writer_waits
from tests.instruments.factories import (
    EmployerFactory,
    PlacementFactory,
    VacancyFactory,
    WorkProfileFactory,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def profile_url(client_a):
    return reverse("instruments:work-profile", args=[client_a.pk])


def place_url(client_a):
    return reverse("instruments:placement-create", args=[client_a.pk])


def end_url(placement):
    return reverse("instruments:placement-end", args=[placement.client_id, placement.pk])


def placement_data(employer, **overrides):
    return {
        "employer": employer.pk,
        "vacancy": "",
        "start_date": "2025-03-01",
        "contract_type": ContractType.FIXED_TERM,
        "hours_per_week": "27",
        **overrides,
    }


def render_section(client_a, user=None):
    request = RequestFactory().get("/")
    request.user = user or AnonymousUser()
    template = Template("{% load work_tags %}{% dossier_work client %}")
    return template.render(Context({"client": client_a, "request": request}))


# Who may do what ---------------------------------------------------------------------------------


def test_a_consultant_of_the_team_opens_the_pages(client, consultant_a, client_a):
    placement = PlacementFactory(client=client_a)
    client.force_login(consultant_a)
    for url in (profile_url(client_a), place_url(client_a), end_url(placement)):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.content.decode().count("<h1") == 1
        assert "novalidate" in response.content.decode()


def test_every_page_is_written_to_the_access_log(client, consultant_a, client_a):
    placement = PlacementFactory(client=client_a)
    client.force_login(consultant_a)
    client.get(profile_url(client_a))
    client.get(place_url(client_a))
    client.get(end_url(placement))
    client.post(place_url(client_a), {})  # shown again with its errors
    rows = AccessLog.objects.order_by("id")
    assert [(row.user, row.client_id, row.view) for row in rows] == [
        (consultant_a, client_a.pk, "instruments:work-profile"),
        (consultant_a, client_a.pk, "instruments:placement-create"),
        (consultant_a, client_a.pk, "instruments:placement-end"),
        (consultant_a, client_a.pk, "instruments:placement-create"),
    ]
    assert rows[0].path == profile_url(client_a)


def test_a_consultant_of_another_team_gets_404(client, consultant_b, client_a):
    placement = PlacementFactory(client=client_a)
    employer = EmployerFactory()
    client.force_login(consultant_b)
    for url in (profile_url(client_a), place_url(client_a), end_url(placement)):
        assert client.get(url).status_code == 404, url
    assert client.post(profile_url(client_a), {"hours_per_week": "20"}).status_code == 404
    assert client.post(place_url(client_a), placement_data(employer)).status_code == 404
    assert client.post(end_url(placement), {"ended_on": "2024-06-30"}).status_code == 404
    assert not WorkProfile.objects.exists()
    assert Placement.objects.get().ended_on is None
    assert not AccessLog.objects.exists()


@pytest.mark.parametrize("user", ["policy_officer", "application_manager", "manager_a"])
def test_who_is_not_a_consultant_gets_403_on_the_writes(client, request, user, client_a):
    placement = PlacementFactory(client=client_a)
    client.force_login(request.getfixturevalue(user))
    for url in (profile_url(client_a), place_url(client_a), end_url(placement)):
        assert client.get(url).status_code == 403, url
    assert client.post(place_url(client_a), placement_data(EmployerFactory())).status_code == 403
    assert Placement.objects.count() == 1
    assert not AccessLog.objects.exists()


def test_a_team_leader_sees_the_section_without_the_edit_links(client, manager_a, client_a):
    PlacementFactory(client=client_a)
    client.force_login(manager_a)
    content = client.get(reverse("clients:detail", args=[client_a.pk])).content.decode()
    assert 'id="work-heading"' in content and 'id="placements"' in content
    assert profile_url(client_a) not in content
    assert place_url(client_a) not in content


def test_a_consultant_sees_the_links_on_the_dossier(client, consultant_a, client_a):
    placement = PlacementFactory(client=client_a)
    ended = PlacementFactory(client=client_a, ended_on=datetime.date(2024, 3, 1))
    client.force_login(consultant_a)
    content = client.get(reverse("clients:detail", args=[client_a.pk])).content.decode()
    assert profile_url(client_a) in content and place_url(client_a) in content
    assert end_url(placement) in content
    assert end_url(ended) not in content


# The work profile --------------------------------------------------------------------------------


def test_a_consultant_creates_and_then_updates_the_work_profile(
    client, consultant_a, client_a, team_a
):
    zorg, bouw = Sector.objects.get(name="Zorg"), Sector.objects.get(name="Bouw")
    client.force_login(consultant_a)
    response = client.post(profile_url(client_a), {"sectors": [zorg.pk], "hours_per_week": "24"})
    assert response.status_code == 302
    assert response["Location"] == reverse("clients:detail", args=[client_a.pk])
    profile = WorkProfile.objects.get(client=client_a)
    assert (list(profile.sectors.all()), profile.hours_per_week) == ([zorg], 24)

    colleague = UserFactory(role=Role.CONSULTANT, team=team_a)
    client.force_login(colleague)
    form = client.get(profile_url(client_a)).context["form"]
    assert form.initial["hours_per_week"] == 24  # the form shows what is saved
    client.post(profile_url(client_a), {"sectors": [bouw.pk], "hours_per_week": "32"})
    profile = WorkProfile.objects.get(client=client_a)
    assert (list(profile.sectors.all()), profile.hours_per_week) == ([bouw], 32)
    assert profile.updated_by == colleague


@pytest.mark.parametrize("hours", ["0", "61", ""])
def test_hours_out_of_range_are_refused_next_to_the_field(client, consultant_a, client_a, hours):
    zorg = Sector.objects.get(name="Zorg")
    client.force_login(consultant_a)
    response = client.post(profile_url(client_a), {"sectors": [zorg.pk], "hours_per_week": hours})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"hours_per_week"}
    content = response.content.decode()
    assert 'id="error-summary"' in content and 'id="id_hours_per_week-errors"' in content
    # what was typed is kept
    assert response.context["form"]["sectors"].value() == [str(zorg.pk)]
    assert "checked" in content
    assert not WorkProfile.objects.exists()


def test_the_error_summary_links_to_the_first_sector_checkbox(client, consultant_a, client_a):
    client.force_login(consultant_a)
    response = client.post(profile_url(client_a), {"sectors": ["999999"], "hours_per_week": "24"})
    assert set(response.context["form"].errors) == {"sectors"}
    summary = response.text.split('id="error-summary"', 1)[1].split("</ul>", 1)[0]
    assert 'href="#id_sectors_0"' in summary
    assert '<input type="checkbox" name="sectors"' in response.text
    assert 'id="id_sectors_0"' in response.text


def test_the_service_refuses_hours_out_of_range(client_a, consultant_a):
    with pytest.raises(ValidationError) as error:
        placements.save_work_profile(
            client=client_a, sectors=[], hours_per_week=70, updated_by=consultant_a
        )
    assert "hours_per_week" in error.value.message_dict
    assert not WorkProfile.objects.exists()


def test_the_service_keeps_one_profile_per_client(client_a, consultant_a):
    zorg = Sector.objects.get(name="Zorg")
    first = placements.save_work_profile(
        client=client_a, sectors=[zorg], hours_per_week=20, updated_by=consultant_a
    )
    second = placements.save_work_profile(
        client=client_a, sectors=[], hours_per_week=36, updated_by=consultant_a
    )
    assert first.pk == second.pk
    assert WorkProfile.objects.get().hours_per_week == 36
    assert not second.sectors.exists()


@pytest.mark.django_db(transaction=True)
def test_two_saves_of_a_new_profile_at_once_do_not_collide(team_a, consultant_a):
    """The second save waits for the first one's lock on the client, then updates its profile
    instead of inserting a second one (an IntegrityError on the one-to-one)."""
    client_a = ClientFactory(team=team_a)
    second_writer_waits(
        lambda: placements.save_work_profile(
            client=client_a, sectors=[], hours_per_week=20, updated_by=consultant_a
        ),
        lambda: placements.save_work_profile(
            client=client_a, sectors=[], hours_per_week=36, updated_by=consultant_a
        ),
    )
    assert WorkProfile.objects.get(client=client_a).hours_per_week == 36


# Placing in work ---------------------------------------------------------------------------------


def test_a_consultant_places_the_client_and_ends_the_benefit_with_reason_work(
    client, consultant_a, client_a
):
    period = BenefitPeriodFactory(client=client_a, start_date=datetime.date(2022, 1, 1))
    vacancy = VacancyFactory()
    client.force_login(consultant_a)
    response = client.post(
        place_url(client_a),
        placement_data(
            vacancy.employer,
            vacancy=vacancy.pk,
            with_wage_subsidy="on",
            with_job_coaching="on",
            ends_benefit="on",
        ),
    )
    assert response.status_code == 302
    placement = Placement.objects.get()
    assert (
        placement.client,
        placement.employer,
        placement.vacancy,
        placement.start_date,
        placement.hours_per_week,
        placement.with_wage_subsidy,
        placement.with_job_coaching,
        placement.placed_by,
    ) == (
        client_a,
        vacancy.employer,
        vacancy,
        datetime.date(2025, 3, 1),
        27,
        True,
        True,
        consultant_a,
    )
    period.refresh_from_db()
    assert (period.end_date, period.end_reason) == (datetime.date(2025, 2, 28), OutflowReason.WORK)


def test_without_the_checkbox_the_benefit_stays_open(client, consultant_a, client_a):
    period = BenefitPeriodFactory(client=client_a, start_date=datetime.date(2022, 1, 1))
    client.force_login(consultant_a)
    client.post(place_url(client_a), placement_data(EmployerFactory()))
    period.refresh_from_db()
    assert (period.end_date, period.end_reason) == (None, "")
    assert Placement.objects.get().vacancy is None


def test_a_vacancy_of_another_employer_is_an_error_next_to_the_vacancy(
    client, consultant_a, client_a
):
    vacancy = VacancyFactory()
    client.force_login(consultant_a)
    response = client.post(
        place_url(client_a), placement_data(EmployerFactory(), vacancy=vacancy.pk)
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors.as_data()["vacancy"][0].code == "vacancy"
    content = response.content.decode()
    assert 'id="error-summary"' in content and 'id="id_vacancy-errors"' in content
    assert 'value="27"' in content  # what was typed is kept
    assert not Placement.objects.exists()


def test_ending_the_benefit_needs_an_open_benefit(client, consultant_a, client_a):
    client.force_login(consultant_a)
    response = client.post(
        place_url(client_a), placement_data(EmployerFactory(), ends_benefit="on")
    )
    assert response.status_code == 200
    assert response.context["form"].errors.as_data()["ends_benefit"][0].code == "no_benefit"
    assert not Placement.objects.exists()  # rolled back


@pytest.mark.parametrize("hours", ["0", "61"])
def test_placement_hours_out_of_range_are_refused(client, consultant_a, client_a, hours):
    client.force_login(consultant_a)
    response = client.post(
        place_url(client_a), placement_data(EmployerFactory(), hours_per_week=hours)
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"hours_per_week"}
    assert not Placement.objects.exists()


def test_the_link_from_the_suitable_clients_presets_the_vacancy(client, consultant_a, client_a):
    vacancy = VacancyFactory()
    VacancyFactory(employer=vacancy.employer)
    client.force_login(consultant_a)
    response = client.get(place_url(client_a), {"vacature": vacancy.pk})
    form = response.context["form"]
    assert (form["employer"].value(), form["vacancy"].value()) == (
        vacancy.employer_id,
        vacancy.pk,
    )
    content = response.content.decode()
    assert f'<option value="{vacancy.pk}" selected>' in content
    assert f'<option value="{vacancy.employer_id}" selected>' in content


@pytest.mark.parametrize("preset", ["closed", "unknown", "abc", ""])
def test_no_vacancy_is_preset_without_an_open_one(client, consultant_a, client_a, preset):
    closed = VacancyFactory(is_open=False)
    value = {"closed": closed.pk, "unknown": closed.pk + 1000}.get(preset, preset)
    client.force_login(consultant_a)
    response = client.get(place_url(client_a), {"vacature": value})
    assert response.status_code == 200
    form = response.context["form"]
    assert (form["employer"].value(), form["vacancy"].value()) == (None, None)
    select = response.content.decode().split('id="id_vacancy"', 1)[1].split("</select>", 1)[0]
    assert '<option value="" selected>' in select


def test_only_open_vacancies_are_offered(client, consultant_a, client_a):
    open_vacancy = VacancyFactory()
    closed = VacancyFactory(is_open=False)
    client.force_login(consultant_a)
    form = client.get(place_url(client_a)).context["form"]
    assert list(form.fields["vacancy"].queryset) == [open_vacancy]
    response = client.post(place_url(client_a), placement_data(closed.employer, vacancy=closed.pk))
    assert set(response.context["form"].errors) == {"vacancy"}


# Ending a placement ------------------------------------------------------------------------------


def test_a_consultant_ends_a_placement(client, consultant_a, client_a):
    placement = PlacementFactory(client=client_a, start_date=datetime.date(2024, 1, 1))
    client.force_login(consultant_a)
    response = client.post(end_url(placement), {"ended_on": "2024-06-30"})
    assert response.status_code == 302
    placement.refresh_from_db()
    assert placement.ended_on == datetime.date(2024, 6, 30)


def test_an_end_before_the_start_is_an_error_next_to_the_field(client, consultant_a, client_a):
    placement = PlacementFactory(client=client_a, start_date=datetime.date(2024, 1, 1))
    client.force_login(consultant_a)
    response = client.post(end_url(placement), {"ended_on": "2023-12-31"})
    assert response.status_code == 200
    assert response.context["form"].errors.as_data()["ended_on"][0].code == "before_start"
    content = response.content.decode()
    assert 'id="id_ended_on-errors"' in content and 'value="2023-12-31"' in content
    placement.refresh_from_db()
    assert placement.ended_on is None


def test_an_end_after_today_is_an_error_next_to_the_field(client, consultant_a, client_a):
    placement = PlacementFactory(client=client_a, start_date=datetime.date(2024, 1, 1))
    tomorrow = TODAY + datetime.timedelta(days=1)
    client.force_login(consultant_a)
    response = client.post(end_url(placement), {"ended_on": tomorrow.isoformat()})
    assert response.status_code == 200
    assert response.context["form"].errors.as_data()["ended_on"][0].code == "future"
    assert 'id="id_ended_on-errors"' in response.content.decode()
    placement.refresh_from_db()
    assert placement.ended_on is None


def test_the_service_ends_a_placement_today_at_the_latest(client_a):
    placement = PlacementFactory(client=client_a, start_date=TODAY - datetime.timedelta(days=9))
    with pytest.raises(ValidationError) as error:
        placements.end_placement(placement=placement, ended_on=TODAY + datetime.timedelta(days=1))
    assert error.value.error_dict["ended_on"][0].code == "future"
    placement.refresh_from_db()
    assert placement.ended_on is None
    placements.end_placement(placement=placement, ended_on=TODAY)
    assert Placement.objects.get().ended_on == TODAY


def test_the_service_refuses_an_end_before_the_start_or_a_second_end(client_a):
    placement = PlacementFactory(client=client_a, start_date=datetime.date(2024, 1, 1))
    with pytest.raises(ValidationError) as error:
        placements.end_placement(placement=placement, ended_on=datetime.date(2023, 12, 31))
    assert "ended_on" in error.value.message_dict
    placements.end_placement(placement=placement, ended_on=datetime.date(2024, 1, 1))
    with pytest.raises(ValidationError):
        placements.end_placement(placement=placement, ended_on=datetime.date(2024, 2, 1))


def test_an_ended_placement_or_one_of_another_client_cannot_be_ended(
    client, consultant_a, client_a, team_a
):
    ended = PlacementFactory(client=client_a, ended_on=datetime.date(2024, 3, 1))
    other = PlacementFactory(client=ClientFactory(team=team_a))
    client.force_login(consultant_a)
    assert client.get(end_url(ended)).status_code == 404
    wrong_client = reverse("instruments:placement-end", args=[client_a.pk, other.pk])
    assert client.get(wrong_client).status_code == 404


# The dossier section -----------------------------------------------------------------------------


def durability_of(html, placement):
    row = html.split(f'id="placement-{placement.pk}"', 1)[1].split("</tr>", 1)[0]
    return row.split('data-durability="', 1)[1].split('"', 1)[0], row


def test_durability_is_shown_in_words(client_a, consultant_a):
    BenefitPeriodFactory(client=client_a, start_date=datetime.date(2020, 1, 1))
    durable = placements.place_client(
        client=client_a,
        employer=EmployerFactory(),
        start_date=TODAY - datetime.timedelta(days=400),
        contract_type=ContractType.PERMANENT,
        hours_per_week=32,
        placed_by=consultant_a,
        ends_benefit=True,
    )
    recent = PlacementFactory(client=client_a, start_date=TODAY - datetime.timedelta(days=30))
    other = ClientFactory(team=client_a.team)
    BenefitPeriodFactory(client=other, start_date=datetime.date(2020, 1, 1))  # still open
    not_durable = PlacementFactory(client=other, start_date=TODAY - datetime.timedelta(days=400))

    with translation.override("en"):
        html = render_section(client_a)
        other_html = render_section(other)
    assert durability_of(html, durable)[0] == "durable"
    assert ">durable<" in durability_of(html, durable)[1]
    word, row = durability_of(html, recent)
    assert word == "not-yet" and "not yet durable (from " in row
    word, row = durability_of(other_html, not_durable)
    assert word == "not-durable" and ">not durable<" in row


def test_back_on_benefit_before_the_months_have_passed_is_not_durable(client_a, consultant_a):
    BenefitPeriodFactory(client=client_a, start_date=datetime.date(2020, 1, 1))
    placement = placements.place_client(
        client=client_a,
        employer=EmployerFactory(),
        start_date=TODAY - datetime.timedelta(days=60),
        contract_type=ContractType.FIXED_TERM,
        hours_per_week=32,
        placed_by=consultant_a,
        ends_benefit=True,
    )
    assert durability_of(render_section(client_a), placement)[0] == "not-yet"
    BenefitPeriodFactory(client=client_a, start_date=TODAY - datetime.timedelta(days=10))
    with translation.override("en"):
        word, row = durability_of(render_section(client_a), placement)
    assert word == "not-durable" and ">not durable<" in row and "not yet" not in row


def test_the_durable_months_come_from_the_policy_settings(client_a, consultant_a):
    BenefitPeriodFactory(client=client_a, start_date=datetime.date(2020, 1, 1))
    placement = placements.place_client(
        client=client_a,
        employer=EmployerFactory(),
        start_date=TODAY - datetime.timedelta(days=120),
        contract_type=ContractType.PERMANENT,
        hours_per_week=32,
        placed_by=consultant_a,
        ends_benefit=True,
    )
    assert durability_of(render_section(client_a), placement)[0] == "not-yet"
    PolicySettings.objects.update_or_create(pk=1, defaults={"durable_placement_months": 3})
    assert durability_of(render_section(client_a), placement)[0] == "durable"


def test_the_section_shows_the_profile_and_the_placements(client_a, consultant_a):
    WorkProfileFactory(
        client=client_a,
        hours_per_week=28,
        updated_by=consultant_a,
        sectors=[Sector.objects.get(name="Zorg"), Sector.objects.get(name="Bouw")],
    )
    vacancy = VacancyFactory(title="Helpende zorg")
    PlacementFactory(client=client_a, employer=vacancy.employer, vacancy=vacancy)
    with translation.override("en"):
        html = render_section(client_a)
    profile = html.split('id="work-profile"', 1)[1].split("</dl>", 1)[0]
    assert "Zorg, Bouw" in profile  # in the sectors' own order
    assert "<dd>28</dd>" in profile and str(consultant_a) in profile
    assert vacancy.employer.name in html and "Helpende zorg" in html


def test_a_profile_without_sectors_is_open_to_any_sector(client_a):
    WorkProfileFactory(client=client_a)
    with translation.override("en"):
        html = render_section(client_a)
    assert "any sector" in html.split('id="work-profile"', 1)[1].split("</dl>", 1)[0]


def test_the_section_without_a_profile_or_placements(client_a, consultant_a):
    html = render_section(client_a, consultant_a)
    assert 'id="work-profile"' not in html and 'id="placements"' not in html
    assert profile_url(client_a) in html and place_url(client_a) in html


@pytest.mark.parametrize("rows", [2, 5])
def test_the_section_query_count_does_not_grow_with_the_placements(
    client_a, consultant_a, django_assert_num_queries, rows
):
    WorkProfileFactory(
        client=client_a, updated_by=consultant_a, sectors=list(Sector.objects.all()[:3])
    )
    for _ in range(rows):
        PlacementFactory(client=client_a, vacancy=VacancyFactory())
    PolicySettings.load()
    # the work profile with its sectors; the policy settings; the placements with employer,
    # vacancy and durability
    with django_assert_num_queries(3):
        html = render_section(client_a)
    assert html.count('id="placement-') == rows


def test_the_dossier_query_count_does_not_grow_with_the_placements(client, consultant_a, client_a):
    """2 against 5 placements, relative, so the other sections of the dossier don't matter."""
    for _ in range(2):
        PlacementFactory(client=client_a, vacancy=VacancyFactory())
    client.force_login(consultant_a)
    url = reverse("clients:detail", args=[client_a.pk])
    client.get(url)  # warm up the session
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    for _ in range(3):
        PlacementFactory(client=client_a, vacancy=VacancyFactory())
    with CaptureQueriesContext(connection) as after:
        response = client.get(url)
    assert response.text.count('id="placement-') == 5
    assert len(after.captured_queries) == len(before.captured_queries)
