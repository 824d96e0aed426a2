"""HTML to PDF with WeasyPrint, loading nothing but the app's own static files.

A PDF is rendered from a template that holds personal data; a URL in it (a stylesheet, an image, a
font) must never reach the network (SSRF, leaking data to a third party) or the server's disk
outside the static files (file:///etc/passwd). So every PDF goes through `html_to_pdf`, whose URL
fetcher serves only URLs under STATIC_URL, from the static files the app itself serves, and refuses
everything else: file:, http(s): (localhost too), data: (no template needs it) and any other scheme.
WeasyPrint logs a refused resource and renders the document without it.

Templates refer to static files with `{% static "css/x.css" %}` ("/static/css/x.css"): the
document's base URL is an origin that does not exist (BASE_URL), against which WeasyPrint makes
such URLs absolute; the fetcher maps that origin's STATIC_URL back to the files.

Importing this module imports WeasyPrint, which parses its stylesheets (slow): import it inside the
function that renders a PDF, not at the top of a module that the URLconf or workers load.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import SuspiciousFileOperation
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

# The origin relative URLs in a PDF's HTML are resolved against. `.invalid` is reserved
# (RFC 2606): it never resolves, and the fetcher below never goes to the network anyway.
BASE_URL = "https://casework.invalid/"


class RefusedURLError(ValueError):
    """A PDF asked for something other than one of the app's own static files."""


def static_file_for_url(url: str) -> Path:
    """The static file a PDF's URL stands for; RefusedURLError for anything else."""
    prefix = urljoin(BASE_URL, settings.STATIC_URL)
    if not url.startswith(prefix):
        raise RefusedURLError(f"Not one of the app's static files: {url[:80]}")
    name = unquote(urlsplit(url[len(prefix) :]).path)
    segments = name.split("/")
    if not name or "\\" in name or "\x00" in name or {"", ".", ".."} & set(segments):
        raise RefusedURLError(f"Not a static file name: {url[:80]}")
    path = _find(name)
    if path is None:
        raise RefusedURLError(f"No such static file: {url[:80]}")
    # Whatever the finders or the storage made of the name (symbolic links included), the file
    # must lie inside one of the static roots.
    resolved = path.resolve()
    if not resolved.is_file() or not any(resolved.is_relative_to(root) for root in _roots()):
        raise RefusedURLError(f"Outside the static files: {url[:80]}")
    return resolved


def _find(name: str) -> Path | None:
    """The file by the finders (development, unhashed names), else in the collected storage
    (production: the hashed names `{% static %}` gives with the manifest storage)."""
    try:
        found = finders.find(name)
        if isinstance(found, str):
            return Path(found)
        path = Path(staticfiles_storage.path(name))
    except (SuspiciousFileOperation, NotImplementedError):  # outside the root; not on disk
        return None
    return path if path.is_file() else None


def _roots() -> list[Path]:
    """The folders static files are served from: the finders' locations and STATIC_ROOT."""
    roots = [Path(settings.STATIC_ROOT).resolve()] if settings.STATIC_ROOT else []
    for finder in finders.get_finders():
        for storage in getattr(finder, "storages", {}).values():
            roots.append(Path(storage.location).resolve())
    return roots


class StaticOnlyURLFetcher(URLFetcher):
    """WeasyPrint's URL fetcher, serving the app's own static files and nothing else."""

    def __init__(self) -> None:
        # No protocol allowed and no redirects for the inherited network code, which `fetch`
        # below never calls: a second lock on the same door.
        super().__init__(allowed_protocols=(), allow_redirects=False)

    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
        path = static_file_for_url(url)
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})


def html_to_pdf(html: str) -> bytes:
    """A tagged PDF (PDF/UA), so screen readers can read it too."""
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=StaticOnlyURLFetcher())
    pdf: bytes = document.write_pdf(pdf_variant="pdf/ua-1")
    return pdf
