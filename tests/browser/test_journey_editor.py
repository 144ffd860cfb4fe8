"""Issue 18 item 1: the planner writes a whole project sheet on one page.

The old admin journey took 118 interactions over 11 page loads. Here the
planner opens the editor from the dashboard, enters 6 activities with their
months, 10 cost lines and 3 KPIs, every section of the sheet, and submits
with "บันทึกและเสนอ"; everything is driven through ``CountedUser`` so the
count is what the test really did. The page must also fit a 390 px phone.
"""

from decimal import Decimal

import pytest

from budgets.models import CostLine
from core.thai import current_fiscal_year, fiscal_month_dates
from projects.models import Project
from tests.browser.journeys import TIMEOUT, CountedUser, login, success_text
from tests.factories import (
    ActivityFactory,
    ExpenseCategoryFactory,
    PlanFactory,
    ProjectFactory,
    StrategyFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NAME = "โครงการพัฒนาสมรรถนะครูด้านการจัดการเรียนรู้เชิงรุก"
#: (activity, month columns to click, cost lines: (category, text, qty, rate, times))
ACTIVITIES = [
    (
        "ประชุมคณะทำงานวางแผนการอบรม",
        [0],
        [
            ("services", "ค่าอาหารว่าง", "15", "35", "2"),
            ("services", "ค่าอาหารกลางวัน", "15", "120", "1"),
        ],
    ),
    (
        "จัดทำหลักสูตรการอบรม",
        [1],
        [
            ("compensation", "ค่าตอบแทนผู้ทรงคุณวุฒิ", "3", "1,200", "2"),
            ("materials", "ค่าวัสดุจัดทำเอกสาร", "๑", "๕,๐๐๐", "1"),
        ],
    ),
    (
        "อบรมครูแกนนำ",
        [3],
        [
            ("services", "ค่าอาหารกลางวัน", "120", "120", "2"),
            ("compensation", "ค่าตอบแทนวิทยากร", "4", "600", "6"),
        ],
    ),
    (
        "นิเทศติดตามในห้องเรียน",
        [5],
        [
            ("services", "ค่าพาหนะ", "20", "240", "1"),
            ("services", "ค่าเบี้ยเลี้ยง", "20", "240", "2"),
        ],
    ),
    (
        "ประกวดนวัตกรรมการสอน",
        [7],
        [("compensation", "ค่าตอบแทนกรรมการตัดสิน", "5", "500", "1")],
    ),
    ("สรุปและรายงานผล", [10], [("materials", "ค่าจ้างจัดทำรูปเล่ม", "10", "150", "1")]),
]
KPIS = [
    ("ร้อยละของครูที่ผ่านการอบรมตามเกณฑ์", "80"),
    ("ร้อยละของครูที่นำความรู้ไปใช้ในห้องเรียน", "75"),
    ("ร้อยละของผู้เข้ารับการอบรมที่พึงพอใจระดับมากขึ้นไป", "85"),
]


def _expected_total() -> Decimal:
    total = Decimal(0)
    for _, _, lines in ACTIVITIES:
        for *_, qty, rate, times in lines:
            digits = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
            numbers = [
                Decimal(v.translate(digits).replace(",", ""))
                for v in (qty, rate, times)
            ]
            total += numbers[0] * numbers[1] * numbers[2]
    return total


def _world(office):
    year = current_fiscal_year()
    plan = PlanFactory(organization=office, fiscal_year=year)
    PlanFactory(organization=office, fiscal_year=year - 1)  # last year: not offered
    strategy = StrategyFactory(plan=plan, number=1, title="พัฒนาคุณภาพผู้เรียนและครู")
    StrategyFactory(plan=plan, number=2, title="ส่งเสริมการบริหารจัดการ")
    categories = {
        code: ExpenseCategoryFactory(code=code, name=name)
        for code, name in (
            ("compensation", "ค่าตอบแทน"),
            ("services", "ค่าใช้สอย"),
            ("materials", "ค่าวัสดุ"),
        )
    }
    return plan, strategy, categories


def test_planner_creates_and_submits_a_whole_sheet_on_one_page(
    live_server, page, screenshot, office, group_a, planner
):
    page.set_default_timeout(TIMEOUT)
    plan, strategy, categories = _world(office)
    login(page, live_server, planner)
    user = CountedUser(page, live_server)

    user.click(page.get_by_test_id("new-project").first)  # from the dashboard
    page.wait_for_url("**/projects/new/")

    # The heading part and sections 1–3
    user.type_content("#id_name", NAME)
    user.choose_content("#id_group", str(group_a.pk))
    user.type_content("#id_budget_plan", "พื้นฐานด้านการพัฒนาและเสริมสร้างศักยภาพคน")
    user.check(f"#id_strategies input[value='{strategy.pk}']")
    user.choose_content("#id_responsibles-0-person", str(planner.person.pk))
    user.type_content("#id_start_month", f"ต.ค. {plan.fiscal_year - 1}")
    user.type_content("#id_end_month", f"ก.ย. {plan.fiscal_year}")
    user.type_content(
        "#id_rationale",
        "การจัดการเรียนรู้เชิงรุกช่วยให้นักเรียนคิดวิเคราะห์ได้ดีขึ้น จึงจัดทำโครงการนี้",
    )
    user.type_content("#id_objectives-0-text", "เพื่อพัฒนาครูให้จัดการเรียนรู้เชิงรุกได้")
    user.choose_content("#id_targets-0-kind", "quantitative")
    user.type_content("#id_targets-0-text", "ครูผู้สอนในสังกัด")
    user.type_content("#id_targets-0-quantity", "120")
    user.type_content("#id_targets-0-unit", "คน")

    # Sections 5–6 (and 4): activities, months and cost lines
    for index, (name, months, lines) in enumerate(ACTIVITIES):
        if index:
            user.click("button[data-add=act]")
        prefix = f"act-{index}"
        user.type_content(f"#id_{prefix}-name", name)
        for month in months:
            user.click(f"label[for='id_{prefix}-months_{month}']")
        for number, (category, text, qty, rate, times) in enumerate(lines):
            if number:
                user.click(f"[data-activity='{prefix}'] > .activity-foot .js-add-line")
            line = f"#id_{prefix}-cost-{number}"
            user.choose_content(f"{line}-category", str(categories[category].pk))
            user.type_content(f"{line}-description", text)
            user.type_content(f"{line}-persons", qty)
            user.type_content(f"{line}-rate", rate)
            user.type_content(f"{line}-times", times)

    # The sums update as the user types (section 4 and each activity).
    expected = _expected_total()
    assert page.locator("#project-total").inner_text() == f"{expected:,.2f}"
    assert page.locator("[data-activity='act-0'] .js-activity-total").inner_text() == (
        f"{Decimal(15 * 35 * 2 + 15 * 120):,.2f}"
    )

    # Section 7 (KPIs) and 8
    for index, (name, target) in enumerate(KPIS):
        if index:
            user.click("button[data-add=kpis]")
        user.type_content(f"#id_kpis-{index}-name", name)
        user.type_content(f"#id_kpis-{index}-target_value", target)
    user.type_content("#id_expected-0-text", "ครูจัดการเรียนรู้เชิงรุกได้ นักเรียนคิดวิเคราะห์ได้ดีขึ้น")
    screenshot("editor-1-filled")

    user.click("[data-testid=save-submit]")
    page.wait_for_url("**/projects/*/")
    assert "บันทึกและเสนอโครงการแล้ว" in success_text(page), page.content()[:2000]
    screenshot("editor-2-submitted")

    project = Project.objects.get(name=NAME)
    assert project.status == Project.Status.SUBMITTED
    assert project.plan == plan
    assert project.activities.count() == len(ACTIVITIES) == 6
    assert CostLine.objects.filter(activity__project=project).count() == 10
    assert project.kpis.count() == 3
    assert [a.name for a in project.activities.order_by("order")] == [
        a[0] for a in ACTIVITIES
    ]
    assert sum(line.amount for line in CostLine.objects.all()) == expected
    print(
        f"\nproject-sheet editor journey: {user.interactions} interactions "
        f"(admin journey: 118), {user.content} content entries, 1 page load "
        f"of the editor"
    )
    assert user.interactions <= 45, user.report()


def test_the_editor_fits_a_390_px_phone(live_server, page, office, group_a, planner):
    page.set_default_timeout(TIMEOUT)
    _world(office)
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, live_server, planner)
    page.goto(f"{live_server.url}/projects/new/")
    page.click("button[data-add=act]")
    page.click("[data-activity='act-1'] > .activity-foot .js-add-line")
    page.click("button[data-add=kpis]")
    fits = page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert fits, width


def test_autosave_keeps_a_draft_and_the_save_button_still_works(
    live_server, page, office, group_a, planner
):
    page.set_default_timeout(TIMEOUT)
    _world(office)
    login(page, live_server, planner)
    page.goto(f"{live_server.url}/projects/new/")
    page.fill("#id_name", NAME)
    page.select_option("#id_group", str(group_a.pk))
    page.fill("#id_act-0-name", "ประชุมคณะทำงาน")
    status = page.get_by_test_id("autosave-status")
    status.filter(has_text="บันทึกร่างอัตโนมัติแล้ว").wait_for(timeout=TIMEOUT)
    project = Project.objects.get(name=NAME)
    assert page.url.endswith(f"/projects/{project.pk}/edit/")
    assert project.activities.get().name == "ประชุมคณะทำงาน"
    # typing goes on in the swapped-in form; the save button saves it
    page.fill("#id_rationale", "เหตุผลที่พิมพ์หลังบันทึกอัตโนมัติ")
    page.click("[data-testid=save]")
    page.wait_for_url(f"**/projects/{project.pk}/")
    project.refresh_from_db()
    assert project.rationale == "เหตุผลที่พิมพ์หลังบันทึกอัตโนมัติ"
    assert Project.objects.count() == 1
    assert project.activities.count() == 1


def test_an_activity_runs_into_the_next_fiscal_year(
    live_server, page, screenshot, office, group_a, planner
):
    """Issue 18: a project running past the year end ticks the next year's
    months under "แสดงเดือนในปีงบประมาณถัดไป" (a <details>: no script needed)."""
    page.set_default_timeout(TIMEOUT)
    plan, _, _ = _world(office)
    project = ProjectFactory(
        plan=plan,
        group=group_a,
        start_month=fiscal_month_dates(plan.fiscal_year)[8],  # June
        end_month=fiscal_month_dates(plan.fiscal_year + 1)[5],  # next March
    )
    activity = ActivityFactory(
        project=project,
        order=1,
        months=[fiscal_month_dates(plan.fiscal_year)[8].isoformat()],
    )
    login(page, live_server, planner)
    page.goto(f"{live_server.url}/projects/{project.pk}/edit/")
    page.set_viewport_size({"width": 390, "height": 844})
    details = page.locator("[data-activity='act-0'] > .months details.next-year")
    assert details.get_attribute("open") is not None  # the period runs past
    page.click("label[for='id_act-0-months_14']")  # next December
    fits = page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert fits
    details.scroll_into_view_if_needed()
    screenshot("editor-3-next-year-months")
    page.click("[data-testid=save]")
    page.wait_for_url(f"**/projects/{project.pk}/")
    activity.refresh_from_db()
    assert activity.months == [
        fiscal_month_dates(plan.fiscal_year)[8].isoformat(),
        fiscal_month_dates(plan.fiscal_year + 1)[2].isoformat(),
    ]
