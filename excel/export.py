"""Workbooks out: the plan template and a fiscal year's plan.

Written with the export toolkit :mod:`core.xlsx` (every cell through
:func:`core.xlsx.set_value`): a bold, filled, frozen header row, sensible
column widths, money as numbers formatted ``#,##0.00`` and Buddhist-era months
and dates as date cells. The plan export and the template share
:mod:`excel.layout`, so an exported plan imports back unchanged.
"""

import datetime

from django.db.models import Prefetch
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from budgets.models import (
    Allocation,
    BudgetSource,
    CostLine,
    ExpenseCategory,
    OperatingCost,
)
from budgets.rollups import spending_plan
from budgets.selectors import budget_summary
from budgets.tables import spending_plan_table
from core import thai
from core.models import OfficeGroup, Organization
from core.xlsx import (
    EXAMPLE_FONT,
    HEADER_FONT,
    add_table,
    append_row,
    put,
    style_header,
    write_sheet,
)
from excel import layout
from plans.models import Indicator, Plan, PolicyItem, Strategy
from projects.models import Activity, Project, ProjectResponsible

# ---------------------------------------------------------------- plan rows


def _by_position(items) -> list:
    return sorted(items, key=lambda obj: (obj.order, obj.pk))


def _activity_months(activity: Activity, months: list[str]) -> dict:
    """The year's grid ticks, and the months outside it as "มี.ค. 2563, …"."""
    chosen = {str(value) for value in activity.months or []}
    other = sorted(chosen - set(months))
    return {
        **{
            key: month in chosen
            for (key, _, _), month in zip(layout.MONTH_COLUMNS, months, strict=True)
        },
        "other_months": ", ".join(
            thai.thai_month_year(datetime.date.fromisoformat(month)) for month in other
        ),
    }


def plan_projects(plan: Plan):
    """The plan's projects with everything the export reads, in a fixed number
    of queries whatever the number of projects."""
    return (
        Project.objects.filter(plan=plan)
        .select_related("group", "budget_source")
        .prefetch_related(
            "strategies",
            "goals",
            Prefetch(
                "indicators", queryset=Indicator.objects.select_related("strategy")
            ),
            Prefetch(
                "responsibles",
                queryset=ProjectResponsible.objects.select_related("person"),
            ),
            "objectives",
            "targets",
            "expected_results",
            "kpis",
            Prefetch(
                "activities", queryset=Activity.objects.select_related("responsible")
            ),
            Prefetch(
                "activities__cost_lines",
                queryset=CostLine.objects.select_related("category"),
            ),
            "activities__quarter_plans",
            "policy_items",
        )
        .order_by("sequence", "pk")
    )


def _numbers(items) -> str:
    return ",".join(str(n) for n in sorted(item.number for item in items))


def plan_rows(plan: Plan) -> dict[str, list[dict]]:
    """Rows of every data sheet of ``plan``, by sheet name."""
    rows: dict[str, list[dict]] = {
        sheet.name: [] for sheet in layout.DATA_SHEETS + layout.PROJECT_LINK_SHEETS
    }
    months = [d.isoformat() for d in thai.fiscal_month_dates(plan.fiscal_year)]
    for project in plan_projects(plan):
        code = project.code
        source = project.budget_source
        rows[layout.PROJECTS.name].append(
            {
                "code": code,
                "sequence": project.sequence,
                "name": project.name,
                "group": project.group.name,
                "budget_plan": project.budget_plan,
                "kind": project.get_kind_display(),
                "start_month": project.start_month,
                "end_month": project.end_month,
                "budget_source": source.name if source else "",
                "funding_agency": project.funding_agency,
                "uses_budget": layout.USES_BUDGET_YES
                if project.uses_budget
                else layout.USES_BUDGET_NO,
                "virement": project.virement_allowed,
                "virement_wording": project.virement_wording,
                "strategies": _numbers(project.strategies.all()),
                "goals": _numbers(project.goals.all()),
                "indicators": ", ".join(
                    sorted(i.code for i in project.indicators.all())
                ),
                "rationale": project.rationale,
                "output_statement": project.output_statement,
                "outcome_statement": project.outcome_statement,
                "location": project.location,
                "target_group": project.target_group,
                "responsibles": ", ".join(
                    r.display_name for r in _by_position(project.responsibles.all())
                ),
                "responsible_note": project.responsible_note,
            }
        )
        for sheet, items in (
            (layout.OBJECTIVES, project.objectives.all()),
            (layout.EXPECTED_RESULTS, project.expected_results.all()),
        ):
            for position, item in enumerate(_by_position(items), start=1):
                rows[sheet.name].append(
                    {"project": code, "order": position, "text": item.text}
                )
        # Unstated ("") first, as the model orders them; blank cell on export.
        for kind in ("", "quantitative", "qualitative"):
            targets = [t for t in project.targets.all() if t.kind == kind]
            for position, target in enumerate(_by_position(targets), start=1):
                rows[layout.TARGETS.name].append(
                    {
                        "project": code,
                        "kind": target.get_kind_display(),
                        "order": position,
                        "text": target.text,
                        "quantity": target.quantity,
                        "unit": target.unit,
                    }
                )
        activities = _by_position(project.activities.all())
        position_of = {a.pk: n for n, a in enumerate(activities, start=1)}
        for number, activity in enumerate(activities, start=1):
            person = activity.responsible
            rows[layout.ACTIVITIES.name].append(
                {
                    "project": code,
                    "activity": number,
                    "parent": position_of.get(activity.parent_id),
                    "name": activity.name,
                    "target": activity.target,
                    "responsible": person.full_name
                    if person
                    else activity.responsible_text,
                    "notes": activity.notes,
                    **_activity_months(activity, months),
                }
            )
            lines = _by_position(activity.cost_lines.all())
            for line_number, line in enumerate(lines, start=1):
                rows[layout.COST_LINES.name].append(
                    {
                        "project": code,
                        "activity": number,
                        "order": line_number,
                        "category": line.category.name if line.category else "",
                        "description": line.description,
                        "times": line.times,
                        "times_unit": line.times_unit,
                        "persons": line.persons,
                        "persons_unit": line.persons_unit,
                        "days": line.days,
                        "days_unit": line.days_unit,
                        "rate": line.rate,
                        "amount": line.amount,
                        "note": line.note,
                    }
                )
            quarters = {q.quarter: q.amount for q in activity.quarter_plans.all()}
            if quarters:
                rows[layout.QUARTERS.name].append(
                    {
                        "project": code,
                        "activity": number,
                        **{f"q{n}": quarters.get(n) for n in (1, 2, 3, 4)},
                    }
                )
        for item in sorted(project.policy_items.all(), key=_policy_order):
            rows[layout.POLICY_LINKS.name].append(
                {
                    "project": code,
                    "kind": item.get_kind_display(),
                    "code": item.code,
                    "title": item.title,
                }
            )
        for position, kpi in enumerate(_by_position(project.kpis.all()), start=1):
            rows[layout.KPIS.name].append(
                {
                    "project": code,
                    "order": position,
                    "result_kind": _label(layout.RESULT_KIND_CHOICES, kpi.result_kind),
                    "nature": _label(layout.NATURE_CHOICES, kpi.nature),
                    "name": kpi.name,
                    "unit": _label(layout.UNIT_CHOICES, kpi.unit),
                    "unit_label": kpi.unit_label,
                    "comparison": _label(layout.COMPARISON_CHOICES, kpi.comparison),
                    "target_value": kpi.target_value,
                    "target_text": kpi.target_text,
                    "method": kpi.method,
                    "instrument": kpi.instrument,
                    **layout.level_cells(kpi.level_criteria),
                }
            )
    return rows


def _policy_order(item: PolicyItem) -> tuple:
    kinds = list(layout.POLICY_KIND_CHOICES.values())
    kind = kinds.index(item.kind) if item.kind in kinds else len(kinds)
    return (kind, item.order, item.code, item.title, item.pk)


def office_rows(plan: Plan) -> dict[str, list[dict]]:
    """Rows of the office's own sheets: the plan, its direction, the plan
    indicators with their yearly targets, the envelope and running costs
    (the projects' policy links are in :func:`plan_rows`)."""
    rows: dict[str, list[dict]] = {sheet.name: [] for sheet in layout.OFFICE_SHEETS}
    rows[layout.PLAN.name].append(
        {
            "fiscal_year": plan.fiscal_year,
            "title": plan.title,
            "vision": plan.vision,
            "announced_on": plan.announced_on,
            "signatory": plan.signatory,
            "edition_label": plan.edition_label,
            "preamble": plan.preamble,
        }
    )
    direction = rows[layout.DIRECTION.name]
    kind_label = {v: k for k, v in layout.DIRECTION_KIND_CHOICES.items()}
    for mission in plan.missions.order_by("number"):
        direction.append(
            {
                "kind": kind_label["mission"],
                "number": mission.number,
                "text": mission.text,
            }
        )
    goal_numbers = {}
    for goal in plan.goals.order_by("number"):
        goal_numbers[goal.pk] = goal.number
        direction.append(
            {"kind": kind_label["goal"], "number": goal.number, "text": goal.text}
        )
    strategies = list(
        plan.strategies.order_by("number").prefetch_related(
            "goals", "guidelines", "indicators__targets"
        )
    )
    for strategy in strategies:
        direction.append(
            {
                "kind": kind_label["strategy"],
                "number": strategy.number,
                "text": strategy.title,
                "goals": _numbers(strategy.goals.all()),
                "description": strategy.description,
                "characteristics": strategy.characteristics,
            }
        )
    for strategy in strategies:
        for guideline in sorted(strategy.guidelines.all(), key=lambda g: g.number):
            rows[layout.GUIDELINES.name].append(
                {
                    "strategy": strategy.number,
                    "number": guideline.number,
                    "text": guideline.text,
                }
            )
        for indicator in sorted(strategy.indicators.all(), key=lambda i: i.number):
            common = {
                "strategy": strategy.number,
                "number": indicator.number,
                "goal": goal_numbers.get(indicator.goal_id),
                "name": indicator.name,
                "unit": _label(layout.UNIT_CHOICES, indicator.unit),
                "unit_label": indicator.unit_label,
                "direction": _label(
                    layout.INDICATOR_DIRECTION_CHOICES, indicator.direction
                ),
                "baseline_value": indicator.baseline_value,
                "baseline_text": indicator.baseline_text,
                "tags": indicator.tags,
                "states_target": indicator.states_target,
                **layout.level_cells(indicator.level_criteria),
            }
            targets = sorted(indicator.targets.all(), key=lambda t: t.fiscal_year)
            for target in targets:
                rows[layout.PLAN_INDICATORS.name].append(
                    {
                        **common,
                        "fiscal_year": target.fiscal_year,
                        "comparison": _label(
                            layout.COMPARISON_CHOICES, target.comparison
                        ),
                        "target_value": target.target_value,
                        "target_text": target.target_text,
                    }
                )
            if not targets:
                rows[layout.PLAN_INDICATORS.name].append(common)
    office, year = plan.organization_id, plan.fiscal_year
    for allocation in (
        Allocation.objects.filter(organization_id=office, fiscal_year=year)
        .select_related("source")
        .order_by("source__order", "source__name", "round_number")
    ):
        rows[layout.ALLOCATIONS.name].append(
            {
                "source": allocation.source.name,
                "round": allocation.round_number,
                "amount": allocation.amount,
                "allocated_on": allocation.allocated_on,
                "reference": allocation.reference,
                "note": allocation.note,
            }
        )
    costs = OperatingCost.objects.filter(
        organization_id=office, fiscal_year=year
    ).select_related("source", "category")
    for position, cost in enumerate(costs.order_by("order", "pk"), start=1):
        rows[layout.OPERATING_COSTS.name].append(
            {
                "order": position,
                "source": cost.source.name,
                "category": cost.category.name if cost.category else "",
                "description": cost.description,
                "amount": cost.amount,
            }
        )
    return rows


def _label(choices: dict[str, str], stored: str) -> str:
    return next((label for label, value in choices.items() if value == stored), stored)


# ---------------------------------------------------------------- the books


INSTRUCTIONS = [
    "แบบฟอร์มนำเข้าแผนปฏิบัติการประจำปี (Phaen)",
    "",
    "วิธีใช้",
    "1. กรอกข้อมูลในแต่ละชีต ชีตละหนึ่งตาราง แถวที่ 1 เป็นหัวตาราง ห้ามแก้ไขหรือลบหัวตาราง",
    "2. ทุกชีตย่อยอ้างถึงโครงการด้วย 'รหัสโครงการ' ที่ต้องมีอยู่ในชีต 'โครงการ'",
    "3. รายการค่าใช้จ่ายและแผนรายไตรมาสอ้างถึงกิจกรรมด้วย 'ลำดับกิจกรรม' ในชีต 'กิจกรรม'",
    "4. ตัวเลขพิมพ์เลขไทยหรือเลขอารบิกก็ได้ มีจุลภาคคั่นหลักได้ เช่น 25,000 หรือ ๒๕,๐๐๐",
    "5. เดือนและปีเป็นพุทธศักราช เช่น ต.ค. 2569, ตุลาคม 2569 หรือ 10/2569",
    "6. ไม่ใช้สูตร ไม่ผสานเซลล์ (merge) ถ้าคัดลอกมาจากไฟล์อื่นให้วางแบบค่า (Paste Values)",
    "7. ชื่อกลุ่มย่อด้วย ฯ ได้ เช่น กลุ่มนิเทศติดตามฯ หมวดรายจ่ายใช้ชื่อหรือรหัสก็ได้",
    "8. ถ้าโครงการไม่ใช้งบประมาณ ให้พิมพ์ 'ไม่ใช้งบประมาณ' ในคอลัมน์ 'ใช้งบประมาณ'",
    "9. ลบแถวตัวอย่าง (ตัวอักษรเอียงสีน้ำเงิน) ก่อนนำเข้า แถวว่างจะถูกข้ามไป",
    "",
    "เมื่อนำเข้า",
    "- ระบบตรวจทุกชีตก่อน ถ้าพบข้อผิดพลาดแม้แห่งเดียวจะไม่บันทึกอะไรเลย "
    "และแจ้งชีต แถว และคอลัมน์ที่ต้องแก้",
    "- โครงการที่มีรหัสอยู่แล้วในแผนจะถูกปรับปรุง รหัสใหม่จะถูกสร้างเป็นโครงการใหม่",
    "- ข้อมูลย่อย (วัตถุประสงค์ กิจกรรม รายการค่าใช้จ่าย ตัวชี้วัด ฯลฯ) ของโครงการที่อยู่ในไฟล์ "
    "จะถูกแทนที่ด้วยข้อมูลในไฟล์ โครงการที่ไม่อยู่ในไฟล์จะไม่ถูกแก้ไข",
    "- แผนที่อนุมัติแล้วนำเข้าไม่ได้ ต้องปรับแผนก่อน",
    "- ชีต 'แผน' บอกปีงบประมาณของไฟล์ ถ้าไม่ตรงกับปีที่เลือกนำเข้า ระบบจะไม่นำเข้า",
    "- ชีตทิศทาง แนวทางการพัฒนา ตัวชี้วัดกลยุทธ์ กรอบวงเงิน และค่าใช้จ่ายดำเนินงาน "
    "ถ้ามีแถว จะแทนที่ข้อมูลส่วนนั้นของแผนทั้งหมด ถ้าว่างจะไม่แก้ไขส่วนนั้น",
    "- ชีต 'ความสอดคล้อง' แทนที่ความสอดคล้องกับนโยบายของโครงการที่อยู่ในไฟล์",
    "",
    "คอลัมน์ของแต่ละชีต",
]


def _instructions(book: Workbook, fiscal_year: int) -> None:
    worksheet = book.create_sheet(layout.INSTRUCTIONS_SHEET, 0)
    append_row(worksheet, [f"{INSTRUCTIONS[0]} ปีงบประมาณ {fiscal_year}"])
    worksheet["A1"].font = Font(bold=True, size=14)
    for line in INSTRUCTIONS[1:]:
        append_row(worksheet, [line])
    for sheet in layout.ALL_SHEETS:
        append_row(worksheet, [])
        append_row(worksheet, [f"ชีต '{sheet.name}'", sheet.help])
        worksheet.cell(worksheet.max_row, 1).font = HEADER_FONT
        for column in sheet.columns:
            need = "ต้องกรอก" if column.required else ""
            append_row(worksheet, [f"  {column.header}", need, column.help])
    worksheet.column_dimensions["A"].width = 40
    worksheet.column_dimensions["B"].width = 12
    worksheet.column_dimensions["C"].width = 70


REFERENCE_COLUMNS = [
    ("กลุ่ม", 40),
    ("กลยุทธ์ที่", 10),
    ("ชื่อกลยุทธ์", 45),
    ("หมวดรายจ่าย", 22),
    ("รหัสหมวด", 16),
    ("แหล่งงบประมาณ", 32),
    ("ลักษณะโครงการ", 18),
    ("ประเภทผล", 10),
    ("หน่วยวัด", 10),
    ("เงื่อนไข", 12),
]


def _reference(book: Workbook, organization: Organization, plan: Plan | None) -> dict:
    """The read-only lists sheet; returns the list ranges for data validation."""
    worksheet = book.create_sheet(layout.REFERENCE_SHEET)
    append_row(worksheet, [name for name, _ in REFERENCE_COLUMNS])
    groups = [g.name for g in OfficeGroup.objects.filter(organization=organization)]
    strategies = list(Strategy.objects.filter(plan=plan)) if plan else []
    categories = list(ExpenseCategory.objects.all())
    sources = [
        s.name
        for s in BudgetSource.objects.filter(organization__in=[organization.pk])
        | BudgetSource.objects.filter(organization__isnull=True)
    ]
    columns = [
        groups,
        [s.number for s in strategies],
        [s.title for s in strategies],
        [c.name for c in categories],
        [c.code for c in categories],
        sources,
        list(layout.KIND_CHOICES),
        list(layout.RESULT_KIND_CHOICES),
        list(layout.UNIT_CHOICES),
        list(layout.COMPARISON_CHOICES),
    ]
    for index, values in enumerate(columns, start=1):
        for row, value in enumerate(values, start=2):
            put(worksheet, row, index, value)
    style_header(worksheet, (w for _, w in REFERENCE_COLUMNS))
    worksheet.protection.sheet = True
    name = layout.REFERENCE_SHEET
    return {
        header: f"'{name}'!${get_column_letter(i)}$2:${get_column_letter(i)}$"
        f"{max(2, len(values) + 1)}"
        for i, ((header, _), values) in enumerate(
            zip(REFERENCE_COLUMNS, columns, strict=True), start=1
        )
    }


#: (sheet, column key) → reference list header, for drop-down lists.
DROPDOWNS = [
    (layout.PROJECTS, "group", "กลุ่ม"),
    (layout.PROJECTS, "kind", "ลักษณะโครงการ"),
    (layout.PROJECTS, "budget_source", "แหล่งงบประมาณ"),
    (layout.COST_LINES, "category", "หมวดรายจ่าย"),
    (layout.KPIS, "result_kind", "ประเภทผล"),
    (layout.KPIS, "unit", "หน่วยวัด"),
    (layout.KPIS, "comparison", "เงื่อนไข"),
    (layout.PLAN_INDICATORS, "unit", "หน่วยวัด"),
    (layout.PLAN_INDICATORS, "comparison", "เงื่อนไข"),
    (layout.ALLOCATIONS, "source", "แหล่งงบประมาณ"),
    (layout.OPERATING_COSTS, "source", "แหล่งงบประมาณ"),
    (layout.OPERATING_COSTS, "category", "หมวดรายจ่าย"),
]


def _dropdowns(book: Workbook, ranges: dict) -> None:
    # Drop-downs only suggest: typed abbreviations ("กลุ่มนิเทศติดตามฯ") and
    # codes stay allowed, the importer decides.
    for sheet, key, header in DROPDOWNS:
        worksheet = book[sheet.name]
        index = [c.key for c in sheet.columns].index(key) + 1
        letter = get_column_letter(index)
        validation = DataValidation(
            type="list",
            formula1=ranges[header],
            allow_blank=True,
            showErrorMessage=False,
        )
        validation.add(f"{letter}2:{letter}2000")
        worksheet.add_data_validation(validation)


def _book(organization, plan, fiscal_year, rows: dict[str, list[dict]], font=None):
    book = Workbook()
    book.remove(book.active)
    for sheet in layout.ALL_SHEETS:
        sheet_font = None if sheet is layout.PLAN else font
        write_sheet(
            book.create_sheet(), sheet, rows.get(sheet.name, []), font=sheet_font
        )
    _instructions(book, fiscal_year)
    _dropdowns(book, _reference(book, organization, plan))
    book.active = 0
    return book


def plan_workbook(plan: Plan) -> Workbook:
    """``plan`` in the import layout, with the instructions and reference
    sheets, and after them the plan book's แผนการใช้จ่ายงบประมาณ (seed 000
    prints it; the importer reads only the layout's sheets), from the table
    the book prints, counting the projects the book counts."""
    rows = {**office_rows(plan), **plan_rows(plan)}
    book = _book(plan.organization, plan, plan.fiscal_year, rows)
    budget = budget_summary(
        organization=plan.organization,
        fiscal_year=plan.fiscal_year,
        approved_only=plan.status == Plan.Status.APPROVED,
    )
    spending = spending_plan(plan.organization, plan.fiscal_year, budget.projects)
    add_table(book, spending_plan_table(spending))
    return book


def template_workbook(organization: Organization, fiscal_year: int) -> Workbook:
    """The empty layout with one example project (italic blue rows)."""
    plan = Plan.objects.filter(
        organization=organization, fiscal_year=fiscal_year
    ).first()
    start, end = thai.fiscal_year_range(fiscal_year)
    group = OfficeGroup.objects.filter(organization=organization).first()
    rows = {
        sheet.name: [dict(example) for example in sheet.examples]
        for sheet in layout.DATA_SHEETS
    }
    project = rows[layout.PROJECTS.name][0]
    project.update(
        group=group.name if group else "กลุ่มส่งเสริมการจัดการศึกษา",
        start_month=start,
        end_month=end.replace(day=1),
    )
    # The year the file is for, so that importing it under another year is
    # refused rather than moving every month to that year.
    rows[layout.PLAN.name] = [{"fiscal_year": fiscal_year}]
    category = ExpenseCategory.objects.filter(name="ค่าใช้สอย").first()
    if category is None and (category := ExpenseCategory.objects.first()):
        rows[layout.COST_LINES.name][0]["category"] = category.name
    return _book(organization, plan, fiscal_year, rows, font=EXAMPLE_FONT)
