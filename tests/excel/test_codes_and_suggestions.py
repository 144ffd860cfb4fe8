"""Project codes are text and misspelt names get a "did you mean" (issue 15
item 4), through the real upload → preview → confirm path: a code that Excel
turned into a number is refused with the cell's text and the fix, a misspelt
category, group, source, indicator or project code names the closest ones,
and nothing at all is saved while one row is refused."""

from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from budgets.models import CostLine, Disbursement
from excel import layout
from excel.disbursements import disbursement_import
from excel.uploads import SESSION_KEY
from projects.models import Activity, Project
from tests.excel.conftest import (
    FISCAL_YEAR,
    empty_book,
    framework,
    workbook_bytes,
)
from tests.factories import ActivityFactory, PlanFactory, ProjectFactory

pytestmark = pytest.mark.django_db

P, A, C = layout.PROJECTS.name, layout.ACTIVITIES.name, layout.COST_LINES.name
GROUP = "กลุ่มส่งเสริมการจัดการศึกษา"
EXCEL_FIX = "ให้จัดรูปแบบคอลัมน์นี้เป็นข้อความ (Text) หรือพิมพ์ ' นำหน้ารหัส เช่น '2.10 แล้วนำเข้าใหม่"


def project_row(code, **values):
    row = {
        "code": code,
        "name": f"โครงการ {code}",
        "group": GROUP,
        "start_month": "ต.ค. 68",
        "end_month": "ก.ย. 2569",
    }
    row.update(values)
    return [row.get(c.key) for c in layout.PROJECTS.columns]


def row_of(sheet, **values):
    return [values.get(c.key) for c in sheet.columns]


@pytest.fixture
def plan(office, group_a, reference):
    plan = PlanFactory(organization=office, fiscal_year=FISCAL_YEAR)
    framework(plan)
    return plan


def upload(client, user, book):
    """Upload, preview and confirm as a planner: (preview errors, confirm page)."""
    client.force_login(user)
    data = workbook_bytes(book)
    data.name = "แผน.xlsx"
    response = client.post(
        reverse("excel:import_plan"), {"fiscal_year": FISCAL_YEAR, "file": data}
    )
    assert response.status_code == 302
    preview = client.get(response["Location"])
    errors = [str(issue) for issue in preview.context["result"].errors]
    confirm = client.post(response["Location"], follow=True)
    return errors, confirm


def _nothing_saved():
    assert not Project.objects.exists()
    assert not Activity.objects.exists()
    assert not CostLine.objects.exists()


def test_a_code_excel_turned_into_a_number_is_refused_with_the_fix(
    client, planner, plan
):
    # "2.1" typed as text, and "2.10" that Excel stored as the number 2.1.
    book = empty_book(**{P: [project_row("2.1"), project_row(2.1)]})
    errors, confirm = upload(client, planner, book)
    assert errors == [
        "ชีต 'โครงการ' แถว 3 คอลัมน์ 'รหัสโครงการ': รหัส “2.1” ถูกเก็บเป็นตัวเลข "
        "ไม่ใช่ข้อความ Excel อาจเปลี่ยนรหัสไปแล้ว (เช่น 2.10 กลายเป็น 2.1) " + EXCEL_FIX
    ]  # and no "duplicate of row 2" that sends the user to the wrong row
    assert confirm.status_code == 200
    _nothing_saved()


def test_rows_naming_a_refused_code_point_to_that_row(client, planner, plan):
    book = empty_book(
        **{
            P: [project_row(2.1)],
            A: [row_of(layout.ACTIVITIES, project="2.10", activity=1, name="อบรม")],
        }
    )
    errors, _ = upload(client, planner, book)
    assert errors[1:] == [
        "ชีต 'กิจกรรม' แถว 2 คอลัมน์ 'รหัสโครงการ': ไม่พบรหัสโครงการ “2.10” ในชีต 'โครงการ' "
        "(รหัสโครงการบางแถวในชีต 'โครงการ' อ่านไม่ได้ ให้แก้แถวเหล่านั้นก่อน)"
    ]
    assert errors[0].startswith("ชีต 'โครงการ' แถว 2 คอลัมน์ 'รหัสโครงการ': รหัส “2.1”")
    _nothing_saved()


def test_float_noise_in_a_child_sheet_shows_the_cell_as_stored(client, planner, plan):
    book = empty_book(
        **{
            P: [project_row("2.10")],
            A: [row_of(layout.ACTIVITIES, project=2.0999999999, activity=1, name="ก")],
        }
    )
    errors, _ = upload(client, planner, book)
    assert errors == [
        "ชีต 'กิจกรรม' แถว 2 คอลัมน์ 'รหัสโครงการ': รหัส “2.0999999999” ถูกเก็บเป็นตัวเลข "
        "ไม่ใช่ข้อความ Excel อาจเปลี่ยนรหัสไปแล้ว (เช่น 2.10 กลายเป็น 2.1) " + EXCEL_FIX
    ]
    _nothing_saved()


def test_a_whole_number_code_is_read_as_text(client, planner, plan):
    book = empty_book(
        **{
            P: [project_row(70)],
            A: [row_of(layout.ACTIVITIES, project="70", activity=1, name="อบรม")],
        }
    )
    errors, _ = upload(client, planner, book)
    assert errors == []
    assert Activity.objects.get().project.code == "70"


def test_the_template_keeps_codes_typed_as_text(client, planner, plan):
    client.force_login(planner)
    response = client.get(reverse("excel:template"), {"fiscal_year": FISCAL_YEAR})
    assert response.status_code == 200
    book = load_workbook(BytesIO(response.content))
    for sheet in layout.DATA_SHEETS:
        keys = [c.key for c in sheet.columns]
        key = "code" if sheet is layout.PROJECTS else "project"
        letter = chr(ord("A") + keys.index(key))
        assert book[sheet.name].column_dimensions[letter].number_format == "@", sheet


def test_misspelt_names_get_the_closest_ones(client, planner, plan, supervision):
    book = empty_book(
        **{
            P: [
                project_row(
                    "70-001",
                    group="กลุ่มส่งเสริมการจัดการศึกษ",
                    budget_source="งบประมาณจาก สพฐ",
                    strategies="1,7",
                    indicators="1.10",
                ),
            ],
            A: [
                row_of(layout.ACTIVITIES, project="70-001", activity=1, name="อบรม"),
                row_of(layout.ACTIVITIES, project="70-01", activity=2, name="ประชุม"),
            ],
            C: [
                row_of(
                    layout.COST_LINES,
                    project="70-001",
                    activity=1,
                    category="ค่าใช้สอบ",
                    description="ค่าอาหาร",
                    amount="๑๑,๐๐๐.-",
                )
            ],
        }
    )
    errors, confirm = upload(client, planner, book)
    year = FISCAL_YEAR
    assert errors == [
        "ชีต 'โครงการ' แถว 2 คอลัมน์ 'กลุ่มที่รับผิดชอบ': ไม่พบกลุ่ม “กลุ่มส่งเสริมการจัดการศึกษ” "
        "ในสำนักงานนี้ (ดูชีต 'รหัสอ้างอิง') หมายถึง “กลุ่มส่งเสริมการจัดการศึกษา” หรือไม่",
        "ชีต 'โครงการ' แถว 2 คอลัมน์ 'แหล่งงบประมาณ': ไม่พบแหล่งงบประมาณ “งบประมาณจาก สพฐ” "
        "(ดูชีต 'รหัสอ้างอิง') หมายถึง “งบประมาณจาก สพฐ.” หรือไม่",
        f"ชีต 'โครงการ' แถว 2 คอลัมน์ 'กลยุทธ์ที่': ไม่มีกลยุทธ์ที่ 7 ในแผนปีงบประมาณ {year} "
        "(มีที่ 1, 2, 3)",
        f"ชีต 'โครงการ' แถว 2 คอลัมน์ 'ตัวชี้วัดกลยุทธ์': ไม่มีตัวชี้วัดกลยุทธ์ 1.10 "
        f"ในแผนปีงบประมาณ {year} หมายถึง “1.1” หรือไม่",
        "ชีต 'กิจกรรม' แถว 3 คอลัมน์ 'รหัสโครงการ': ไม่พบรหัสโครงการ “70-01” ในชีต 'โครงการ' "
        "หมายถึง “70-001” หรือไม่",
        "ชีต 'รายการค่าใช้จ่าย' แถว 2 คอลัมน์ 'หมวดรายจ่าย': ไม่พบหมวดรายจ่าย “ค่าใช้สอบ” "
        "(ใช้ชื่อหรือรหัสตามชีต 'รหัสอ้างอิง') หมายถึง “ค่าใช้สอย” หรือไม่",
    ]
    assert "ยืนยันการนำเข้า" not in confirm.content.decode()
    _nothing_saved()
    assert client.session[SESSION_KEY] is not None


def test_once_fixed_the_same_file_imports_with_office_style_money(
    client, planner, plan
):
    book = empty_book(
        **{
            P: [project_row("2.10"), project_row("2.1")],
            A: [row_of(layout.ACTIVITIES, project="2.10", activity=1, name="อบรม")],
            C: [
                row_of(
                    layout.COST_LINES,
                    project="2.10",
                    activity=1,
                    category="ค่าใช้สอย",
                    description="ค่าอาหาร",
                    amount="๑๑,๐๐๐.- บาท",
                )
            ],
        }
    )
    errors, _ = upload(client, planner, book)
    assert errors == []
    assert sorted(Project.objects.values_list("code", flat=True)) == ["2.1", "2.10"]
    assert str(CostLine.objects.get().amount) == "11000.00"


def test_a_misspelt_code_in_the_finance_sheet_names_the_plans_code(
    plan, planner, group_a, reference
):
    project = ProjectFactory(plan=plan, group=group_a, code="69-001", status="approved")
    activity = ActivityFactory(project=project, order=1)
    CostLine.objects.create(
        activity=activity,
        category=reference.services,
        description="ค่าอาหาร",
        amount=Decimal("20000"),
    )
    book = Workbook()
    book.active.append(layout.DISBURSEMENTS.headers)
    book.active.append(["15/11/2568", "ขบ 1/2569", "69-01", None, "๑๑,๐๐๐.-"])
    book.active.append(["16/11/2568", "ขบ 2/2569", "69-001", None, "5,000"])
    result = disbursement_import(
        source=workbook_bytes(book),
        organization=plan.organization,
        fiscal_year=FISCAL_YEAR,
        user=planner,
    )
    assert [str(e) for e in result.errors] == [
        "ชีต 'Sheet' แถว 2 คอลัมน์ 'รหัสโครงการ': ไม่พบรหัสโครงการ “69-01” "
        f"ในแผนปีงบประมาณ {FISCAL_YEAR} หมายถึง “69-001” หรือไม่"
    ]
    assert not Disbursement.objects.exists()
