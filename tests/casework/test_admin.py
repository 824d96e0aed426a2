"""The application manager maintains policy data in /beheer/; nobody else gets in, and clients
are not in it at all (every read of a person goes through the audited pages)."""

import pytest
from django.urls import NoReverseMatch, reverse

from clients.models import ClientGroup

pytestmark = pytest.mark.django_db


def test_the_application_manager_edits_client_groups(client, application_manager):
    client.force_login(application_manager)
    group = ClientGroup.objects.get(code="zorgen")
    url = reverse("admin:clients_clientgroup_change", args=[group.pk])
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("user", ["consultant_a", "manager_a", "policy_officer"])
def test_other_roles_do_not_get_into_the_admin(client, request, user):
    client.force_login(request.getfixturevalue(user))
    response = client.get(reverse("admin:clients_clientgroup_changelist"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_clients_are_not_in_the_admin():
    with pytest.raises(NoReverseMatch):
        reverse("admin:clients_client_changelist")
