"""A beleidsmedewerker's monitor, in the browser: asked for last quarter, built by a real Celery
worker over a real Redis while the page follows the build by itself (htmx polling), downloaded as
a PDF that names no client. Every page reached is checked for accessibility."""

import datetime
import os

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from clients.models import ClientGroup
from monitoring.periods import Period
from tests.casework.test_celery import publishing_to, worker
from tests.clients.factories import BenefitPeriodFactory, ClientGroupAssignmentFactory
from tests.e2e.accessibility import assert_accessible

# Worker start-up plus the build of a monitor of a few clients; the page polls every 2 seconds.
BUILD_TIMEOUT_MS = 60_000
NAMES = [("Fenneke", "Zwartjes"), ("Ruurdje", "Hoogeboom"), ("Sjoerdina", "Kwakernaak")]


@pytest.mark.redis
def test_a_monitor_of_last_quarter_is_built_followed_and_downloaded(
    logged_in, screenshot, policy_officer, team_a
):
    today = timezone.localdate()
    last_quarter = Period.quarter_of(today).previous()
    groeien = ClientGroup.objects.get(code="groeien")
    start = today - datetime.timedelta(days=730)
    for first_name, last_name in NAMES:
        benefit = BenefitPeriodFactory(
            client__team=team_a,
            client__first_name=first_name,
            client__last_name=last_name,
            start_date=start,
        )
        ClientGroupAssignmentFactory(client=benefit.client, group=groeien, start_date=start)
    redis_url = os.environ["CASEWORK_TEST_REDIS_URL"]

    # The worker starts while the policy officer logs in.
    with worker({"CELERY_BROKER_URL": redis_url}), publishing_to(redis_url):
        page = logged_in(policy_officer)
        assert_accessible(page)  # the start page

        page.click("nav a[href='/monitor/']")
        page.wait_for_url("**/monitor/")
        assert_accessible(page)
        page.check("input[name=kind][value=quarter]")
        page.fill("input[name=year]", str(last_quarter.start.year))
        page.select_option("select[name=quarter]", str((last_quarter.start.month - 1) // 3 + 1))
        screenshot(page, "monitor-aanvragen")
        page.click("main form button[type=submit]")
        page.wait_for_url("**/monitor/*/")
        # Building takes seconds: the page shows the monitor queued or being built.
        assert page.get_attribute("#monitor-status", "data-status") in ("queued", "running")
        assert_accessible(page)
        page.evaluate("() => { window.loadedOnce = true; }")  # gone if the page were reloaded

        # No reloading: htmx asks for the status until the monitor is done, then the downloads
        # come along.
        expect(page.locator("#monitor-status")).to_have_attribute(
            "data-status", "done", timeout=BUILD_TIMEOUT_MS
        )
        pdf_link = page.locator("#monitor-downloads a[href$='/pdf/']")
        expect(pdf_link).to_be_visible()
        assert page.evaluate("() => window.loadedOnce === true")
        assert_accessible(page)
        screenshot(page, "monitor-klaar")

        with page.expect_download() as download_info:
            pdf_link.click()
        download = download_info.value

    assert download.suggested_filename.endswith(".pdf")
    text = "\n".join(sheet.extract_text() for sheet in PdfReader(download.path()).pages)
    assert last_quarter.label in text
    for first_name, last_name in NAMES:
        assert first_name not in text and last_name not in text
