"""Journey D (issue 18 item 3): the director approves five checked projects
and then the plan from the approvals queue, counted with
:class:`CountedUser` from the sign-in page on; the queue reads on a phone
without sideways scrolling."""

import pytest

from core.roles import Role
from core.thai import current_fiscal_year
from plans.models import Plan
from projects.models import Project
from tests.browser.conftest import SCREENSHOTS
from tests.browser.journeys import (
    PASSWORD,
    TIMEOUT,
    CountedUser,
    current_direction,
    full_project,
    success_text,
)
from tests.browser.test_csp import RECORD_VIOLATIONS
from tests.factories import ActivityFactory, make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NAMES = [
    "โครงการส่งเสริมการอ่านออกเขียนได้ของนักเรียนชั้นประถมศึกษาปีที่ 1",
    "โครงการพัฒนาครูด้านการจัดการเรียนรู้เชิงรุก (Active Learning)",
    "โครงการนิเทศ ติดตาม และประเมินผลการจัดการศึกษา",
    "โครงการส่งเสริมความปลอดภัยในสถานศึกษา",
    "โครงการพัฒนาระบบเทคโนโลยีสารสนเทศเพื่อการบริหารจัดการ",
]


def _waiting_year(office, group):
    """A submitted plan with five checked projects (the starting data)."""
    plan, strategy = current_direction(office, current_fiscal_year())
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.SUBMITTED)
    officer = make_staff(office, roles=[Role.PROJECT_OFFICER], group=group).user
    projects = [
        full_project(
            plan,
            strategy,
            group,
            name=name,
            status=Project.Status.CHECKED,
            responsible=officer,
        )
        for name in NAMES
    ]
    return plan, projects


def test_director_approves_five_projects_and_the_plan_in_eight_interactions(
    live_server, page, screenshot, office, group_a, director
):
    page.set_default_timeout(TIMEOUT)
    plan, projects = _waiting_year(office, group_a)
    page.add_init_script(RECORD_VIOLATIONS)
    user = CountedUser(page, live_server)

    # signing in is part of the journey (4 interactions)
    user.goto("/accounts/login/")
    user.fill("#id_username", director.username)
    user.fill("#id_password", PASSWORD)
    user.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_test_id("approvals-count").inner_text() == "6"
    screenshot("d1-director-home-approvals-badge")

    user.click(page.get_by_test_id("approvals-link"))
    queue = page.get_by_test_id("approval-queue")
    assert queue.get_by_test_id("queue-item").count() == 5
    screenshot("d2-approvals-queue")

    user.check(page.get_by_label("เลือกทั้งหมด"))
    user.click(page.get_by_role("button", name="อนุมัติโครงการที่เลือก"))
    assert "อนุมัติแล้ว 5 โครงการ" in success_text(page)
    assert page.get_by_test_id("queue-empty").is_visible()
    assert page.get_by_test_id("plan-ready").is_visible()
    screenshot("d3-projects-approved-plan-ready")

    user.click(page.get_by_role("button", name="อนุมัติแผน", exact=True))
    assert "อนุมัติแผนแล้ว" in success_text(page)
    screenshot("d4-plan-approved")

    assert set(Project.objects.values_list("status", flat=True)) == {
        Project.Status.APPROVED
    }
    plan.refresh_from_db()
    assert plan.status == Plan.Status.APPROVED
    assert plan.approved_by == director
    assert page.evaluate("window.__cspViolations") == []
    assert user.interactions <= 8, user.report()
    print(user.report())


def test_queue_has_no_sideways_scroll_on_a_phone(
    live_server, browser, office, group_a, director
):
    plan, projects = _waiting_year(office, group_a)
    # a finding on one project, so the list of findings is on the page too
    ActivityFactory(project=projects[0], order=9, months=["2000-01-01"])
    context = browser.new_context(
        locale="th-TH", viewport={"width": 390, "height": 844}
    )
    try:
        page = context.new_page()
        page.set_default_timeout(TIMEOUT)
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", director.username)
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")
        page.get_by_test_id("approvals-link").click()
        assert page.get_by_test_id("queue-item").count() == 5
        assert page.locator("[data-code=activity_outside]").count() == 1
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - window.innerWidth"
        )
        assert overflow <= 0, overflow
        page.screenshot(path=str(_shot("d5-approvals-queue-phone")), full_page=True)
    finally:
        context.close()


def _shot(name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS / f"{name}.png"
