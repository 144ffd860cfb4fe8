"""The report tables, described once (:mod:`core.tables`), and the report
pages as workbooks ("ดาวน์โหลด Excel").

Each ``*_table`` function below turns the rows a report's selector read into a
:class:`core.tables.Table`; the report's body partial prints it with
``{% data_table %}`` (screen and PDF, the context from
:func:`report_tables`) and the ``*_response`` functions write the very same
tables as sheets, so headers, column order, formats and totals are the same
on the page, in the PDF and in the workbook. The report's title, office,
filters and headline figures go on a last sheet, "ข้อมูลรายงาน".
"""

from decimal import Decimal

from django.http import HttpResponse

from budgets.tables import (
    PROJECT_MONEY_COLUMNS,
    project_money,
    spending_plan_table,
    summary_sheets,
)
from core.tables import (
    SUM,
    Column,
    Kind,
    Table,
    amount,
    date,
    money,
    percent,
    text,
    whole,
)
from core.xlsx import (
    PERCENT,
    add_about,
    add_table,
    filter_lines,
    new_book,
    respond,
)

# ------------------------------------------------------------------ tables


def budget_projects_table(projects, totals: dict) -> Table:
    """The budget report's filtered projects (``reports.selectors.budget_report``)."""
    columns = [
        Column(
            column.key,
            "เบิกจ่าย" if column.key == "disbursed" else column.header,
            column.kind,
            column.width,
            total=column.total,
            css=column.css,
        )
        for column in PROJECT_MONEY_COLUMNS
    ]
    return Table(
        "โครงการตามเงื่อนไข",
        columns,
        [project_money(number, project) for number, project in enumerate(projects, 1)],
        {"name": "รวม", **totals},
        empty="ไม่มีโครงการตามเงื่อนไขที่เลือก",
        testid="filtered-projects",
        css="data tiny",
    )


def alignment_table(
    summary, title: str, header: str, unaligned: str, testid: str
) -> Table:
    """Projects and their money per strategy (``budgets.rollups.alignment_totals``);
    the total row counts each project once."""
    rows = [
        {
            "name": row.label,
            "project_count": row.project_count,
            "budget": row.total_budget,
        }
        for row in summary.rows
    ]
    if summary.unaligned.project_count:
        rows.append(
            {
                "name": unaligned,
                "project_count": summary.unaligned.project_count,
                "budget": summary.unaligned.total_budget,
            }
        )
    return Table(
        title,
        [
            text("name", header, 50),
            whole("project_count", "จำนวนโครงการ", 12),
            money("budget", "งบประมาณ (บาท)"),
        ],
        rows,
        {
            "name": "รวมทั้งสิ้น",
            "project_count": summary.project_count,
            "budget": summary.total_budget,
        },
        empty="ยังไม่มีโครงการ",
        testid=testid,
    )


def revision_change_table(title: str, rows, label: str, testid: str) -> Table:
    """A before/after table of a revision memo (``reports.revision_memo``):
    เดิม / ปรับเป็น / เพิ่ม(ลด) in baht with satang, a decrease with its minus,
    totals added up."""
    return Table(
        title,
        [
            text("label", label),
            money("before", "เดิม (บาท)", total=SUM),
            money("after", "ปรับเป็น (บาท)", total=SUM),
            money("change", "เพิ่ม (ลด) (บาท)", total=SUM),
            text("note", "หมายเหตุ", 10, css="w-short"),
        ],
        [
            {
                "label": row.label,
                "before": row.before,
                "after": row.after,
                "change": row.change,
                "note": row.note,
            }
            for row in rows
        ],
        {"label": "รวม"},
        testid=testid,
        css="data compact",
    )


def revision_memo_tables(memo) -> dict[str, Table]:
    tables = {
        "activities": revision_change_table(
            "จำแนกตามกิจกรรม", memo.activities, "กิจกรรม", "memo-activities"
        )
    }
    if memo.categories is not None:
        tables["categories"] = revision_change_table(
            "จำแนกตามหมวดรายจ่าย", memo.categories, "หมวดรายจ่าย", "memo-categories"
        )
    return tables


def plan_book_tables(book) -> dict[str, Table]:
    """The plan book's own tables (``reports.selectors.PlanBook``): the
    spending plan and the summaries per OBEC and per office strategy."""
    return {
        "spending": spending_plan_table(book.spending),
        "by_obec_strategy": alignment_table(
            book.by_obec_strategy,
            "ตามยุทธศาสตร์ สพฐ.",
            "ยุทธศาสตร์ สพฐ.",
            "ไม่ระบุยุทธศาสตร์ สพฐ.",
            "by-obec-strategy",
        ),
        "by_office_strategy": alignment_table(
            book.by_office_strategy,
            "ตามกลยุทธ์ของสำนักงาน",
            "กลยุทธ์ของสำนักงาน",
            "ไม่ระบุกลยุทธ์",
            "by-office-strategy",
        ),
    }


def _achieved(value, unknown: str = "–") -> str:
    return {True: "บรรลุ", False: "ไม่บรรลุ"}.get(value, unknown)


KPI_COLUMNS = [
    text("project", "โครงการ", 45, css="w-20"),
    text("group", "กลุ่ม", 30, css="w-15"),
    text("name", "ตัวชี้วัดความสำเร็จ", 45, css="w-25"),
    text("target", "ค่าเป้าหมาย", 22),
    Column("actual", "ผลการดำเนินงาน", Kind.NUMBER, 22, align="left"),
    text("achieved", "ผลการประเมิน", 12, align="center", css="w-short"),
]


def kpi_table(projects: list[dict]) -> Table:
    """Every project KPI with its result (KPI, progress and annual reports)."""
    return Table(
        "ตัวชี้วัดโครงการ",
        KPI_COLUMNS,
        [
            {
                "project": project["name"],
                "group": project["group"],
                "name": kpi["name"],
                "target": kpi["target"],
                # A number stays a number (sortable); a qualitative result is text.
                "actual": kpi["actual"]
                if kpi.get("actual_value") is None
                else kpi["actual_value"],
                "achieved": _achieved(kpi["achieved"]),
            }
            for project in projects
            for kpi in project["kpis"]
        ],
        empty="ยังไม่มีผลตามตัวชี้วัดของโครงการ",
        css="data compact kpi-results",
    )


ATTAINMENT_COLUMNS = [
    text("code", "ตัวชี้วัดที่", 10, css="w-code"),
    text("name", "ตัวชี้วัด", 50),
    text("target", "ค่าเป้าหมาย", 22, css="w-15"),
    text("result", "ผลการดำเนินงาน", 22, css="w-15"),
    text("achieved", "ผลการประเมิน", 12, align="center", css="w-short"),
]
#: The sheet puts every strategy's indicators in one table.
STRATEGY_COLUMNS = [whole("strategy", "กลยุทธ์ที่", 10), text("title", "กลยุทธ์", 40)]


def _indicator_row(line) -> dict:
    return {
        "code": line.code,
        "name": line.name,
        "target": line.target or "–",
        "result": line.result or "–",
        "achieved": _achieved(line.achieved),
    }


def strategy_table(strategy) -> Table:
    """One strategy's indicators vs targets (``reports/partials/attainment.html``)."""
    return Table(
        "ตัวชี้วัดกลยุทธ์",
        ATTAINMENT_COLUMNS,
        [_indicator_row(line) for line in strategy.indicators],
        empty="ยังไม่ได้กำหนดตัวชี้วัด",
        css="data compact attainment-table",
    )


def attainment_table(attainment) -> Table:
    """The strategies' tables in one sheet, each row led by its strategy."""
    return Table(
        "ตัวชี้วัดกลยุทธ์",
        [*STRATEGY_COLUMNS, *ATTAINMENT_COLUMNS],
        [
            {"strategy": strategy.number, "title": strategy.title, **row}
            for strategy in attainment.strategies
            for row in strategy_table(strategy).rows
        ],
    )


def status_table(statuses) -> Table:
    """The progress report's projects by status, with the 100 % total."""
    return Table(
        "สรุปสถานะ",
        [
            text("label", "สถานะการดำเนินงาน", 28),
            whole("count", "จำนวนโครงการ", 14, total=SUM),
            percent("share", "ร้อยละ"),
        ],
        [
            {"label": row.label, "count": row.count, "share": row.share}
            for row in statuses
        ],
        {"label": "รวม", "share": Decimal("100.00")},
        testid="status-summary",
        css="data status-summary",
    )


def quarter_progress_table(quarters) -> Table:
    """The progress report's cumulative plan vs disbursed, per quarter."""
    return Table(
        "การเบิกจ่ายรายไตรมาส",
        [
            text("label", "ไตรมาส", 26),
            money("planned_cumulative", "แผนการใช้จ่ายสะสม"),
            money("disbursed_cumulative", "เบิกจ่ายสะสม"),
            percent("disbursed_percent", "ร้อยละการเบิกจ่ายสะสม", 14),
            percent("target_percent", "เป้าหมายสะสม (ร้อยละ)", 14, blank="–"),
        ],
        [
            {
                "label": row.label,
                "planned_cumulative": row.planned_cumulative,
                "disbursed_cumulative": row.disbursed_cumulative,
                "disbursed_percent": row.disbursed_percent,
                "target_percent": row.target_percent,
            }
            for row in quarters
        ],
        testid="quarter-progress",
        css="data compact quarter-progress",
    )


#: The progress report's projects of one funding group: the year's budget,
#: the cumulative plan of the round's period (3/6/9/12 months), what was paid
#: by the round's end and the verdict computed from the two
#: (``budgets.rollups.period_verdict``), then the status and a short result.
PERIOD_PROJECT_COLUMNS = [
    text("code", "รหัส", 10, css="w-code"),
    text("name", "โครงการ", 45),
    amount("total_budget", "งบประมาณ", total=SUM),
    amount("planned_period", "แผนการใช้จ่ายสะสม", total=SUM),
    amount("disbursed", "เบิกจ่ายจริง", total=SUM),
    text("verdict", "ผลการเบิกจ่ายเทียบกับแผน", 26, css="w-period-verdict"),
    text("status", "สถานะ", 18, css="w-status"),
    text("result", "ผลการดำเนินงาน", 30, css="w-group"),
]


def _period_row(project: dict) -> dict:
    row = {key: project[key] for key in ("code", "name", "verdict", "status", "result")}
    if project["uses_budget"]:
        for key in ("total_budget", "planned_period", "disbursed"):
            row[key] = project[key]
    return row


def period_projects_table(projects: list[dict], title: str = "") -> Table:
    """One funding group's projects, plan vs actual of the round's period."""
    return Table(
        title or "แผนและผลการเบิกจ่ายรายโครงการ",
        PERIOD_PROJECT_COLUMNS,
        [_period_row(project) for project in projects],
        {"name": "รวม"},
        empty="ไม่มีโครงการ",
        testid="period-projects",
        css="data tiny period-projects",
    )


def period_projects_sheet(funding_groups) -> Table:
    """The workbook's one sheet of every funding group's table, each row led
    by its group."""
    return Table(
        "แผนและผลการเบิกจ่าย",
        [text("group", "กลุ่มโครงการ", 40), *PERIOD_PROJECT_COLUMNS],
        [
            {"group": group.label, **_period_row(project)}
            for group in funding_groups
            for project in group.projects
        ],
        {"group": "รวม"},
    )


def funding_group_status_table(funding_groups) -> Table:
    """Projects of each funding group by status, shares to two decimals that
    add up to 100.00 within each group (``core.thai.percent_shares``)."""
    return Table(
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
            for group in funding_groups
            for row in group.statuses
        ],
    )


def execution_table(execution, total) -> Table:
    """The annual report's budget table, seed 004's Table 13: the office's
    whole budget by expense group (:func:`budgets.rollups.office_ledger`)."""
    return Table(
        "ผลการบริหารจัดการงบประมาณ",
        [
            text("name", "รายการ", 30),
            money("allocated", "ได้รับจัดสรร (บาท)", total=SUM),
            money("disbursed", "เบิกแล้ว (บาท)", total=SUM),
            money("remaining", "คงเหลือ (บาท)", total=SUM),
            percent("percent", "ร้อยละการเบิกจ่าย", 14),
        ],
        [_execution_row(row) for row in execution],
        {"name": total.name, "percent": total.percent},
        testid="execution",
        css="data compact execution",
    )


def execution_outside_table(rows) -> Table:
    """The money printed below Table 13's total and never added to it (the
    central fund, other agencies' money): the same columns, no total row."""
    return Table(
        "งบประมาณที่แสดงแยกนอกยอดรวม",
        [
            text("name", "รายการ (นอกยอดรวม)", 30),
            money("allocated", "ได้รับจัดสรร (บาท)"),
            money("disbursed", "เบิกแล้ว (บาท)"),
            money("remaining", "คงเหลือ (บาท)"),
            percent("percent", "ร้อยละการเบิกจ่าย", 14),
        ],
        [_execution_row(row) for row in rows],
        testid="execution-outside",
        css="data compact execution",
    )


def attainment_summary_table(summary) -> Table:
    """Strategy indicators and project KPIs, separately and together."""
    rows = [
        ("ตัวชี้วัดกลยุทธ์ของแผน", summary.strategy),
        ("ตัวชี้วัดโครงการ", summary.projects),
        ("รวมทั้งสิ้น", summary.combined),
    ]
    return Table(
        "ผลการบรรลุตัวชี้วัด",
        [
            text("name", "ตัวชี้วัด", 30),
            whole("total", "จำนวน", 10),
            whole("achieved", "บรรลุ", 10),
            whole("missed", "ไม่บรรลุ", 10),
            percent("percent", "ร้อยละที่บรรลุ", 14),
        ],
        [
            {
                "name": name,
                "total": tally.total,
                "achieved": tally.achieved,
                "missed": tally.total - tally.achieved,
                "percent": tally.percent,
            }
            for name, tally in rows
        ],
        testid="attainment-summary",
        css="data compact",
    )


def report_tables(data: dict) -> dict:
    """The tables a report body prints, from its selector's ``data``
    (whichever of them the report has)."""
    found = {}
    if "attainment" in data:
        found["strategy_tables"] = [
            (strategy, strategy_table(strategy))
            for strategy in data["attainment"].strategies
        ]
    if "kpi_count" in data:
        found["kpi_table"] = kpi_table(data["projects"])
    if "statuses" in data:
        found["status_table"] = status_table(data["statuses"])
        found["quarter_table"] = quarter_progress_table(data["quarters"])
    if "funding_groups" in data:
        found["group_tables"] = [
            (group, period_projects_table(group.projects, group.label))
            for group in data["funding_groups"]
        ]
    if "execution" in data:
        found["execution_table"] = execution_table(
            data["execution"], data["execution_total"]
        )
    if data.get("execution_outside"):
        found["execution_outside_table"] = execution_outside_table(
            data["execution_outside"]
        )
    if "attainment_summary" in data:
        found["attainment_summary_table"] = attainment_summary_table(
            data["attainment_summary"]
        )
    if "totals" in data and "summary" in data:
        found["projects_table"] = budget_projects_table(
            data["projects"], data["totals"]
        )
    return found


# ------------------------------------------------------------------ workbooks


def budget_report_response(plan, data: dict, labels: list[str]) -> HttpResponse:
    """``reports:budget_report``: the filtered projects, then the office summary
    (``data`` from ``reports.selectors.budget_report``)."""
    book = new_book()
    totals = data["totals"]
    add_table(book, budget_projects_table(data["projects"], totals))
    summary_sheets(book, data["summary"])
    add_about(
        book,
        f"รายงานงบประมาณ ปีงบประมาณ พ.ศ. {plan.fiscal_year}",
        [
            ("สำนักงาน", plan.organization.name),
            ("ข้อมูล ณ วันที่", data["as_of"]),
            *filter_lines(labels),
            ("งบประมาณโครงการตามเงื่อนไข (บาท)", totals["total_budget"]),
            ("เบิกจ่ายแล้ว (บาท)", totals["disbursed"]),
            ("ร้อยละการเบิกจ่าย", data["disbursed_percent"], PERCENT),
        ],
    )
    return respond(book, f"รายงานงบประมาณ-{plan.fiscal_year}.xlsx")


def kpi_report_response(plan, data: dict, labels: list[str]) -> HttpResponse:
    """``reports:kpi_report`` (``data`` from ``reports.selectors.kpi_report``)."""
    book = new_book()
    attainment = data["attainment"]
    add_table(book, attainment_table(attainment))
    add_table(book, kpi_table(data["projects"]))
    reporting_round = data["round"]
    add_about(
        book,
        f"รายงานผลตามตัวชี้วัด ปีงบประมาณ พ.ศ. {plan.fiscal_year}",
        [
            ("สำนักงาน", plan.organization.name),
            *([("ข้อมูลรอบการรายงาน", reporting_round.label)] if reporting_round else []),
            ("ข้อมูล ณ วันที่", data["as_of"]),
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
    add_table(book, project_results_table(projects))
    add_table(book, status_table(data["statuses"]))
    add_table(book, funding_group_status_table(data["funding_groups"]))
    add_table(book, period_projects_sheet(data["funding_groups"]))
    add_table(book, quarter_progress_table(data["quarters"]))
    add_table(book, activity_table(projects))
    add_table(book, kpi_table(projects))
    add_about(
        book,
        f"รายงานผลการดำเนินงานตามแผนปฏิบัติการ {reporting_round.label} "
        f"ปีงบประมาณ พ.ศ. {reporting_round.fiscal_year}",
        [
            ("สำนักงาน", data["organization"].name),
            ("ข้อมูล ณ วันที่", data["as_of"]),
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
    add_table(book, execution_table(data["execution"], total))
    if data.get("execution_outside"):
        add_table(book, execution_outside_table(data["execution_outside"]))
    add_table(book, attainment_summary_table(data["attainment_summary"]))
    add_table(book, attainment_table(data["attainment"]))
    add_table(book, project_results_table(data["projects"]))
    add_table(book, activity_table(data["projects"]))
    add_table(book, kpi_table(data["projects"]))
    reporting_round = data["round"]
    attainment = data["attainment"]
    add_about(
        book,
        f"รายงานผลการดำเนินงานประจำปีงบประมาณ พ.ศ. {plan.fiscal_year}",
        [
            ("สำนักงาน", data["organization"].name),
            *([("ข้อมูลรอบการรายงาน", reporting_round.label)] if reporting_round else []),
            ("ข้อมูล ณ วันที่", data["as_of"]),
            ("งบประมาณที่ได้รับจัดสรร (บาท)", total.allocated),
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


def project_results_table(projects: list[dict]) -> Table:
    """Workbook only: the page prints each project as a section
    (``reports/partials/project_progress.html``), not as a table."""
    return Table(
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


def activity_table(projects: list[dict]) -> Table:
    """Workbook only: the page prints each project's activities in its section."""
    return Table(
        "ผลรายกิจกรรม",
        [
            text("project", "โครงการ", 45),
            text("name", "กิจกรรม", 40),
            text("state", "ผลการดำเนินงาน", 20),
            text("note", "รายละเอียด", 40),
            date("on_date", "วันที่", 12),
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
