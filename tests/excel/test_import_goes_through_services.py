"""The import writes like the admin: the envelope rule of ``budgets.services``
refuses what the admin refuses (same message, on the file's row, nothing
saved), and every row it writes has its history row with the importing user
and, when the model is versioned, a bumped ``edit_version``."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from budgets import services as budget_services
from budgets.models import CostLine
from excel import layout
from excel.importer import ERROR_OVERRIDE_NEEDED, plan_import
from projects.models import Activity, Objective, Project
from tests.excel.conftest import FISCAL_YEAR, exported, set_cell, workbook_bytes
from tests.factories import AllocationFactory

pytestmark = pytest.mark.django_db


def _import(book, office, user=None):
    return plan_import(
        source=workbook_bytes(book),
        organization=office,
        fiscal_year=FISCAL_YEAR,
        user=user,
    )


def test_a_cost_line_beyond_the_envelope_is_refused_with_the_admins_message(
    full_plan, office, reference
):
    AllocationFactory(
        organization=office,
        fiscal_year=FISCAL_YEAR,
        source=reference.obec,
        amount=Decimal("20000"),
    )
    book = exported(full_plan)
    # Row 3 of 'รายการค่าใช้จ่าย' is ค่าวัสดุ (5,000.25) of project 69-001 (obec).
    set_cell(book, layout.COST_LINES, 3, "amount", 500000)
    set_cell(book, layout.PROJECTS, 2, "name", "ชื่อใหม่ที่ต้องไม่ถูกบันทึก")

    result = _import(book, office)

    # What the admin says about the same change of the same line.
    line = CostLine.objects.get(description="ค่าวัสดุ")
    line.amount = Decimal("500000")
    with pytest.raises(ValidationError) as admin_refusal:
        budget_services.cost_line_validate(line)
    # A warning in the preview; without the planner's override, a refusal.
    assert [str(error) for error in result.errors] == [
        "ชีต 'รายการค่าใช้จ่าย' แถว 3 คอลัมน์ 'จำนวนเงิน (บาท)' (ในไฟล์ 500,000.00): "
        + admin_refusal.value.messages[0],
        ERROR_OVERRIDE_NEEDED,
    ]
    assert "514,460.00" in admin_refusal.value.messages[0]
    assert not result.written
    assert CostLine.objects.get(description="ค่าวัสดุ").amount == Decimal("5000.25")
    assert Project.objects.get(code="69-001").name == "โครงการพัฒนาการอ่านออกเขียนได้"


def test_within_the_envelope_the_same_file_is_written(full_plan, office, reference):
    AllocationFactory(
        organization=office,
        fiscal_year=FISCAL_YEAR,
        source=reference.obec,
        amount=Decimal("520000"),
    )
    book = exported(full_plan)
    set_cell(book, layout.COST_LINES, 3, "amount", 500000)

    result = _import(book, office)

    assert result.ok and result.written, [str(e) for e in result.errors]
    assert CostLine.objects.get(description="ค่าวัสดุ").amount == Decimal("500000")


def test_a_renamed_activity_has_a_history_row_and_a_new_version(
    full_plan, office, planner
):
    activity = Activity.objects.get(project__code="69-001", order=1)
    version = activity.edit_version
    rows_before = activity.history.count()
    line = CostLine.objects.get(description="ค่าวัสดุ")
    book = exported(full_plan)
    set_cell(book, layout.ACTIVITIES, 2, "name", "อบรมครูภาษาไทย")
    set_cell(book, layout.COST_LINES, 3, "amount", 6000)

    result = _import(book, office, user=planner)

    assert result.ok and result.written, [str(e) for e in result.errors]
    activity.refresh_from_db()
    assert activity.name == "อบรมครูภาษาไทย"
    assert activity.edit_version == version + 1
    assert activity.history.count() == rows_before + 1
    latest = activity.history.first()
    assert (latest.history_type, latest.history_user, latest.name) == (
        "~",
        planner,
        "อบรมครูภาษาไทย",
    )
    assert latest.history_change_reason == "นำเข้าจากไฟล์ Excel"
    # A changed cost line keeps its row, gets a new version and its history.
    changed = CostLine.objects.get(pk=line.pk)
    assert changed.amount == Decimal("6000")
    assert changed.edit_version == line.edit_version + 1
    assert changed.history.first().history_user == planner


def test_created_and_deleted_rows_have_history_with_the_user(
    full_plan, office, planner
):
    gone = Objective.objects.get(project__code="69-001", order=2)
    book = exported(full_plan)
    sheet = book[layout.OBJECTIVES.name]
    sheet.delete_rows(3)  # the second objective of 69-001

    result = _import(book, office, user=planner)

    assert result.ok and result.written, [str(e) for e in result.errors]
    assert not Objective.objects.filter(pk=gone.pk).exists()
    deleted = Objective.history.filter(id=gone.pk).first()
    assert (deleted.history_type, deleted.history_user) == ("-", planner)


def test_a_new_project_has_its_creation_in_history(full_plan, office, planner):
    book = exported(full_plan)
    values = [c.value for c in book[layout.PROJECTS.name][2]]
    code = [c.key for c in layout.PROJECTS.columns].index("code")
    values[code] = "69-003"
    book[layout.PROJECTS.name].append(values)

    result = _import(book, office, user=planner)

    assert result.ok and result.written, [str(e) for e in result.errors]
    project = Project.objects.get(code="69-003")
    created = project.history.get()
    assert (created.history_type, created.history_user) == ("+", planner)
