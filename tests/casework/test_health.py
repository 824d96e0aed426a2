import pytest
from django.urls import reverse

from tests.casework.test_celery import publishing_to

pytestmark = pytest.mark.django_db


def test_health_reports_database_and_broker_without_log_in(client, tmp_path, settings):
    response = client.get(reverse("health"), HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    body = response.json()
    assert list(body.values()) == ["OK", "OK"]
    assert any("Database" in name for name in body)
    assert any("CeleryBroker" in name for name in body)


def test_health_reports_an_unreachable_broker(client):
    with publishing_to("redis://127.0.0.1:1/0"):
        response = client.get(reverse("health"), HTTP_ACCEPT="application/json")
    assert response.status_code == 500
    assert "Celery broker unreachable" in str(response.json())
