"""WeasyPrint's URL fetcher: the app's own static files load, nothing else does."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urljoin

import pytest
from django.contrib.staticfiles import finders
from django.templatetags.static import static

from casework import pdf
from casework.pdf import BASE_URL, RefusedURLError, StaticOnlyURLFetcher, html_to_pdf


def static_url(name: str) -> str:
    """The absolute URL WeasyPrint makes of `{% static name %}` in a PDF's HTML."""
    return urljoin(BASE_URL, static(name))


@pytest.mark.parametrize(
    ("name", "content_type"),
    [
        ("css/casework.css", "text/css"),  # the app's own stylesheet
        ("admin/img/icon-yes.svg", "image/svg+xml"),  # an image from an app's static folder
        ("rest_framework/fonts/glyphicons-halflings-regular.ttf", "font/ttf"),  # a font
    ],
)
def test_a_static_file_loads(name, content_type):
    response = StaticOnlyURLFetcher().fetch(static_url(name))
    found = finders.find(name)
    assert isinstance(found, str)
    assert response.read() == Path(found).read_bytes()
    assert response.content_type == content_type


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1/static/css/casework.css",
        "http://localhost:8000/static/css/casework.css",
        "https://example.org/x.css",
        "ftp://example.org/x.css",
        "data:text/css,body{color:red}",
        "/static/css/casework.css",  # not absolute: WeasyPrint always gives absolute URLs
        f"{BASE_URL}casework/settings.py",  # the right origin, outside STATIC_URL
        f"{BASE_URL}static/../../etc/passwd",
        f"{BASE_URL}static/%2e%2e/%2e%2e/etc/passwd",
        f"{BASE_URL}static/css/..%2f..%2f..%2fcasework%2fsettings.py",
        f"{BASE_URL}static//etc/passwd",
        f"{BASE_URL}static/css/..\\..\\manage.py",
        f"{BASE_URL}static/css/unknown.css",
        f"{BASE_URL}static/css/",
        "https://casework.invalid.example.org/static/css/casework.css",
    ],
)
def test_everything_else_is_refused(url):
    with pytest.raises(RefusedURLError):
        StaticOnlyURLFetcher().fetch(url)


def test_a_symbolic_link_out_of_the_static_files_is_refused(tmp_path, settings):
    secret = tmp_path / "secret.txt"
    secret.write_text("BSN 123456782")
    static_dir = tmp_path / "static"
    static_dir.mkdir()
    (static_dir / "innocent.css").symlink_to(secret)
    (static_dir / "real.css").write_text("body { margin: 0 }")
    settings.STATICFILES_DIRS = [static_dir]  # clears the finders' cache

    assert StaticOnlyURLFetcher().fetch(static_url("real.css")).read() == b"body { margin: 0 }"
    with pytest.raises(RefusedURLError):
        StaticOnlyURLFetcher().fetch(static_url("innocent.css"))


@pytest.fixture
def http_server():
    """A real HTTP server on localhost that counts the requests it gets."""
    requests: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            requests.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/css")
            self.end_headers()
            self.wfile.write(b"body { color: red }")

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", requests
    server.shutdown()
    server.server_close()
    thread.join()


def test_a_pdf_with_foreign_urls_renders_without_fetching_them(monkeypatch, http_server):
    origin, requests = http_server
    asked: list[tuple[str, str]] = []

    class RecordingFetcher(StaticOnlyURLFetcher):
        def fetch(self, url, headers=None):
            try:
                response = super().fetch(url, headers)
            except RefusedURLError:
                asked.append((url, "refused"))
                raise
            asked.append((url, "served"))
            return response

    monkeypatch.setattr(pdf, "StaticOnlyURLFetcher", RecordingFetcher)
    html = f"""<!DOCTYPE html><html lang="nl"><head><title>Test</title>
        <link rel="stylesheet" href="{static("css/casework.css")}">
        <link rel="stylesheet" href="{origin}/evil.css">
        <style>@font-face {{ font-family: x; src: url({origin}/font.woff2) }}</style>
        </head><body><h1>Plan</h1>
        <img src="file:///etc/passwd" alt="">
        <img src="{origin}/pixel.png" alt="">
        <img src="https://example.org/x.png" alt="">
        <img src="../../etc/passwd" alt="">
        </body></html>"""

    document = html_to_pdf(html)

    assert document.startswith(b"%PDF-")
    assert requests == []  # nothing reached the network
    outcomes = dict(asked)
    assert outcomes[static_url("css/casework.css")] == "served"
    for url in (
        f"{origin}/evil.css",
        f"{origin}/font.woff2",
        "file:///etc/passwd",
        f"{origin}/pixel.png",
        "https://example.org/x.png",
        f"{BASE_URL}etc/passwd",  # "../../etc/passwd" against the base URL
    ):
        assert outcomes[url] == "refused", url
