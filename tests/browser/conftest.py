"""Chromium driven by Playwright against Django's live server, and the checks every page gets.

One browser per test session (per xdist worker); one fresh browser context per test, so
cookies never leak from one test to the next. The live server needs ``transactional_db``,
which pytest-django requests for every test that uses ``live_server``.
"""

from __future__ import annotations

import os
import re
import weakref
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core.cache import cache

from civicflow.accounts import services
from tests.factories import PASSWORD

# Playwright's sync API runs an event loop in this thread; without this Django refuses the
# ORM calls the tests make to build their data.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

REPO_DIR = Path(__file__).resolve().parents[2]
AXE_PATH = REPO_DIR / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOT_DIR = REPO_DIR / "test-results" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
# Without these flags Chromium floods the closed network with refused connections.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
TIMEOUT_MS = 10_000

# What went wrong while each page loaded: script errors, content security policy refusals
# and static files that failed.
_problems: weakref.WeakKeyDictionary[Page, list[str]] = weakref.WeakKeyDictionary()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Start one headless Chromium for the whole session.

    Without Chromium or axe-core the browser tests are skipped, except in CI, where they fail.
    """
    missing = [
        f"{what} is missing at {path} ({fix})"
        for what, path, fix in [
            ("Chromium", Path(CHROMIUM), "apt-get install chromium"),
            ("axe-core", AXE_PATH, "run scripts/build-assets"),
        ]
        if not path.exists()
    ]
    if missing and os.environ.get("CI"):
        pytest.fail("; ".join(missing))
    if missing:
        pytest.skip("; ".join(missing))
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def new_context(browser: Browser, live_server) -> Iterator[Callable[..., BrowserContext]]:
    """Return a function that opens a browser context on the live server; all close after.

    Contexts bypass the content security policy only so that axe-core can be injected as an
    inline script; ``test_pages_axe`` checks the policy itself in a context that does not.
    """
    contexts: list[BrowserContext] = []
    # Sign-in is rate limited per address in the cache: every test starts with a clean count,
    # and leaves one for the tests that run after it in this process.
    cache.clear()

    def make(**options) -> BrowserContext:
        options.setdefault("bypass_csp", True)
        options.setdefault("viewport", {"width": 1024, "height": 768})
        context = browser.new_context(base_url=live_server.url, locale="en-GB", **options)
        context.set_default_timeout(TIMEOUT_MS)
        context.on("page", _watch)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()
    cache.clear()


@pytest.fixture
def page(new_context) -> Page:
    """Return a page in a fresh context, with JavaScript on."""
    return new_context().new_page()


def _watch(page: Page) -> None:
    """Record script errors, policy refusals and failed static files on ``page``."""
    problems = _problems.setdefault(page, [])
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    page.on(
        "console",
        lambda message: (
            problems.append(f"console on {page.url}: {message.text}")
            if message.type == "error" and "Content Security Policy" in message.text
            else None
        ),
    )
    page.on(
        "response",
        lambda response: (
            problems.append(f"{response.status} for {response.url}")
            if "/static/" in response.url and response.status >= 400
            else None
        ),
    )
    page.on(
        "requestfailed",
        lambda request: (
            problems.append(f"request failed: {request.url} ({request.failure})")
            if "/static/" in request.url and request.failure != "net::ERR_ABORTED"
            else None
        ),
    )


def page_problems(page: Page) -> list[str]:
    """Return the script errors, policy refusals and failed static files seen on ``page``."""
    return list(_problems.get(page, []))


# Helpers -------------------------------------------------------------------------------------


def sign_in(page: Page, email: str, password: str) -> None:
    """Sign in through the real login form, and wait until it has let us in."""
    page.goto("/accounts/login/")
    form = page.locator("form", has=page.locator("input[name='login']"))
    form.locator("input[name='login']").fill(email)
    form.locator("input[name='password']").fill(password)
    form.locator("button[type='submit'], input[type='submit']").first.click()
    try:
        page.wait_for_url(lambda url: "/accounts/login/" not in url)
    except PlaywrightTimeoutError:
        errors = page.locator(".govuk-error-summary").all_inner_texts()
        pytest.fail(f"could not sign in as {email}: {errors or page.url}")


def screenshot(page: Page, name: str) -> Path:
    """Save a full-page screenshot as ``test-results/screenshots/<name>.png``."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"{re.sub(r'[^A-Za-z0-9_.-]+', '-', name)}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def axe_violations(page: Page) -> list[dict]:
    """Run axe-core's WCAG 2.2 A and AA rules on the page and return what it finds."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_PATH))
    results = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    return results["violations"]


def check_axe(page: Page) -> None:
    """Fail with every violation axe-core finds on the page."""
    violations = axe_violations(page)
    if violations:
        pytest.fail(f"axe found problems on {page.url}:\n{format_violations(violations)}")


def format_violations(violations: list[dict]) -> str:
    """Return axe-core's violations as lines a person can act on."""
    lines = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation.get('impact') or 'no impact'}): "
            f"{violation['help']} <{violation['helpUrl']}>"
        )
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            lines.append(f"    at {target}: {node['html'][:160]}")
    return "\n".join(lines)


def shape_faults(page: Page) -> list[str]:
    """Return what the page lacks of what every page needs.

    That is: ``<html lang="en-gb">``, a title, exactly one h1, a home link named for the
    service, and the skip link as the first thing the Tab key reaches.
    """
    faults = []
    lang = page.locator("html").get_attribute("lang")
    if lang != "en-gb":
        faults.append(f'<html lang="{lang}">, not "en-gb"')
    if not page.title().strip():
        faults.append("the <title> is empty")
    if (h1s := page.locator("h1").count()) != 1:
        faults.append(f"{h1s} h1 elements, not exactly one")
    home_link = page.locator(".govuk-generic-header__homepage-link")
    if home_link.inner_text() != settings.CIVICFLOW_SERVICE_NAME:
        faults.append(f"the header's home link is named {home_link.inner_text()!r}")
    # Start from the top of the page, as a keyboard user does when a page opens (a page with an
    # error summary moves focus to it, so put focus back on the body first).
    page.evaluate(
        """() => {
            const body = document.body;
            body.setAttribute('tabindex', '-1');
            body.focus();
            body.removeAttribute('tabindex');
        }"""
    )
    page.keyboard.press("Tab")
    focused = page.evaluate(
        """() => {
            const element = document.activeElement;
            return element.classList.contains('govuk-skip-link')
                ? element.getAttribute('href')
                : element.outerHTML.slice(0, 120);
        }"""
    )
    if focused != "#main-content":
        faults.append(f"the first Tab reaches {focused}, not the skip link")
    # A focused skip link shows itself above the header and pushes the page down; leave the
    # page as it was, so the test's next click lands where the element was drawn.
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    return faults


def page_faults(page: Page, name: str) -> list[str]:
    """Screenshot the page as ``name``; return its load problems, shape faults and axe's."""
    screenshot(page, name)
    faults = [*page_problems(page), *shape_faults(page)]
    if violations := axe_violations(page):
        faults.append(f"axe-core found:\n{format_violations(violations)}")
    return faults


def check_page(page: Page, name: str) -> None:
    """Screenshot the page, then fail if it lacks what every page needs or axe finds a fault."""
    if faults := page_faults(page, name):
        pytest.fail(f"{page.url}:\n" + "\n".join(faults))


def check_pages(pages: dict[str, list[str]]) -> None:
    """Fail listing the faults of every page in ``pages`` (name to faults) that has any."""
    failing = {name: faults for name, faults in pages.items() if faults}
    if failing:
        pytest.fail(
            "\n\n".join(f"{name}:\n" + "\n".join(faults) for name, faults in failing.items())
        )


# Data ----------------------------------------------------------------------------------------


@pytest.fixture
def testshire(organisation, admin_user, staff_user, resident) -> SimpleNamespace:
    """Return an organisation with an administrator, a staff member in a team, and an outsider.

    Everyone signs in with ``tests.factories.PASSWORD``.
    """
    team = services.team_create(
        actor=admin_user,
        organisation=organisation,
        name="Highways",
        description="Roads, pavements and street lighting.",
    )
    services.team_add_member(actor=admin_user, team=team, user=staff_user)
    return SimpleNamespace(
        organisation=organisation,
        admin=admin_user,
        staff=staff_user,
        team=team,
        outsider=resident,
        password=PASSWORD,
    )
