"""The public page's tables, described once for the page and the workbook
(:mod:`core.tables`): the approved projects, and the spending plan's quarters
against what was paid in them. The spending plan by line is the plan book's
own table (``budgets.tables.spending_plan_table``)."""

from core.tables import SUM, Table, money, percent, text
from public.selectors import PublicYear


def projects_table(year: PublicYear) -> Table:
    rows = [
        {
            "code": project.code,
            "name": project.name,
            "group": project.group.display_name,
            "budget": project.total_budget if project.uses_budget else None,
            "disbursed": project.disbursed,
            "status": project.public_status,
        }
        for project in year.projects
    ]
    return Table(
        "โครงการตามแผน",
        [
            text("code", "รหัส", 10),
            text("name", "ชื่อโครงการ", 50),
            text("group", "กลุ่มที่รับผิดชอบ", 24),
            money("budget", "งบประมาณ (บาท)", total=SUM),
            money("disbursed", "เบิกจ่ายแล้ว (บาท)", total=SUM),
            text("status", "สถานะการดำเนินงาน", 20),
        ],
        rows,
        {"name": "รวม"},
        empty="ยังไม่มีโครงการที่อนุมัติ",
        testid="public-projects",
    )


def quarters_table(year: PublicYear) -> Table:
    rows = [
        {
            "quarter": row.label,
            "planned": row.planned,
            "disbursed": row.disbursed,
            "planned_percent": row.planned_percent,
            "disbursed_percent": row.disbursed_percent,
        }
        for row in year.summary.quarters
    ]
    return Table(
        "แผนและผลการใช้จ่ายรายไตรมาส",
        [
            text("quarter", "ไตรมาส", 12),
            money("planned", "แผนการใช้จ่าย (บาท)", total=SUM),
            money("disbursed", "เบิกจ่ายจริง (บาท)", total=SUM),
            percent("planned_percent", "แผนสะสม (ร้อยละ)"),
            percent("disbursed_percent", "เบิกจ่ายสะสม (ร้อยละ)"),
        ],
        rows,
        {"quarter": "รวมทั้งปี"},
        testid="public-quarters",
    )
