"""Project-wide promises: migrations complete, one <h1> per page."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_no_model_change_lacks_a_migration():
    output = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=output)
    assert "No changes detected" in output.getvalue()


def test_every_page_has_exactly_one_h1(client, consultant_a, client_a):
    client.force_login(consultant_a)
    pages = [
        reverse("home"),
        reverse("clients:list"),
        reverse("clients:create"),
        reverse("clients:detail", args=[client_a.pk]),
        reverse("clients:update", args=[client_a.pk]),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert len(re.findall(r"<h1[ >]", response.text)) == 1, url
    client.logout()
    assert len(re.findall(r"<h1[ >]", client.get(reverse("login")).text)) == 1
