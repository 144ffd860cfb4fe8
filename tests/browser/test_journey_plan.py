"""Journey A: a planner sets up the fiscal year and enters a full project.

Copies last year's direction forward (admin action), enters a project with
every sheet section, two activities priced with cost lines typed as users type
them ("๑,๒๐๐", "12,500") and a quarterly plan, a KPI and a strategy link, then
submits it from the project page.
"""

from decimal import Decimal

import pytest

from budgets.models import CostLine, QuarterPlan
from core.rules import person_of
from core.thai import current_fiscal_year
from plans.models import Plan
from projects.models import Project
from tests.browser.journeys import (
    TIMEOUT,
    choose_autocomplete,
    login,
    make_staff_user,
    previous_year_direction,
    success_text,
)
from tests.factories import ExpenseCategoryFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NAME = "โครงการพัฒนาสมรรถนะครูด้านการจัดการเรียนรู้เชิงรุก"


def _add_inline_row(page, prefix: str) -> int:
    """Click the inline's "add another" link; the new row's index."""
    index = page.locator(f"#id_{prefix}-TOTAL_FORMS").input_value()
    page.locator(f"#{prefix}-group .add-row a").click()
    return int(index)


def test_planner_sets_up_the_year_and_enters_a_full_project(
    live_server, page, screenshot, office, group_a, planner, head_a
):
    page.set_default_timeout(TIMEOUT)
    year = current_fiscal_year()
    last_year = previous_year_direction(office, year)
    compensation = ExpenseCategoryFactory(code="compensation", name="ค่าตอบแทน")
    services = ExpenseCategoryFactory(code="services", name="ค่าใช้สอย")
    make_staff_user(planner)
    login(page, live_server, planner)

    # 1. copy last year's direction into this fiscal year (admin action)
    page.goto(f"{live_server.url}/admin/plans/plan/")
    page.check(f"input[name=_selected_action][value='{last_year.pk}']")
    page.select_option("select[name=action]", "copy_to_next_year")
    page.click("button[name=index]")
    assert f"คัดลอกไปยังปีงบประมาณ พ.ศ. {year}" in success_text(page)
    screenshot("a1-plan-copied-forward")
    plan = Plan.objects.get(organization=office, fiscal_year=year)
    strategy = plan.strategies.get(number=1)
    goal = plan.goals.get(number=1)

    # 2. the project sheet, every section, through the admin
    page.goto(f"{live_server.url}/admin/projects/project/add/")
    page.select_option("#id_plan", str(plan.pk))
    page.select_option("#id_group", str(group_a.pk))
    page.fill("#id_code", f"{year % 100}-001")
    page.fill("#id_name", NAME)
    page.fill("#id_budget_plan", "พื้นฐานด้านการพัฒนาและเสริมสร้างศักยภาพคน")
    page.fill("#id_start_month", f"ต.ค. {year - 1}")
    page.fill("#id_end_month", f"ก.ย. {year}")
    page.select_option("#id_strategies_from", str(strategy.pk))
    page.click("#id_strategies_add")
    page.select_option("#id_goals_from", str(goal.pk))
    page.click("#id_goals_add")
    page.fill(
        "#id_rationale",
        "การจัดการเรียนรู้เชิงรุกช่วยให้นักเรียนคิดวิเคราะห์ได้ดีขึ้น "
        "สำนักงานจึงจัดทำโครงการนี้เพื่อพัฒนาครูในสังกัด",
    )
    page.fill("#id_output_statement", "ครูผ่านการอบรม 120 คน")
    page.fill("#id_outcome_statement", "ครูนำการเรียนรู้เชิงรุกไปใช้ในชั้นเรียน")

    row = _add_inline_row(page, "responsibles")
    # people are chosen by typing part of the name (autocomplete)
    choose_autocomplete(
        page, f"id_responsibles-{row}-person", person_of(head_a).first_name
    )
    row = _add_inline_row(page, "objectives")
    page.fill(f"#id_objectives-{row}-text", "เพื่อพัฒนาครูให้จัดการเรียนรู้เชิงรุกได้")
    row = _add_inline_row(page, "targets")
    page.select_option(f"#id_targets-{row}-kind", "quantitative")
    page.fill(f"#id_targets-{row}-text", "ครูผู้สอนในสังกัด")
    page.fill(f"#id_targets-{row}-quantity", "120")
    page.fill(f"#id_targets-{row}-unit", "คน")
    activities = [
        ("ประชุมเชิงปฏิบัติการการจัดการเรียนรู้เชิงรุก", f"ต.ค. – ธ.ค. {year - 1}"),
        ("นิเทศติดตามการนำไปใช้ในชั้นเรียน", f"ม.ค. – มี.ค. {year}"),
    ]
    for name, months in activities:
        row = _add_inline_row(page, "activities")
        page.fill(f"#id_activities-{row}-order", str(row + 1))
        page.fill(f"#id_activities-{row}-name", name)
        page.fill(f"#id_activities-{row}-target", "ครู 120 คน")
        page.fill(f"#id_activities-{row}-months", months)
    row = _add_inline_row(page, "kpis")
    page.fill(f"#id_kpis-{row}-name", "ร้อยละของครูที่นำการเรียนรู้เชิงรุกไปใช้")
    page.select_option(f"#id_kpis-{row}-unit", "percent")
    page.select_option(f"#id_kpis-{row}-comparison", "gte")
    page.fill(f"#id_kpis-{row}-target_value", "80")
    page.fill(f"#id_kpis-{row}-method", "นิเทศติดตาม")
    page.fill(f"#id_kpis-{row}-instrument", "แบบนิเทศ")
    row = _add_inline_row(page, "expected_results")
    page.fill(f"#id_expected_results-{row}-text", "ครูจัดการเรียนรู้เชิงรุกได้อย่างมีคุณภาพ")
    screenshot("a2-project-form-filled")
    page.click("input[name=_continue]")
    assert page.locator(".errornote").count() == 0, page.locator(
        ".errorlist"
    ).all_inner_texts()
    assert "เรียบร้อยแล้ว" in success_text(page) or NAME in success_text(page)
    project = Project.objects.get(plan=plan, name=NAME)
    assert project.strategies.get() == strategy
    assert project.responsibles.get().person == person_of(head_a)

    # 3. money per activity: cost lines typed with separators and Thai digits
    first, second = project.activities.order_by("order")
    priced = [
        (
            first,
            [
                (compensation, "ค่าตอบแทนวิทยากร", {"times": "6", "rate": "๑,๒๐๐"}),
                (
                    services,
                    "ค่าอาหารกลางวันและอาหารว่าง",
                    {"persons": "50", "rate": "120"},
                ),
            ],
            {"1": "๑๓,๒๐๐"},
        ),
        (
            second,
            [(services, "ค่าจ้างเหมาจัดทำเอกสาร", {"times": "1", "rate": "12,500"})],
            {"2": "12,500.00"},
        ),
    ]
    for activity, lines, quarters in priced:
        page.goto(f"{live_server.url}/admin/projects/activity/{activity.pk}/change/")
        for category, description, numbers in lines:
            row = _add_inline_row(page, "cost_lines")
            page.select_option(f"#id_cost_lines-{row}-category", str(category.pk))
            page.fill(f"#id_cost_lines-{row}-description", description)
            for field, value in numbers.items():
                page.fill(f"#id_cost_lines-{row}-{field}", value)
        for quarter, amount in quarters.items():
            row = _add_inline_row(page, "quarter_plans")
            page.select_option(f"#id_quarter_plans-{row}-quarter", quarter)
            page.fill(f"#id_quarter_plans-{row}-amount", amount)
        page.click("input[name=_continue]")
        assert page.locator(".errornote").count() == 0, page.locator(
            ".errorlist"
        ).all_inner_texts()
    screenshot("a3-activity-priced")
    assert CostLine.objects.filter(activity__project=project).total() == Decimal(
        "25700.00"
    )
    assert sorted(
        QuarterPlan.objects.filter(activity__project=project).values_list(
            "quarter", "amount"
        )
    ) == [(1, Decimal("13200.00")), (2, Decimal("12500.00"))]

    # 4. the sheet as it will print, then submit it
    page.goto(f"{live_server.url}/projects/{project.pk}/")
    sheet = page.locator("main").inner_text()
    assert "25,700.00" in sheet
    assert "สองหมื่นห้าพันเจ็ดร้อยบาทถ้วน" in sheet
    page.get_by_role("button", name="เสนอโครงการ").click()
    assert "เสนอโครงการแล้ว" in success_text(page)
    assert page.get_by_test_id("status").inner_text() == "เสนอ"
    screenshot("a4-project-submitted")
    project.refresh_from_db()
    assert project.status == Project.Status.SUBMITTED

    # 5. the planner's home counts it
    page.goto(f"{live_server.url}/")
    states = page.get_by_test_id("status-table").first
    assert states.locator("tr[data-status=submitted] td.num").first.inner_text() == "1"
    screenshot("a5-planner-dashboard")
