"""Browser tests: Playwright drives Debian's Chromium (/usr/bin/chromium, never a downloaded
browser) against pytest-django's live server, with the static files served by it.

pytest-playwright gives each test a fresh context (`new_context`, `context`, `page`); the
Playwright instance and the browser are started once for this package. Not once per session, as
the plugin does: Playwright's sync API keeps an asyncio event loop running in the main thread
from start to stop, and with a running loop Django refuses database calls (unless
DJANGO_ALLOW_ASYNC_UNSAFE is set) and hands the thread other connection objects. So the loop
runs, and DJANGO_ALLOW_ASYNC_UNSAFE is set, only while the tests of this package run; the tests
after them see neither.

Users log in as a person does: the log-in form, then the code of their authenticator app
(django-otp's TOTP, as bench/server.py does over HTTP).

The flows take the screenshots of the user guide (docs/handleiding) on their way: `make
screenshots` writes them into the guide, an ordinary run into the test's temporary directory."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import factory.random
import pytest
from django.db import connections
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Locator,
    Page,
    Playwright,
    sync_playwright,
)

from casework.models import JobTitle, Role, User
from tests.casework.factories import UserFactory
from tests.casework.test_two_factor import app_code
from tests.e2e import accessibility
from tests.e2e.accessibility import LAPTOP, assert_accessible
from tools import axe

CHROMIUM = Path("/usr/bin/chromium")
# What this closed network needs (the machine's notes): no sandbox (root), no GPU, and none of
# Chromium's own connections to Google's services.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Each step waits this long at most (Playwright's default is 30 s): a failing test fails soon.
TIMEOUT_MS = 10_000
PASSWORD = "correct horse battery staple"  # UserFactory's
# The user guide's screenshots, and the variable that has the flows write them there (`make
# screenshots`) rather than into each test's temporary directory.
GUIDE_IMAGES = Path(__file__).resolve().parents[2] / "docs" / "handleiding" / "afbeeldingen"
WRITE_GUIDE_IMAGES = "CASEWORK_GUIDE_SCREENSHOTS"

Screenshot = Callable[[Page | Locator, str], None]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: drives Chromium against a live server (tests/e2e)")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test here is a browser test over a live server: marked `browser`, and on a
    transactional database that gets the rows the migrations seed (klantgroepen, ladder, life
    domains, catalogue) back before each test (serialized_rollback)."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.path).parents:
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.django_db(transaction=True, serialized_rollback=True))


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """The pages the browser tests checked, with the number of problems found on each."""
    if not accessibility.checked:
        return
    terminalreporter.section(f"pages checked for accessibility (axe-core {axe.VERSION})")
    for path, problems in sorted(accessibility.checked.items()):
        terminalreporter.write_line(f"{problems} problems  {path}")


@pytest.fixture(scope="package")
def migrated_rows(django_db_setup: None, django_db_blocker: Any) -> Iterator[dict[str, str]]:
    """The rows the migrations seed (klantgroepen, ladder, life domains, catalogue), as
    pytest-django serialized them per database. serialized_rollback puts them back before each
    test here and flushes every table after it: after the last test here they are put back once
    more, for the tests that follow."""
    serialized = {
        connection.alias: connection._test_serialized_contents
        for connection in connections.all()
        if hasattr(connection, "_test_serialized_contents")
    }
    yield serialized
    with django_db_blocker.unblock():
        for alias, contents in serialized.items():
            connections[alias].creation.deserialize_db_from_string(contents)


@pytest.fixture(scope="package")
def playwright(migrated_rows: dict[str, str]) -> Iterator[Playwright]:
    """Overrides pytest-playwright's session-wide instance (see the module's docstring).

    While the loop runs, Django gives this thread other connection objects than before (asgiref's
    Local keeps them per context when a loop is running): they get the migrated rows too."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"The browser tests need Debian's Chromium at {CHROMIUM}: apt-get install chromium",
            pytrace=False,
        )
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as instance:
            for alias, contents in migrated_rows.items():
                connections[alias]._test_serialized_contents = contents
            yield instance
            connections.close_all()  # the connections of the loop's context


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """pytest-playwright's options (--headed, --slowmo) with Debian's Chromium."""
    return {
        "headless": True,
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="package")
def browser(playwright: Playwright, browser_type_launch_args: dict[str, Any]) -> Iterator[Browser]:
    browser = playwright.chromium.launch(**browser_type_launch_args)
    yield browser
    browser.close()


@pytest.fixture(scope="package")
def browser_context_args(live_server: Any) -> dict[str, Any]:
    """A laptop screen, Dutch, relative URLs against the live server."""
    return {"base_url": live_server.url, "viewport": LAPTOP, "locale": "nl-NL"}


@pytest.fixture(autouse=True)
def _same_names_every_run() -> None:
    """The factories make up the same names in every run of a test: the guide's screenshots
    stay the same from one `make screenshots` to the next."""
    factory.random.reseed_random("casework user guide")


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    """Users are created and log in with their password in every test: a fast hasher (the
    hashing itself is not under test here)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def gatekeeper_a(team_a: Any) -> User:
    """A poortwachter of team A: a consultant who registers new clients."""
    return UserFactory(
        username="poortwachter_a", role=Role.CONSULTANT, job_title=JobTitle.GATEKEEPER, team=team_a
    )


@pytest.fixture
def screenshot(tmp_path: Path) -> Screenshot:
    """`screenshot(page or element, name)`: the user guide's picture `name`, as the page or the
    element shows now: docs/handleiding/afbeeldingen/<name>.png with CASEWORK_GUIDE_SCREENSHOTS
    set (`make screenshots`), else taken into the test's temporary directory, and the guide must
    have it already."""
    write = bool(os.environ.get(WRITE_GUIDE_IMAGES))

    def take(target: Page | Locator, name: str) -> None:
        file = (GUIDE_IMAGES if write else tmp_path) / f"{name}.png"
        target.screenshot(path=file, animations="disabled", caret="hide")
        assert (GUIDE_IMAGES / file.name).exists(), (
            f"The user guide has no screenshot {file.name}: make screenshots"
        )

    return take


def log_in(context: BrowserContext, user: User, screenshot: Screenshot | None = None) -> Page:
    """A page of `context` on which `user` has logged in with password and app code; both
    log-in pages are checked for accessibility on the way, and taken for the user guide when
    `screenshot` is given."""
    TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    page = context.new_page()
    page.goto("/inloggen/")
    assert_accessible(page)
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    if screenshot:
        screenshot(page, "inloggen")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/inloggen/code/**")
    assert_accessible(page)
    page.fill("input[name=code]", app_code(user))
    if screenshot:
        screenshot(page, "inloggen-code")
    page.click("#two-factor-verify button[type=submit]")
    page.wait_for_url(lambda url: "/inloggen/" not in url)
    return page


@pytest.fixture
def logged_in(new_context: Callable[..., BrowserContext]) -> Callable[..., Page]:
    """`logged_in(user, screenshot=None)`: a page, in a fresh context of its own, where `user`
    has logged in (see log_in)."""

    def logged_in_page(user: User, screenshot: Screenshot | None = None) -> Page:
        context = new_context()
        context.set_default_timeout(TIMEOUT_MS)
        return log_in(context, user, screenshot)

    return logged_in_page


@pytest.fixture
def consultant_page(logged_in: Callable[..., Page], consultant_a: User) -> Page:
    return logged_in(consultant_a)


@pytest.fixture
def gatekeeper_page(logged_in: Callable[..., Page], gatekeeper_a: User) -> Page:
    return logged_in(gatekeeper_a)
