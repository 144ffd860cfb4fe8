"""A planner adds a sub-activity with a cost line in the project-sheet editor:
"เพิ่มกิจกรรมย่อย" under an activity, its months and its line; the activity's
total counts its own lines and its sub-activity's, and the save stores the
sub-activity under it (printed 1.1 on the sheet)."""

from decimal import Decimal

import pytest

from budgets.models import CostLine
from core.thai import current_fiscal_year, fiscal_month_dates
from projects.models import Activity
from tests.browser.journeys import TIMEOUT, login, success_text
from tests.factories import (
    ActivityFactory,
    CostLineFactory,
    ExpenseCategoryFactory,
    PlanFactory,
    ProjectFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_planner_adds_a_sub_activity_and_its_line(
    live_server, page, screenshot, office, group_a, planner
):
    page.set_default_timeout(TIMEOUT)
    plan = PlanFactory(organization=office, fiscal_year=current_fiscal_year())
    category = ExpenseCategoryFactory(code="services", name="ค่าใช้สอย")
    project = ProjectFactory(plan=plan, group=group_a, name="โครงการมีกิจกรรมย่อย")
    activity = ActivityFactory(
        project=project,
        order=1,
        name="อบรมครูแกนนำ",
        months=[fiscal_month_dates(plan.fiscal_year)[2].isoformat()],
    )
    CostLineFactory(activity=activity, category=category)  # 2,400
    login(page, live_server, planner)
    page.goto(f"{live_server.url}/projects/{project.pk}/edit/")

    # the blank spare is hidden behind the button when the script runs
    assert not page.locator("[data-activity='act-0-sub-0']").is_visible()
    page.click("[data-activity='act-0'] [data-testid=add-sub]")
    sub = "act-0-sub-1"
    page.fill(f"#id_{sub}-name", "ประชุมวางแผนการอบรม")
    page.click(f"label[for='id_{sub}-months_3']")
    line = f"#id_{sub}-cost-0"
    page.select_option(f"{line}-category", str(category.pk))
    page.fill(f"{line}-description", "ค่าอาหารว่าง")
    page.fill(f"{line}-persons", "30")
    page.fill(f"{line}-rate", "35")
    page.fill(f"{line}-times", "2")

    assert page.locator(f"[data-activity='{sub}'] .js-sub-total").inner_text() == (
        "2,100.00"
    )
    total = page.locator("[data-activity='act-0'] .js-activity-total")
    assert total.inner_text() == "4,500.00"  # 2,400 own + 2,100 sub-activity
    assert page.locator("#project-total").inner_text() == "4,500.00"  # once each
    page.locator(f"[data-activity='{sub}']").scroll_into_view_if_needed()
    screenshot("editor-4-sub-activity")

    page.click("[data-testid=save]")
    page.wait_for_url(f"**/projects/{project.pk}/")
    assert "บันทึกโครงการแล้ว" in success_text(page)
    stored = Activity.objects.get(parent=activity)
    assert stored.name == "ประชุมวางแผนการอบรม"
    assert stored.months == [fiscal_month_dates(plan.fiscal_year)[3].isoformat()]
    assert CostLine.objects.get(activity=stored).amount == Decimal("2100.00")
    # the project page prints it numbered under its activity
    assert "1.1. ประชุมวางแผนการอบรม" in page.content()
