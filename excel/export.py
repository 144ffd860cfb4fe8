"""Workbooks out: the plan template, a fiscal year's plan, and any table.

Every workbook gets the same look: a bold, filled, frozen header row, sensible
column widths, money as numbers formatted ``#,##0.00`` and Buddhist-era months
and dates. The plan export and the template share :mod:`excel.layout`, so an
exported plan imports back unchanged.
"""

import datetime
from collections.abc import Iterable
from decimal import Decimal
from io import BytesIO

from django.db.models import Prefetch
from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from budgets.models import BudgetSource, CostLine, ExpenseCategory
from core import thai
from core.models import OfficeGroup, Organization
from excel import layout
from excel.layout import Kind, Sheet
from plans.models import Indicator, Plan, Strategy
from projects.models import Activity, Project, ProjectResponsible

MONEY_FORMAT = "#,##0.00"
WHOLE_FORMAT = "#,##0"
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDE7F3")
EXAMPLE_FONT = Font(italic=True, color="1C4E80")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# ---------------------------------------------------------------- cells

#: Text starting with one of these is run as a formula by Excel, LibreOffice
#: or Sheets when it is typed (or re-entered after an edit), and openpyxl
#: itself turns any string starting with "=" into a formula cell.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

#: Buddhist-era dates as *date cells*, so sorting and filtering by date work.
#: ``[$-107041E]``: locale 041E (Thai), calendar 07 (Thai Buddhist), digits
#: 01 (Arabic; ``D`` would be Thai digits). Excel shows ``5/12/2569`` and so
#: does LibreOffice Calc (tested by converting exports with soffice: the
#: ``[$-th-TH,107]`` form is not understood by LibreOffice, and a plain
#: ``d/m/yyyy`` shows the Western year).
DATE_FORMAT = "[$-107041E]d/m/yyyy;@"
#: A month: ``ต.ค. 2569``.
MONTH_FORMAT = "[$-107041E]mmm yyyy;@"
#: A moment (submitted at …): ``5/12/2569 14:30``, local time.
DATETIME_FORMAT = "[$-107041E]d/m/yyyy h:mm;@"


class Month(datetime.date):
    """A date that stands for its month (written with :data:`MONTH_FORMAT`)."""

    @classmethod
    def of(cls, day: datetime.date) -> "Month":
        return cls(day.year, day.month, 1)


def set_value(cell, value):
    """Write ``value`` into ``cell``; a string is always a text cell.

    Every cell an export writes goes through here (or :func:`put` and
    :func:`append_row`), so a project named ``=HYPERLINK("http://…")`` is
    shown as those characters, never run. The cell keeps the exact text
    (no apostrophe is prepended, so the plan workbook imports back
    unchanged): it is typed as a string, and text that looks like a formula
    also gets Excel's "quote prefix" style, which keeps it text when someone
    edits the cell. Numbers, negative ones included, stay numbers.
    Characters XML cannot carry (control characters) are dropped rather than
    failing the whole download.
    """
    if isinstance(value, datetime.date):
        return _set_date(cell, value)
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
        if value.startswith(FORMULA_PREFIXES):
            cell.quotePrefix = True
    return cell


def _set_date(cell, value: datetime.date):
    """A real date cell showing the Buddhist-era year in Excel and LibreOffice.

    Aware datetimes are shown in local time (xlsx has no time zones).
    """
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        cell.value = value.replace(tzinfo=None)
        cell.number_format = DATETIME_FORMAT
        return cell
    cell.value = datetime.date(value.year, value.month, value.day)
    cell.number_format = MONTH_FORMAT if isinstance(value, Month) else DATE_FORMAT
    return cell


def put(worksheet, row: int, column: int, value):
    """``worksheet.cell(row, column, value)`` through :func:`set_value`."""
    return set_value(worksheet.cell(row, column), value)


def append_row(worksheet, values: Iterable) -> None:
    """``worksheet.append(values)`` through :func:`set_value`."""
    worksheet.append(
        [
            set_value(Cell(worksheet), value)
            if isinstance(value, str | datetime.date)
            else value
            for value in values
        ]
    )


# ---------------------------------------------------------------- styling


def style_header(worksheet, widths: Iterable[int]) -> None:
    """Bold filled header, frozen below row 1, column widths in characters."""
    for cell in worksheet[1]:
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    for index, width in enumerate(widths, start=1):
        worksheet.column_dimensions[get_column_letter(index)].width = width
    worksheet.freeze_panes = "A2"


def cell_value(kind: str, value):
    """A Python value as it is written into a cell of ``kind``."""
    if value is None or value == "":
        return None
    if kind == Kind.MONTH:
        return Month.of(value)
    if kind == Kind.DATE:
        return value
    if kind == Kind.FLAG:
        return layout.CHECK if value else None
    if kind == Kind.INT:
        return int(value)
    return value


def number_format(kind: str, value) -> str | None:
    if kind == Kind.MONEY:
        return MONEY_FORMAT
    if kind == Kind.NUMBER and isinstance(value, Decimal | int | float):
        return WHOLE_FORMAT if value == int(value) else MONEY_FORMAT
    return None


def write_sheet(worksheet, sheet: Sheet, rows: Iterable[dict], *, font=None) -> int:
    """Header plus ``rows`` (values by column key); returns the rows written."""
    worksheet.title = sheet.name
    append_row(worksheet, sheet.headers)
    count = 0
    for row in rows:
        values = [cell_value(c.kind, row.get(c.key)) for c in sheet.columns]
        append_row(worksheet, values)
        count += 1
        for column, cell in zip(
            sheet.columns, worksheet[worksheet.max_row], strict=True
        ):
            fmt = number_format(column.kind, cell.value)
            if fmt:
                cell.number_format = fmt
            if font is not None:
                cell.font = font
    style_header(worksheet, (c.width for c in sheet.columns))
    return count


def to_bytes(book: Workbook) -> bytes:
    stream = BytesIO()
    book.save(stream)
    return stream.getvalue()


def workbook_response(book: Workbook, filename: str) -> HttpResponse:
    response = HttpResponse(to_bytes(book), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(filename)}"
    return response


def _quote(filename: str) -> str:
    from urllib.parse import quote

    return quote(filename)


def table_workbook(
    title: str, headers: list[str], rows: Iterable[Iterable]
) -> Workbook:
    """Any table as a styled workbook: numbers stay numbers, Decimals get baht
    format, dates are date cells showing the BE year; widths follow the
    longest value (capped)."""
    book = Workbook()
    worksheet = book.active
    worksheet.title = title[:31]
    append_row(worksheet, headers)
    widths = [max(10, len(str(h)) + 2) for h in headers]
    for row in rows:
        values = list(row)
        append_row(worksheet, values)
        for index, cell in enumerate(worksheet[worksheet.max_row]):
            if isinstance(cell.value, Decimal):
                cell.number_format = MONEY_FORMAT
            elif isinstance(cell.value, float):
                cell.number_format = MONEY_FORMAT
            if index < len(widths):
                shown = 12 if isinstance(cell.value, datetime.date) else None
                widths[index] = min(
                    60, max(widths[index], shown or len(str(cell.value or "")) + 2)
                )
    style_header(worksheet, widths)
    return book


# ---------------------------------------------------------------- plan rows


def _by_position(items) -> list:
    return sorted(items, key=lambda obj: (obj.order, obj.pk))


def _activity_months(activity: Activity, months: list[str]) -> dict[str, bool]:
    chosen = {str(value) for value in activity.months or []}
    return {
        key: month in chosen
        for (key, _, _), month in zip(layout.MONTH_COLUMNS, months, strict=True)
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
        )
        .order_by("sequence", "pk")
    )


def _numbers(items) -> str:
    return ",".join(str(n) for n in sorted(item.number for item in items))


def plan_rows(plan: Plan) -> dict[str, list[dict]]:
    """Rows of every data sheet of ``plan``, by sheet name."""
    rows: dict[str, list[dict]] = {sheet.name: [] for sheet in layout.DATA_SHEETS}
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
                "uses_budget": layout.USES_BUDGET_YES
                if project.uses_budget
                else layout.USES_BUDGET_NO,
                "virement": project.virement_allowed,
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
        for kind in ("quantitative", "qualitative"):
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
                        "category": line.category.name,
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
    "",
    "คอลัมน์ของแต่ละชีต",
]


def _instructions(book: Workbook, fiscal_year: int) -> None:
    worksheet = book.create_sheet(layout.INSTRUCTIONS_SHEET, 0)
    append_row(worksheet, [f"{INSTRUCTIONS[0]} ปีงบประมาณ {fiscal_year}"])
    worksheet["A1"].font = Font(bold=True, size=14)
    for line in INSTRUCTIONS[1:]:
        append_row(worksheet, [line])
    for sheet in layout.DATA_SHEETS:
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
    for sheet in layout.DATA_SHEETS:
        write_sheet(book.create_sheet(), sheet, rows.get(sheet.name, []), font=font)
    _instructions(book, fiscal_year)
    _dropdowns(book, _reference(book, organization, plan))
    book.active = 0
    return book


def plan_workbook(plan: Plan) -> Workbook:
    """``plan`` in the import layout, with the instructions and reference sheets."""
    return _book(plan.organization, plan, plan.fiscal_year, plan_rows(plan))


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
    category = ExpenseCategory.objects.filter(name="ค่าใช้สอย").first()
    if category is None and (category := ExpenseCategory.objects.first()):
        rows[layout.COST_LINES.name][0]["category"] = category.name
    return _book(organization, plan, fiscal_year, rows, font=EXAMPLE_FONT)
