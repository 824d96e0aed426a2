"""Deleting a client registered in error (clients.deletion, clients.delete_views): a team leader
of the client's team, in sudo mode, and only while the file holds nothing but the registration."""

import datetime

import pytest
from django.contrib.messages import constants as message_levels
from django.core.exceptions import ValidationError
from django.urls import reverse

from casework.models import AccessLog, Role
from clients import deletion
from clients.models import (
    BarrierType,
    BenefitPeriod,
    Client,
    ClientGroupAssignment,
    Conversation,
    LadderMeasurement,
)
from instruments.models import Trajectory
from tests.casework.factories import UserFactory
from tests.casework.sudo import confirm_sudo
from tests.clients.conversation_factories import ConversationFactory
from tests.clients.factories import (
    BenefitPeriodFactory,
    ClientFactory,
    ClientGroupAssignmentFactory,
    LadderMeasurementFactory,
)
from tests.instruments.factories import TrajectoryFactory

pytestmark = pytest.mark.django_db


def delete_url(client_a):
    return reverse("clients:delete", args=[client_a.pk])


def messages_of(response):
    return [(message.level, message.message) for message in response.context["messages"]]


@pytest.fixture
def registered(client_a):
    """client_a with everything a registration records."""
    BenefitPeriodFactory(client=client_a)
    LadderMeasurementFactory(client=client_a)
    ClientGroupAssignmentFactory(client=client_a)
    client_a.barriers.add(BarrierType.objects.first())
    return client_a


@pytest.fixture
def manager_b(team_b):
    return UserFactory(username="manager_b", role=Role.MANAGER, team=team_b)


def test_a_team_leader_deletes_a_client_registered_in_error(client, manager_a, registered):
    client.force_login(manager_a)
    confirm_sudo(client)

    page = client.get(delete_url(registered))
    assert page.status_code == 200
    assert registered.full_name in page.text
    assert 'id="delete-client"' in page.text
    assert 'id="deletion-refused"' not in page.text

    response = client.post(delete_url(registered), follow=True)
    assert response.redirect_chain == [(reverse("clients:list"), 302)]
    ((level, message),) = messages_of(response)
    assert level == message_levels.SUCCESS
    assert registered.full_name in message

    assert not Client.objects.filter(pk=registered.pk).exists()
    for model in (BenefitPeriod, LadderMeasurement, ClientGroupAssignment):
        assert not model.objects.filter(client_id=registered.pk).exists()
    # The access log keeps who deleted which client, and when.
    logged = AccessLog.objects.filter(view="clients:delete", client_id=registered.pk)
    assert logged.count() == 2  # the confirmation page and the deletion
    assert set(logged.values_list("user", flat=True)) == {manager_a.pk}


def test_the_dossier_links_to_deletion_for_the_team_leader_only(
    client, manager_a, consultant_a, client_a
):
    client.force_login(manager_a)
    dossier = reverse("clients:detail", args=[client_a.pk])
    assert f'href="{delete_url(client_a)}"' in client.get(dossier).text
    client.force_login(consultant_a)
    assert 'id="delete-client-link"' not in client.get(dossier).text


@pytest.mark.parametrize(
    ("make_record", "model"),
    [
        (lambda client_a: ConversationFactory(client=client_a), Conversation),
        (lambda client_a: TrajectoryFactory(client=client_a), None),
        (
            lambda client_a: BenefitPeriodFactory(
                client=ClientFactory(team=client_a.team), partner=client_a
            ),
            None,
        ),
    ],
    ids=["conversation", "trajectory", "partner-on-another-benefit"],
)
def test_a_file_with_more_than_the_registration_is_kept(
    client, manager_a, registered, make_record, model
):
    make_record(registered)
    client.force_login(manager_a)
    confirm_sudo(client)

    page = client.get(delete_url(registered))
    assert page.status_code == 200
    assert 'id="deletion-refused"' in page.text
    assert 'id="delete-client"' not in page.text

    response = client.post(delete_url(registered), follow=True)
    assert response.redirect_chain == [(reverse("clients:detail", args=[registered.pk]), 302)]
    ((level, message),) = messages_of(response)
    assert level == message_levels.ERROR
    assert registered.full_name in message
    assert Client.objects.filter(pk=registered.pk).exists()
    assert BenefitPeriod.objects.filter(client=registered).exists()
    if model is not None:
        assert model.objects.filter(client=registered).exists()


def test_the_refusal_names_what_the_file_holds(client_a):
    ConversationFactory(client=client_a)
    TrajectoryFactory(client=client_a)
    assert deletion.records_beyond_registration(client_a) == sorted(
        str(model._meta.verbose_name_plural) for model in (Conversation, Trajectory)
    )


def test_registration_records_alone_do_not_block(registered, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert deletion.records_beyond_registration(registered) == []


@pytest.mark.parametrize("user", ["consultant_a", "consultant_b", "policy_officer"])
def test_other_roles_are_refused(client, request, client_a, user):
    client.force_login(request.getfixturevalue(user))
    confirm_sudo(client)
    assert client.get(delete_url(client_a)).status_code == 403
    assert client.post(delete_url(client_a)).status_code == 403
    assert Client.objects.filter(pk=client_a.pk).exists()
    assert not AccessLog.objects.exists()


def test_the_application_manager_is_refused(client, application_manager, client_a):
    client.force_login(application_manager)
    confirm_sudo(client)
    assert client.post(delete_url(client_a)).status_code == 403
    assert Client.objects.filter(pk=client_a.pk).exists()


def test_a_team_leader_of_another_team_does_not_find_the_client(client, manager_b, client_a):
    client.force_login(manager_b)
    confirm_sudo(client)
    assert client.get(delete_url(client_a)).status_code == 404
    assert client.post(delete_url(client_a)).status_code == 404
    assert Client.objects.filter(pk=client_a.pk).exists()
    assert not AccessLog.objects.exists()


def test_without_confirming_nothing_is_deleted(client, manager_a, client_a):
    client.force_login(manager_a)
    for response in (client.get(delete_url(client_a)), client.post(delete_url(client_a))):
        assert response.status_code == 302
        assert response.url.startswith(reverse("sudo"))
    assert Client.objects.filter(pk=client_a.pk).exists()
    assert not AccessLog.objects.exists()


def test_anonymous_users_are_sent_to_log_in(client, client_a):
    response = client.post(delete_url(client_a))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert Client.objects.filter(pk=client_a.pk).exists()


def test_the_service_refuses_too(client_a):
    ConversationFactory(client=client_a, held_on=datetime.date(2024, 3, 1))
    with pytest.raises(ValidationError):
        deletion.delete_client(client=client_a)
    assert Client.objects.filter(pk=client_a.pk).exists()
