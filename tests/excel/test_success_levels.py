"""Issue 21 item 5: success-level indicators travel through the workbook.

The unit column says "ระดับความสำเร็จ", ค่าเป้าหมาย holds the level (1–5) and
five "เกณฑ์ระดับ N" columns at the end of the row hold the criteria, on both
the project KPI sheet and the strategy indicator sheet."""

from io import BytesIO

import pytest

from core import xlsx
from excel import export, layout
from excel.importer import plan_import
from plans.models import Indicator, IndicatorTarget
from projects.models import ProjectKPI
from tests.excel.conftest import FISCAL_YEAR, exported, set_cell, workbook_bytes
from tests.factories import (
    IndicatorTargetFactory,
    OfficeGroupFactory,
    OrganizationFactory,
    ProjectKPIFactory,
)

pytestmark = pytest.mark.django_db

CRITERIA = [
    "มีคำสั่งแต่งตั้งคณะทำงาน",
    "มีแผนการนิเทศที่ผ่านความเห็นชอบ",
    "ดำเนินการนิเทศครบทุกโรงเรียน",
    "สรุปผลการนิเทศและรายงานผู้บริหาร",
    "นำผลไปปรับปรุงและเผยแพร่แนวปฏิบัติที่ดี",
]


@pytest.fixture
def level_plan(full_plan):
    project = full_plan.projects.get(code="69-001")
    ProjectKPIFactory(
        project=project,
        order=3,
        result_kind="outcome",
        name="ระดับความสำเร็จของการนิเทศติดตาม",
        unit="success",
        target_value=4,
        level_criteria=CRITERIA,
    )
    indicator = Indicator.objects.get(strategy__plan=full_plan, number=1)
    indicator.unit = "success"
    indicator.level_criteria = [f"ข้อ {text}" for text in CRITERIA]
    indicator.save()
    IndicatorTargetFactory(indicator=indicator, fiscal_year=FISCAL_YEAR, target_value=3)
    return full_plan


def rows_of(book, sheet) -> list[dict]:
    worksheet = book[sheet.name]
    keys = [column.key for column in sheet.columns]
    return [
        dict(zip(keys, row, strict=False))
        for row in worksheet.iter_rows(min_row=2, values_only=True)
    ]


def levels(plan) -> tuple:
    kpi = ProjectKPI.objects.get(project__plan=plan, unit="success")
    target = IndicatorTarget.objects.get(
        indicator__strategy__plan=plan, indicator__unit="success"
    )
    return (
        kpi.level_criteria,
        kpi.target_value,
        kpi.comparison,
        target.indicator.level_criteria,
        target.target_value,
        target.comparison,
    )


def test_the_export_writes_the_unit_the_level_and_five_criteria(level_plan):
    book = exported(level_plan)
    (row,) = [r for r in rows_of(book, layout.KPIS) if r["unit"] == "ระดับความสำเร็จ"]
    assert row["target_value"] == 4
    assert [row[f"criterion_{n}"] for n in range(1, 6)] == CRITERIA
    (row,) = [
        r for r in rows_of(book, layout.PLAN_INDICATORS) if r["unit"] == "ระดับความสำเร็จ"
    ]
    assert row["target_value"] == 3
    assert row["criterion_5"] == f"ข้อ {CRITERIA[4]}"


def test_levels_round_trip_into_an_empty_office(level_plan):
    copy_office = OrganizationFactory(short_name="สพป.ทดสอบ เขต 2")
    for group in level_plan.organization.groups.all():
        OfficeGroupFactory(organization=copy_office, name=group.name, order=group.order)
    first = xlsx.to_bytes(export.plan_workbook(level_plan))
    result = plan_import(
        source=BytesIO(first), organization=copy_office, fiscal_year=FISCAL_YEAR
    )
    assert result.ok, [str(e) for e in result.errors]
    copy = copy_office.plans.get(fiscal_year=FISCAL_YEAR)
    assert levels(copy) == levels(level_plan)
    assert levels(copy)[:3] == (CRITERIA, 4, "gte")


def test_reimporting_the_export_changes_nothing_and_an_edited_criterion_is_read(
    level_plan, planner
):
    before = levels(level_plan)
    result = plan_import(
        source=workbook_bytes(exported(level_plan)),
        organization=level_plan.organization,
        fiscal_year=FISCAL_YEAR,
        user=planner,
    )
    assert result.ok, [str(e) for e in result.errors]
    counts = result.count(layout.KPIS.name)
    assert (counts.created, counts.updated, counts.deleted) == (0, 0, 0)
    assert levels(level_plan) == before

    book = exported(level_plan)
    row = 2 + next(
        i
        for i, r in enumerate(rows_of(book, layout.KPIS))
        if r["unit"] == "ระดับความสำเร็จ"
    )
    set_cell(book, layout.KPIS, row, "criterion_5", "เผยแพร่แนวปฏิบัติที่ดีระดับเขต")
    result = plan_import(
        source=workbook_bytes(book),
        organization=level_plan.organization,
        fiscal_year=FISCAL_YEAR,
        user=planner,
    )
    assert result.ok, [str(e) for e in result.errors]
    assert levels(level_plan)[0][4] == "เผยแพร่แนวปฏิบัติที่ดีระดับเขต"


@pytest.mark.parametrize(
    ("key", "value", "column", "message"),
    [
        (
            "criterion_5",
            None,
            "เกณฑ์ระดับ 1",
            "กรุณากรอกเกณฑ์ของตัวชี้วัดระดับความสำเร็จให้ครบทั้ง 5 ระดับ",
        ),
        (
            "target_value",
            7,
            "ค่าเป้าหมาย",
            "ค่าเป้าหมายของตัวชี้วัดระดับความสำเร็จต้องเป็นระดับ 1 ถึง 5 (จำนวนเต็ม)",
        ),
    ],
)
def test_a_bad_level_row_is_refused_in_thai_and_nothing_changes(
    level_plan, planner, key, value, column, message
):
    before = levels(level_plan)
    for sheet in (layout.KPIS, layout.PLAN_INDICATORS):
        book = exported(level_plan)
        row = 2 + next(
            i
            for i, r in enumerate(rows_of(book, sheet))
            if r["unit"] == "ระดับความสำเร็จ"
        )
        set_cell(book, sheet, row, key, value)
        result = plan_import(
            source=workbook_bytes(book),
            organization=level_plan.organization,
            fiscal_year=FISCAL_YEAR,
            user=planner,
        )
        # (A refused indicator row also leaves the projects that link it
        # unknown: those rows are reported too.)
        assert f"ชีต '{sheet.name}' แถว {row} คอลัมน์ '{column}': {message}" in [
            str(e) for e in result.errors
        ]
        assert levels(level_plan) == before
