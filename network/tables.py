"""The network pages' tables, described once (:mod:`core.tables`): the page
and the PDF print them with ``{% data_table %}``, the workbook writes the same
description as a sheet (:func:`core.xlsx.add_table`)."""

from decimal import Decimal

from django.urls import reverse

from core.tables import SUM, Column, Table, money, percent, text, whole
from core.thai import percent_of
from network import selectors

#: The office's name, linked on screen to its read-only summary
#: (``network:office``); the workbook and the PDF show the name only.
OFFICE = text("office", "สำนักงาน", 28, css="w-group", link="office_url")


def office_url(office: dict) -> str:
    return reverse("network:office", args=[office["pk"]])


def compliance_table(rows: list[selectors.ComplianceRow]) -> Table:
    """One row per office: its plan, its approved projects, and per round the
    share of those projects reported on time (blank: no such round yet)."""
    approved = sum(1 for row in rows if row.plan_approved)
    return Table(
        "การส่งแผนและรายงาน",
        [
            OFFICE,
            text("plan", "แผนปฏิบัติการ", 16, badge=True),
            whole("projects", "โครงการอนุมัติ", total=SUM),
            *[
                percent(
                    f"round_{number}", f"รอบที่ {number} ส่งตรงเวลา (ร้อยละ)", blank="–"
                )
                for number in selectors.ROUNDS
            ],
        ],
        [
            {
                "office": row.office["short_name"],
                "office_url": office_url(row.office),
                "plan": row.plan_status,
                "projects": row.projects,
                **{
                    f"round_{number}": row.on_time_percent(number)
                    for number in selectors.ROUNDS
                },
            }
            for row in rows
        ],
        totals={
            "office": f"รวม {len(rows)} สำนักงาน",
            "plan": f"อนุมัติแล้ว {approved}",
        },
        empty="ไม่มีสำนักงานในความกำกับ",
        testid="network-compliance",
        css="data compact",
    )


LIGHT_TEXT = {"green": "เขียว", "amber": "เหลือง", "red": "แดง"}


def money_table(rows: list[selectors.MoneyRow]) -> Table:
    """Allocated, approved budget and paid by office against the quarter's
    cumulative target, with the traffic light in words (the PDF is printed
    in black and white; the page colours the badge)."""
    budget = sum((row.budget for row in rows), Decimal(0))
    paid = sum((row.paid for row in rows), Decimal(0))
    return Table(
        "การเบิกจ่ายเทียบเป้าหมาย",
        [
            OFFICE,
            money("allocated", "ได้รับจัดสรร", total=SUM),
            money("budget", "งบประมาณโครงการอนุมัติ", total=SUM),
            money("paid", "เบิกจ่ายสะสม", total=SUM),
            percent("percent", "ร้อยละเบิกจ่าย"),
            percent("target", "เป้าหมายสะสม (ร้อยละ)", blank="–"),
            text("light", "สัญญาณ", 10, badge=True),
        ],
        [
            {
                "office": row.office["short_name"],
                "office_url": office_url(row.office),
                "allocated": row.allocated,
                "budget": row.budget,
                "paid": row.paid,
                "percent": row.percent,
                "target": row.target,
                "light": LIGHT_TEXT.get(row.light, "–"),
            }
            for row in rows
        ],
        totals={
            "office": f"รวม {len(rows)} สำนักงาน",
            "percent": percent_of(paid, budget),
        },
        empty="ไม่มีสำนักงานในความกำกับ",
        testid="network-money",
        css="data compact",
    )


def policy_table(rows: list[selectors.PolicyRow]) -> Table:
    return Table(
        "โครงการและงบประมาณตามนโยบายและยุทธศาสตร์ สพฐ.",
        [
            text("kind", "ประเภท", 16),
            text("item", "นโยบาย/ยุทธศาสตร์", 48),
            whole("offices", "จำนวนสำนักงาน"),
            whole("projects", "จำนวนโครงการ"),
            money("budget", "งบประมาณ"),
        ],
        [
            {
                "kind": row.item.get_kind_display(),
                "item": f"{row.item.code} {row.item.title}".strip(),
                "offices": row.offices,
                "projects": row.projects,
                "budget": row.budget,
            }
            for row in rows
        ],
        empty="ยังไม่มีรายการนโยบาย สพฐ.",
        testid="network-policy",
        css="data compact",
    )


def indicator_table(rows: list[selectors.IndicatorRow]) -> Table:
    indicators = sum(row.indicators for row in rows)
    achieved = sum(row.achieved for row in rows)
    return Table(
        "การบรรลุตัวชี้วัดตามแผน",
        [
            OFFICE,
            whole("indicators", "ตัวชี้วัด", total=SUM),
            whole("reported", "รายงานผลแล้ว", total=SUM),
            whole("achieved", "บรรลุเป้าหมาย", total=SUM),
            percent("percent", "ร้อยละที่บรรลุ"),
        ],
        [
            {
                "office": row.office["short_name"],
                "office_url": office_url(row.office),
                "indicators": row.indicators,
                "reported": row.reported,
                "achieved": row.achieved,
                "percent": row.percent,
            }
            for row in rows
        ],
        totals={
            "office": f"รวม {len(rows)} สำนักงาน",
            "percent": percent_of(Decimal(achieved), Decimal(indicators)),
        },
        empty="ไม่มีสำนักงานในความกำกับ",
        testid="network-indicators",
        css="data compact",
    )


def light_counts(rows: list[selectors.MoneyRow]) -> list[tuple[str, str, int]]:
    """(light, label, offices) for the page's bar above the table."""
    counts = {"green": 0, "amber": 0, "red": 0, None: 0}
    for row in rows:
        counts[row.light] += 1
    return [
        ("green", "ถึงเป้าหมาย", counts["green"]),
        ("amber", "ต่ำกว่าเป้าไม่เกิน 10 จุด", counts["amber"]),
        ("red", "ต่ำกว่าเป้าเกิน 10 จุด", counts["red"]),
        ("none", "ยังไม่มีเป้าหมาย", counts[None]),
    ]


__all__ = [
    "Column",
    "compliance_table",
    "indicator_table",
    "light_counts",
    "money_table",
    "policy_table",
]


# ------------------------------------------------------------------ one office


def office_rounds_table(row: selectors.ComplianceRow) -> Table:
    """The office's progress rounds: reports sent and sent on time, of its
    approved projects (the compliance page's figures, per round)."""
    return Table(
        "รายงานความก้าวหน้ารายรอบ",
        [
            text("round", "รอบรายงาน", 14),
            whole("projects", "โครงการอนุมัติ"),
            whole("sent", "ส่งแล้ว"),
            whole("on_time", "ส่งตรงเวลา"),
            percent("percent", "ส่งตรงเวลา (ร้อยละ)", blank="–"),
        ],
        [
            {
                "round": f"รอบที่ {number}",
                "projects": row.projects,
                "sent": row.rounds[number][0],
                "on_time": row.rounds[number][1],
                "percent": row.on_time_percent(number),
            }
            for number in selectors.ROUNDS
            if number in row.rounds
        ],
        empty="ยังไม่ได้เปิดรอบรายงาน",
        testid="network-office-rounds",
        css="data compact",
    )


def office_projects_table(projects: list) -> Table:
    """The projects of the office's plan with their budget and state
    (``projects.selectors.project_list`` rows, ``total_budget`` annotated)."""
    return Table(
        "โครงการในแผนปฏิบัติการ",
        [
            text("name", "โครงการ", 40),
            text("group", "กลุ่มงาน", 20),
            text("status", "สถานะ", 14, badge=True),
            money("budget", "งบประมาณ (บาท)", total=SUM),
        ],
        [
            {
                "name": project.name,
                "group": project.group.name if project.group_id else "",
                "status": project.get_status_display(),
                "budget": project.total_budget or Decimal(0),
            }
            for project in projects
        ],
        totals={"name": f"รวม {len(projects)} โครงการ"},
        empty="ยังไม่มีโครงการในปีงบประมาณนี้",
        testid="network-office-projects",
        css="data compact",
    )
