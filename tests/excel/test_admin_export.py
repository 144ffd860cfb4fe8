"""The admin's "ส่งออก Excel" button (django-import-export, .xlsx only) and the
"นำเข้าจาก Excel" links to the upload → preview → confirm screens."""

import datetime
from decimal import Decimal
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from core.roles import Role
from core.xlsx import MONEY_FORMAT, XLSX_TYPE
from tests.excel.conftest import OURS, THEIRS
from tests.factories import (
    ActivityFactory,
    CostLineFactory,
    DisbursementFactory,
    ProgressReportFactory,
    ProjectFactory,
    QuarterPlanFactory,
    UserFactory,
    make_staff,
)

pytestmark = pytest.mark.django_db

#: changelist → (sheet, headers, money column, rows of the crafted office)
EXPORTS = {
    "projects_project": (
        "โครงการ",
        [
            "ปีงบประมาณ",
            "รหัสโครงการ",
            "ชื่อโครงการ",
            "กลุ่มที่รับผิดชอบ",
            "ลักษณะโครงการ",
            "เริ่มดำเนินการ",
            "สิ้นสุด",
            "แหล่งงบประมาณ",
            "ใช้งบประมาณ",
            "สถานะ",
            "งบประมาณ (บาท)",
        ],
        "งบประมาณ (บาท)",
        3,
    ),
    "projects_activity": (
        "กิจกรรม",
        [
            "รหัสโครงการ",
            "โครงการ",
            "ลำดับ",
            "กิจกรรม",
            "เป้าหมาย",
            "เดือนที่ดำเนินการ",
            "งบประมาณ (บาท)",
        ],
        "งบประมาณ (บาท)",
        2,
    ),
    "budgets_costline": (
        "รายการค่าใช้จ่าย",
        [
            "รหัสโครงการ",
            "กิจกรรม",
            "หมวดรายจ่าย",
            "รายการ",
            "จำนวนครั้ง",
            "จำนวนคน/หน่วย",
            "จำนวนวัน/มื้อ",
            "อัตรา (บาท)",
            "จำนวนเงิน (บาท)",
        ],
        "จำนวนเงิน (บาท)",
        3,
    ),
    "budgets_disbursement": (
        "การเบิกจ่าย",
        ["วันที่", "เลขที่เอกสาร", "รหัสโครงการ", "กิจกรรม", "จำนวนเงิน (บาท)", "หมายเหตุ"],
        "จำนวนเงิน (บาท)",
        2,
    ),
    "budgets_allocation": (
        "การจัดสรรงบประมาณ",
        [
            "ปีงบประมาณ",
            "แหล่งงบประมาณ",
            "จัดสรรครั้งที่",
            "วันที่ได้รับจัดสรร",
            "จำนวนเงิน (บาท)",
            "หนังสืออ้างอิง",
        ],
        "จำนวนเงิน (บาท)",
        1,
    ),
    "progress_progressreport": (
        "รายงานความก้าวหน้าโครงการ",
        [
            "รหัสโครงการ",
            "โครงการ",
            "กลุ่ม",
            "ปีงบประมาณ",
            "รอบการรายงาน",
            "สถานะการดำเนินงาน",
            "ความก้าวหน้า (ร้อยละ)",
            "สถานะรายงาน",
            "เบิกจ่ายสะสม (บาท)",
            "วันที่ส่งรายงาน",
        ],
        "เบิกจ่ายสะสม (บาท)",
        1,
    ),
}


def staff(user):
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return user


def export_url(model: str) -> str:
    return reverse(f"admin:{model}_export")


def read(response):
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_TYPE
    assert response["Content-Disposition"].startswith("attachment; filename*=UTF-8''")
    return load_workbook(BytesIO(response.content)).active


def rows(sheet) -> list[dict]:
    headers = [cell.value for cell in sheet[1]]
    return [
        dict(zip(headers, values, strict=True))
        for values in sheet.iter_rows(min_row=2, values_only=True)
    ]


def texts(sheet) -> str:
    return " ".join(
        str(value) for row in sheet.iter_rows(values_only=True) for value in row
    )


@pytest.mark.parametrize("model", EXPORTS)
def test_export_is_a_thai_workbook_of_our_office(client, planner, crafted, model):
    title, headers, money_header, count = EXPORTS[model]
    client.force_login(staff(planner))
    sheet = read(client.get(export_url(model)))
    assert sheet.title == title
    assert [cell.value for cell in sheet[1]] == headers
    assert sheet.freeze_panes == "A2" and sheet["A1"].font.bold
    assert len(rows(sheet)) == count
    column = headers.index(money_header) + 1
    for row in range(2, sheet.max_row + 1):
        cell = sheet.cell(row, column)
        assert cell.data_type == "n" and cell.number_format == MONEY_FORMAT
    assert THEIRS not in texts(sheet)
    assert "Z-001" not in texts(sheet)


def test_project_export_figures(client, planner, crafted):
    client.force_login(staff(planner))
    by_code = {
        row["รหัสโครงการ"]: row
        for row in rows(read(client.get(export_url("projects_project"))))
    }
    assert by_code["X-001"]["งบประมาณ (บาท)"] == 15000.75
    assert by_code["X-001"]["ชื่อโครงการ"] == OURS
    assert by_code["X-001"]["สถานะ"] == "อนุมัติ"
    # a month cell (shown "ต.ค. 2567"), not text
    assert by_code["X-001"]["เริ่มดำเนินการ"] == datetime.datetime(2024, 10, 1)
    assert by_code["X-002"]["งบประมาณ (บาท)"] == 20000
    assert by_code["X-003"]["ใช้งบประมาณ"] == "ไม่ใช้งบประมาณ"


def test_disbursement_and_allocation_dates_are_buddhist_era(client, planner, crafted):
    client.force_login(staff(planner))
    paid = {
        row["รหัสโครงการ"]: row
        for row in rows(read(client.get(export_url("budgets_disbursement"))))
    }
    first_paid = crafted.q1_start + datetime.timedelta(days=10)
    # a date cell whose format shows the BE year
    assert paid["X-001"]["วันที่"] == datetime.datetime.combine(
        first_paid, datetime.time()
    )
    assert paid["X-001"]["จำนวนเงิน (บาท)"] == 4000.25
    (allocation,) = rows(read(client.get(export_url("budgets_allocation"))))
    assert allocation["จำนวนเงิน (บาท)"] == 100000
    assert allocation["ปีงบประมาณ"] == crafted.fiscal_year
    assert allocation["วันที่ได้รับจัดสรร"] == datetime.datetime.combine(
        crafted.q1_start + datetime.timedelta(days=5), datetime.time()
    )


def test_progress_report_export(client, planner, crafted):
    client.force_login(staff(planner))
    sheet = read(client.get(export_url("progress_progressreport")))
    (row,) = rows(sheet)
    assert row == {
        "รหัสโครงการ": "X-001",
        "โครงการ": OURS,
        "กลุ่ม": "กลุ่มส่งเสริมการจัดการศึกษา",
        "ปีงบประมาณ": crafted.fiscal_year,
        "รอบการรายงาน": "รอบ 3 เดือน",
        "สถานะการดำเนินงาน": "อยู่ระหว่างดำเนินการ",
        "ความก้าวหน้า (ร้อยละ)": 40,
        "สถานะรายงาน": "ส่งแล้ว รอตรวจ",
        # paid up to the round's period end, from the disbursement records
        "เบิกจ่ายสะสม (บาท)": 4000.25,
        "วันที่ส่งรายงาน": datetime.datetime(crafted.q1_start.year, 12, 20),
    }
    assert sheet["G2"].data_type == "n"


def test_export_follows_the_changelist_filters(client, planner, group_b, crafted):
    client.force_login(staff(planner))
    approved = read(
        client.get(export_url("projects_project"), {"status__exact": "approved"})
    )
    assert [row["รหัสโครงการ"] for row in rows(approved)] == ["X-001", "X-002"]
    found = read(client.get(export_url("projects_project"), {"q": "บุคลากร"}))
    assert [row["รหัสโครงการ"] for row in rows(found)] == ["X-002"]
    paid = read(client.get(export_url("budgets_disbursement"), {"group": group_b.pk}))
    assert [row["จำนวนเงิน (บาท)"] for row in rows(paid)] == [1500]


def test_other_office_exports_only_its_own_rows(client, outsider, crafted):
    client.force_login(staff(outsider))
    projects = read(client.get(export_url("projects_project")))
    assert [row["ชื่อโครงการ"] for row in rows(projects)] == [THEIRS]
    paid = read(client.get(export_url("budgets_disbursement")))
    assert [row["จำนวนเงิน (บาท)"] for row in rows(paid)] == [777]
    for model in EXPORTS:
        sheet = read(client.get(export_url(model)))
        assert OURS not in texts(sheet) and "X-001" not in texts(sheet), model


def test_group_head_exports_the_office_projects_they_may_list(client, head_b, crafted):
    client.force_login(staff(head_b))
    sheet = read(client.get(export_url("projects_project")))
    assert {row["รหัสโครงการ"] for row in rows(sheet)} == {"X-001", "X-002", "X-003"}


def test_export_needs_the_view_permission(client, office, viewer, crafted):
    no_role = staff(make_staff(office).user)
    client.force_login(no_role)
    for model in EXPORTS:
        assert client.get(export_url(model)).status_code == 403, model
    client.force_login(viewer)  # not staff: the admin's login page
    response = client.get(export_url("projects_project"))
    assert response.status_code == 302 and "login" in response["Location"]
    client.logout()
    response = client.get(export_url("budgets_disbursement"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_staff_without_office_exports_nothing(client, crafted):
    lonely = staff(UserFactory(roles=[Role.PLANNER]))
    client.force_login(lonely)
    for model in EXPORTS:
        assert rows(read(client.get(export_url(model)))) == [], model


def _buttons(client, model: str) -> str:
    response = client.get(reverse(f"admin:{model}_changelist"))
    assert response.status_code == 200
    return response.content.decode()


def test_changelist_buttons_are_thai(client, planner, crafted):
    client.force_login(staff(planner))
    page = _buttons(client, "projects_project")
    assert "ส่งออก Excel" in page and "Export" not in page
    assert f'href="{reverse("excel:import_plan")}"' in page
    assert "นำเข้าจาก Excel" in page
    assert f'href="{export_url("projects_project")}?' in page
    page = _buttons(client, "budgets_disbursement")
    assert f'href="{reverse("excel:import_disbursements")}"' in page
    page = _buttons(client, "projects_activity")
    assert "ส่งออก Excel" in page and "นำเข้าจาก Excel" not in page


def test_import_links_only_for_users_allowed_to_import(client, office, head_a, crafted):
    finance = staff(make_staff(office, roles=[Role.FINANCE]).user)
    client.force_login(finance)
    assert "นำเข้าจาก Excel" not in _buttons(client, "projects_project")
    assert reverse("excel:import_disbursements") in _buttons(
        client, "budgets_disbursement"
    )
    client.force_login(staff(head_a))
    assert "นำเข้าจาก Excel" not in _buttons(client, "projects_project")
    page = _buttons(client, "budgets_disbursement")
    assert "นำเข้าจาก Excel" not in page and "ส่งออก Excel" in page


def test_changelist_filters_carry_to_the_export_link(client, planner, crafted):
    client.force_login(staff(planner))
    page = client.get(
        reverse("admin:projects_project_changelist"), {"status__exact": "approved"}
    ).content.decode()
    assert f"{export_url('projects_project')}?status__exact=approved" in page


# ------------------------------------------------------------------ queries


def _more(crafted, count: int) -> None:
    """``count`` more approved projects, each with money and a round 1 report."""
    for number in range(count):
        project = ProjectFactory(
            plan=crafted.plan,
            group=crafted.first.group,
            status="approved",
            budget_source=crafted.source,
        )
        activity = ActivityFactory(project=project, order=1)
        CostLineFactory(activity=activity, category=crafted.services, amount=1000)
        QuarterPlanFactory(activity=activity, quarter=1, amount=1000)
        DisbursementFactory(
            activity=activity,
            paid_on=crafted.q1_start + datetime.timedelta(days=number + 1),
            amount=Decimal("100.00"),
        )
        ProgressReportFactory(project=project, round=crafted.round1)


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_exports_do_not_query_per_row(client, planner, crafted):
    client.force_login(staff(planner))
    before = {model: _queries(client, export_url(model)) for model in EXPORTS}
    _more(crafted, 6)
    after = {model: _queries(client, export_url(model)) for model in EXPORTS}
    assert after == before
