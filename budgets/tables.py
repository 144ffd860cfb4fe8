"""The budget tables, described once (:mod:`core.tables`), and the budget
pages as workbooks ("ดาวน์โหลด Excel"): ``budgets:summary`` and
``budgets:disbursement``, plus the quarter and summary tables the budget
report (:mod:`reports.tables`) and the plan book reuse. The pages print the
tables with ``{% data_table %}`` (``summary|budget_tables``, see
:mod:`budgets.templatetags.budget_tables`) and the workbooks write the same
ones, so both show the same headers, columns and totals.
"""

from django.http import HttpResponse
from openpyxl import Workbook

from core.tables import (
    SUM,
    Table,
    amount,
    amount_text,
    money,
    number_col_class,
    percent,
    text,
    whole,
)
from core.xlsx import PERCENT, add_about, add_table, new_book, respond
from projects.tables import budget_note

# ------------------------------------------------------------------ money

QUARTER_COLUMNS = [
    text("label", "ไตรมาส", 26, css="w-quarter"),
    money("planned", "แผนการใช้จ่าย"),
    money("planned_cumulative", "แผนสะสม"),
    money("disbursed", "เบิกจ่าย"),
    money("disbursed_cumulative", "เบิกจ่ายสะสม"),
    percent("disbursed_percent", "เบิกจ่ายสะสม (ร้อยละของงบโครงการ)", 16, word=True),
    percent("target_percent", "เป้าหมายสะสม (ร้อยละ)", 14, word=True, blank="–"),
    money("target_amount", "เป้าหมายสะสม (บาท)"),
    text("verdict", "ผลเทียบเป้าหมาย", 20),
]


def _verdict(row) -> str:
    if row.meets_target is True:
        return "เป็นไปตามเป้าหมาย"
    if row.meets_target is False:
        return "ต่ำกว่าเป้าหมาย"
    return row.status


def quarter_table(money_totals, name: str = "รายไตรมาส") -> Table:
    """Plan vs disbursed per quarter, against the government's targets.

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
        "planned": money_totals.totals["total_budget"],
        "disbursed": money_totals.totals["disbursed"],
    }
    return Table(
        name, QUARTER_COLUMNS, rows, total, testid="by-quarter", css="data compact"
    )


#: The project money table (the budget report's filtered projects, the
#: budget summary's projects); amounts as the offices print them.
PROJECT_MONEY_COLUMNS = [
    whole("number", "ที่", 6, css="w-no"),
    text("code", "รหัสโครงการ", 12, css="w-code"),
    text("name", "โครงการ", 50),
    text("group", "กลุ่ม", 30, css=""),
    amount("total_budget", "งบประมาณ", total=SUM),
    amount("planned_q1", "ไตรมาส 1", total=SUM),
    amount("planned_q2", "ไตรมาส 2", total=SUM),
    amount("planned_q3", "ไตรมาส 3", total=SUM),
    amount("planned_q4", "ไตรมาส 4", total=SUM),
    amount("disbursed", "เบิกจ่ายแล้ว", total=SUM),
    amount("balance", "คงเหลือ", total=SUM),
]
MONEY_KEYS = ("planned_q1", "planned_q2", "planned_q3", "planned_q4", "disbursed")


def project_money(number: int, project) -> dict:
    row = {
        "number": number,
        "code": project.code,
        "name": project.name,
        "group": project.group.display_name,
        "total_budget": project.total_budget,
        "balance": project.balance,
        "note": budget_note(project),
    }
    row.update({key: getattr(project, key) for key in MONEY_KEYS})
    return row


def summary_tables(summary) -> dict[str, Table]:
    """``budgets/partials/summary_tables.html``'s tables, in page order (the
    workbook has one sheet per table)."""
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
    spending = [
        money("operating", "ค่าใช้จ่ายดำเนินงานของสำนักงาน", 20),
        money("project_budget", "งบประมาณโครงการ"),
        money("total", "รวม"),
    ]
    spending_total = {
        "operating": t["operating"],
        "project_budget": t["total_budget"],
        "total": summary.spending_total,
    }
    strategies = [
        {
            "name": f"กลยุทธ์ที่ {row.number} {row.title}",
            "project_count": row.project_count,
            "budget": row.total_budget,
        }
        for row in summary.strategies
    ]
    if summary.unaligned_projects:
        strategies.append({"name": "ไม่ระบุกลยุทธ์", "budget": summary.unaligned_projects})
    projects = []
    for number, project in enumerate(summary.projects, start=1):
        row = project_money(number, project)
        if not project.uses_budget:
            row["total_budget"] = None  # "ไม่ใช้งบประมาณ" in the note
        projects.append(row)
    return {
        "sources": Table(
            "แหล่งงบประมาณ",
            [
                text("name", "แหล่งงบประมาณ", 34),
                money("allocated", "ได้รับจัดสรร", blank="–"),
                money("operating", "ค่าใช้จ่ายดำเนินงานของสำนักงาน", 20, blank="–"),
                money("project_budget", "งบประมาณโครงการ", blank="–"),
                money("remainder", "คงเหลือยังไม่จัดสรร", 18, blank="–"),
                text("note", "หมายเหตุ", 12, css="w-short"),
            ],
            sources,
            {
                "name": "รวมทั้งสิ้น",
                "allocated": t["allocated"],
                "operating": t["operating"],
                "project_budget": t["total_budget"],
                "remainder": summary.remainder,
            },
            empty="ยังไม่มีการจัดสรรงบประมาณหรือรายการค่าใช้จ่ายในปีนี้",
            testid="by-source",
        ),
        "groups": Table(
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
                    "budget": row.total_budget,
                    "disbursed": row.disbursed,
                }
                for row in summary.groups
            ],
            {
                "name": "รวม",
                "project_count": t["project_count"],
                "budget": t["total_budget"],
                "disbursed": t["disbursed"],
            },
            empty="ยังไม่มีโครงการในปีนี้",
            testid="by-group",
        ),
        "strategies": Table(
            "กลยุทธ์",
            [
                text("name", "กลยุทธ์", 50),
                whole("project_count", "จำนวนโครงการ", 12),
                money("budget", "งบประมาณโครงการ"),
            ],
            strategies,
            {"name": "รวม (นับตามกลยุทธ์)", "budget": summary.strategy_total},
            testid="by-strategy",
        ),
        "category_groups": Table(
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
            testid="by-category-group",
        ),
        "categories": Table(
            "หมวดรายจ่าย",
            [
                text("name", "หมวดรายจ่าย", 30),
                text("parent", "งบรายจ่าย", 20, css="w-group"),
                *spending,
            ],
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
            empty="ยังไม่มีรายการค่าใช้จ่าย",
            testid="by-category",
        ),
        "quarters": quarter_table(summary),
        "projects": Table(
            "รายโครงการ",
            [*PROJECT_MONEY_COLUMNS, text("note", "หมายเหตุ", 16)],
            projects,
            {"name": "รวม"},
            empty="ยังไม่มีโครงการในปีนี้",
            testid="by-project",
            css="data tiny",
        ),
    }


#: What the spending plan prints for a project that uses no budget (seed 000).
NO_BUDGET = "ไม่ใช้งบประมาณ"
#: The spending plan's two parts, as seed 000 names them.
SPENDING_PARTS = (
    "ค่าใช้จ่ายการบริหารจัดการสำนักงาน",
    "ค่าใช้จ่ายในการพัฒนาคุณภาพการศึกษาขั้นพื้นฐาน",
)


def spending_plan_table(spending) -> Table:
    """The plan book's แผนการใช้จ่ายงบประมาณ (``budgets.rollups.spending_plan``)
    as seed 000 prints it: part 1 the office's running costs line by line,
    part 2 the projects by their codes ("2.1 โครงการ…", or "ไม่ใช้งบประมาณ"),
    each part's line carrying its subtotal, then the year's total.

    The amount column is as wide as its widest text, the words included, so
    "ไม่ใช้งบประมาณ" stays on one line beside nine-digit totals.
    """
    rows = [
        {"part": "1.", "item": SPENDING_PARTS[0], "amount": spending.operating_total}
    ]
    rows += [
        {"item": f"- {line.description}", "amount": line.amount}
        for line in spending.operating
    ]
    rows.append(
        {"part": "2.", "item": SPENDING_PARTS[1], "amount": spending.project_total}
    )
    for project in spending.projects:
        rows.append(
            {
                "item": f"{project.code} {project.name}".strip(),
                "amount": project.total_budget if project.uses_budget else NO_BUDGET,
                "group": project.group.display_name,
            }
        )
    widest = [amount_text(spending.total), NO_BUDGET]
    return Table(
        "แผนการใช้จ่ายงบประมาณ",
        [
            text("part", "ส่วนที่", 8, align="center", css="w-no"),
            text("item", "แผนการใช้จ่าย", 60),
            amount(
                "amount", "งบประมาณ (บาท)", css=number_col_class(widest, "w-amount")
            ),
            text("group", "กลุ่มงานที่รับผิดชอบ", 30, css="w-group"),
        ],
        rows,
        {"item": "รวมงบประมาณทั้งสิ้น", "amount": spending.total},
        testid="spending-plan",
        css="data compact spending-plan",
    )


def summary_sheets(book: Workbook, summary) -> None:
    """The budget summary's tables, one sheet each."""
    for table in summary_tables(summary).values():
        add_table(book, table)


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


def disbursement_projects_table(progress) -> Table:
    """``budgets:disbursement``'s projects (a ``DisbursementProgress``): the
    page prints this table (``progress|disbursement_projects``) and the
    workbook writes it, so both have the project code, the same headers and
    the same total row."""
    return Table(
        "รายโครงการ",
        [
            whole("number", "ที่", 6, css="w-no"),
            text("code", "รหัสโครงการ", 12, css="w-code"),
            text("name", "โครงการ", 50),
            text("group", "กลุ่ม", 30),
            money("total_budget", "งบประมาณ"),
            money("disbursed", "เบิกจ่ายแล้ว"),
            money("balance", "คงเหลือ"),
            percent("disbursed_percent", "ร้อยละการเบิกจ่าย", word=True),
        ],
        [
            {
                **project_money(number, project),
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
        empty="ยังไม่มีโครงการที่ใช้งบประมาณในปีนี้",
        testid="disbursement-by-project",
    )


def disbursement_response(progress) -> HttpResponse:
    """``budgets:disbursement`` (a ``DisbursementProgress``) as a workbook."""
    book = new_book()
    add_table(book, quarter_table(progress))
    add_table(book, disbursement_projects_table(progress))
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
