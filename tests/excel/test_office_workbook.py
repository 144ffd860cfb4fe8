"""The whole-office workbook (issue 15 items 2 and 3): the plan, its direction,
strategy indicators with yearly targets, policy links, envelope and running
costs travel with the projects; a workbook of another fiscal year is refused."""

import datetime
from decimal import Decimal
from io import BytesIO, StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from budgets.models import UNCLASSIFIED, Allocation, ExpenseCategory, OperatingCost
from budgets.rollups import category_tables
from core import xlsx
from excel import export, layout
from excel.importer import ERROR_OVERRIDE_NEEDED, plan_import
from plans.models import (
    Goal,
    Guideline,
    Indicator,
    IndicatorTarget,
    Mission,
    Plan,
    PolicyItem,
    Strategy,
)
from projects.models import Project
from tests.excel.conftest import FISCAL_YEAR, exported, set_cell, workbook_bytes
from tests.factories import (
    AllocationFactory,
    GuidelineFactory,
    IndicatorFactory,
    IndicatorTargetFactory,
    MissionFactory,
    OfficeGroupFactory,
    OperatingCostFactory,
    OrganizationFactory,
    PolicyItemFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def office_plan(full_plan, reference):
    """``full_plan`` with every office section filled."""
    plan = full_plan
    plan.title = "แผนปฏิบัติการประจำปีงบประมาณ พ.ศ. 2569 (ฉบับทบทวน)"
    plan.announced_on = datetime.date(2025, 11, 20)
    plan.signatory = "นายผู้อำนวยการ ใจดี ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษา"
    plan.edition_label = "ฉบับทบทวน พฤศจิกายน 2568"
    plan.save()
    MissionFactory(plan=plan, number=1, text="จัดการศึกษาให้ทั่วถึง")
    MissionFactory(plan=plan, number=2, text="พัฒนาครูและบุคลากร")
    strategies = {s.number: s for s in plan.strategies.all()}
    goals = {g.number: g for g in plan.goals.all()}
    strategies[1].description = "คำอธิบายกลยุทธ์ที่ 1"
    strategies[1].save()
    strategies[1].goals.set([goals[1], goals[2]])
    strategies[3].goals.set([goals[2]])
    first = Indicator.objects.get(strategy=strategies[1], number=1)
    first.goal = goals[1]
    first.tags = "S,T"
    first.baseline_value = Decimal("70.50")
    first.save()
    IndicatorTargetFactory(indicator=first, fiscal_year=2569, target_value=80)
    IndicatorTargetFactory(
        indicator=first, fiscal_year=2570, target_value=85, comparison="eq"
    )
    text = IndicatorFactory(
        strategy=strategies[2],
        number=1,
        name="ระดับความสำเร็จของการประเมิน ITA",
        unit="text",
        direction="lower",
    )
    IndicatorTargetFactory(
        indicator=text, fiscal_year=2569, target_value=None, target_text="ระดับ AA"
    )
    IndicatorFactory(
        strategy=strategies[2], number=2, name="จำนวนโรงเรียนคุณภาพ", unit="count"
    )
    GuidelineFactory(strategy=strategies[1], number=1, text="ส่งเสริมการอ่าน")
    GuidelineFactory(strategy=strategies[1], number=2, text="นิเทศภายใน")
    GuidelineFactory(strategy=strategies[3], number=1, text="บริหารแบบมีส่วนร่วม")
    national = PolicyItemFactory(
        kind="national_strategy", code="3", title="ด้านการพัฒนาและเสริมสร้างศักยภาพคน"
    )
    obec = PolicyItemFactory(kind="obec_strategy", code="2", title="ด้านคุณภาพ")
    policy = PolicyItemFactory(kind="obec_policy", code="", title="นโยบายความปลอดภัย")
    Project.objects.get(code="69-001").policy_items.set([national, obec, policy])
    Project.objects.get(code="69-002").policy_items.set([obec])
    office = plan.organization
    AllocationFactory(
        organization=office,
        fiscal_year=FISCAL_YEAR,
        source=reference.obec,
        round_number=1,
        amount=Decimal("1000000"),
        allocated_on=datetime.date(2025, 10, 15),
        reference="ศธ 04002/ว1234",
    )
    AllocationFactory(
        organization=office,
        fiscal_year=FISCAL_YEAR,
        source=reference.obec,
        round_number=2,
        amount=Decimal("250000.50"),
    )
    OperatingCostFactory(
        organization=office,
        fiscal_year=FISCAL_YEAR,
        source=reference.obec,
        category=ExpenseCategory.objects.get(code="utilities"),
        order=1,
        description="ค่าสาธารณูปโภค",
        amount=Decimal("300000"),
    )
    OperatingCostFactory(
        organization=office,
        fiscal_year=FISCAL_YEAR,
        source=reference.obec,
        category=ExpenseCategory.objects.get(code="temporary-wages"),
        order=2,
        description="ค่าจ้างลูกจ้างชั่วคราว",
        amount=Decimal("108000"),
    )
    return plan


@pytest.fixture
def second_office(office_plan):
    """An empty office with the same group names."""
    office = OrganizationFactory(short_name="สพป.ทดสอบ เขต 2")
    for group in office_plan.organization.groups.all():
        OfficeGroupFactory(organization=office, name=group.name, order=group.order)
    return office


def values(book) -> dict[str, list[tuple]]:
    return {
        worksheet.title: [tuple(row) for row in worksheet.iter_rows(values_only=True)]
        for worksheet in book.worksheets
    }


def saved(office) -> dict:
    """What the import could have written for ``office``."""
    return {
        "plans": Plan.objects.filter(organization=office).count(),
        "missions": Mission.objects.filter(plan__organization=office).count(),
        "goals": Goal.objects.filter(plan__organization=office).count(),
        "strategies": Strategy.objects.filter(plan__organization=office).count(),
        "indicators": Indicator.objects.filter(
            strategy__plan__organization=office
        ).count(),
        "guidelines": Guideline.objects.filter(
            strategy__plan__organization=office
        ).count(),
        "projects": Project.objects.filter(plan__organization=office).count(),
        "allocations": Allocation.objects.filter(organization=office).count(),
        "operating": OperatingCost.objects.filter(organization=office).count(),
    }


# ------------------------------------------------------------------ round trip


def test_export_import_into_an_empty_office_exports_the_same_workbook(
    office_plan, second_office
):
    first = xlsx.to_bytes(export.plan_workbook(office_plan))
    result = plan_import(
        source=BytesIO(first), organization=second_office, fiscal_year=FISCAL_YEAR
    )
    assert result.ok, [str(e) for e in result.errors]
    copy = Plan.objects.get(organization=second_office, fiscal_year=FISCAL_YEAR)
    again = xlsx.to_bytes(export.plan_workbook(copy))
    before = values(load_workbook(BytesIO(first)))
    after = values(load_workbook(BytesIO(again)))
    assert list(before) == list(after)
    for sheet in layout.ALL_SHEETS:
        assert before[sheet.name], sheet.name
        assert len(before[sheet.name]) > 1, f"ชีต {sheet.name} ว่าง"
    for name in before:
        assert before[name] == after[name], name
    assert saved(second_office) == {
        "plans": 1,
        "missions": 2,
        "goals": 2,
        "strategies": 3,
        "indicators": 3,
        "guidelines": 3,
        "projects": 2,
        "allocations": 2,
        "operating": 2,
    }
    assert copy.signatory == office_plan.signatory
    assert IndicatorTarget.objects.filter(indicator__strategy__plan=copy).count() == 3


def test_reimporting_the_export_changes_nothing(office_plan, planner):
    before = values(export.plan_workbook(office_plan))
    ids = sorted(Indicator.objects.values_list("pk", flat=True))
    result = plan_import(
        source=workbook_bytes(export.plan_workbook(office_plan)),
        organization=office_plan.organization,
        fiscal_year=FISCAL_YEAR,
        user=planner,
    )
    assert result.ok, [str(e) for e in result.errors]
    counts = result.count(layout.DIRECTION.name)
    assert (counts.created, counts.updated, counts.deleted) == (0, 0, 0)
    assert values(export.plan_workbook(office_plan)) == before
    assert sorted(Indicator.objects.values_list("pk", flat=True)) == ids


def test_a_project_links_a_strategy_the_same_file_creates(office_plan, second_office):
    book = exported(office_plan)
    book[layout.DIRECTION.name].append(["กลยุทธ์", 4, "กลยุทธ์ใหม่", "1", ""])
    set_cell(book, layout.PROJECTS, 2, "strategies", "1,4")
    result = plan_import(
        source=workbook_bytes(book), organization=second_office, fiscal_year=FISCAL_YEAR
    )
    assert result.ok, [str(e) for e in result.errors]
    project = Project.objects.get(plan__organization=second_office, code="69-001")
    assert sorted(s.number for s in project.strategies.all()) == [1, 4]
    assert project.strategies.get(number=4).title == "กลยุทธ์ใหม่"


# ------------------------------------------------------------------ year guard

OTHER_YEAR = FISCAL_YEAR + 1
GUARD = f"ไฟล์นี้เป็นแผนปีงบประมาณ {FISCAL_YEAR} แต่เลือกนำเข้าเป็นปีงบประมาณ {OTHER_YEAR}"


def test_a_workbook_of_another_year_is_refused_naming_both_years(office_plan):
    before = saved(office_plan.organization)
    result = plan_import(
        source=workbook_bytes(export.plan_workbook(office_plan)),
        organization=office_plan.organization,
        fiscal_year=OTHER_YEAR,
    )
    assert [str(e) for e in result.errors] == [
        f"ชีต 'แผน' แถว 2 คอลัมน์ 'ปีงบประมาณ': {GUARD} จึงไม่นำเข้า (เดือนในไฟล์จะถูกย้ายไปเป็นปี "
        f"{OTHER_YEAR}) กรุณาเลือกปีงบประมาณ {FISCAL_YEAR} หรือแก้ปีในชีต 'แผน' "
        f"ถ้าตั้งใจใช้ไฟล์นี้เป็นแผนปี {OTHER_YEAR}"
    ]
    assert not result.written
    assert saved(office_plan.organization) == before


def test_the_template_carries_its_year_too(office, group_a, reference):
    book = export.template_workbook(office, FISCAL_YEAR)
    result = plan_import(
        source=workbook_bytes(book), organization=office, fiscal_year=OTHER_YEAR
    )
    assert any(GUARD in str(e) for e in result.errors)
    assert not Plan.objects.filter(fiscal_year=OTHER_YEAR).exists()


def test_the_command_refuses_another_year(office_plan, tmp_path):
    path = tmp_path / "plan.xlsx"
    call_command(
        "export_plan",
        "--fiscal-year",
        str(FISCAL_YEAR),
        "--output",
        str(path),
        "--office",
        office_plan.organization.short_name,
        stdout=StringIO(),
    )
    before = saved(office_plan.organization)
    err = StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_plan",
            str(path),
            "--fiscal-year",
            str(OTHER_YEAR),
            "--office",
            str(office_plan.organization.pk),
            stderr=err,
            stdout=StringIO(),
        )
    assert GUARD in err.getvalue()
    assert saved(office_plan.organization) == before


def test_export_plan_then_import_plan_commands(office_plan, second_office, tmp_path):
    path = tmp_path / "plan.xlsx"
    call_command(
        "export_plan",
        "--fiscal-year",
        str(FISCAL_YEAR),
        "--output",
        str(path),
        "--office",
        str(office_plan.organization.pk),
        stdout=StringIO(),
    )
    out = StringIO()
    call_command(
        "import_plan",
        str(path),
        "--fiscal-year",
        str(FISCAL_YEAR),
        "--office",
        second_office.short_name,
        "--dry-run",
        stdout=out,
    )
    assert "ทิศทาง: สร้างใหม่ 7" in out.getvalue()
    assert saved(second_office)["plans"] == 0
    call_command(
        "import_plan",
        str(path),
        "--fiscal-year",
        str(FISCAL_YEAR),
        "--office",
        second_office.short_name,
        stdout=StringIO(),
    )
    assert saved(second_office)["indicators"] == 3


def test_the_web_upload_refuses_another_year(client, planner, office_plan):
    client.force_login(planner)
    data = workbook_bytes(exported(office_plan))
    data.name = "แผน.xlsx"
    response = client.post(
        reverse("excel:import_plan"), {"fiscal_year": OTHER_YEAR, "file": data}
    )
    preview_url = response["Location"]
    text = client.get(preview_url).content.decode()
    assert GUARD in text
    assert "ยืนยันการนำเข้า" not in text
    before = saved(office_plan.organization)
    client.post(preview_url)
    assert saved(office_plan.organization) == before


# ------------------------------------------------------------------ bad rows

BAD_ROWS = [
    (
        layout.PLAN,
        2,
        "announced_on",
        "วันพรุ่งนี้",
        "ชีต 'แผน' แถว 2 คอลัมน์ 'วันที่ประกาศใช้': ไม่ใช่วันที่ที่ถูกต้อง",
    ),
    (
        layout.DIRECTION,
        3,
        "kind",
        "ปณิธาน",
        "ชีต 'ทิศทาง' แถว 3 คอลัมน์ 'ประเภท': ไม่รู้จักค่า “ปณิธาน”",
    ),
    (
        layout.GUIDELINES,
        2,
        "strategy",
        9,
        "ชีต 'แนวทางการพัฒนา' แถว 2 คอลัมน์ 'กลยุทธ์ที่': ไม่มีกลยุทธ์ที่ 9",
    ),
    (
        layout.PLAN_INDICATORS,
        2,
        "target_value",
        "150",
        "ชีต 'ตัวชี้วัดกลยุทธ์' แถว 2 คอลัมน์ 'ค่าเป้าหมาย': ค่าเป้าหมายที่เป็นร้อยละ",
    ),
    (
        layout.ALLOCATIONS,
        2,
        "source",
        "งบจากดาวอังคาร",
        "ชีต 'กรอบวงเงิน' แถว 2 คอลัมน์ 'แหล่งงบประมาณ': ไม่พบแหล่งงบประมาณ “งบจากดาวอังคาร”",
    ),
    (
        layout.OPERATING_COSTS,
        3,
        "category",
        "ค่าขนม",
        "ชีต 'ค่าใช้จ่ายดำเนินงาน' แถว 3 คอลัมน์ 'หมวดรายจ่าย': ไม่พบหมวดรายจ่าย “ค่าขนม”",
    ),
    (
        layout.POLICY_LINKS,
        2,
        "code",
        "99",
        "ชีต 'ความสอดคล้อง' แถว 2 คอลัมน์ 'หมายเลข': ไม่พบยุทธศาสตร์ชาติ “99”",
    ),
]


@pytest.mark.parametrize(
    "sheet,row,key,text,message", BAD_ROWS, ids=[s.name for s, *_ in BAD_ROWS]
)
def test_one_bad_row_saves_nothing(
    office_plan, second_office, sheet, row, key, text, message
):
    book = exported(office_plan)
    set_cell(book, sheet, row, key, text)
    result = plan_import(
        source=workbook_bytes(book), organization=second_office, fiscal_year=FISCAL_YEAR
    )
    errors = [str(e) for e in result.errors]
    assert len(errors) == 1, errors
    assert message in errors[0], errors
    assert not result.written
    assert set(saved(second_office).values()) == {0}


def test_running_costs_beyond_the_files_envelope_are_refused(
    office_plan, second_office
):
    book = exported(office_plan)
    set_cell(book, layout.OPERATING_COSTS, 2, "amount", "1,250,000")
    result = plan_import(
        source=workbook_bytes(book), organization=second_office, fiscal_year=FISCAL_YEAR
    )
    assert [str(e) for e in result.errors] == [
        "ชีต 'กรอบวงเงิน' แถว 2 คอลัมน์ 'จำนวนเงิน (บาท)' (ในไฟล์ 1,000,000.00): "
        "ค่าใช้จ่ายดำเนินงานและงบประมาณโครงการจาก “งบประมาณจาก สพฐ.” ปีงบประมาณ 2569 "
        "รวม 1,377,460.25 บาท เกินวงเงินที่จัดสรร 1,250,000.50 บาท",
        ERROR_OVERRIDE_NEEDED,
    ]
    assert set(saved(second_office).values()) == {0}


def test_an_old_workbook_without_the_office_sheets_still_imports(office_plan, planner):
    book = exported(office_plan)
    for sheet in layout.OPTIONAL_SHEETS:
        del book[sheet.name]
    result = plan_import(
        source=workbook_bytes(book),
        organization=office_plan.organization,
        fiscal_year=FISCAL_YEAR,
        user=planner,
    )
    assert result.ok, [str(e) for e in result.errors]
    assert Mission.objects.filter(plan=office_plan).count() == 2
    assert PolicyItem.objects.filter(projects__plan=office_plan).count() == 4


def test_the_files_direction_replaces_the_plans(office_plan, planner):
    book = exported(office_plan)
    book[layout.DIRECTION.name].delete_rows(8)  # กลยุทธ์ที่ 3
    book[layout.GUIDELINES.name].delete_rows(4)  # its guideline
    book[layout.PLAN_INDICATORS.name].delete_rows(3)  # 1.1's target of 2570
    set_cell(book, layout.PROJECTS, 2, "strategies", "1")
    strategy = Strategy.objects.get(plan=office_plan, number=1)
    result = plan_import(
        source=workbook_bytes(book),
        organization=office_plan.organization,
        fiscal_year=FISCAL_YEAR,
        user=planner,
    )
    assert result.ok, [str(e) for e in result.errors]
    assert result.count(layout.DIRECTION.name).deleted == 1
    assert sorted(s.number for s in office_plan.strategies.all()) == [1, 2]
    assert Strategy.objects.get(plan=office_plan, number=1).pk == strategy.pk
    assert Guideline.objects.filter(strategy__plan=office_plan).count() == 2
    assert list(
        IndicatorTarget.objects.filter(indicator__strategy__plan=office_plan)
        .order_by("indicator__strategy__number", "fiscal_year")
        .values_list("fiscal_year", flat=True)
    ) == [2569, 2569]


def test_a_text_indicator_may_have_no_target_for_its_year(office_plan, planner):
    """The source gives no target for a text-only indicator: the row keeps its
    year with both target cells blank, and the indicator is left without one
    (no stand-in sentence); a numeric indicator still needs its number."""
    book = exported(office_plan)
    sheet = book[layout.PLAN_INDICATORS.name]
    row = next(r for r in range(2, sheet.max_row + 1) if "ระดับ AA" in cells(sheet, r))
    set_cell(book, layout.PLAN_INDICATORS, row, "target_text", None)
    result = plan_import(
        source=workbook_bytes(book),
        organization=office_plan.organization,
        fiscal_year=FISCAL_YEAR,
        user=planner,
    )
    assert result.ok, [str(e) for e in result.errors]
    text = Indicator.objects.get(strategy__plan=office_plan, unit="text")
    assert not text.targets.exists()

    first = IndicatorTarget.objects.get(
        indicator__strategy__plan=office_plan,
        indicator__strategy__number=1,
        fiscal_year=2569,
    )
    book = exported(office_plan)
    set_cell(book, layout.PLAN_INDICATORS, 2, "target_value", None)
    before = saved(office_plan.organization)
    result = plan_import(
        source=workbook_bytes(book),
        organization=office_plan.organization,
        fiscal_year=FISCAL_YEAR,
        user=planner,
    )
    assert [str(e) for e in result.errors] == [
        "ชีต 'ตัวชี้วัดกลยุทธ์' แถว 2 คอลัมน์ 'ค่าเป้าหมาย': "
        "กรุณากรอกค่าเป้าหมายเป็นตัวเลขหรือข้อความอย่างใดอย่างหนึ่ง"
    ]
    assert saved(office_plan.organization) == before
    first.refresh_from_db()
    assert first.target_value == 80


def cells(sheet, row: int) -> list:
    return [cell.value for cell in sheet[row]]


def test_a_running_cost_without_a_category_round_trips(office_plan, second_office):
    """A running cost the source left unclassified exports with a blank
    category and imports back without one; the UNCLASSIFIED label typed in
    the cell means the same, and the category tables count both under it."""
    OperatingCost.objects.filter(description="ค่าจ้างลูกจ้างชั่วคราว").update(category=None)
    book = exported(office_plan)
    sheet = book[layout.OPERATING_COSTS.name]
    assert cells(sheet, 3)[2] in (None, "")
    set_cell(book, layout.OPERATING_COSTS, 2, "category", UNCLASSIFIED)
    result = plan_import(
        source=workbook_bytes(book), organization=second_office, fiscal_year=FISCAL_YEAR
    )
    assert result.ok, [str(e) for e in result.errors]
    costs = OperatingCost.objects.filter(organization=second_office)
    assert sorted(c.category_id is None for c in costs) == [True, True]
    _, categories = category_tables(second_office, FISCAL_YEAR)
    assert [(c.name, c.operating) for c in categories if c.operating] == [
        (UNCLASSIFIED, Decimal("408000.00"))
    ]


def test_a_project_links_a_development_plan_milestone_by_its_number(
    office_plan, planner
):
    """The 13th NESDP's หมุดหมาย are shipped reference data with a level of
    their own, so the alignment sheet names one by that level's Thai label."""
    book = exported(office_plan)
    set_cell(book, layout.POLICY_LINKS, 2, "kind", "แผนพัฒนาเศรษฐกิจและสังคมแห่งชาติ")
    set_cell(book, layout.POLICY_LINKS, 2, "code", "หมุดหมายที่ 12")
    set_cell(book, layout.POLICY_LINKS, 2, "title", "")
    result = plan_import(
        source=workbook_bytes(book),
        organization=office_plan.organization,
        fiscal_year=FISCAL_YEAR,
        user=planner,
    )
    assert result.ok, [str(e) for e in result.errors]
    linked = Project.objects.get(plan=office_plan, code="69-001").policy_items
    milestone = linked.get(kind=PolicyItem.Kind.DEVELOPMENT_PLAN)
    assert milestone.code == "หมุดหมายที่ 12"
    assert milestone.title.startswith("ไทยมีกำลังคนสมรรถนะสูง")
    assert linked.count() == 3  # the milestone took the national strategy's row
