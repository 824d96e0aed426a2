"""The Dutch user guide (docs/handleiding): linked from the README, every picture it shows is one
the browser tests take (tests/e2e, `make screenshots`) and has a description, and every link
leads somewhere."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT / "docs" / "handleiding"
PAGES = sorted(GUIDE.glob("*.md"))
LINK = re.compile(r"(!?)\[([^\]]*)\]\(([^)#\s]*)(#[^)\s]*)?\)")
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def links(page: Path) -> list[tuple[bool, str, str]]:
    """(is a picture, text, target) of each link on the page."""
    return [(bang == "!", text, target) for bang, text, target, _ in LINK.findall(page.read_text())]


def test_the_readme_links_the_guide():
    assert "(docs/handleiding/README.md)" in (ROOT / "README.md").read_text()


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_every_link_and_picture_of_a_guide_page_resolves(page):
    for is_picture, text, target in links(page):
        if "://" in target:
            continue
        assert (page.parent / target).exists(), f"{page.name}: {target} does not exist"
        if is_picture:
            assert text.strip(), f"{page.name}: {target} has no description"
            assert (page.parent / target).read_bytes().startswith(PNG_SIGNATURE), target


def test_the_guide_shows_every_screenshot_and_each_page_reaches_the_index():
    shown = {
        (page.parent / target).resolve()
        for page in PAGES
        for is_picture, _, target in links(page)
        if is_picture
    }
    taken = {image.resolve() for image in (GUIDE / "afbeeldingen").glob("*.png")}
    assert taken and shown == taken
    index = GUIDE / "README.md"
    linked = {(index.parent / target).resolve() for _, _, target in links(index)}
    assert set(PAGES) - {index} <= linked
