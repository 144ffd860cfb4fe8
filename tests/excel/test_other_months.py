"""An activity may run past the fiscal year (issue 15): seed 000's 2.11 reports
in "มีนาคม 2563" in its FY2562 plan, and the workbook's grid has only the
year's twelve months. The เดือนนอกปีงบประมาณ column carries the others, and
an export writes them back there. Those months lie within the next fiscal
year (issue 18): a month past it, or before the plan's year, is refused."""

import pytest

from excel import layout
from excel.importer import plan_import
from projects.models import Activity
from tests.excel.conftest import empty_book, exported, workbook_bytes
from tests.factories import PlanFactory

pytestmark = pytest.mark.django_db

P, A = layout.PROJECTS.name, layout.ACTIVITIES.name


def _row(sheet, **values):
    return [values.get(column.key) for column in sheet.columns]


def _book(end_month="มี.ค. 2571", **activity):
    return empty_book(
        **{
            P: [
                _row(
                    layout.PROJECTS,
                    code="70-001",
                    name="โครงการนิเทศ",
                    group="กลุ่มส่งเสริมการจัดการศึกษา",
                    start_month="มิ.ย. 2570",
                    end_month=end_month,
                )
            ],
            A: [
                _row(
                    layout.ACTIVITIES,
                    project="70-001",
                    activity=1,
                    name="รายงานผลการนิเทศ",
                    **activity,
                )
            ],
        }
    )


def _import(book, office):
    return plan_import(
        source=workbook_bytes(book), organization=office, fiscal_year=2570
    )


def test_months_past_the_year_import_and_export_back(office, group_a):
    PlanFactory(organization=office, fiscal_year=2570)
    book = _book(m09="✓", m10="✓", other_months="มีนาคม 2571, เม.ย. 71")
    result = _import(book, office)
    assert result.ok, [str(error) for error in result.errors]
    activity = Activity.objects.get()
    assert activity.months == [
        "2027-06-01",
        "2027-07-01",
        "2028-03-01",
        "2028-04-01",
    ]

    again = exported(activity.project.plan)
    keys = [column.key for column in layout.ACTIVITIES.columns]
    [row] = [
        row
        for row in again[A].iter_rows(min_row=2, values_only=True)
        if row[0] == "70-001"
    ]
    assert row[keys.index("other_months")] == "มี.ค. 2571, เม.ย. 2571"
    assert row[keys.index("m09")] and row[keys.index("m10")]
    assert _import(again, office).ok
    assert Activity.objects.get().months == activity.months


def test_a_month_of_the_year_typed_as_outside_it_is_refused_in_thai(office, group_a):
    plan = PlanFactory(organization=office, fiscal_year=2570)
    result = _import(_book(m09="✓", other_months="มิ.ย. 2570"), office)
    assert not result.ok
    [error] = [str(error) for error in result.errors]
    assert "มิถุนายน 2570 อยู่ในปีงบประมาณ 2570" in error
    assert "เดือนนอกปีงบประมาณ" in error
    assert not plan.projects.exists()


@pytest.mark.parametrize(
    "other",
    [
        "ต.ค. 2571",  # past the next fiscal year (even for a longer period)
        "ก.ย. 2569",  # before the plan's year
    ],
)
def test_a_month_outside_this_and_the_next_year_is_refused_in_thai(
    office, group_a, other
):
    plan = PlanFactory(organization=office, fiscal_year=2570)
    result = _import(_book(end_month="ธ.ค. 2571", m09="✓", other_months=other), office)
    assert not result.ok
    [error] = [str(error) for error in result.errors]
    assert "เดือนนอกปีงบประมาณ" in error
    assert (
        "อยู่นอกปีงบประมาณ 2570 (ต.ค. 2569 – ก.ย. 2570) "
        "และปีงบประมาณถัดไป 2571 (ต.ค. 2570 – ก.ย. 2571)"
    ) in error
    assert not plan.projects.exists()
    assert not Activity.objects.exists()
