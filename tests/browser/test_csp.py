"""The enforced Content-Security-Policy breaks nothing: Chromium reports no
violation on the main pages and the admin, and the admin's scripts (select2
autocomplete over fetch) still work."""

import pytest
from django.urls import reverse

from tests.browser.journeys import TIMEOUT, choose_autocomplete, login
from tests.security.world import OUR_SECRET, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Collects violations in the page (the event fires before console output);
# init scripts run outside the page's policy.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  const where = `${event.sourceFile}:${event.lineNumber}`;
  window.__cspViolations.push(
    `${event.violatedDirective} ${event.blockedURI} ${where}`
  );
});
"""

PAGES = [
    ("home:home", ()),
    ("core:password_change", ()),
    ("plans:direction", ("plan",)),
    ("projects:list", ()),
    ("projects:detail", ("project",)),
    ("projects:new", ()),
    ("projects:edit", ("draft",)),
    ("budgets:summary", ()),
    ("budgets:disbursement", ()),
    ("budgets:desk", ()),
    ("progress:board", ()),
    ("progress:review", ("round",)),
    ("progress:report_detail", ("report",)),
    ("reports:index", ()),
    ("reports:office_directory", ()),
    ("excel:index", ()),
    ("admin:index", ()),
    ("admin:projects_project_changelist", ()),
    ("admin:projects_project_change", ("project",)),
    ("admin:budgets_disbursement_changelist", ()),
    ("admin:projects_activity_add", ()),
]


def test_main_pages_and_admin_run_without_csp_violations(
    live_server, page, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    world = build_world(tmp_path)
    page.set_default_timeout(TIMEOUT)
    console = []
    page.on(
        "console",
        lambda message: (
            console.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )
    page.add_init_script(RECORD_VIOLATIONS)
    login(page, live_server, world.users["planner"])

    for name, args in PAGES:
        url = reverse(name, args=[world[arg].pk for arg in args])
        response = page.goto(f"{live_server.url}{url}")
        page.wait_for_load_state("networkidle")
        assert response.status == 200, url
        assert "default-src 'self'" in response.headers["content-security-policy"]
        violations = page.evaluate("window.__cspViolations")
        assert violations == [], (url, violations)
    assert console == []

    # The admin's JavaScript still runs: select2 fetches the autocomplete list.
    page.goto(f"{live_server.url}{reverse('admin:projects_activity_add')}")
    choose_autocomplete(page, "id_project", OUR_SECRET[:10])
    chosen = page.locator("#select2-id_project-container").inner_text()
    assert OUR_SECRET in chosen
    assert page.evaluate("window.__cspViolations") == []
    assert console == []


#: Each role's own pages, signed in as that role: the home page of every role
#: (its dashboard differs), the project list, the editor (htmx and the
#: sheet's script), the progress form, the approvals queue.
ROLE_PAGES = {
    "viewer": [("home:home", ())],
    "officer": [
        ("home:home", ()),
        ("projects:list", ()),
        ("projects:edit", ("draft",)),
        ("progress:report_detail", ("report",)),
    ],
    "head_own": [
        ("home:home", ()),
        ("progress:group_round", ("round", "group_a")),
    ],
    "finance": [("home:home", ()), ("budgets:desk", ())],
    "planner": [
        ("home:home", ()),
        ("projects:new", ()),
        ("projects:edit", ("draft",)),
        ("projects:detail", ("project",)),
        ("progress:review", ("round",)),
        ("progress:board", ()),
        ("reports:index", ()),
    ],
    "director": [
        ("home:home", ()),
        ("projects:approvals", ()),
        ("plans:direction", ("plan",)),
    ],
    "office_admin": [("home:home", ())],
    "overseer": [("home:home", ())],
}


def test_each_roles_pages_run_under_style_src_self(
    live_server, page, settings, tmp_path
):
    """The site sends ``style-src 'self'`` (no 'unsafe-inline'): no inline
    style attribute, <style> block or htmx indicator style may remain, or
    Chromium reports a violation here."""
    settings.MEDIA_ROOT = tmp_path
    world = build_world(tmp_path)
    page.set_default_timeout(TIMEOUT)
    console = []
    page.on(
        "console",
        lambda message: (
            console.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )
    page.add_init_script(RECORD_VIOLATIONS)
    for role, pages in ROLE_PAGES.items():
        login(page, live_server, world.users[role])
        for name, args in pages:
            url = reverse(name, args=[world[arg].pk for arg in args])
            response = page.goto(f"{live_server.url}{url}")
            page.wait_for_load_state("networkidle")
            assert response.status == 200, (role, url)
            policy = response.headers["content-security-policy"]
            assert "style-src 'self';" in policy, (role, url)
            assert "unsafe-inline" not in policy, (role, url)
            violations = page.evaluate("window.__cspViolations")
            assert violations == [], (role, url, violations)
    # The Thai 404 page too, and its stylesheet really applies.
    response = page.goto(f"{live_server.url}/no-such-page/")
    assert response.status == 404
    assert page.evaluate("window.__cspViolations") == []
    font = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert "Sarabun" in font
    assert console == []
