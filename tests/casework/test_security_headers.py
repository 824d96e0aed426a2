"""Security headers on real responses: the Content-Security-Policy (no inline script or style, no
eval), X-Frame-Options, Referrer-Policy and nosniff on the pages and the API, nothing inline in the
rendered HTML, and HSTS plus Secure/HttpOnly cookies on a log-in under the production settings."""

import json
import re
from html.parser import HTMLParser
from urllib.parse import quote

import pytest
from django.db import connection
from django.urls import reverse

from tests.casework.factories import UserFactory
from tests.casework.test_deploy import production_environment, run_django

pytestmark = pytest.mark.django_db

# (name, user fixture, URL builder). The dashboard is the manager's page; the rest the consultant's.
PAGES = [
    ("home", "consultant_a", lambda client: reverse("home")),
    ("client list", "consultant_a", lambda client: reverse("clients:list")),
    ("dossier", "consultant_a", lambda client: reverse("clients:detail", args=[client.pk])),
    (
        "conversation form",
        "consultant_a",
        lambda client: reverse("conversations:create", args=[client.pk, "screening"]),
    ),
    ("dashboard", "manager_a", lambda client: reverse("dashboard")),
    ("api clients", "consultant_a", lambda client: "/api/v1/clients/"),
    ("api docs", "consultant_a", lambda client: reverse("api:docs")),
]
HTML_PAGES = [page for page in PAGES if page[0] != "api clients"]


def get_page(request, client, client_a, user_fixture, url_for):
    client.force_login(request.getfixturevalue(user_fixture))
    response = client.get(url_for(client_a))
    assert response.status_code == 200
    return response


def policy(response) -> dict[str, list[str]]:
    """The Content-Security-Policy header as {directive: [sources]}."""
    directives = {}
    for part in response.headers["Content-Security-Policy"].split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


@pytest.mark.parametrize(("name", "user_fixture", "url_for"), PAGES, ids=[p[0] for p in PAGES])
def test_security_headers_on_real_responses(request, client, client_a, name, user_fixture, url_for):
    response = get_page(request, client, client_a, user_fixture, url_for)

    header = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in header
    assert "unsafe-eval" not in header
    assert policy(response) == {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


class InlineCode(HTMLParser):
    """Collects what a CSP without 'unsafe-inline' would block: scripts with content, event
    handler attributes, javascript: URLs, hx-on attributes, style attributes and <style> blocks."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self.scripts = 0
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        for attribute, value in attrs:
            if attribute.startswith("on") or attribute.startswith("hx-on"):
                self.found.append(f"<{tag} {attribute}>")
            if attribute == "style":
                self.found.append(f"<{tag} style>")
            if attribute in ("href", "src", "action") and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.found.append(f"<{tag} {attribute}=javascript:>")
        if tag == "style":
            self.found.append("<style>")
        if tag == "script":
            self.scripts += 1
            self._in_script = True
            if not dict(attrs).get("src"):
                self.found.append("<script> without src")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.found.append(f"<script> with content {data.strip()[:40]!r}")


@pytest.mark.parametrize(
    ("name", "user_fixture", "url_for"), HTML_PAGES, ids=[p[0] for p in HTML_PAGES]
)
def test_pages_have_nothing_inline(request, client, client_a, name, user_fixture, url_for):
    response = get_page(request, client, client_a, user_fixture, url_for)
    parser = InlineCode()

    parser.feed(response.content.decode())

    assert parser.found == []
    assert parser.scripts > 0  # the parser did see the page's (external) scripts


def test_dashboard_charts_are_rendered_without_style_attributes(client, manager_a, client_a):
    # The charts are SVG built in Python (monitoring.charts): presentation attributes only.
    client.force_login(manager_a)
    html = client.get(reverse("dashboard")).content.decode()
    parser = InlineCode()

    parser.feed(html)

    assert "<svg" in html
    assert parser.found == []


def test_htmx_may_not_inject_styles_or_evaluate_code(client, consultant_a):
    client.force_login(consultant_a)
    html = client.get(reverse("home")).content.decode()

    meta = re.search(r"<meta name=\"htmx-config\" content='([^']*)'>", html)
    assert meta is not None
    config = json.loads(meta.group(1))
    assert config["includeIndicatorStyles"] is False
    assert config["allowEval"] is False


def test_the_api_docs_load_their_script_as_a_separate_same_origin_response(client, consultant_a):
    client.force_login(consultant_a)
    page = client.get(reverse("api:docs")).content.decode()
    assert f'src="{reverse("api:docs")}?script="' in page

    script = client.get(reverse("api:docs"), {"script": ""})

    assert script.status_code == 200
    assert script.headers["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()


# Logs in through the real log-in page under casework.settings_production, over HTTPS as the proxy
# reports it, and prints the headers and the cookies' flags.
_LOGIN_PROBE = """
import json
import django
django.setup()
from django.test import Client
response = Client().post(
    "/inloggen/",
    {"username": "security_probe", "password": "correct horse battery staple"},
    HTTP_HOST="casework.example.nl",
    HTTP_X_FORWARDED_PROTO="https",
)
print(json.dumps({
    "status": response.status_code,
    "headers": dict(response.headers),
    "cookies": {
        name: {"secure": bool(morsel["secure"]), "httponly": bool(morsel["httponly"])}
        for name, morsel in response.cookies.items()
    },
}))
"""


@pytest.mark.django_db(transaction=True)
def test_production_login_sets_hsts_and_secure_httponly_cookies(team_a):
    # Committed (transaction=True) so that the subprocess, connected to the same test database,
    # sees the user.
    UserFactory(username="security_probe", team=team_a)
    database = connection.settings_dict
    database_url = (
        f"postgres://{database['USER']}@/{quote(database['HOST'], safe='')}/{database['NAME']}"
    )
    env = production_environment(DATABASE_URL=database_url, CELERY_BROKER_URL="memory://")

    result = run_django(["-c", _LOGIN_PROBE], env)

    assert result.returncode == 0, result.stderr
    response = json.loads(result.stdout.strip().splitlines()[-1])
    assert response["status"] == 302  # logged in
    headers = {name.lower(): value for name, value in response["headers"].items()}
    assert headers["strict-transport-security"] == ("max-age=31536000; includeSubDomains; preload")
    assert "unsafe-inline" not in headers["content-security-policy"]
    assert headers["x-frame-options"] == "DENY"
    assert headers["referrer-policy"] == "same-origin"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["cross-origin-opener-policy"] == "same-origin"
    assert response["cookies"]["sessionid"] == {"secure": True, "httponly": True}
    assert response["cookies"]["csrftoken"] == {"secure": True, "httponly": True}
