"""axe-core, the accessibility engine the browser tests run inside each page (tests/e2e).

The npm package's tarball is downloaded once, checked against the integrity the registry
publishes for this version (`dist.integrity`), kept under .local/ and checked again on every use:
a changed or truncated file is never run. A new version means a new VERSION and INTEGRITY (from
`npm view axe-core@<version> dist.integrity`). Nothing else of npm is needed.
"""

from __future__ import annotations

import base64
import hashlib
import io
import tarfile
import urllib.request
from pathlib import Path

VERSION = "4.14.1"
INTEGRITY = (
    "sha512-"
    "FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ=="
)
URL = f"https://registry.npmjs.org/axe-core/-/axe-core-{VERSION}.tgz"
CACHE = Path(__file__).resolve().parent.parent / ".local" / "axe-core" / f"axe-core-{VERSION}.tgz"
SCRIPT = "package/axe.min.js"


class IntegrityError(RuntimeError):
    """The tarball is not the one the registry published for VERSION."""


def integrity(data: bytes) -> str:
    """The Subresource Integrity string of `data`, as npm writes it."""
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


def _tarball() -> bytes:
    if CACHE.exists():
        data = CACHE.read_bytes()
        if integrity(data) == INTEGRITY:
            return data
    with urllib.request.urlopen(URL, timeout=60) as response:
        data = response.read()
    if integrity(data) != INTEGRITY:
        raise IntegrityError(f"{URL} does not match the pinned integrity {INTEGRITY}")
    CACHE.parent.mkdir(parents=True, exist_ok=True)
    partial = CACHE.with_suffix(".part")
    partial.write_bytes(data)
    partial.replace(CACHE)
    return data


def axe_source() -> str:
    """The text of axe.min.js, to inject into a page."""
    with tarfile.open(fileobj=io.BytesIO(_tarball()), mode="r:gz") as archive:
        member = archive.extractfile(SCRIPT)
        if member is None:
            raise IntegrityError(f"{SCRIPT} is missing from axe-core {VERSION}")
        return member.read().decode()
