"""The report pages as workbooks ("ดาวน์โหลด Excel").

Every function here takes the very rows its HTML page renders, read by the
page's own selector with the page's own filters, so the workbook shows the
same figures as the screen. Sheets are written with
:func:`core.xlsx.write_sheet`: a bold frozen header row, Thai headers,
money as numbers formatted ``#,##0.00``, percentages ``0.00``, dates as date
cells that show the Buddhist-era year and column widths per column. A total
row, when the page has one, is the last row, in bold. The report's title,
office, filters and headline figures go on a last sheet, "ข้อมูลรายงาน".
"""

from decimal import Decimal

from django.http import HttpResponse
from openpyxl import Workbook

from budgets.tables import PROJECT_MONEY_COLUMNS, project_money, summary_sheets
from core.xlsx import (
    PERCENT,
    Col,
    Kind,
    add_about,
    add_table,
    filter_lines,
    money,
    new_book,
    percent,
    respond,
    text,
    whole,
)

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
            project_money(number, project)
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
            *filter_lines(labels),
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
            *filter_lines(labels),
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
            money("total_budget", "งบประมาณ"),
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
        for key in ("total_budget", "disbursed", "remaining", "disbursed_percent"):
            row[key] = project[key]
    else:
        row["note"] = "ไม่ใช้งบประมาณ"
    return row
