"""Browser fixtures: Debian's Chromium driven by Playwright, a phone-sized page.

The browser is never downloaded (`playwright install` is not used): /usr/bin/chromium is
Debian's package, which `make browser` installs.
"""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE_VIEWPORT = {"width": 360, "height": 740}
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts"
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"


def missing(what: str) -> None:
    """Skip on a developer's machine; under CI a missing part is a failure, never a skip."""
    if os.environ.get("CI"):
        pytest.fail(what)
    pytest.skip(what)


@pytest.fixture(scope="session")
def browser():
    if not os.access(CHROMIUM, os.X_OK):
        missing(f"{CHROMIUM} is missing: `make browser` installs Debian's Chromium")
    # Playwright's sync API runs an event loop in this thread; Django's ORM would refuse to
    # query. Allowed only while the browser runs, and only in this test process.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()
    playwright.stop()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser):
    """A fresh 360×740 page, the screen of a cheap phone, in Vietnamese."""
    context = browser.new_context(viewport=PHONE_VIEWPORT, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def assert_accessible():
    """Run axe-core on the page; fail listing every violation of impact serious or critical."""
    if not AXE_JS.exists():
        missing(f"{AXE_JS} is missing: `make browser` runs `npm ci` to install axe-core")

    def check(page) -> None:
        page.add_script_tag(path=str(AXE_JS))
        result = page.evaluate("axe.run()")
        violations = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
        assert not violations, describe_violations(page.url, violations)

    return check


def describe_violations(url: str, violations: list[dict]) -> str:
    lines = [f"axe-core on {url}: {len(violations)} serious/critical violation(s)"]
    for violation in violations:
        lines.append(f"- [{violation['impact']}] {violation['id']}: {violation['help']}")
        lines.append(f"  {violation['helpUrl']}")
        for node in violation["nodes"][:5]:
            lines.append(f"  at {node['target']}: {node['html'][:200]}")
            if node.get("failureSummary"):
                lines.append("    " + node["failureSummary"].replace("\n", "\n    "))
    return "\n".join(lines)


def assert_fits_phone_width(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"{page.url} scrolls sideways at 360 px: scrollWidth is {width}"


def link_labelled(page, text: str):
    """The one link whose visible text is exactly `text` (CSS arrows are not text)."""
    link = page.get_by_role("link").filter(has_text=re.compile(rf"^\s*{re.escape(text)}\s*$"))
    expect(link).to_have_count(1)
    return link
