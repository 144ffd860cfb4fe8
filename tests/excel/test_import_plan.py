"""Importing the plan workbook: what users type is accepted, bad input is
refused with a Thai message per sheet/row/column, and nothing is half-saved."""

import datetime
from decimal import Decimal
from io import BytesIO

import pytest

from budgets.models import CostLine
from budgets.selectors import budget_summary
from budgets.tables import summary_tables
from excel import importer, layout, workbook
from excel.importer import match_group, plan_import
from plans.models import Plan
from projects.models import Activity, Project, ProjectKPI
from tests.excel.conftest import (
    FISCAL_YEAR,
    empty_book,
    exported,
    framework,
    set_cell,
    workbook_bytes,
)
from tests.factories import DisbursementFactory, OfficeGroupFactory, PlanFactory

pytestmark = pytest.mark.django_db

P, A, C, Q, K = (
    layout.PROJECTS.name,
    layout.ACTIVITIES.name,
    layout.COST_LINES.name,
    layout.QUARTERS.name,
    layout.KPIS.name,
)


def project_row(code="70-001", group="กลุ่มส่งเสริมการจัดการศึกษา", **values):
    row = {
        "code": code,
        "name": "โครงการทดสอบ",
        "group": group,
        "start_month": "ต.ค. 69",
        "end_month": "ก.ย. 2570",
    }
    row.update(values)
    return [row.get(c.key) for c in layout.PROJECTS.columns]


def row_of(sheet, **values):
    return [values.get(c.key) for c in sheet.columns]


def run(book, office, *, fiscal_year=2570, dry_run=False):
    return plan_import(
        source=workbook_bytes(book),
        organization=office,
        fiscal_year=fiscal_year,
        dry_run=dry_run,
    )


def messages(result):
    return [str(error) for error in result.errors]


@pytest.fixture
def plan_2570(office, group_a, reference):
    plan = PlanFactory(organization=office, fiscal_year=2570)
    framework(plan)
    return plan


def test_it_accepts_what_users_type(office, plan_2570, supervision):
    book = empty_book(
        **{
            P: [
                project_row(
                    group="กลุ่มนิเทศติดตามฯ",
                    start_month="ตุลาคม ๒๕๖๙",
                    end_month="9/2570",
                    strategies="๑, 3",
                    virement="✓",
                ),
                project_row("70-002", uses_budget="ไม่ใช้งบประมาณ"),
            ],
            A: [
                row_of(
                    layout.ACTIVITIES,
                    project="70-001",
                    activity="๑",
                    name="อบรม",
                    m01="✓",
                    m12="x",
                )
            ],
            C: [
                row_of(
                    layout.COST_LINES,
                    project="70-001",
                    activity=1,
                    category="services",
                    description="ค่าอาหาร",
                    times="1",
                    persons="๖๐",
                    days=2,
                    rate="25,0๐๐",
                ),
                row_of(
                    layout.COST_LINES,
                    project="70-001",
                    activity=1,
                    category="ค่าวัสดุ",
                    description="กระดาษ",
                    amount="1,234.5 บาท",
                ),
            ],
        }
    )
    result = run(book, office)
    assert result.ok, messages(result)
    project = Project.objects.get(plan=plan_2570, code="70-001")
    assert project.group == supervision
    assert project.start_month == datetime.date(2026, 10, 1)
    assert project.end_month == datetime.date(2027, 9, 1)
    assert project.uses_budget is True and project.virement_allowed is True
    assert Project.objects.get(code="70-002").uses_budget is False
    assert sorted(s.number for s in project.strategies.all()) == [1, 3]
    activity = project.activities.get()
    assert activity.months == ["2026-10-01", "2027-09-01"]
    lines = list(CostLine.objects.filter(activity=activity).order_by("order"))
    # 1 × 60 × 2 × 25,000 = 3,000,000
    assert lines[0].amount == Decimal("3000000.00")
    assert lines[0].category.code == "services"
    assert (lines[1].order, lines[1].amount) == (2, Decimal("1234.50"))
    assert lines[1].category.name == "ค่าวัสดุ"


def test_group_abbreviation_matches_by_prefix_ignoring_spaces(office, supervision):
    groups = [supervision, OfficeGroupFactory(organization=office, name="กลุ่มอำนวยการ")]
    assert match_group("กลุ่มนิเทศติดตามฯ", groups) == supervision
    assert match_group(" กลุ่มนิเทศ ติดตามและประเมินผลการจัดการศึกษา", groups) == supervision


def test_ambiguous_group_abbreviation_is_an_error(office, plan_2570, group_b):
    OfficeGroupFactory(organization=office, name="กลุ่มบริหารงานการเงินและสินทรัพย์")
    result = run(empty_book(**{P: [project_row(group="กลุ่มบริหารงานฯ")]}), office)
    assert messages(result) == [
        "ชีต 'โครงการ' แถว 2 คอลัมน์ 'กลุ่มที่รับผิดชอบ': ชื่อกลุ่ม “กลุ่มบริหารงานฯ” "
        "ตรงกับหลายกลุ่ม (กลุ่มบริหารงานบุคคล, กลุ่มบริหารงานการเงินและสินทรัพย์) "
        "กรุณาพิมพ์ให้ชัดเจน"
    ]
    assert not Project.objects.exists()


def test_text_in_a_money_cell_is_refused_with_sheet_row_and_column(office, plan_2570):
    book = empty_book(
        **{
            P: [project_row()],
            A: [row_of(layout.ACTIVITIES, project="70-001", activity=1, name="อบรม")],
            C: [None] * 0
            + [
                row_of(
                    layout.COST_LINES,
                    project="70-001",
                    activity=1,
                    category="ค่าวัสดุ",
                    description=f"รายการ {n}",
                    amount=100,
                )
                for n in range(10)
            ]
            + [
                row_of(
                    layout.COST_LINES,
                    project="70-001",
                    activity=1,
                    category="ค่าวัสดุ",
                    description="ปากกา",
                    rate="สองร้อย",
                    times=1,
                )
            ],
        }
    )
    result = run(book, office)
    assert messages(result) == [
        "ชีต 'รายการค่าใช้จ่าย' แถว 12 คอลัมน์ 'อัตรา (บาท)': “สองร้อย” ไม่ใช่จำนวนเงิน "
        "ให้พิมพ์เช่น 11,000 หรือ ๑๑,๐๐๐.- หรือ 11000.50 บาท"
    ]
    assert not Project.objects.exists() and not CostLine.objects.exists()


def test_negative_amount_is_refused(office, plan_2570):
    book = empty_book(
        **{
            P: [project_row()],
            A: [row_of(layout.ACTIVITIES, project="70-001", activity=1, name="อบรม")],
            Q: [row_of(layout.QUARTERS, project="70-001", activity=1, q1="-500")],
        }
    )
    result = run(book, office)
    assert messages(result) == [
        "ชีต 'แผนรายไตรมาส' แถว 2 คอลัมน์ 'ไตรมาส 1 (ต.ค.–ธ.ค.)': ต้องไม่ติดลบ"
    ]
    assert not Project.objects.exists()


def test_unknown_project_code_in_a_child_sheet_is_refused(office, plan_2570):
    book = empty_book(
        **{
            P: [project_row()],
            A: [row_of(layout.ACTIVITIES, project="70-999", activity=1, name="อบรม")],
        }
    )
    result = run(book, office)
    assert messages(result) == [
        "ชีต 'กิจกรรม' แถว 2 คอลัมน์ 'รหัสโครงการ': ไม่พบรหัสโครงการ “70-999” ในชีต 'โครงการ'"
    ]
    assert not Project.objects.exists()


def test_unknown_activity_in_cost_lines_is_refused(office, plan_2570):
    book = empty_book(
        **{
            P: [project_row()],
            C: [
                row_of(
                    layout.COST_LINES,
                    project="70-001",
                    activity=3,
                    category="ค่าวัสดุ",
                    description="ปากกา",
                    amount=10,
                )
            ],
        }
    )
    assert messages(run(book, office)) == [
        "ชีต 'รายการค่าใช้จ่าย' แถว 2 คอลัมน์ 'ลำดับกิจกรรม': "
        "ไม่พบกิจกรรมลำดับ 3 ของโครงการ 70-001 ในชีต 'กิจกรรม'"
    ]


def test_duplicate_rows_are_refused(office, plan_2570):
    book = empty_book(**{P: [project_row(), project_row(name="ซ้ำ")]})
    result = run(book, office)
    assert messages(result) == ["ชีต 'โครงการ' แถว 3: ข้อมูลซ้ำกับแถว 2 (รหัสโครงการ 70-001)"]
    assert not Project.objects.exists()


def test_empty_rows_are_skipped_silently(office, plan_2570):
    book = empty_book(**{P: [project_row(), [None] * 5, ["  "], project_row("70-002")]})
    result = run(book, office)
    assert result.ok, messages(result)
    assert result.count(P).created == 2


def test_missing_sheet_is_named(office, plan_2570):
    book = empty_book(**{P: [project_row()]})
    del book[layout.KPIS.name]
    result = run(book, office)
    assert messages(result) == ["ชีต 'ตัวชี้วัด': ไม่พบชีต 'ตัวชี้วัด' ในไฟล์ (ต้องมีทุกชีตตามแบบฟอร์ม)"]
    assert not Project.objects.exists()


def test_missing_and_unknown_columns_are_named(office, plan_2570):
    book = empty_book(**{P: [project_row()]})
    book[P].cell(1, 3).value = "ชื่อ"
    result = run(book, office)
    assert messages(result) == [
        "ชีต 'โครงการ': ไม่พบคอลัมน์ 'ชื่อโครงการ' ในแถวหัวตาราง (แถว 1)",
        "ชีต 'โครงการ' แถว 1 คอลัมน์ 'ชื่อ': ไม่รู้จักคอลัมน์ 'ชื่อ' กรุณาใช้หัวตารางตามแบบฟอร์ม",
    ]
    assert not Project.objects.exists()


def test_merged_cells_are_refused(office, plan_2570):
    book = empty_book(**{P: [project_row(), project_row("70-002")]})
    book[P].merge_cells("B2:B3")
    result = run(book, office)
    assert messages(result) == [
        "ชีต 'โครงการ': มีการผสานเซลล์ (merge) ที่ B2:B3 กรุณายกเลิกการผสานเซลล์แล้วนำเข้าใหม่"
    ]
    assert not Project.objects.exists()


def test_formulas_are_refused_asking_to_paste_values(office, plan_2570):
    book = empty_book(
        **{
            P: [project_row()],
            A: [row_of(layout.ACTIVITIES, project="70-001", activity=1, name="อบรม")],
            C: [
                row_of(
                    layout.COST_LINES,
                    project="70-001",
                    activity=1,
                    category="ค่าวัสดุ",
                    description="ปากกา",
                    amount="=10*20",
                )
            ],
        }
    )
    result = run(book, office)
    assert messages(result) == [
        "ชีต 'รายการค่าใช้จ่าย' แถว 2 คอลัมน์ 'จำนวนเงิน (บาท)': เป็นสูตร (=10*20) "
        "กรุณาคัดลอกแล้ววางแบบค่า (Paste Values) ก่อนนำเข้า"
    ]
    assert not Project.objects.exists()


def test_a_file_over_20_mb_is_refused_before_parsing(office, plan_2570):
    big = BytesIO(workbook.ZIP_MAGIC + b"\0" * (20 * 1024 * 1024 + 1))
    result = plan_import(source=big, organization=office, fiscal_year=2570)
    assert messages(result) == [workbook.ERROR_TOO_LARGE]
    assert not Project.objects.exists()


@pytest.mark.parametrize(
    "content",
    [b"name,code\n1,2\n", b"PK\x03\x04 not really a zip", b"\xd0\xcf\x11\xe0"],
)
def test_a_file_that_is_not_xlsx_is_refused(office, plan_2570, content):
    result = plan_import(source=BytesIO(content), organization=office, fiscal_year=2570)
    assert messages(result) == [workbook.ERROR_NOT_XLSX]


def test_an_approved_plan_refuses_the_whole_import(office, plan_2570):
    plan_2570.status = Plan.Status.APPROVED
    plan_2570.save()
    result = run(empty_book(**{P: [project_row()]}), office)
    assert messages(result) == [importer.ERROR_PLAN_APPROVED.format(year=2570)]
    assert not Project.objects.exists()


def test_an_error_in_the_last_sheet_leaves_earlier_sheets_unsaved(office, plan_2570):
    book = empty_book(
        **{
            P: [project_row()],
            A: [row_of(layout.ACTIVITIES, project="70-001", activity=1, name="อบรม")],
            C: [
                row_of(
                    layout.COST_LINES,
                    project="70-001",
                    activity=1,
                    category="ค่าวัสดุ",
                    description="ปากกา",
                    amount=10,
                )
            ],
            K: [
                row_of(
                    layout.KPIS,
                    project="70-001",
                    order=1,
                    name="ร้อยละครู",
                    unit="ร้อยละ",
                    target_value=150,
                )
            ],
        }
    )
    result = run(book, office)
    assert messages(result) == [
        "ชีต 'ตัวชี้วัด' แถว 2 คอลัมน์ 'ค่าเป้าหมาย': ค่าเป้าหมายที่เป็นร้อยละต้องอยู่ระหว่าง 0 ถึง 100"
    ]
    assert not Project.objects.exists()
    assert not Activity.objects.exists() and not CostLine.objects.exists()
    assert not ProjectKPI.objects.exists()


def test_every_error_of_every_sheet_is_listed(office, plan_2570):
    book = empty_book(
        **{
            P: [project_row(start_month="เดือนหน้า", strategies="9")],
            C: [
                row_of(
                    layout.COST_LINES,
                    project="70-001",
                    activity="หนึ่ง",
                    category="ค่าวัสดุ",
                    description="ปากกา",
                    amount=10,
                )
            ],
        }
    )
    assert messages(run(book, office)) == [
        "ชีต 'โครงการ' แถว 2 คอลัมน์ 'เดือนเริ่มต้น': " + "ไม่ใช่เดือนที่ถูกต้อง "
        "ให้พิมพ์เช่น ต.ค. 2569, ตุลาคม 2569 หรือ 10/2569",
        "ชีต 'รายการค่าใช้จ่าย' แถว 2 คอลัมน์ 'ลำดับกิจกรรม': “หนึ่ง” ไม่ใช่ตัวเลข "
        "ให้พิมพ์เป็นจำนวนเต็ม เช่น 3 หรือ ๓",
    ]


def test_preview_counts_creates_updates_and_deletes_without_saving(
    full_plan, office, planner
):
    book = exported(full_plan)
    set_cell(book, layout.PROJECTS, 2, "name", "ชื่อใหม่")
    book[P].append(
        project_row("69-003", start_month="ต.ค. 2568", end_month="ก.ย. 2569")
    )
    book[C].delete_rows(3)  # the second cost line of 69-001
    result = plan_import(
        source=workbook_bytes(book),
        organization=office,
        fiscal_year=FISCAL_YEAR,
        dry_run=True,
    )
    assert result.ok, messages(result)
    projects = result.count(P)
    assert (projects.created, projects.updated, projects.unchanged) == (1, 1, 1)
    lines = result.count(C)
    assert (lines.created, lines.updated, lines.unchanged, lines.deleted) == (
        0,
        0,
        1,
        1,
    )
    assert not result.written
    assert Project.objects.filter(plan=full_plan).count() == 2
    assert CostLine.objects.count() == 2
    # and for real
    result = plan_import(
        source=workbook_bytes(book), organization=office, fiscal_year=FISCAL_YEAR
    )
    assert result.written
    assert Project.objects.get(code="69-001").name == "ชื่อใหม่"
    assert Project.objects.filter(plan=full_plan).count() == 3
    assert CostLine.objects.count() == 1


def test_removing_an_activity_with_disbursements_is_refused(full_plan, office):
    activity = Activity.objects.get(project__code="69-002")
    DisbursementFactory(activity=activity, amount=100)
    book = exported(full_plan)
    rows = [
        r for r in range(2, book[A].max_row + 1) if book[A].cell(r, 1).value == "69-002"
    ]
    book[A].delete_rows(rows[0])
    result = plan_import(
        source=workbook_bytes(book), organization=office, fiscal_year=FISCAL_YEAR
    )
    assert messages(result) == [
        "ชีต 'กิจกรรม': "
        + importer.ERROR_ACTIVITY_HAS_MONEY.format(number=1, code="69-002")
    ]
    assert Activity.objects.filter(pk=activity.pk).exists()


def test_importing_creates_the_plan_when_the_year_has_none(office, group_a, reference):
    result = run(empty_book(**{P: [project_row()]}), office, fiscal_year=2571)
    assert result.ok, messages(result)
    plan = Plan.objects.get(organization=office, fiscal_year=2571)
    assert plan.projects.get().code == "70-001"


def test_changed_lines_keep_their_disbursements(full_plan, office):
    paid = CostLine.objects.get(description="ค่าอาหาร")
    DisbursementFactory(activity=paid.activity, cost_line=paid, amount=100)
    book = exported(full_plan)
    set_cell(book, layout.COST_LINES, 2, "rate", 130)  # ค่าอาหาร, paid
    set_cell(book, layout.COST_LINES, 2, "amount", None)  # computed again
    set_cell(book, layout.COST_LINES, 3, "amount", 6000)  # ค่าวัสดุ, not paid
    result = plan_import(
        source=workbook_bytes(book), organization=office, fiscal_year=FISCAL_YEAR
    )
    assert result.ok, messages(result)
    assert result.count(C).updated == 2
    paid.refresh_from_db()
    # 1 × 60 × 2 × 130 = 15,600, same row (pk) so its disbursement stays
    assert (paid.rate, paid.amount) == (Decimal("130.00"), Decimal("15600.00"))
    assert paid.disbursements.count() == 1
    assert CostLine.objects.get(description="ค่าวัสดุ").amount == Decimal("6000.00")


def test_cost_lines_follow_the_budget_rules(full_plan, office):
    book = exported(full_plan)
    set_cell(book, layout.COST_LINES, 2, "rate", 130)  # amount 14,460 left as is
    book[P].cell(
        2,
        [c.key for c in layout.PROJECTS.columns].index("uses_budget") + 1,
        "ไม่ใช้งบประมาณ",
    )
    result = plan_import(
        source=workbook_bytes(book), organization=office, fiscal_year=FISCAL_YEAR
    )
    assert messages(result) == [
        "ชีต 'รายการค่าใช้จ่าย' แถว 2 คอลัมน์ 'จำนวนเงิน (บาท)': จำนวนเงิน 14,460.00 บาท "
        "ไม่ตรงกับสูตรคำนวณ (1 ครั้ง ๆ ละ 60 คน คนละ 2 มื้อ ๆ ละ 130 บาท = 15,600.00 บาท)",
        "ชีต 'รายการค่าใช้จ่าย' แถว 3 คอลัมน์ 'รหัสโครงการ': "
        + importer.ERROR_PROJECT_WITHOUT_BUDGET,
    ]


def test_a_cost_line_without_a_category_imports_and_is_listed_as_unclassified(
    office, plan_2570
):
    """A source that leaves part of a budget unclassified: the blank cell
    stays blank (no guessed category) and the summary lists the line under
    "ไม่ระบุหมวด", every table still adding up to the lines' hand sum."""
    book = empty_book(
        **{
            P: [project_row()],
            A: [row_of(layout.ACTIVITIES, project="70-001", activity=1, name="อบรม")],
            C: [
                row_of(
                    layout.COST_LINES,
                    project="70-001",
                    activity=1,
                    category="ค่าวัสดุ",
                    description="กระดาษ",
                    amount="5,000",
                ),
                row_of(
                    layout.COST_LINES,
                    project="70-001",
                    activity=1,
                    description="ไม่ระบุหมวดตามแหล่งข้อมูล",
                    amount="145,000",
                ),
            ],
        }
    )
    result = run(book, office)
    assert result.ok, messages(result)
    line = CostLine.objects.get(description="ไม่ระบุหมวดตามแหล่งข้อมูล")
    assert line.category is None and line.amount == Decimal("145000.00")

    tables = summary_tables(budget_summary(organization=office, fiscal_year=2570))
    rows = {row["name"]: row["project_budget"] for row in tables["categories"].rows}
    assert rows == {"ค่าวัสดุ": Decimal("5000.00"), "ไม่ระบุหมวด": Decimal("145000.00")}
    for key in ("categories", "category_groups"):
        assert tables[key].total_row["project_budget"] == Decimal("150000.00")
    assert ("ไม่ระบุหมวด", Decimal("145000.00")) in [
        (row["name"], row["project_budget"]) for row in tables["category_groups"].rows
    ]

    # Exported again, the cell is blank, and importing that changes nothing.
    again = exported(plan_2570)
    assert run(again, office).ok
    assert CostLine.objects.get(pk=line.pk).category is None


def test_the_virement_wording_is_read_blank_is_the_default(office, plan_2570):
    book = empty_book(
        **{
            P: [
                project_row(virement="✓", virement_wording="ถัวเฉลี่ยทุกรายการ"),
                project_row("70-002", virement="✓"),
            ]
        }
    )
    result = run(book, office)
    assert result.ok, messages(result)
    wordings = dict(
        Project.objects.filter(plan=plan_2570).values_list("code", "virement_wording")
    )
    assert wordings == {"70-001": "ถัวเฉลี่ยทุกรายการ", "70-002": "ถัวจ่ายทุกรายการ"}


def test_an_unknown_virement_wording_is_refused_in_thai(office, plan_2570):
    book = empty_book(**{P: [project_row(virement_wording="จ่ายได้ตามใจ")]})
    result = run(book, office)
    assert not result.ok
    [message] = messages(result)
    assert "ข้อความการถัวจ่าย" in message and "ถัวเฉลี่ยทุกรายการ" in message
    assert not Project.objects.filter(plan=plan_2570).exists()
