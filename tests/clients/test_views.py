import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casework.models import AccessLog, Role
from clients.bsn import bsn_digest
from clients.models import Client, ClientGroup, LadderStep
from tests.casework.factories import UserFactory
from tests.clients.factories import (
    BenefitPeriodFactory,
    ClientFactory,
    ClientGroupAssignmentFactory,
    LadderMeasurementFactory,
)

pytestmark = pytest.mark.django_db

WHOLE_TEAM = {"consultant": ""}
VALID_FORM = {
    "bsn": "111222333",
    "first_name": "Fatima",
    "last_name": "El Amrani",
    "date_of_birth": "1990-04-12",
    "gender": "f",
    "household_type": "single_parent",
    "education_level": "vocational",
}


def shown_pks(response):
    """The ids of the clients a page of the caseload list shows, in order."""
    return [row["pk"] for row in response.context["page"]]


def person_pages(client_a):
    return [
        reverse("clients:detail", args=[client_a.pk]),
        reverse("clients:update", args=[client_a.pk]),
    ]


def test_anonymous_users_are_sent_to_log_in(client, client_a):
    for url in [reverse("clients:list"), reverse("clients:create"), *person_pages(client_a)]:
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


def test_a_consultant_opens_a_dossier_of_their_own_team(client, consultant_a, client_a):
    client.force_login(consultant_a)
    response = client.get(reverse("clients:detail", args=[client_a.pk]))
    assert response.status_code == 200
    assert "Anna Jansen" in response.text


def test_a_consultant_of_another_team_gets_404(client, consultant_b, client_a):
    client.force_login(consultant_b)
    for url in person_pages(client_a):
        assert client.get(url).status_code == 404
    assert client.post(reverse("clients:update", args=[client_a.pk]), VALID_FORM).status_code == 404


def test_a_consultant_of_another_team_does_not_find_the_client(client, consultant_b, client_a):
    client.force_login(consultant_b)
    client.post(reverse("clients:list"), {"q": client_a.bsn})
    response = client.get(reverse("clients:list"))
    assert shown_pks(response) == []


def test_a_policy_officer_is_refused_every_person_page(client, policy_officer, client_a):
    client.force_login(policy_officer)
    for url in [reverse("clients:list"), reverse("clients:create"), *person_pages(client_a)]:
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("clients:create"), VALID_FORM).status_code == 403
    assert AccessLog.objects.count() == 0


def test_an_application_manager_sees_no_person_either(client, application_manager, client_a):
    client.force_login(application_manager)
    for url in [reverse("clients:list"), *person_pages(client_a)]:
        assert client.get(url).status_code == 403, url


def test_a_team_leader_reads_but_does_not_edit(client, manager_a, client_a):
    client.force_login(manager_a)
    assert client.get(reverse("clients:detail", args=[client_a.pk])).status_code == 200
    assert client.get(reverse("clients:update", args=[client_a.pk])).status_code == 403
    assert client.get(reverse("clients:create")).status_code == 403


def test_opening_a_dossier_is_written_to_the_access_log(client, consultant_a, client_a):
    client.force_login(consultant_a)
    url = reverse("clients:detail", args=[client_a.pk])
    client.get(url)
    entry = AccessLog.objects.get()
    assert (entry.user, entry.client_id, entry.view, entry.path) == (
        consultant_a,
        client_a.pk,
        "clients:detail",
        url,
    )


def test_the_list_logs_every_client_shown(client, consultant_a, team_a, team_b):
    shown = ClientFactory.create_batch(3, team=team_a)
    ClientFactory(team=team_b)
    client.force_login(consultant_a)
    client.get(reverse("clients:list"), WHOLE_TEAM)
    assert set(AccessLog.objects.values_list("client_id", flat=True)) == {c.pk for c in shown}


def test_a_consultant_starts_on_their_own_caseload(client, consultant_a, team_a, client_a):
    ClientFactory.create_batch(2, team=team_a)
    client.force_login(consultant_a)
    assert shown_pks(client.get(reverse("clients:list"))) == [client_a.pk]
    assert client.get(reverse("clients:list"), WHOLE_TEAM).context["page"].paginator.count == 3


def test_the_chosen_consultant_is_named_in_the_export_link(client, team_a):
    consultant = UserFactory(
        role=Role.CONSULTANT, team=team_a, username="avries", first_name="Anna", last_name="Vries"
    )
    client.force_login(consultant)
    for response in (
        client.get(reverse("clients:list")),  # their own caseload, the default
        client.get(reverse("clients:list"), {"consultant": consultant.pk}),
    ):
        chosen = response.context["filter_form"].cleaned_data["consultant"]
        assert (chosen.pk, chosen.username, chosen.first_name, chosen.last_name) == (
            consultant.pk,
            "avries",
            "Anna",
            "Vries",
        )
        assert "Het cliëntenbestand van Anna Vries exporteren" in response.text


def test_the_whole_teams_list_is_counted_apart_from_its_page(
    client, consultant_a, team_a, client_a
):
    """A narrowed list (a search, one consultant's caseload) is counted in its page's query; the
    whole team's not, which would read every client of the team (casework.pagination)."""
    ClientFactory.create_batch(2, team=team_a)
    client.force_login(consultant_a)
    client.get(reverse("clients:list"))  # the filter's lists, into the cache

    def queries(params):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("clients:list"), params)
        return len(captured), response.context["page"].paginator.count

    assert queries(WHOLE_TEAM) == (queries({})[0] + 1, 3)
    assert queries({})[1] == 1


def test_the_filters_are_selects_with_the_current_choice_selected(
    client, consultant_a, consultant_b, team_a
):
    colleague = UserFactory(
        role=Role.CONSULTANT, team=team_a, first_name="Jo <b>", last_name="O'Neil"
    )
    nameless = UserFactory(role=Role.CONSULTANT, team=team_a, first_name="", last_name="")
    matchen = ClientGroup.objects.get(code="matchen")
    client.force_login(consultant_a)
    response = client.get(
        reverse("clients:list"), {"consultant": colleague.pk, "group": matchen.pk}
    )
    html = response.text
    assert '<select name="consultant" id="id_consultant">' in html
    assert '<option value="">' in html  # the whole team
    assert f'<option value="{colleague.pk}" selected>Jo &lt;b&gt; O&#x27;Neil</option>' in html
    assert f'<option value="{consultant_a.pk}">{consultant_a}</option>' in html
    assert f'<option value="{nameless.pk}">{nameless.username}</option>' in html
    consultants = html[html.index('<select name="consultant"') :].split("</select>")[0]
    assert f'<option value="{consultant_b.pk}"' not in consultants  # another team's
    assert f'<option value="{matchen.pk}" selected>{matchen.name}</option>' in html
    assert '<select name="step" id="id_step">' in html


def populate(team, count, consultant=None):
    groups = list(ClientGroup.objects.all())
    for i in range(count):
        person = ClientFactory(team=team)
        if consultant:
            person.consultants.add(consultant)
        BenefitPeriodFactory(client=person)
        ClientGroupAssignmentFactory(client=person, group=groups[i % len(groups)])
        LadderMeasurementFactory(client=person)


def test_filters_narrow_the_list(client, consultant_a, team_a):
    populate(team_a, 8)
    matchen = ClientGroup.objects.get(code="matchen")
    client.force_login(consultant_a)
    response = client.get(reverse("clients:list"), {**WHOLE_TEAM, "group": matchen.pk})
    assert response.context["page"].paginator.count == 2
    assert {row["current_group_name"] for row in response.context["page"]} == {"Matchen"}
    response = client.get(reverse("clients:list"), {**WHOLE_TEAM, "step": 2})
    assert response.context["page"].paginator.count == 8
    response = client.get(reverse("clients:list"), {**WHOLE_TEAM, "step": 5})
    assert response.context["page"].paginator.count == 0


def test_searching_by_bsn_keeps_the_bsn_out_of_every_url(client, consultant_a, team_a):
    wanted = ClientFactory(team=team_a, bsn="123456782")
    ClientFactory.create_batch(3, team=team_a)
    client.force_login(consultant_a)
    response = client.post(f"{reverse('clients:list')}?consultant=", {"q": "1234 56 782"})
    assert response.status_code == 302
    assert "123456782" not in response.url and "782" not in response.url
    response = client.get(response.url)
    assert shown_pks(response) == [wanted.pk]
    assert "123456782" not in response.text  # shown masked: *****6782
    assert "123456782" not in repr(response.context["page"].object_list)  # nor held there
    assert "*****6782" in response.text


def test_each_row_links_to_its_dossier(client, consultant_a, team_a):
    listed = ClientFactory.create_batch(3, team=team_a)
    client.force_login(consultant_a)
    response = client.get(reverse("clients:list"), WHOLE_TEAM)
    for listed_client in listed:
        assert f'<a href="{reverse("clients:detail", args=[listed_client.pk])}">' in response.text


def found(client, term):
    """The first names of the team's clients the list finds for `term`."""
    client.post(reverse("clients:list"), {"q": term})
    response = client.get(reverse("clients:list"), WHOLE_TEAM)
    return sorted(row["first_name"] for row in response.context["page"])


def test_searching_by_name_matches_the_start_of_words_of_the_name(client, consultant_a, team_a):
    ClientFactory(team=team_a, first_name="Pieter", last_name="de Vries")
    ClientFactory(team=team_a, first_name="Anouk", last_name="Vermeulen")
    ClientFactory(team=team_a, first_name="Sem", surname_prefix="van der", last_name="Berg")
    ClientFactory(team=team_a, first_name="Lotte", last_name="Jansen-de Groot")
    ClientFactory(team=team_a, first_name="Khalil", last_name="Mansour")
    ClientFactory(team=team_a, first_name="Zoë", last_name="Çelik")
    client.force_login(consultant_a)
    assert found(client, "vries piet") == ["Pieter"]
    assert found(client, "KHAL") == ["Khalil"]
    assert found(client, "van der b") == ["Sem"]
    assert found(client, "Jansen-de") == ["Lotte"]
    assert found(client, "groot") == ["Lotte"]
    assert found(client, "ver") == ["Anouk"]
    assert found(client, "çel zo") == ["Zoë"]
    # The start of a word, not any part of it (the words are indexed: Client.name_search).
    assert found(client, "alil") == []
    assert found(client, "ries") == []
    client.post(reverse("clients:search-clear"))
    response = client.get(reverse("clients:list"), WHOLE_TEAM)
    assert response.context["page"].paginator.count == 6
    # The search field says so (help text, linked to the field).
    assert 'aria-describedby="id_q-help"' in response.text
    assert 'id="id_q-help"' in response.text


@pytest.mark.parametrize("term", ["a:* | b", "'", "o'", "&", "!x", "(", "\\", "a<->b", "-", "_"])
def test_search_syntax_in_a_name_is_no_search_syntax(client, consultant_a, team_a, term):
    ClientFactory(team=team_a, first_name="Anna", last_name="O'Brien")
    client.force_login(consultant_a)
    client.post(reverse("clients:list"), {"q": term})
    response = client.get(reverse("clients:list"), WHOLE_TEAM)
    assert response.status_code == 200
    expected = ["Anna"] if term in ("a:* | b", "o'", "a<->b") else []
    assert sorted(row["first_name"] for row in response.context["page"]) == expected


def test_the_name_search_follows_a_changed_name(client, consultant_a, team_a):
    person = ClientFactory(team=team_a, first_name="Anna", last_name="Smit")
    client.force_login(consultant_a)
    assert found(client, "smit") == ["Anna"]
    Client.objects.filter(pk=person.pk).update(last_name="Bakker")
    assert found(client, "smit") == []
    assert found(client, "bakk") == ["Anna"]


def test_registering_a_client_puts_them_in_the_team_and_caseload(client, consultant_a):
    client.force_login(consultant_a)
    response = client.post(reverse("clients:create"), VALID_FORM)
    created = Client.objects.get(bsn_hash=bsn_digest("111222333"))
    assert response.status_code == 302
    assert response.url == reverse("clients:detail", args=[created.pk])
    assert created.team == consultant_a.team
    assert list(created.consultants.all()) == [consultant_a]


def test_a_wrong_bsn_gets_a_dutch_error_and_keeps_what_was_typed(client, consultant_a):
    client.force_login(consultant_a)
    response = client.post(reverse("clients:create"), {**VALID_FORM, "bsn": "111222334"})
    assert response.status_code == 200
    assert "elfproef" in response.text
    assert 'value="El Amrani"' in response.text
    assert 'value="111222334"' in response.text
    assert 'aria-invalid="true"' in response.text
    assert not Client.objects.exists()


def test_a_duplicate_bsn_is_refused_in_dutch(client, consultant_a, client_a):
    client.force_login(consultant_a)
    response = client.post(reverse("clients:create"), {**VALID_FORM, "bsn": client_a.bsn})
    assert "Er bestaat al een cliënt met dit BSN" in response.text


def test_a_birth_date_in_the_future_is_refused(client, consultant_a):
    client.force_login(consultant_a)
    tomorrow = datetime.date.today() + datetime.timedelta(days=2)
    response = client.post(
        reverse("clients:create"), {**VALID_FORM, "date_of_birth": tomorrow.isoformat()}
    )
    assert "toekomst" in response.text
    assert not Client.objects.exists()


def test_editing_saves_and_is_logged(client, consultant_a, client_a):
    client.force_login(consultant_a)
    url = reverse("clients:update", args=[client_a.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url, {**VALID_FORM, "bsn": client_a.bsn, "consultants": [consultant_a.pk]}
    )
    assert response.status_code == 302
    client_a.refresh_from_db()
    assert client_a.first_name == "Fatima"
    assert AccessLog.objects.filter(client_id=client_a.pk, view="clients:update").count() == 1


def test_the_dossier_shows_current_values_derived_from_history(client, consultant_a, client_a):
    step5 = LadderStep.objects.get(number=5)
    step6 = LadderStep.objects.get(number=6)
    LadderMeasurementFactory(client=client_a, measured_on=datetime.date(2021, 1, 1))
    LadderMeasurementFactory(
        client=client_a, measured_on=datetime.date(2023, 1, 1), step=step5, target_step=step6
    )
    ClientGroupAssignmentFactory(
        client=client_a,
        group=ClientGroup.objects.get(code="matchen"),
        start_date=datetime.date(2020, 1, 1),
        end_date=datetime.date(2022, 12, 31),
    )
    ClientGroupAssignmentFactory(
        client=client_a,
        group=ClientGroup.objects.get(code="groeien"),
        start_date=datetime.date(2023, 1, 1),
    )
    client.force_login(consultant_a)
    response = client.get(reverse("clients:detail", args=[client_a.pk]))
    assert response.context["current_measurement"].step == step5
    assert response.context["current_assignment"].group.code == "groeien"
    kinds = [event.kind for event in response.context["timeline"]]
    assert kinds.count("ladder") == 2 and kinds.count("group") == 2
