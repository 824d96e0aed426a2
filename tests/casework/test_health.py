import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_health_reports_database_and_broker_without_log_in(client, tmp_path, settings):
    response = client.get(reverse("health"), HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    body = response.json()
    assert list(body.values()) == ["OK", "OK"]
    assert any("Database" in name for name in body)
    assert any("CeleryBroker" in name for name in body)


def test_health_reports_an_unreachable_broker(client, settings):
    from casework.celery import app

    app.conf.broker_url = "redis://127.0.0.1:1/0"
    try:
        response = client.get(reverse("health"), HTTP_ACCEPT="application/json")
    finally:
        app.conf.broker_url = settings.CELERY_BROKER_URL
    assert response.status_code == 500
    assert "Celery broker unreachable" in str(response.json())
