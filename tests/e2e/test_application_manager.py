"""An applicatiebeheerder, in the browser: a consultant opens a client's dossier, and the access
log, searched by that client's number, shows who read it, when and on which page; then the policy
settings. Every page reached is checked for accessibility."""

from playwright.sync_api import expect

from clients.models import ClientGroup
from tests.e2e.accessibility import assert_accessible


def test_the_access_log_shows_who_read_a_dossier(
    logged_in, screenshot, consultant_a, client_a, application_manager
):
    reader = logged_in(consultant_a)
    reader.goto(f"/clienten/{client_a.pk}/")
    expect(reader.locator("h1")).to_contain_text(client_a.last_name)

    page = logged_in(application_manager, screenshot)
    assert_accessible(page)  # the start page
    page.click("nav a[href='/privacy/toegangslog/']")
    page.wait_for_url("**/privacy/toegangslog/")
    assert_accessible(page)
    search = page.locator("form#log-search")
    search.locator("input[name=client]").fill(str(client_a.pk))
    with page.expect_navigation():
        search.locator("button[type=submit]").click()

    entries = page.locator("#log-entries tbody tr")
    expect(entries).to_have_count(1)
    expect(entries.first).to_contain_text(consultant_a.username)
    expect(entries.first).to_contain_text("clients:detail")
    expect(page.locator("#log-client")).to_contain_text(client_a.full_name)
    assert_accessible(page)
    screenshot(page.locator("main"), "toegangslog")

    # The policy settings: the klantgroepen with their rhythm, among the rest.
    page.click("nav a[href='/beheer/']")
    page.wait_for_url("**/beheer/")
    assert_accessible(page)
    screenshot(page, "beleidsinstellingen")
    page.click("a[href$='/clientgroup/']")
    for group in ClientGroup.objects.all():
        expect(page.locator("#result_list")).to_contain_text(group.name)
    assert_accessible(page)
