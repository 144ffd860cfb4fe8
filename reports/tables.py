"""The report and list pages as workbooks ("ดาวน์โหลด Excel").

Every function here takes the very rows its HTML page renders, read by the
page's own selector with the page's own filters, so the workbook shows the
same figures as the screen. Sheets are written with
:func:`excel.export.write_sheet`: a bold frozen header row, Thai headers,
money as numbers formatted ``#,##0.00``, percentages ``0.00``, dates as date
cells that show the Buddhist-era year and column widths per column. A total
row, when the page has one, is the last row, in bold. The report's title,
office, filters and headline figures go on a last sheet, "ข้อมูลรายงาน".
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook

from excel.export import (
    HEADER_FONT,
    MONEY_FORMAT,
    append_row,
    style_header,
    workbook_response,
    write_sheet,
)
from excel.layout import Column, Kind, Sheet

PERCENT = "percent"
PERCENT_FORMAT = "0.00"
ABOUT_SHEET = "ข้อมูลรายงาน"


@dataclass(frozen=True)
class Col:
    key: str
    header: str
    kind: str = Kind.TEXT
    width: int = 14


def money(key: str, header: str, width: int = 16) -> Col:
    return Col(key, header, Kind.MONEY, width)


def percent(key: str, header: str, width: int = 12) -> Col:
    return Col(key, header, PERCENT, width)


def whole(key: str, header: str, width: int = 10) -> Col:
    return Col(key, header, Kind.INT, width)


def text(key: str, header: str, width: int = 30) -> Col:
    return Col(key, header, Kind.TEXT, width)


# ------------------------------------------------------------------ writing


def add_table(
    book: Workbook,
    name: str,
    columns: list[Col],
    rows: Iterable[dict],
    total: dict | None = None,
):
    """A sheet of ``rows`` (values by column key), then ``total`` in bold."""
    worksheet = book.create_sheet()
    sheet = Sheet(
        name[:31],
        tuple(
            Column(
                c.key,
                c.header,
                Kind.NUMBER if c.kind == PERCENT else c.kind,
                width=c.width,
            )
            for c in columns
        ),
    )
    written = write_sheet(worksheet, sheet, [*rows, *([total] if total else [])])
    for index, column in enumerate(columns, start=1):
        if column.kind != PERCENT:
            continue
        for row in worksheet.iter_rows(
            min_col=index, max_col=index, min_row=2, max_row=written + 1
        ):
            if isinstance(row[0].value, int | float | Decimal):
                row[0].number_format = PERCENT_FORMAT
    if total:
        for cell in worksheet[written + 1]:
            cell.font = HEADER_FONT
    return worksheet


def add_about(book: Workbook, title: str, items: list[tuple]) -> None:
    """The last sheet: (label, value[, kind]) lines describing the report."""
    worksheet = book.create_sheet(ABOUT_SHEET)
    append_row(worksheet, ["รายการ", "ข้อมูล"])
    today = timezone.localdate()
    lines = [("รายงาน", title), *items, ("วันที่ส่งออกข้อมูล", today)]
    for label, value, *kind in lines:
        append_row(worksheet, [label, value])  # dates become date cells
        cell = worksheet.cell(worksheet.max_row, 2)
        if kind and kind[0] == PERCENT:
            cell.number_format = PERCENT_FORMAT
        elif isinstance(value, Decimal):
            cell.number_format = MONEY_FORMAT
    style_header(worksheet, (34, 60))


def new_book() -> Workbook:
    book = Workbook()
    book.remove(book.active)
    return book


def respond(book: Workbook, filename: str) -> HttpResponse:
    book.active = 0
    return workbook_response(book, filename)


def _filters(labels: list[str]) -> list[tuple]:
    return [("เงื่อนไข", label) for label in labels] or [("เงื่อนไข", "ทั้งหมด")]


def _budget_note(project) -> str:
    return "" if project.uses_budget else "ไม่ใช้งบประมาณ"


# ------------------------------------------------------------------ money

QUARTER_COLUMNS = [
    text("label", "ไตรมาส", 26),
    money("planned", "แผนการใช้จ่าย"),
    money("planned_cumulative", "แผนสะสม"),
    money("disbursed", "เบิกจ่าย"),
    money("disbursed_cumulative", "เบิกจ่ายสะสม"),
    percent("disbursed_percent", "เบิกจ่ายสะสม (ร้อยละของงบโครงการ)", 16),
    percent("target_percent", "เป้าหมายสะสม (ร้อยละ)", 14),
    money("target_amount", "เป้าหมายสะสม (บาท)"),
    text("verdict", "ผลเทียบเป้าหมาย", 20),
]


def _verdict(row) -> str:
    if row.meets_target is True:
        return "เป็นไปตามเป้าหมาย"
    if row.meets_target is False:
        return "ต่ำกว่าเป้าหมาย"
    return row.status


def quarter_sheet(book: Workbook, money_totals, name: str = "รายไตรมาส") -> None:
    """``budgets/partials/quarter_table.html``: plan vs disbursed per quarter.

    ``money_totals`` is a ``BudgetSummary`` or a ``DisbursementProgress``.
    """
    rows = [
        {
            "label": row.label,
            "planned": row.planned,
            "planned_cumulative": row.planned_cumulative,
            "disbursed": row.disbursed,
            "disbursed_cumulative": row.disbursed_cumulative,
            "disbursed_percent": row.disbursed_percent,
            "target_percent": row.target_percent,
            "target_amount": row.target_amount,
            "verdict": _verdict(row),
        }
        for row in money_totals.quarters
    ]
    if money_totals.unplanned:
        rows.append(
            {"label": "ยังไม่ได้จัดทำแผนรายไตรมาส", "planned": money_totals.unplanned}
        )
    if money_totals.outside_quarters:
        rows.append(
            {
                "label": "เบิกจ่ายนอกช่วงปีงบประมาณ",
                "disbursed": money_totals.outside_quarters,
            }
        )
    total = {
        "label": "รวมทั้งสิ้น",
        "planned": money_totals.totals["projects"],
        "disbursed": money_totals.totals["disbursed"],
    }
    add_table(book, name, QUARTER_COLUMNS, rows, total)


PROJECT_MONEY_COLUMNS = [
    whole("number", "ที่", 6),
    text("code", "รหัสโครงการ", 12),
    text("name", "โครงการ", 50),
    text("group", "กลุ่ม", 30),
    money("total_budget", "งบประมาณ"),
    money("planned_q1", "ไตรมาส 1"),
    money("planned_q2", "ไตรมาส 2"),
    money("planned_q3", "ไตรมาส 3"),
    money("planned_q4", "ไตรมาส 4"),
    money("disbursed", "เบิกจ่ายแล้ว"),
    money("balance", "คงเหลือ"),
]
MONEY_KEYS = ("planned_q1", "planned_q2", "planned_q3", "planned_q4", "disbursed")


def _project_money(number: int, project) -> dict:
    row = {
        "number": number,
        "code": project.code,
        "name": project.name,
        "group": project.group.display_name,
        "total_budget": project.total_budget,
        "balance": project.balance,
        "note": _budget_note(project),
    }
    row.update({key: getattr(project, key) for key in MONEY_KEYS})
    return row


def summary_sheets(book: Workbook, summary) -> None:
    """``budgets/partials/summary_tables.html``, one sheet per table."""
    t = summary.totals
    sources = [
        {
            "name": row.name,
            "allocated": row.allocated,
            "operating": row.operating,
            "project_budget": row.project_budget,
            "remainder": row.remainder,
            "note": "เกินวงเงิน" if row.is_over else "",
        }
        for row in summary.sources
    ]
    if summary.unsourced_projects:
        sources.append(
            {
                "name": "ไม่ระบุแหล่งงบประมาณ",
                "project_budget": summary.unsourced_projects,
            }
        )
    add_table(
        book,
        "แหล่งงบประมาณ",
        [
            text("name", "แหล่งงบประมาณ", 34),
            money("allocated", "ได้รับจัดสรร"),
            money("operating", "ค่าใช้จ่ายดำเนินงานของสำนักงาน", 20),
            money("project_budget", "งบประมาณโครงการ"),
            money("remainder", "คงเหลือยังไม่จัดสรร", 18),
            text("note", "หมายเหตุ", 12),
        ],
        sources,
        {
            "name": "รวมทั้งสิ้น",
            "allocated": t["allocated"],
            "operating": t["operating"],
            "project_budget": t["projects"],
            "remainder": summary.remainder,
        },
    )
    add_table(
        book,
        "กลุ่ม",
        [
            text("name", "กลุ่ม", 40),
            whole("project_count", "จำนวนโครงการ", 12),
            money("budget", "งบประมาณโครงการ"),
            money("disbursed", "เบิกจ่ายแล้ว"),
        ],
        [
            {
                "name": row.name,
                "project_count": row.project_count,
                "budget": row.budget,
                "disbursed": row.disbursed,
            }
            for row in summary.groups
        ],
        {
            "name": "รวม",
            "project_count": t["project_count"],
            "budget": t["projects"],
            "disbursed": t["disbursed"],
        },
    )
    strategies = [
        {
            "name": f"กลยุทธ์ที่ {row.number} {row.title}",
            "project_count": row.project_count,
            "budget": row.budget,
        }
        for row in summary.strategies
    ]
    if summary.unaligned_projects:
        strategies.append({"name": "ไม่ระบุกลยุทธ์", "budget": summary.unaligned_projects})
    add_table(
        book,
        "กลยุทธ์",
        [
            text("name", "กลยุทธ์", 50),
            whole("project_count", "จำนวนโครงการ", 12),
            money("budget", "งบประมาณโครงการ"),
        ],
        strategies,
        {"name": "รวม (นับตามกลยุทธ์)", "budget": summary.strategy_total},
    )
    spending = [
        money("operating", "ค่าใช้จ่ายดำเนินงานของสำนักงาน", 20),
        money("project_budget", "งบประมาณโครงการ"),
        money("total", "รวม"),
    ]
    spending_total = {
        "operating": t["operating"],
        "project_budget": t["projects"],
        "total": summary.spending_total,
    }
    add_table(
        book,
        "งบรายจ่าย",
        [text("name", "งบรายจ่าย", 24), *spending],
        [
            {
                "name": row.name,
                "operating": row.operating,
                "project_budget": row.project_budget,
                "total": row.total,
            }
            for row in summary.category_groups
        ],
        {"name": "รวมทั้งสิ้น", **spending_total},
    )
    add_table(
        book,
        "หมวดรายจ่าย",
        [text("name", "หมวดรายจ่าย", 30), text("parent", "งบรายจ่าย", 20), *spending],
        [
            {
                "name": row.name,
                "parent": row.parent.name if row.parent else "–",
                "operating": row.operating,
                "project_budget": row.project_budget,
                "total": row.total,
            }
            for row in summary.categories
        ],
        {"name": "รวมทั้งสิ้น", **spending_total},
    )
    quarter_sheet(book, summary)
    projects = []
    for number, project in enumerate(summary.projects, start=1):
        row = _project_money(number, project)
        if not project.uses_budget:
            row["total_budget"] = None  # the page shows "ไม่ใช้งบประมาณ"
        projects.append(row)
    add_table(
        book,
        "รายโครงการ",
        [*PROJECT_MONEY_COLUMNS, text("note", "หมายเหตุ", 16)],
        projects,
        {
            "name": "รวม",
            "total_budget": t["projects"],
            **{key: t[key] for key in MONEY_KEYS},
            "balance": summary.balance,
        },
    )


def budget_summary_response(summary) -> HttpResponse:
    """``budgets:summary`` as a workbook."""
    book = new_book()
    summary_sheets(book, summary)
    add_about(
        book,
        f"สรุปงบประมาณ ปีงบประมาณ พ.ศ. {summary.fiscal_year}",
        [
            ("สำนักงาน", summary.organization.name),
            ("ปีงบประมาณ", summary.fiscal_year),
        ],
    )
    return respond(book, f"สรุปงบประมาณ-{summary.fiscal_year}.xlsx")


def disbursement_response(progress) -> HttpResponse:
    """``budgets:disbursement`` (a ``DisbursementProgress``) as a workbook."""
    book = new_book()
    quarter_sheet(book, progress)
    add_table(
        book,
        "รายโครงการ",
        [
            whole("number", "ที่", 6),
            text("code", "รหัสโครงการ", 12),
            text("name", "โครงการ", 50),
            text("group", "กลุ่ม", 30),
            money("total_budget", "งบประมาณ"),
            money("disbursed", "เบิกจ่ายแล้ว"),
            money("balance", "คงเหลือ"),
            percent("disbursed_percent", "ร้อยละการเบิกจ่าย"),
        ],
        [
            {
                **_project_money(number, project),
                "disbursed_percent": project.disbursed_percent,
            }
            for number, project in enumerate(progress.projects, start=1)
        ],
        {
            "name": "รวม",
            "total_budget": progress.budget,
            "disbursed": progress.disbursed,
            "balance": progress.balance,
            "disbursed_percent": progress.disbursed_percent,
        },
    )
    add_about(
        book,
        f"ผลการเบิกจ่ายงบประมาณ ปีงบประมาณ พ.ศ. {progress.fiscal_year}",
        [
            ("สำนักงาน", progress.organization.name),
            ("งบประมาณโครงการ (บาท)", progress.budget),
            ("เบิกจ่ายแล้ว (บาท)", progress.disbursed),
            ("คงเหลือ (บาท)", progress.balance),
            ("ร้อยละการเบิกจ่าย", progress.disbursed_percent, PERCENT),
        ],
    )
    return respond(book, f"ผลการเบิกจ่าย-{progress.fiscal_year}.xlsx")


# ------------------------------------------------------------------ reports


def budget_report_response(plan, data: dict, labels: list[str]) -> HttpResponse:
    """``reports:budget_report``: the filtered projects, then the office summary
    (``data`` from ``reports.selectors.budget_report``)."""
    book = new_book()
    columns = [
        money("disbursed", "เบิกจ่าย") if column.key == "disbursed" else column
        for column in PROJECT_MONEY_COLUMNS
    ]
    totals = data["totals"]
    add_table(
        book,
        "โครงการตามเงื่อนไข",
        columns,
        [
            _project_money(number, project)
            for number, project in enumerate(data["projects"], start=1)
        ],
        {"name": "รวม", **totals},
    )
    summary_sheets(book, data["summary"])
    add_about(
        book,
        f"รายงานงบประมาณ ปีงบประมาณ พ.ศ. {plan.fiscal_year}",
        [
            ("สำนักงาน", plan.organization.name),
            *_filters(labels),
            ("งบประมาณโครงการตามเงื่อนไข (บาท)", totals["total_budget"]),
            ("เบิกจ่ายแล้ว (บาท)", totals["disbursed"]),
            ("ร้อยละการเบิกจ่าย", data["disbursed_percent"], PERCENT),
        ],
    )
    return respond(book, f"รายงานงบประมาณ-{plan.fiscal_year}.xlsx")


def _achieved(value, unknown: str = "–") -> str:
    return {True: "บรรลุ", False: "ไม่บรรลุ"}.get(value, unknown)


KPI_COLUMNS = [
    text("project", "โครงการ", 45),
    text("group", "กลุ่ม", 30),
    text("name", "ตัวชี้วัดความสำเร็จ", 45),
    text("kind", "ประเภทผล", 10),
    text("target", "ค่าเป้าหมาย", 22),
    Col("actual", "ผลการดำเนินงาน", Kind.NUMBER, 22),
    text("achieved", "ผลการประเมิน", 12),
]


def _kpi_rows(projects: list[dict]) -> list[dict]:
    return [
        {
            "project": project["name"],
            "group": project["group"],
            "name": kpi["name"],
            "kind": kpi["kind"],
            "target": kpi["target"],
            # A number stays a number (sortable); a qualitative result is text.
            "actual": kpi["actual"]
            if kpi.get("actual_value") is None
            else kpi["actual_value"],
            "achieved": _achieved(kpi["achieved"]),
        }
        for project in projects
        for kpi in project["kpis"]
    ]


def attainment_sheet(book: Workbook, attainment) -> None:
    """``reports/partials/attainment.html``: strategy indicators vs targets."""
    add_table(
        book,
        "ตัวชี้วัดกลยุทธ์",
        [
            whole("strategy", "กลยุทธ์ที่", 10),
            text("title", "กลยุทธ์", 40),
            text("code", "ตัวชี้วัดที่", 10),
            text("name", "ตัวชี้วัด", 50),
            text("target", "ค่าเป้าหมาย", 22),
            text("result", "ผลการดำเนินงาน", 22),
            text("achieved", "ผลการประเมิน", 12),
        ],
        [
            {
                "strategy": strategy.number,
                "title": strategy.title,
                "code": line.code,
                "name": line.name,
                "target": line.target or "–",
                "result": line.result or "–",
                "achieved": _achieved(line.achieved, "ยังไม่มีผล"),
            }
            for strategy in attainment.strategies
            for line in strategy.indicators
        ],
    )


def kpi_report_response(plan, data: dict, labels: list[str]) -> HttpResponse:
    """``reports:kpi_report`` (``data`` from ``reports.selectors.kpi_report``)."""
    book = new_book()
    attainment = data["attainment"]
    attainment_sheet(book, attainment)
    add_table(book, "ตัวชี้วัดโครงการ", KPI_COLUMNS, _kpi_rows(data["projects"]))
    reporting_round = data["round"]
    add_about(
        book,
        f"รายงานผลตามตัวชี้วัด ปีงบประมาณ พ.ศ. {plan.fiscal_year}",
        [
            ("สำนักงาน", plan.organization.name),
            *(
                [
                    ("ข้อมูลรอบการรายงาน", reporting_round.label),
                    ("ข้อมูล ณ วันที่", reporting_round.period_end),
                ]
                if reporting_round
                else []
            ),
            *_filters(labels),
            ("ตัวชี้วัดกลยุทธ์ทั้งหมด", attainment.total),
            ("ตัวชี้วัดกลยุทธ์ที่บรรลุ", attainment.achieved),
            ("ร้อยละตัวชี้วัดกลยุทธ์ที่บรรลุ", attainment.percent, PERCENT),
            ("ตัวชี้วัดโครงการทั้งหมด", data["kpi_count"]),
            ("ตัวชี้วัดโครงการที่บรรลุ", data["kpi_achieved"]),
            ("ร้อยละตัวชี้วัดโครงการที่บรรลุ", data["kpi_percent"], PERCENT),
        ],
    )
    return respond(book, f"รายงานตัวชี้วัด-{plan.fiscal_year}.xlsx")


def progress_report_response(data: dict) -> HttpResponse:
    """``reports:progress_report`` (``reports.selectors.progress_document``)."""
    book = new_book()
    reporting_round = data["round"]
    projects = data["projects"]
    _project_results_sheet(book, projects)
    add_table(
        book,
        "สรุปสถานะ",
        [
            text("label", "สถานะการดำเนินงาน", 28),
            whole("count", "จำนวนโครงการ", 14),
            percent("share", "ร้อยละ"),
        ],
        [
            {"label": row.label, "count": row.count, "share": row.share}
            for row in data["statuses"]
        ],
        {"label": "รวม", "count": data["project_count"], "share": Decimal("100.00")},
    )
    add_table(
        book,
        "สรุปตามกลุ่มโครงการ",
        [
            text("group", "กลุ่มโครงการ", 50),
            whole("projects", "จำนวนโครงการในกลุ่ม", 14),
            text("label", "สถานะการดำเนินงาน", 28),
            whole("count", "จำนวนโครงการ", 14),
            percent("share", "ร้อยละ"),
        ],
        [
            {
                "group": group.label,
                "projects": group.count,
                "label": row.label,
                "count": row.count,
                "share": row.share,
            }
            for group in data["funding_groups"]
            for row in group.statuses
        ],
    )
    add_table(
        book,
        "การเบิกจ่ายรายไตรมาส",
        [
            text("label", "ไตรมาส", 26),
            money("planned_cumulative", "แผนการใช้จ่ายสะสม"),
            money("disbursed_cumulative", "เบิกจ่ายสะสม"),
            percent("disbursed_percent", "ร้อยละการเบิกจ่ายสะสม", 14),
            percent("target_percent", "เป้าหมายสะสม (ร้อยละ)", 14),
        ],
        [
            {
                "label": row.label,
                "planned_cumulative": row.planned_cumulative,
                "disbursed_cumulative": row.disbursed_cumulative,
                "disbursed_percent": row.disbursed_percent,
                "target_percent": row.target_percent,
            }
            for row in data["quarters"]
        ],
    )
    _activity_sheet(book, projects)
    add_table(book, "ตัวชี้วัดโครงการ", KPI_COLUMNS, _kpi_rows(projects))
    add_about(
        book,
        f"รายงานผลการดำเนินงานตามแผนปฏิบัติการ {reporting_round.label} "
        f"ปีงบประมาณ พ.ศ. {reporting_round.fiscal_year}",
        [
            ("สำนักงาน", data["organization"].name),
            ("ข้อมูล ณ วันที่", reporting_round.period_end),
            ("งบประมาณโครงการ (บาท)", data["budget"]),
            ("เบิกจ่ายแล้ว (บาท)", data["disbursed"]),
            ("ร้อยละการเบิกจ่าย", data["disbursed_percent"], PERCENT),
        ],
    )
    return respond(
        book,
        f"รายงานความก้าวหน้า-{reporting_round.fiscal_year}-"
        f"รอบ{reporting_round.months}เดือน.xlsx",
    )


def annual_report_response(data: dict) -> HttpResponse:
    """``reports:annual_report`` (``reports.selectors.annual_document``)."""
    book = new_book()
    plan, total = data["plan"], data["execution_total"]
    execution_columns = [
        text("name", "งบรายจ่าย", 30),
        money("allocated", "งบประมาณที่ได้รับ"),
        money("disbursed", "เบิกจ่าย"),
        money("remaining", "คงเหลือ"),
        percent("percent", "ร้อยละการเบิกจ่าย", 14),
    ]
    add_table(
        book,
        "ผลการใช้จ่ายงบประมาณ",
        execution_columns,
        [_execution_row(row) for row in data["execution"]],
        _execution_row(total),
    )
    attainment_sheet(book, data["attainment"])
    _project_results_sheet(book, data["projects"])
    _activity_sheet(book, data["projects"])
    add_table(book, "ตัวชี้วัดโครงการ", KPI_COLUMNS, _kpi_rows(data["projects"]))
    reporting_round = data["round"]
    attainment = data["attainment"]
    add_about(
        book,
        f"รายงานผลการดำเนินงานประจำปีงบประมาณ พ.ศ. {plan.fiscal_year}",
        [
            ("สำนักงาน", data["organization"].name),
            *([("ข้อมูลรอบการรายงาน", reporting_round.label)] if reporting_round else []),
            ("งบประมาณโครงการ (บาท)", total.allocated),
            ("เบิกจ่าย (บาท)", total.disbursed),
            ("ร้อยละการเบิกจ่าย", total.percent, PERCENT),
            ("ตัวชี้วัดกลยุทธ์ทั้งหมด", attainment.total),
            ("ตัวชี้วัดกลยุทธ์ที่บรรลุ", attainment.achieved),
            ("ร้อยละตัวชี้วัดกลยุทธ์ที่บรรลุ", attainment.percent, PERCENT),
        ],
    )
    return respond(book, f"รายงานผลการดำเนินงาน-{plan.fiscal_year}.xlsx")


def _execution_row(row) -> dict:
    return {
        "name": row.name,
        "allocated": row.allocated,
        "disbursed": row.disbursed,
        "remaining": row.remaining,
        "percent": row.percent,
    }


def _project_results_sheet(book: Workbook, projects: list[dict]) -> None:
    add_table(
        book,
        "ผลรายโครงการ",
        [
            whole("number", "ที่", 6),
            text("name", "โครงการ", 45),
            text("group", "กลุ่มที่รับผิดชอบ", 30),
            text("status", "สถานะ", 20),
            percent("percent_complete", "ความก้าวหน้า (ร้อยละ)"),
            money("budget", "งบประมาณ"),
            money("disbursed", "เบิกจ่ายแล้ว"),
            money("remaining", "คงเหลือ"),
            percent("disbursed_percent", "ร้อยละการเบิกจ่าย"),
            text("note", "หมายเหตุ", 16),
            text("output_progress", "ผลการดำเนินงานเชิงปริมาณ (ผลผลิต)", 40),
            text("outcome_progress", "ผลการดำเนินงานเชิงคุณภาพ (ผลลัพธ์)", 40),
            text("problems", "ปัญหาอุปสรรค", 40),
            text("suggestions", "ข้อเสนอแนะ", 40),
        ],
        [_progress_row(number, project) for number, project in enumerate(projects, 1)],
    )


def _activity_sheet(book: Workbook, projects: list[dict]) -> None:
    add_table(
        book,
        "ผลรายกิจกรรม",
        [
            text("project", "โครงการ", 45),
            text("name", "กิจกรรม", 40),
            text("state", "ผลการดำเนินงาน", 20),
            text("note", "รายละเอียด", 40),
            Col("on_date", "วันที่", Kind.DATE, 12),
        ],
        [
            {"project": project["name"], **item}
            for project in projects
            for item in project["activities"]
        ],
    )


def _progress_row(number: int, project: dict) -> dict:
    row = {
        "number": number,
        **{
            key: project[key]
            for key in (
                "name",
                "group",
                "status",
                "percent_complete",
                "output_progress",
                "outcome_progress",
                "problems",
                "suggestions",
            )
        },
    }
    if project["uses_budget"]:
        for key in ("budget", "disbursed", "remaining", "disbursed_percent"):
            row[key] = project[key]
    else:
        row["note"] = "ไม่ใช้งบประมาณ"
    return row


# ------------------------------------------------------------------ lists


def board_response(board, fiscal_year: int) -> HttpResponse:
    """``progress:board`` (a ``progress.selectors.Board``, or ``None`` when the
    year has no reporting round yet)."""
    from progress.selectors import BOARD_STATES

    book = new_book()
    cells = []
    for state, label in BOARD_STATES:
        cells += [
            whole(state, label, 12),
            percent(f"{state}_share", f"{label} (ร้อยละ)"),
        ]

    def tally_row(name, tally):
        row = {"name": name, "total": tally.total, "done": tally.done_percent}
        for state, _, count, share in tally.cells:
            row.update({state: count, f"{state}_share": share})
        return row

    groups = board.groups if board else []
    add_table(
        book,
        "สรุปรายกลุ่ม",
        [
            text("name", "กลุ่ม", 40),
            *cells,
            whole("total", "รวม"),
            percent("done", "ส่งแล้ว (ร้อยละ)"),
        ],
        [tally_row(entry.group.display_name, entry.tally) for entry in groups],
        tally_row("รวมทั้งสำนักงาน", board.tally) if board else None,
    )
    add_table(
        book,
        "รายโครงการ",
        [
            text("group", "กลุ่ม", 40),
            text("code", "รหัสโครงการ", 12),
            text("name", "โครงการ", 50),
            text("state", "สถานะรายงาน", 18),
            text("overdue", "เกินกำหนด", 12),
        ],
        [
            {
                "group": entry.group.name,
                "code": row.project.code,
                "name": row.project.name,
                "state": row.state_label,
                "overdue": "เกินกำหนด" if row.overdue else "",
            }
            for entry in groups
            for row in entry.rows
        ],
    )
    title = f"ติดตามการรายงานความก้าวหน้า ปีงบประมาณ พ.ศ. {fiscal_year}"
    if board is None:
        add_about(book, title, [("รอบการรายงาน", "ยังไม่มีรอบการรายงานของปีงบประมาณนี้")])
        return respond(book, f"ติดตามการรายงาน-{fiscal_year}.xlsx")
    reporting_round = board.round
    add_about(
        book,
        title,
        [
            ("รอบการรายงาน", reporting_round.label),
            ("ข้อมูลสะสม ณ วันที่", reporting_round.period_end),
            ("กำหนดส่ง", reporting_round.due_date),
            ("โครงการทั้งหมด", board.tally.total),
            ("ส่งแล้ว/ตรวจรับแล้ว", board.tally.done),
            ("ร้อยละที่ส่งแล้ว", board.tally.done_percent, PERCENT),
            ("ค้างส่งเกินกำหนด", board.tally.overdue),
        ],
    )
    return respond(
        book, f"ติดตามการรายงาน-{fiscal_year}-รอบ{reporting_round.months}เดือน.xlsx"
    )


def project_list_response(
    projects: list, fiscal_year: int, filters: dict, status_counts: list
) -> HttpResponse:
    """``projects:list``: the office's projects of a year, as filtered
    (``filters``: the list form's valid choices)."""
    from projects.models import Project

    book = new_book()
    labels = []
    if filters.get("group"):
        labels.append(f"กลุ่ม: {filters['group'].name}")
    if filters.get("status"):
        labels.append(f"สถานะ: {Project.Status(filters['status']).label}")
    add_table(
        book,
        "โครงการ",
        [
            whole("sequence", "ที่", 6),
            text("code", "รหัสโครงการ", 12),
            text("name", "โครงการ", 50),
            text("group", "กลุ่ม", 30),
            text("status", "สถานะ", 16),
            whole("activities", "กิจกรรม"),
            whole("kpis", "ตัวชี้วัด"),
            money("budget", "งบประมาณ (บาท)"),
            text("note", "หมายเหตุ", 16),
        ],
        [
            {
                "sequence": project.sequence,
                "code": project.code,
                "name": project.name,
                "group": project.group.display_name,
                "status": project.get_status_display(),
                "activities": project.n_activities,
                "kpis": project.n_kpis,
                "budget": project.budget_total if project.uses_budget else None,
                "note": _budget_note(project),
            }
            for project in projects
        ],
    )
    add_about(
        book,
        f"โครงการ ปีงบประมาณ พ.ศ. {fiscal_year}",
        [
            *_filters(labels),
            *((f"สถานะ{label}", count) for label, count in status_counts),
        ],
    )
    return respond(book, f"โครงการ-{fiscal_year}.xlsx")
