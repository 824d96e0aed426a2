"""The application manager maintains policy data in /beheer/; nobody else gets in, and clients
are not in it at all (every read of a person goes through the audited pages). Changing the policy
settings and resetting someone's two-factor authentication ask for sudo mode."""

from urllib.parse import urlencode

import pytest
from django.contrib.admin import site
from django.urls import NoReverseMatch, reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from casework.admin import ListEditableAdmin
from casework.models import PolicySettings
from casework.sudo import SUDO_AT
from clients.models import ClientGroup
from tests.casework.factories import UserFactory
from tests.casework.sudo import confirm_sudo
from tests.clients.factories import ClientGroupAssignmentFactory

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


def test_every_editable_cell_of_a_change_list_is_named(client, application_manager):
    """Django leaves the cells of `list_editable` without a label; ListEditableAdmin names each
    for its column and row, on every change list that has them."""
    client.force_login(application_manager)
    editable = [model_admin for model_admin in site._registry.values() if model_admin.list_editable]
    assert editable and all(isinstance(model_admin, ListEditableAdmin) for model_admin in editable)
    group = ClientGroup.objects.get(code="zorgen")
    response = client.get(reverse("admin:clients_clientgroup_changelist"))
    form = next(form for form in response.context["cl"].formset if form.instance == group)
    assert form["position"].field.widget.attrs["aria-label"] == f"Volgorde: {group}"
    assert f'aria-label="Actief: {group}"' in response.content.decode()


def test_deleting_a_client_group_in_use_names_no_client(client, client_a):
    """Nobody but a superuser may delete a klantgroep (they are deactivated instead). Its delete
    page refuses one that clients are in, by their assignments, without naming a client
    (Client.current_group is no reason the admin lists)."""
    zorgen = ClientGroup.objects.get(code="zorgen")
    ClientGroupAssignmentFactory(client=client_a, group=zorgen)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    page = client.get(reverse("admin:clients_clientgroup_delete", args=[zorgen.pk]))
    assert page.status_code == 200
    assert page.context["protected"]
    assert client_a.last_name not in page.content.decode()


def test_clients_are_not_in_the_admin():
    with pytest.raises(NoReverseMatch):
        reverse("admin:clients_client_changelist")


# --- Sudo mode in /beheer/ (casework.sudo) -------------------------------------------------------


def sudo_url(next_url):
    return f"{reverse('sudo')}?{urlencode({'next': next_url})}"


def form_data(response):
    """What the admin's change form would post as it is, for the fields given."""
    form = response.context["adminform"].form
    return {name: form[name].value() for name in form.fields if form[name].value() is not None}


def test_the_policy_settings_change_only_after_confirming(client, application_manager):
    policy = PolicySettings.load()
    client.force_login(application_manager)
    url = reverse("admin:casework_policysettings_change", args=[policy.pk])

    response = client.get(url)
    assert response.status_code == 302
    assert response.url == sudo_url(url)
    confirm_sudo(client)
    data = {**form_data(client.get(url)), "retention_years": 1}
    session = client.session
    del session[SUDO_AT]
    session.save()

    refused = client.post(url, data)
    assert refused.status_code == 302
    assert refused.url == sudo_url(url)
    policy.refresh_from_db()
    assert policy.retention_years == 10

    confirm_sudo(client)
    saved = client.post(url, data)
    assert saved.status_code == 302
    assert not saved.url.startswith(reverse("sudo"))
    policy.refresh_from_db()
    assert policy.retention_years == 1


@pytest.mark.parametrize(
    ("model", "url_name"),
    [
        (TOTPDevice, "admin:otp_totp_totpdevice_delete"),
        (StaticDevice, "admin:otp_static_staticdevice_delete"),
    ],
)
def test_resetting_two_factor_needs_sudo_mode(
    client, application_manager, consultant_a, model, url_name
):
    device = model.objects.create(user=consultant_a, name="device")
    client.force_login(application_manager)
    url = reverse(url_name, args=[device.pk])

    for response in (client.get(url), client.post(url, {"post": "yes"})):
        assert response.status_code == 302
        assert response.url == sudo_url(url)
    assert model.objects.filter(pk=device.pk).exists()

    confirm_sudo(client)
    assert client.get(url).status_code == 200
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not model.objects.filter(pk=device.pk).exists()


@pytest.mark.parametrize(
    ("model", "url_name"),
    [
        (TOTPDevice, "admin:otp_totp_totpdevice_changelist"),
        (StaticDevice, "admin:otp_static_staticdevice_changelist"),
    ],
)
def test_deleting_devices_in_bulk_needs_sudo_mode(
    client, application_manager, consultant_a, consultant_b, model, url_name
):
    devices = [
        model.objects.create(user=user, name="device") for user in (consultant_a, consultant_b)
    ]
    client.force_login(application_manager)
    url = reverse(url_name)
    action = {
        "action": "delete_selected",
        "_selected_action": [str(device.pk) for device in devices],
    }
    assert 'value="delete_selected"' in client.get(url).text  # the action is offered

    for data in (action, {**action, "post": "yes"}):  # the confirmation page, the deletion
        response = client.post(url, data)
        assert response.status_code == 302
        assert response.url == sudo_url(url)
    assert model.objects.count() == 2

    confirm_sudo(client)
    confirmation = client.post(url, action)
    assert confirmation.status_code == 200
    assert 'name="post" value="yes"' in confirmation.text
    assert client.post(url, {**action, "post": "yes"}).status_code == 302
    assert not model.objects.exists()


def test_the_device_admins_keep_their_secrets_hidden(client, application_manager, consultant_a):
    device = TOTPDevice.objects.create(user=consultant_a, name="app", confirmed=True)
    client.force_login(application_manager)
    confirm_sudo(client)
    change = client.get(reverse("admin:otp_totp_totpdevice_change", args=[device.pk]))
    assert change.status_code == 200
    assert device.key not in change.text
    config = reverse("admin:otp_totp_totpdevice_config", args=[device.pk])
    assert client.get(config).status_code == 403
