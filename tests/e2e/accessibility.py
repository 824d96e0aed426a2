"""What every page reached in a browser test must pass: axe-core's WCAG 2.1 A and AA rules, run
inside the page, and the house rules axe does not check as such: exactly one <h1>, a label on every
visible form field, and no horizontal scrolling on a laptop (1280 by 800) or a tablet (768 wide).

The script is evaluated through the DevTools protocol (page.evaluate), which the page's
Content-Security-Policy does not govern: the policy stays on, as in production."""

from __future__ import annotations

import re
from functools import cache
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import Page, ViewportSize

from tools.axe import axe_source

LAPTOP = ViewportSize(width=1280, height=800)
TABLET = ViewportSize(width=768, height=1024)
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# The pages checked in this run (their paths, ids as <id>) and the most problems found on each:
# the run's summary lists them (tests/e2e/conftest.py).
checked: dict[str, int] = {}

RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
  return result.violations.map((violation) => ({
    id: violation.id,
    impact: violation.impact,
    help: violation.help,
    targets: violation.nodes.map((node) => node.target.join(" ")),
  }));
}"""

# Visible inputs, selects and text areas without an accessible name from a <label>,
# aria-labelledby or aria-label.
UNLABELLED_FIELDS = """() => {
  const named = (field) => {
    const texts = [...field.labels].map((label) => label.textContent);
    for (const id of (field.getAttribute("aria-labelledby") || "").split(/\\s+/)) {
      const element = id && document.getElementById(id);
      if (element) texts.push(element.textContent);
    }
    texts.push(field.getAttribute("aria-label") || "");
    return texts.some((text) => text.trim() !== "");
  };
  const fields = document.querySelectorAll(
    "input:not([type=hidden], [type=submit], [type=button], [type=reset]), select, textarea"
  );
  return [...fields]
    .filter((field) => field.checkVisibility() && !named(field))
    .map((field) => field.outerHTML);
}"""

SCROLLS_SIDEWAYS = (
    "() => document.documentElement.scrollWidth > document.documentElement.clientWidth"
)


@cache
def _axe() -> str:
    return axe_source() + "\n;0"  # a statement list, not a function to call


def axe_violations(page: Page) -> list[dict[str, Any]]:
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe())
    return page.evaluate(RUN_AXE, WCAG_21_AA)


def accessibility_problems(page: Page) -> list[str]:
    """Everything wrong with the page as it is now, one line per problem."""
    problems = [
        f"axe {v['id']} ({v['impact']}): {v['help']} at {', '.join(v['targets'])}"
        for v in axe_violations(page)
    ]
    headings = page.locator("h1").count()
    if headings != 1:
        problems.append(f"{headings} <h1> elements, not one")
    problems += [f"no label: {field}" for field in page.evaluate(UNLABELLED_FIELDS)]
    viewport = page.viewport_size or LAPTOP
    for size in (LAPTOP, TABLET):
        page.set_viewport_size(size)
        if page.evaluate(SCROLLS_SIDEWAYS):
            problems.append(f"scrolls sideways at {size['width']} by {size['height']}")
    page.set_viewport_size(viewport)
    return problems


def assert_accessible(page: Page) -> None:
    """Fails with every problem of the page as it is now (see the module's docstring)."""
    problems = accessibility_problems(page)
    url = urlsplit(page.url)
    path = re.sub(r"\d+", "<id>", url.path + (f"?{url.query}" if url.query else ""))
    checked[path] = max(checked.get(path, 0), len(problems))
    assert not problems, f"{page.url}:\n" + "\n".join(problems)
