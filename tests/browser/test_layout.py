"""Dashboards read well at 1366×768 and on a phone; accessibility basics:
labelled inputs, keyboard-reachable actions and sufficient contrast."""

import pytest
from django.urls import reverse

from core.thai import current_fiscal_year
from projects.models import Project
from tests.browser.conftest import SCREENSHOTS
from tests.browser.journeys import (
    PASSWORD,
    TIMEOUT,
    current_direction,
    full_project,
)
from tests.factories import ProjectResponsibleFactory, ReportingRoundFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"desktop-1366": (1366, 768), "phone": (390, 844)}

#: WCAG relative luminance and contrast of an element's text on the first
#: opaque background behind it.
CONTRAST_JS = """
(selector) => {
  const parse = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const f = (v) => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const background = (el) => {
    for (; el; el = el.parentElement) {
      const c = parse(getComputedStyle(el).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] > 0.9)) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  return Array.from(document.querySelectorAll(selector)).filter(
    (el) => el.offsetParent !== null && el.textContent.trim()
  ).map((el) => {
    const a = lum(parse(getComputedStyle(el).color).slice(0, 3));
    const b = lum(background(el));
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    return [el.textContent.trim().slice(0, 30), ratio];
  });
}
"""

UNLABELLED_JS = """
() => Array.from(document.querySelectorAll('input, select, textarea')).filter((el) => {
  if (['hidden', 'submit', 'button'].includes(el.type)) return false;
  if (el.getAttribute('aria-label') || el.getAttribute('aria-labelledby')) return false;
  if (el.closest('label')) return false;
  return !(el.id && document.querySelector(`label[for="${el.id}"]`));
}).map((el) => el.name || el.id)
"""


def _sign_in(context, live_server, user):
    page = context.new_page()
    page.set_default_timeout(TIMEOUT)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    return page


@pytest.fixture
def populated(office, group_a, head_a):
    plan, strategy = current_direction(office, current_fiscal_year())
    for number, status in enumerate(Project.Status.values, start=1):
        full_project(
            plan,
            strategy,
            group_a,
            name=f"โครงการยกระดับผลสัมฤทธิ์ทางการเรียนของนักเรียนในสังกัด ลำดับที่ {number}",
            status=status,
            responsible=head_a,
        )
    ReportingRoundFactory(organization=office, fiscal_year=plan.fiscal_year, number=1)
    return plan


@pytest.mark.parametrize("who", ["planner", "director", "head_a"])
def test_dashboards_fit_the_laptop_and_the_phone(
    live_server, browser, request, who, populated
):
    user = request.getfixturevalue(who)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for name, (width, height) in VIEWPORTS.items():
        context = browser.new_context(
            locale="th-TH", viewport={"width": width, "height": height}
        )
        page = _sign_in(context, live_server, user)
        # no sideways scrolling of the page itself; wide tables scroll inside
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - window.innerWidth"
        )
        assert overflow <= 0, (who, name, overflow)
        if width < 768:  # the menu folds behind its button on a phone
            page.get_by_test_id("menu-button").click()
        for link in page.locator("nav.mainnav a").all():
            box = link.bounding_box()
            assert box is not None and box["x"] >= 0
            assert box["x"] + box["width"] <= width + 1, (who, name)
        assert page.locator("[data-testid^=panel-]").count() >= 1
        page.screenshot(
            path=str(SCREENSHOTS / f"layout-{who}-{name}.png"), full_page=True
        )
        context.close()


def test_inputs_are_labelled_actions_keyboard_reachable_and_contrast_sufficient(
    live_server, browser, populated, planner, head_a, office
):
    context = browser.new_context(
        locale="th-TH", viewport={"width": 1366, "height": 768}
    )
    page = _sign_in(context, live_server, planner)

    # keyboard: the first Tab lands on the skip link, which moves to the content
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
    # every action on the home page is a link or a button (no click-only divs)
    assert page.locator("[onclick]:not(a):not(button)").count() == 0

    pages = [
        "/",
        "/projects/",
        "/projects/checker/",
        "/budgets/",
        "/progress/board/",
        "/plans/",
    ]
    for path in pages:
        page.goto(f"{live_server.url}{path}")
        assert page.evaluate(UNLABELLED_JS) == [], path
        for text, ratio in page.evaluate(
            CONTRAST_JS, "body, p, td, th, a, .muted, .label, nav.mainnav a, .badge"
        ):
            assert ratio >= 4.5, (path, text, round(ratio, 2))
    context.close()

    context = browser.new_context(
        locale="th-TH", viewport={"width": 1366, "height": 768}
    )
    head_page = _sign_in(context, live_server, head_a)
    head_page.get_by_role("link", name="รายงานความก้าวหน้า").first.click()
    head_page.wait_for_load_state()
    assert head_page.evaluate(UNLABELLED_JS) == []
    context.close()


#: Who sees which phone pages: everyone the dashboard, a project, the reports;
#: the progress form its reporters (the group's head and officer).
PHONE_ROLES = {
    "planner": False,
    "director": False,
    "head_a": True,
    "officer": True,
    "viewer": False,
}

OVERFLOW_JS = "document.documentElement.scrollWidth - window.innerWidth"
#: The outermost elements that stick out on the right (for the failure message).
WIDE_JS = """
() => Array.from(document.querySelectorAll('body *')).filter((el) => {
  const r = el.getBoundingClientRect();
  const p = el.parentElement && el.parentElement.getBoundingClientRect();
  const scrolls = el.parentElement
    && getComputedStyle(el.parentElement).overflowX !== 'visible';
  return r.right > window.innerWidth + 1 && p && p.right <= window.innerWidth + 1
    && !scrolls;
}).slice(0, 5).map((el) => el.tagName + '.' + el.className + ' '
  + Math.round(el.getBoundingClientRect().right) + ' '
  + el.textContent.trim().slice(0, 40))
"""


@pytest.mark.parametrize("who", sorted(PHONE_ROLES))
def test_phone_pages_do_not_scroll_sideways(
    live_server, browser, request, who, populated, group_a
):
    """At 390 px (a common phone) the menu folds behind one button, tables
    stack into cards, and no page is wider than the screen (the project page
    was 710 px wide, the menu four rows)."""
    user = request.getfixturevalue(who)
    project = Project.objects.get(plan=populated, status=Project.Status.APPROVED)
    if who == "officer":  # an officer reports for the projects naming them
        ProjectResponsibleFactory(project=project, person=user.person)
    round_ = populated.organization.reporting_rounds.get(number=1)
    paths = {
        "dashboard": "/",
        "project": reverse("projects:detail", args=[project.pk]),
        # tables printed by {% data_table %}: stacked into cards
        "projects": reverse("projects:list"),
        "budgets": reverse("budgets:summary"),
        "reports": reverse("reports:index"),
        "budget-report": reverse("reports:budget_report"),
        "kpi-report": reverse("reports:kpi_report"),
    }
    if PHONE_ROLES[who]:
        paths["progress-form"] = reverse(
            "progress:group_round", args=[round_.pk, group_a.pk]
        )
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(
        locale="th-TH", viewport={"width": 390, "height": 844}
    )
    page = _sign_in(context, live_server, user)

    # the menu: one button; the links show when it is pressed, within the screen
    menu = page.get_by_test_id("menu-button")
    assert menu.is_visible()
    assert not page.locator("nav.mainnav").is_visible()
    menu.click()
    assert page.locator("nav.mainnav").is_visible()
    assert page.locator("nav.mainnav a").first.bounding_box()["width"] > 300
    for link in page.locator("nav.mainnav a").all():
        box = link.bounding_box()
        assert box is not None and 0 <= box["x"] and box["x"] + box["width"] <= 391
    page.screenshot(path=str(SCREENSHOTS / f"phone-{who}-menu.png"))

    for name, path in paths.items():
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, (who, name, response.status)
        page.screenshot(
            path=str(SCREENSHOTS / f"phone-{who}-{name}.png"), full_page=True
        )
        overflow = page.evaluate(OVERFLOW_JS)
        assert overflow <= 0, (who, name, overflow, page.evaluate(WIDE_JS))
    context.close()
