"""Journey F (issue 18 item 2): finance records five disbursements from a
pile of vouchers at the finance desk, counted with ``CountedUser``; the desk
fits a 390 px phone and cascades without JavaScript too."""

from decimal import Decimal

import pytest
from django.utils import timezone

from budgets.models import Disbursement, ExpenseCategory
from core.roles import Role
from core.thai import current_fiscal_year, thai_date
from projects.models import Project
from tests.browser.conftest import SCREENSHOTS
from tests.browser.journeys import PASSWORD, TIMEOUT, CountedUser, login
from tests.factories import (
    ActivityFactory,
    CostLineFactory,
    PlanFactory,
    ProjectFactory,
    QuarterPlanFactory,
    make_staff,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

READING = "โครงการส่งเสริมการอ่านออกเขียนได้"
SCIENCE = "โครงการพัฒนาห้องเรียนวิทยาศาสตร์"
SUPERVISION = "โครงการนิเทศบูรณาการโดยใช้พื้นที่เป็นฐาน"
LUNCH = "ค่าอาหารกลางวัน"

#: The vouchers on finance's desk: project, activity, cost line, amount.
VOUCHERS = [
    (READING, "อบรมครูผู้สอนภาษาไทย", LUNCH, "2,400"),
    (READING, "ประกวดการอ่านระดับเขต", "ค่าวัสดุจัดทำเกียรติบัตร", "1,500"),
    (SCIENCE, "จัดหาอุปกรณ์ห้องปฏิบัติการ", "ค่าวัสดุวิทยาศาสตร์", "18,750.50"),
    (SUPERVISION, "ประชุมสรุปผลการนิเทศ", LUNCH, "2,000"),
    (SUPERVISION, "ประชุมวางแผนการนิเทศ", LUNCH, "1,200"),
]


def _year_of_payments(office):
    """Three approved projects whose activities nearly all buy lunch (31
    lunches in the real office: the old dropdown could not tell them
    apart)."""
    year = current_fiscal_year()
    plan = PlanFactory(organization=office, fiscal_year=year)
    services = ExpenseCategory.objects.get(code="services")
    materials = ExpenseCategory.objects.get(code="materials")
    activities = {
        READING: ["อบรมครูผู้สอนภาษาไทย", "ประกวดการอ่านระดับเขต", "ติดตามผลการอ่าน"],
        SCIENCE: ["จัดหาอุปกรณ์ห้องปฏิบัติการ", "อบรมครูวิทยาศาสตร์"],
        SUPERVISION: ["ประชุมวางแผนการนิเทศ", "ออกนิเทศโรงเรียน", "ประชุมสรุปผลการนิเทศ"],
    }
    extra = {
        "ประกวดการอ่านระดับเขต": ("ค่าวัสดุจัดทำเกียรติบัตร", materials, 3000),
        "จัดหาอุปกรณ์ห้องปฏิบัติการ": ("ค่าวัสดุวิทยาศาสตร์", materials, 40000),
    }
    for sequence, (name, names) in enumerate(activities.items(), start=1):
        project = ProjectFactory(
            plan=plan, name=name, sequence=sequence, status=Project.Status.APPROVED
        )
        for order, activity_name in enumerate(names, start=1):
            activity = ActivityFactory(project=project, order=order, name=activity_name)
            CostLineFactory(activity=activity, category=services, description=LUNCH)
            total = Decimal("2400")
            if activity_name in extra:
                description, category, amount = extra[activity_name]
                CostLineFactory(
                    activity=activity,
                    category=category,
                    description=description,
                    times=None,
                    persons=None,
                    rate=None,
                    amount=amount,
                )
                total += amount
            QuarterPlanFactory(activity=activity, quarter=1, amount=total)
    return plan


def _choose(user, select: str, text: str) -> None:
    """Choose the option naming ``text`` (its label adds what is left); the
    lookup waits for the row's new options (static/js/desk.js)."""
    option = user.page.locator(f"{select} option", has_text=text).first
    user.choose_content(select, value=option.get_attribute("value"))


def test_finance_records_five_vouchers_in_few_interactions(
    live_server, page, screenshot, office
):
    page.set_default_timeout(TIMEOUT)
    finance = make_staff(office, roles=[Role.FINANCE], first_name="การเงิน").user
    _year_of_payments(office)
    login(page, live_server, finance)
    user = CountedUser(page, live_server)

    user.click(page.get_by_test_id("finance-desk-link"))
    page.wait_for_url("**/budgets/disbursements/new/**")
    for index, (project, activity, line, amount) in enumerate(VOUCHERS):
        row = f"#id_row-{index}-"
        _choose(user, row + "project", project)
        _choose(user, row + "activity", activity)
        _choose(user, row + "target", line)
        user.type_content(row + "amount", amount)
    # the last voucher is dated the 1st: picked from the Thai calendar
    today = timezone.localdate()
    first = today.replace(day=1)
    user.click(page.locator("#desk-row-4 .thai-picker-open"))
    month = page.locator("#desk-row-4 .thai-picker")
    assert f"{first.year + 543}" in month.inner_text()
    screenshot("f0-thai-date-picker")
    user.click(month.get_by_role("button", name=thai_date(first), exact=True))
    assert page.input_value("#id_row-4-paid_on") == first.strftime("%d/%m/") + str(
        first.year + 543
    )
    screenshot("f1-desk-filled")
    user.click(page.get_by_test_id("desk-save"))
    page.wait_for_url("**/budgets/disbursements/new/?fiscal_year=*")
    messages = page.locator(".messages").inner_text()
    screenshot("f2-desk-saved")

    assert user.interactions <= 20, user.report()
    print(user.report())
    day = f"{today.day} "
    assert f"บันทึกการเบิกจ่าย 2,400.00 บาท วันที่ {day}" in messages
    assert "บันทึกการเบิกจ่าย 18,750.50 บาท วันที่" in messages
    assert messages.count("บันทึกการเบิกจ่าย") == 5
    paid = list(
        Disbursement.objects.order_by("pk").values_list(
            "activity__project__name",
            "activity__name",
            "cost_line__description",
            "amount",
            "paid_on",
        )
    )
    expected_dates = [today] * 4 + [first]
    assert paid == [
        (project, activity, line, Decimal(amount.replace(",", "")), when)
        for (project, activity, line, amount), when in zip(
            VOUCHERS, expected_dates, strict=True
        )
    ]
    assert all(d.recorded_by == finance for d in Disbursement.objects.all())


def test_desk_fits_a_phone_and_cascades_without_javascript(
    live_server, browser, office
):
    finance = make_staff(office, roles=[Role.FINANCE], first_name="การเงิน").user
    _year_of_payments(office)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(
        locale="th-TH",
        viewport={"width": 390, "height": 844},
        java_script_enabled=False,
    )
    page = context.new_page()
    page.set_default_timeout(TIMEOUT)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", finance.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/budgets/disbursements/new/")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, overflow
    # no JavaScript: each choice is shown by reloading with the row's values
    option = page.locator("#id_row-0-project option", has_text=SCIENCE)
    page.select_option("#id_row-0-project", option.get_attribute("value"))
    page.get_by_role("button", name="แสดงตัวเลือกของรายการที่ 1").click()
    option = page.locator("#id_row-0-activity option", has_text="จัดหาอุปกรณ์")
    page.select_option("#id_row-0-activity", option.get_attribute("value"))
    page.get_by_role("button", name="แสดงตัวเลือกของรายการที่ 1").click()
    option = page.locator("#id_row-0-target option", has_text="ค่าวัสดุวิทยาศาสตร์")
    assert "คงเหลือ 40,000.00 บาท" in option.inner_text()
    page.select_option("#id_row-0-target", option.get_attribute("value"))
    page.fill("#id_row-0-amount", "5,000")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, overflow
    page.screenshot(path=str(SCREENSHOTS / "f3-desk-phone.png"), full_page=True)
    page.get_by_test_id("desk-save").click()
    assert "บันทึกการเบิกจ่าย 5,000.00 บาท วันที่" in page.locator(".messages").inner_text()
    assert Disbursement.objects.get().amount == Decimal("5000")
    context.close()


def test_the_date_default_is_today_in_the_buddhist_era(live_server, page, office):
    page.set_default_timeout(TIMEOUT)
    finance = make_staff(office, roles=[Role.FINANCE], first_name="การเงิน").user
    _year_of_payments(office)
    login(page, live_server, finance)
    page.goto(f"{live_server.url}/budgets/disbursements/new/")
    today = timezone.localdate()
    assert page.input_value("#id_row-0-paid_on") == (
        f"{today.day:02d}/{today.month:02d}/{today.year + 543}"
    )
