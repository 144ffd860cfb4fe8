"""A project without a period round-trips through the plan workbook: its month
cells export empty, an unchanged re-import changes nothing, and a row with one
month but not the other is refused in Thai (issue 15 item 5)."""

import pytest

from excel import layout
from excel.importer import plan_import
from projects.models import Project
from tests.excel.conftest import (
    FISCAL_YEAR,
    exported,
    framework,
    set_cell,
    workbook_bytes,
)
from tests.factories import PlanFactory

pytestmark = pytest.mark.django_db


def _column(key: str) -> int:
    return [c.key for c in layout.PROJECTS.columns].index(key) + 1


def _row_of(book, code: str) -> int:
    sheet = book[layout.PROJECTS.name]
    for row in range(2, sheet.max_row + 1):
        if sheet.cell(row, _column("code")).value == code:
            return row
    raise AssertionError(code)


def test_no_period_exports_empty_cells_and_reimports_unchanged(full_plan, planner):
    Project.objects.filter(code="69-001").update(start_month=None, end_month=None)
    book = exported(full_plan)
    row = _row_of(book, "69-001")
    sheet = book[layout.PROJECTS.name]
    assert sheet.cell(row, _column("start_month")).value is None
    assert sheet.cell(row, _column("end_month")).value is None
    result = plan_import(
        source=workbook_bytes(book),
        organization=full_plan.organization,
        fiscal_year=FISCAL_YEAR,
        user=planner,
    )
    assert result.ok, [str(e) for e in result.errors]
    projects = result.count(layout.PROJECTS.name)
    assert (projects.created, projects.updated, projects.unchanged) == (0, 0, 2)
    project = Project.objects.get(code="69-001")
    assert (project.start_month, project.end_month) == (None, None)


def test_no_period_imports_into_an_empty_year(full_plan, planner):
    Project.objects.filter(code="69-001").update(start_month=None, end_month=None)
    target = PlanFactory(
        organization=full_plan.organization, fiscal_year=FISCAL_YEAR + 1
    )
    framework(target)
    book = exported(full_plan)
    set_cell(book, layout.PLAN, 2, "fiscal_year", target.fiscal_year)
    result = plan_import(
        source=workbook_bytes(book),
        organization=full_plan.organization,
        fiscal_year=target.fiscal_year,
        user=planner,
    )
    assert result.ok, [str(e) for e in result.errors]
    copy = Project.objects.get(plan=target, code="69-001")
    assert (copy.start_month, copy.end_month) == (None, None)


@pytest.mark.parametrize("emptied", ["start_month", "end_month"])
def test_half_a_period_in_the_workbook_is_refused(full_plan, planner, emptied):
    book = exported(full_plan)
    row = _row_of(book, "69-001")
    book[layout.PROJECTS.name].cell(row, _column(emptied)).value = None
    before = Project.objects.get(code="69-001")
    result = plan_import(
        source=workbook_bytes(book),
        organization=full_plan.organization,
        fiscal_year=FISCAL_YEAR,
        user=planner,
    )
    assert not result.ok
    messages = [str(e) for e in result.errors]
    assert any("ใส่ทั้งเดือนเริ่มต้นและเดือนสิ้นสุด หรือเว้นว่างทั้งคู่" in m for m in messages), messages
    after = Project.objects.get(code="69-001")
    assert (after.start_month, after.end_month) == (
        before.start_month,
        before.end_month,
    )
