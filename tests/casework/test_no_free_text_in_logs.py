"""Free-text notes never end up in logs or error reports (casework.error_reports, settings.LOGGING):
not in the e-mail of a failing request, not in the log lines of a failing page, API call or Celery
task, not in the access log's paths."""

import inspect
import logging
import re
from collections.abc import Callable
from pathlib import Path
from types import NoneType

import pytest
from django import forms
from django.core import mail
from django.db import connection, transaction
from django.test import RequestFactory
from django.urls import reverse
from django.views.debug import ExceptionReporter

from casework import tasks as casework_tasks
from casework.celery import app
from casework.error_reports import REMOVED
from casework.models import AccessLog
from clients.conversations import services as conversation_services
from clients.forms import CaseloadFilterForm
from clients.privacy.forms import AccessLogFilterForm
from instruments.employer_forms import CandidateFilterForm
from monitoring import report_services, tasks
from monitoring.scopes import DashboardFilterForm
from tests.clients.conversation_factories import ConversationFactory

pytestmark = pytest.mark.django_db

# What a consultant might write; the marker is what no log line may contain.
MARKER = "ZZnotitie7391"
NOTE = f"Schulden bij de buren, knie kapot; zoon in de schuldhulp. {MARKER}"


def duplicate_key(text: str) -> None:
    """A genuine PostgreSQL error that quotes the row in its DETAIL, as a constraint violation
    of a row with notes does ("Key (…)=(…) already exists.")."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE refused (notes text UNIQUE)")
        cursor.execute("INSERT INTO refused VALUES (%s), (%s)", [text, text])


def invalid_value(text: str) -> None:
    """A genuine PostgreSQL error that quotes the value in its primary message (class 22)."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT CAST(%s AS integer)", [text])


def plain_error(text: str) -> None:
    notes = text  # a local variable holding the text, as in any service  # noqa: F841
    raise RuntimeError("something went wrong")


FAILURES = [duplicate_key, invalid_value, plain_error]


def as_logged(records: list[logging.LogRecord]) -> str:
    """The records as the production console handler writes them (its filters, its format)."""
    [console] = [handler for handler in logging.getLogger().handlers if handler.name == "console"]
    return "\n".join(console.format(record) for record in records if console.filter(record))


def assert_no_free_text(caplog: pytest.LogCaptureFixture) -> str:
    logged = as_logged(caplog.records)
    assert MARKER not in logged
    assert MARKER not in caplog.text
    for record in caplog.records:
        assert MARKER not in repr(record.__dict__.get("data", ""))  # Celery's structured extra
    return logged


@pytest.fixture
def admins(settings):
    settings.ADMINS = [("Functioneel beheer", "beheer@example.org")]


@pytest.mark.parametrize("failure", FAILURES)
def test_a_failing_form_post_mails_and_logs_no_note(
    client, consultant_a, client_a, admins, monkeypatch, caplog, failure: Callable[[str], None]
):
    conversation = ConversationFactory(client=client_a, consultant=consultant_a, completed=True)
    monkeypatch.setattr(
        conversation_services, "add_addendum", lambda **arguments: failure(arguments["text"])
    )
    client.raise_request_exception = False
    client.force_login(consultant_a)
    url = reverse("conversations:addendum", args=[conversation.pk])

    response = client.post(url, {"text": NOTE})

    assert response.status_code == 500
    [report] = mail.outbox
    assert report.to == ["beheer@example.org"]
    assert MARKER not in report.subject
    assert MARKER not in report.body
    assert not report.alternatives  # no HTML version with more in it
    # Enough is left to find the request and the fault.
    assert url in report.subject
    assert "Request Method: POST" in report.body
    assert f"text = '{REMOVED}'" in report.body
    assert failure.__name__ in report.body  # the traceback
    logged = assert_no_free_text(caplog)
    assert f"Internal Server Error: {url}" in logged


def test_a_database_error_keeps_its_code_and_constraint(client, consultant_a, client_a, caplog):
    conversation = ConversationFactory(client=client_a, consultant=consultant_a, completed=True)
    client.raise_request_exception = False
    client.force_login(consultant_a)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(conversation_services, "add_addendum", lambda **a: duplicate_key(a["text"]))
        client.post(reverse("conversations:addendum", args=[conversation.pk]), {"text": NOTE})
    logged = assert_no_free_text(caplog)
    assert 'duplicate key value violates unique constraint "refused_notes_key"' in logged
    assert "SQLSTATE 23505" in logged
    assert "DETAIL" not in logged


@pytest.mark.parametrize("failure", FAILURES)
def test_a_failing_api_call_mails_and_logs_no_note(
    api_client, consultant_a, client_a, admins, monkeypatch, caplog, failure: Callable[[str], None]
):
    draft = ConversationFactory(client=client_a, consultant=consultant_a)
    monkeypatch.setattr(
        conversation_services,
        "update_conversation",
        lambda **arguments: failure(arguments["notes"]),
    )
    api_client.raise_request_exception = False
    api_client.force_login(consultant_a)
    url = f"/api/v1/conversations/{draft.pk}/"

    response = api_client.patch(url, {"notes": NOTE}, format="json")

    assert response.status_code == 500
    assert MARKER not in response.content.decode()
    [report] = mail.outbox
    assert MARKER not in report.subject + report.body
    assert url in report.subject
    assert "Request Method: PATCH" in report.body
    assert_no_free_text(caplog)


@pytest.mark.parametrize("failure", FAILURES)
def test_a_failing_task_logs_no_free_text(monkeypatch, caplog, failure: Callable[[str], None]):
    """A monitor build that fails on every attempt: Celery logs each retry and the failure."""
    monkeypatch.setattr(report_services, "build_report", lambda **arguments: failure(NOTE))
    monkeypatch.setattr(report_services, "record_failure", lambda **arguments: None)
    caplog.set_level(logging.INFO)

    tasks.build_report.apply(args=[1])

    logged = assert_no_free_text(caplog)
    assert "Building monitor 1 failed (final: True)" in logged


@pytest.mark.parametrize("failure", FAILURES)
def test_an_unexpected_task_error_logs_no_free_text(
    monkeypatch, caplog, failure: Callable[[str], None]
):
    """Celery's own line for a task that raises: "Task … raised unexpected: <the error>"."""
    monkeypatch.setattr(casework_tasks, "record_heartbeat", lambda **arguments: failure(NOTE))

    result = casework_tasks.heartbeat.apply()

    assert result.failed()
    logged = assert_no_free_text(caplog)
    assert "raised unexpected" in logged


# Parameters of our tasks that are text, yet no person's, and what they hold.
TEXT_PARAMETERS = {"day": "an ISO date, YYYY-MM-DD"}
OUR_APPS = ("casework.", "clients.", "instruments.", "monitoring.", "demo.")


def test_every_task_takes_ids_and_returns_nothing():
    """Celery puts a task's arguments in the broker, in its events and (argsrepr) in log lines,
    and logs what it returns: our tasks take ids, numbers and flags only, and return None."""
    app.loader.import_default_modules()
    ours = {name: task for name, task in app.tasks.items() if name.startswith(OUR_APPS)}
    assert "monitoring.tasks.build_report" in ours
    for name, task in ours.items():
        signature = inspect.signature(task.run, eval_str=True)
        assert signature.return_annotation in (None, NoneType), name
        for parameter in signature.parameters.values():
            allowed = parameter.annotation in (int, bool, int | None)
            assert allowed or parameter.name in TEXT_PARAMETERS, (name, parameter.name)


def test_the_access_log_keeps_no_query_string(client, consultant_a, client_a):
    client.force_login(consultant_a)
    client.get(reverse("clients:list"), {"q": MARKER, "consultant": ""})
    client.get(reverse("clients:detail", args=[client_a.pk]), {"q": MARKER})
    paths = set(AccessLog.objects.values_list("path", flat=True))
    assert paths == {reverse("clients:list"), reverse("clients:detail", args=[client_a.pk])}


def test_a_logged_request_line_holds_no_query_string(client, consultant_a, caplog):
    client.force_login(consultant_a)
    url = reverse("clients:detail", args=[0])
    response = client.get(url, {"q": MARKER})
    assert response.status_code == 404
    assert f"Not Found: {url}" in assert_no_free_text(caplog)


# Every form sent with GET (its fields end up in the URL: browser history, the access logs of
# gunicorn and the proxy), by template, and the text fields it may have with what they hold.
GET_FORMS: dict[str, tuple[type[forms.Form], dict[str, str]]] = {
    "clients/templates/clients/client_list.html": (CaseloadFilterForm, {}),
    "instruments/templates/instruments/employers/vacancy_candidates.html": (
        CandidateFilterForm,
        {},
    ),
    "monitoring/templates/monitoring/dashboard/dashboard.html": (DashboardFilterForm, {}),
    "clients/templates/privacy/access_log.html": (
        AccessLogFilterForm,
        {"view": "the name of a page, e.g. clients:detail"},
    ),
}


def test_no_form_sends_free_text_in_a_url():
    """Names and BSNs are searched with POST (the term is kept in the session). A new GET form
    fails here until it is added to GET_FORMS, after checking it asks for no person's text."""
    root = Path(__file__).resolve().parents[2]
    paths = [*root.glob("templates/**/*.html"), *root.glob("*/templates/**/*.html")]
    templates = {
        str(path.relative_to(root))
        for path in paths
        if re.search(r"<form[^>]*method=.?get", path.read_text(), re.IGNORECASE)
    }
    assert templates == set(GET_FORMS)
    for form, text_fields in GET_FORMS.values():
        free_text = {
            name for name, field in form.base_fields.items() if isinstance(field, forms.CharField)
        }
        assert free_text == set(text_fields), form


def test_the_report_filter_also_works_when_debug_is_on(settings, consultant_a):
    """Django's own filter leaves everything in when DEBUG is on; ours does not."""
    settings.DEBUG = True
    request = RequestFactory().post("/clienten/1/gesprekken/", {"notes": NOTE})
    request.user = consultant_a
    request.COOKIES["messages"] = NOTE
    try:
        plain_error(NOTE)
    except RuntimeError as error:
        reporter = ExceptionReporter(request, type(error), error, error.__traceback__)
    assert MARKER not in reporter.get_traceback_text()
    page = reporter.get_traceback_html()
    assert MARKER not in page
    assert REMOVED in page
