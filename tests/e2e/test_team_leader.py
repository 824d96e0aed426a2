"""A teamleider's dashboard, in the browser: their own team up to today, then filtered by
klantgroep and by another team, the figures following the filters. Every page reached is checked
for accessibility."""

import datetime
import re

from django.utils import timezone
from playwright.sync_api import Page, expect

from clients.models import ClientGroup
from tests.clients.factories import BenefitPeriodFactory, ClientGroupAssignmentFactory
from tests.e2e.accessibility import assert_accessible

# The number of clients on benefit (the `caseload` indicator) in the newest quarter shown.
CASELOAD = "tr[data-indicator=caseload] td[data-period=current]"


def on_benefit(team, *, count, group=None):
    """`count` clients of `team` on benefit since two years ago, in `group` all that time."""
    start = timezone.localdate() - datetime.timedelta(days=730)
    for _ in range(count):
        benefit = BenefitPeriodFactory(client__team=team, start_date=start)
        if group is not None:
            ClientGroupAssignmentFactory(client=benefit.client, group=group, start_date=start)


def show(page: Page, **chosen: str) -> None:
    """Choose the filters (select name: option value) and submit the filter form."""
    form = page.locator("main form.filters")
    for name, value in chosen.items():
        form.locator(f"select[name={name}]").select_option(value)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()


def test_the_dashboard_filtered_by_client_group_and_team(
    logged_in, screenshot, manager_a, team_a, team_b
):
    groeien = ClientGroup.objects.get(code="groeien")
    on_benefit(team_a, count=6, group=groeien)
    on_benefit(team_a, count=2)
    on_benefit(team_b, count=2, group=groeien)
    page = logged_in(manager_a)
    assert_accessible(page)  # the start page

    # Their own team, up to today: the team leader may see its clients one by one.
    page.click("nav a[href='/dashboard/']")
    page.wait_for_url("**/dashboard/")
    expect(page.locator("select[name=team]")).to_have_value(str(team_a.pk))
    expect(page.locator("select[name=group]")).to_have_value("")
    expect(page.locator("#dashboard-scope")).to_contain_text(team_a.name)
    expect(page.locator("main section[aria-labelledby^=theme-]").first).to_be_visible()
    expect(page.locator(CASELOAD)).to_have_text("8")
    assert_accessible(page)
    screenshot(page, "dashboard")

    show(page, group=str(groeien.pk))
    assert f"group={groeien.pk}" in page.url and f"team={team_a.pk}" in page.url
    expect(page.locator("select[name=group]")).to_have_value(str(groeien.pk))
    expect(page.locator("#dashboard-scope")).to_contain_text(groeien.name)
    expect(page.locator(CASELOAD)).to_have_text("6")
    assert_accessible(page)
    screenshot(page.locator("main form.filters"), "dashboard-filters")

    # Another team: whole quarters only, and its two clients are a small cell, hidden.
    show(page, team=str(team_b.pk))
    assert f"group={groeien.pk}" in page.url and f"team={team_b.pk}" in page.url
    expect(page.locator("select[name=team]")).to_have_value(str(team_b.pk))
    expect(page.locator("#dashboard-scope")).to_contain_text(team_b.name)
    expect(page.locator(CASELOAD)).to_have_text(re.compile(r"^<\s*\d+$"))
    expect(page.locator("#dashboard-privacy")).not_to_be_empty()
    assert_accessible(page)
