"""The finance sheet import and the two management commands."""

from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook

from budgets.models import Disbursement
from core import xlsx
from excel import disbursements, export, layout
from excel.disbursements import disbursement_import
from projects.models import Activity, Project
from tests.excel.conftest import FISCAL_YEAR, exported, set_cell, workbook_bytes

pytestmark = pytest.mark.django_db


def finance_book(*rows) -> Workbook:
    book = Workbook()
    sheet = book.active
    sheet.title = "เบิกจ่าย ต.ค.-ธ.ค."
    sheet.append(layout.DISBURSEMENTS.headers)
    for row in rows:
        sheet.append(row)
    return book


def test_it_records_every_row_against_the_first_or_given_activity(paid_plan, planner):
    book = finance_book(
        ["15/11/2568", "ขบ 1/2569", "69-001", None, "5,0๐๐"],
        ["๒ ธ.ค. ๒๕๖๘", "ขบ 2/2569", "69-001", 1, 1234.5, "ค่าอาหาร"],
    )
    result = disbursement_import(
        source=workbook_bytes(book),
        organization=paid_plan.organization,
        fiscal_year=FISCAL_YEAR,
        user=planner,
    )
    assert result.ok, [str(e) for e in result.errors]
    first = Activity.objects.get(project__code="69-001", order=1)
    rows = list(Disbursement.objects.order_by("paid_on"))
    assert [(d.activity, d.amount, d.document_number) for d in rows] == [
        (first, Decimal("5000.00"), "ขบ 1/2569"),
        (first, Decimal("1234.50"), "ขบ 2/2569"),
    ]
    assert rows[0].paid_on.isoformat() == "2025-11-15"
    assert rows[0].recorded_by == planner


def test_any_bad_row_saves_nothing_and_lists_every_error(paid_plan, planner):
    book = finance_book(
        ["15/11/2568", "ขบ 1/2569", "69-001", None, 100],
        ["16/11/2568", "ขบ 2/2569", "99-999", None, 100],
        ["17/11/2568", "ขบ 3/2569", "69-001", None, -50],
        ["18/11/2568", "ขบ 4/2569", "69-002", None, 100],
        ["1/1/2570", "ขบ 5/2569", "69-001", None, 100],
    )
    result = disbursement_import(
        source=workbook_bytes(book),
        organization=paid_plan.organization,
        fiscal_year=FISCAL_YEAR,
        user=planner,
    )
    # The messages name the user's own sheet, and the date as it was read.
    assert [str(e) for e in result.errors] == [
        "ชีต 'เบิกจ่าย ต.ค.-ธ.ค.' แถว 3 คอลัมน์ 'รหัสโครงการ': "
        "ไม่พบรหัสโครงการ “99-999” ในแผนปีงบประมาณ 2569",
        "ชีต 'เบิกจ่าย ต.ค.-ธ.ค.' แถว 4 คอลัมน์ 'จำนวนเงิน': ต้องไม่ติดลบ",
        "ชีต 'เบิกจ่าย ต.ค.-ธ.ค.' แถว 5 คอลัมน์ 'จำนวนเงิน': "
        "โครงการนี้ “ไม่ใช้งบประมาณ” จึงบันทึกการเบิกจ่ายไม่ได้",
        "ชีต 'เบิกจ่าย ต.ค.-ธ.ค.' แถว 6 คอลัมน์ 'วันที่': วันที่ไม่อยู่ในปีงบประมาณ 2569",
    ]
    assert not Disbursement.objects.exists()


def test_a_document_already_recorded_is_refused(paid_plan, planner):
    book = finance_book(["15/11/2568", "ขบ 1/2569", "69-001", None, 100])
    kwargs = {
        "organization": paid_plan.organization,
        "fiscal_year": FISCAL_YEAR,
        "user": planner,
    }
    assert disbursement_import(source=workbook_bytes(book), **kwargs).ok
    result = disbursement_import(source=workbook_bytes(book), **kwargs)
    assert [str(e) for e in result.errors] == [
        "ชีต 'เบิกจ่าย ต.ค.-ธ.ค.' แถว 2 คอลัมน์ 'เลขที่เอกสาร': "
        + disbursements.ERROR_ALREADY_RECORDED.format(number="ขบ 1/2569", code="69-001")
    ]
    assert Disbursement.objects.count() == 1


def test_disbursement_pages_for_finance_not_for_viewers(
    client, office, paid_plan, viewer
):
    from core.roles import Role
    from tests.factories import make_staff

    finance = make_staff(office, roles=[Role.FINANCE]).user
    data = workbook_bytes(finance_book(["15/11/2568", "ขบ 9", "69-001", 1, 300]))
    data.name = "เบิกจ่าย.xlsx"
    client.force_login(viewer)
    assert client.get(reverse("excel:import_disbursements")).status_code == 403
    client.force_login(finance)
    response = client.post(
        reverse("excel:import_disbursements"),
        {"fiscal_year": FISCAL_YEAR, "file": data},
    )
    preview = client.get(response["Location"])
    assert preview.context["result"].counts[0].created == 1
    assert not Disbursement.objects.exists()
    client.post(response["Location"], follow=True)
    assert Disbursement.objects.get().amount == Decimal("300.00")


# ---------------------------------------------------------------- commands


@pytest.fixture
def plan_file(tmp_path, full_plan):
    path = tmp_path / "plan.xlsx"
    book = exported(full_plan)
    set_cell(book, layout.PROJECTS, 2, "name", "แก้จากคำสั่ง")
    book.save(path)
    return path


def test_import_plan_dry_run_prints_counts_and_changes_nothing(
    plan_file, office, capsys
):
    call_command(
        "import_plan",
        str(plan_file),
        "--fiscal-year",
        str(FISCAL_YEAR),
        "--organization",
        office.short_name,
        "--dry-run",
    )
    out = capsys.readouterr().out
    assert "โครงการ: สร้างใหม่ 0 แก้ไข 1 ไม่เปลี่ยนแปลง 1 ลบ 0" in out
    assert "--dry-run" in out
    assert Project.objects.get(code="69-001").name != "แก้จากคำสั่ง"


def test_import_plan_writes(plan_file, office, capsys):
    call_command("import_plan", str(plan_file), "--fiscal-year", str(FISCAL_YEAR))
    assert "นำเข้าเรียบร้อย" in capsys.readouterr().out
    assert Project.objects.get(code="69-001").name == "แก้จากคำสั่ง"


def test_import_plan_prints_thai_errors_and_fails(tmp_path, full_plan, office, capsys):
    book = exported(full_plan)
    set_cell(book, layout.COST_LINES, 2, "amount", "-1")
    path = tmp_path / "bad.xlsx"
    book.save(path)
    with pytest.raises(CommandError, match="พบข้อผิดพลาด 1 รายการ"):
        call_command("import_plan", str(path), "--fiscal-year", str(FISCAL_YEAR))
    assert (
        "ชีต 'รายการค่าใช้จ่าย' แถว 2 คอลัมน์ 'จำนวนเงิน (บาท)': ต้องไม่ติดลบ"
        in capsys.readouterr().err
    )


def test_import_plan_names_a_missing_file(office):
    with pytest.raises(CommandError):
        call_command("import_plan", "/nonexistent.xlsx", "--fiscal-year", "2570")


def test_import_disbursements_command(tmp_path, paid_plan, office, capsys):
    path = tmp_path / "finance.xlsx"
    finance_book(["15/11/2568", "ขบ 1", "69-001", None, 100]).save(path)
    call_command(
        "import_disbursements",
        str(path),
        "--fiscal-year",
        str(FISCAL_YEAR),
        "--dry-run",
    )
    assert not Disbursement.objects.exists()
    call_command("import_disbursements", str(path), "--fiscal-year", str(FISCAL_YEAR))
    assert Disbursement.objects.get().amount == Decimal("100.00")


def test_export_module_is_used_by_the_command_file(full_plan):
    # the exported bytes are a valid zip (what the importer's magic check wants)
    assert xlsx.to_bytes(export.plan_workbook(full_plan))[:4] == b"PK\x03\x04"


def test_payments_past_the_period_plan_carry_the_screens_warning(
    client, office, paid_plan
):
    """69-001 plans 14,460.00 in Q1 and 5,000.25 in Q2. Paid 10,000 then
    5,000 in Q1: the second row takes Q1 to 15,000.00, 540.00 past the plan,
    and gets the disbursement screen's warning; 1,000 in January (Q2: 16,000
    against 19,460.25) gets none. The preview and the result page both say it;
    the payments are recorded all the same."""
    from budgets.services import WARNING_DISBURSE_OVER_PERIOD_PLAN
    from core.roles import Role
    from tests.factories import make_staff

    finance = make_staff(office, roles=[Role.FINANCE]).user
    data = workbook_bytes(
        finance_book(
            ["15/11/2568", "ขบ 1", "69-001", 1, 10000],
            ["2/12/2568", "ขบ 2", "69-001", 1, 5000],
            ["15/1/2569", "ขบ 3", "69-001", 1, 1000],
        )
    )
    data.name = "เบิกจ่าย.xlsx"
    client.force_login(finance)
    response = client.post(
        reverse("excel:import_disbursements"),
        {"fiscal_year": FISCAL_YEAR, "file": data},
    )
    expected = "แถวที่ 3: " + WARNING_DISBURSE_OVER_PERIOD_PLAN.format(
        project="69-001",
        quarter=1,
        paid="15,000.00",
        planned="14,460.00",
        over="540.00",
    )

    preview = client.get(response["Location"])
    assert preview.context["result"].notices == [expected]
    assert expected in preview.content.decode()
    assert not Disbursement.objects.exists()

    result = client.post(response["Location"], follow=True)

    content = result.content.decode()
    assert result.context["result"].written
    assert 'data-testid="notices"' in content
    assert expected in content
    assert "เบิกจ่ายเกินแผนการใช้จ่ายรายไตรมาส 1 รายการ" in content
    assert Disbursement.objects.count() == 3


def test_a_file_within_the_period_plan_has_no_notice(paid_plan, planner):
    book = finance_book(["15/11/2568", "ขบ 1/2569", "69-001", None, 100])
    result = disbursement_import(
        source=workbook_bytes(book),
        organization=paid_plan.organization,
        fiscal_year=FISCAL_YEAR,
        user=planner,
    )
    assert result.written
    assert result.notices == []
