"""The progress report as seed 002 prints it (issue 16 item 6, issue 17 item
4): a cover, the summary, per funding group a table of projects with the
period's cumulative plan against what was paid and the verdict, a page only
for projects with something to report, and the sign-off."""

import datetime
import io
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from budgets.models import BudgetSource
from budgets.rollups import BEHIND_PLAN, ON_PLAN
from reports import documents
from reports.selectors import progress_document
from reports.tables import report_tables
from tests.factories import (
    DisbursementFactory,
    GroupHeadAssignmentFactory,
    OfficeGroupFactory,
    PlanFactory,
    ProgressReportFactory,
    ProjectFactory,
    ReportingRoundFactory,
    make_staff,
)
from tests.pdf_utils import normalise
from tests.reports.conftest import flat, pdftotext
from tests.stress_office import build_stress_office

pytestmark = pytest.mark.django_db


def _rows(data) -> dict:
    return {row["name"]: row for row in data["projects"]}


# ------------------------------------------------------------------ plan vs actual


def test_round_1_plan_vs_actual_and_verdict_by_hand(book):
    """Round 1 (3 months, Q1): P1 plans 6,000 and paid 3,600 + 2,000 = 5,600;
    P2 plans 2,600 and paid nothing by 31 Dec 2024: both behind plan."""
    rows = _rows(progress_document(book.round1))

    p1, p2 = rows[book.p1.name], rows[book.p2.name]
    assert (p1["planned_period"], p1["disbursed"]) == (
        Decimal("6000.00"),
        Decimal("5600.00"),
    )
    assert p1["verdict"] == BEHIND_PLAN
    assert (p2["planned_period"], p2["disbursed"]) == (Decimal("2600.00"), 0)
    assert p2["verdict"] == BEHIND_PLAN


def test_round_2_reaches_the_plan_by_hand(book):
    """Round 2 (6 months, Q1–Q2): P1 plans 6,000 + 1,000 = 7,000 and paid
    5,600: behind. P2 plans 2,600 and paid 2,100 (15 Jan) + 500 (1 Feb) =
    2,600: on plan. The group's table adds up 9,600 / 9,600 / 8,200."""
    DisbursementFactory(
        activity=book.p2.activities.get(),
        amount=500,
        paid_on=datetime.date(2025, 2, 1),
    )
    round2 = ReportingRoundFactory(
        organization=book.plan.organization, fiscal_year=2568, number=2
    )

    data = progress_document(round2)
    rows = _rows(data)

    assert rows[book.p1.name]["planned_period"] == Decimal("7000.00")
    assert rows[book.p1.name]["verdict"] == BEHIND_PLAN
    assert rows[book.p2.name]["planned_period"] == Decimal("2600.00")
    assert rows[book.p2.name]["disbursed"] == Decimal("2600.00")
    assert rows[book.p2.name]["verdict"] == ON_PLAN
    (group, table), *_ = report_tables(data)["group_tables"]
    assert group.code == "plan"
    assert table.total_row == {
        "name": "รวม",
        "total_budget": Decimal("9600.00"),
        "planned_period": Decimal("7000.00") + Decimal("2600.00"),
        "disbursed": Decimal("8200.00"),
    }
    assert [row["verdict"] for row in table.rows] == [BEHIND_PLAN, ON_PLAN]


# ------------------------------------------------------------------ seed 002's office


@pytest.fixture
def seed002(office, director):
    """Seed 002's 6-month round in the shape of its figures: 17 plan projects
    (2 in progress with results, 15 not started) and 18 allocated by OBEC
    (3 completed with results, 15 in progress with nothing written yet)."""
    call_command("loaddata", "budget_sources", verbosity=0)
    plan_source = BudgetSource.objects.get(code="basic-human-capital")
    obec = BudgetSource.objects.get(code="obec")
    planning = OfficeGroupFactory(organization=office, name="กลุ่มนโยบายและแผน")
    planner = make_staff(office, group=planning, first_name="วางแผน")
    GroupHeadAssignmentFactory(group=planning, person=planner)
    plan = PlanFactory(organization=office, fiscal_year=2565)
    reporting_round = ReportingRoundFactory(
        organization=office, fiscal_year=2565, number=2
    )

    def project(number, source, status, **report):
        created = ProjectFactory(
            plan=plan,
            group=planning,
            sequence=number,
            code=f"65-{number:03d}",
            name=f"โครงการที่ {number} ของแผนปฏิบัติการ",
            status="approved",
            budget_source=source,
        )
        ProgressReportFactory(
            project=created, round=reporting_round, status=status, **report
        )

    blank = {"percent_complete": 0, "output_progress": ""}
    for number in range(1, 18):
        if number <= 2:
            project(number, plan_source, "in_progress")
        else:
            project(number, plan_source, "not_started", **blank)
    for number in range(18, 36):
        if number <= 20:
            project(number, obec, "completed", percent_complete=100)
        else:
            project(number, obec, "in_progress", **blank)
    return SimpleNamespace(round=reporting_round, planner=planner)


def test_seed_002_status_figures_per_funding_group(seed002):
    groups = progress_document(seed002.round)["funding_groups"]

    figures = {
        group.code: [(row.label, row.count, str(row.share)) for row in group.statuses]
        for group in groups
    }
    assert figures["plan"] == [
        ("ยังไม่ดำเนินการ", 15, "88.24"),
        ("อยู่ระหว่างดำเนินการ", 2, "11.76"),
    ]
    assert figures["obec"] == [
        ("อยู่ระหว่างดำเนินการ", 15, "83.33"),
        ("ดำเนินการเสร็จสิ้นแล้ว", 3, "16.67"),
    ]
    for group in groups:
        assert sum(row.share for row in group.statuses) == Decimal("100.00")


def test_only_projects_with_something_to_report_get_a_page(seed002):
    data = progress_document(seed002.round)

    assert len(data["projects"]) == 35
    assert [row["code"] for row in data["detailed"]] == [
        "65-001",
        "65-002",
        "65-018",
        "65-019",
        "65-020",
    ]
    tables = {group.code: table for group, table in report_tables(data)["group_tables"]}
    assert len(tables["plan"].rows) == 17
    assert len(tables["obec"].rows) == 18


@pytest.mark.pdf
def test_seed_002_prints_few_pages_with_cover_and_sign_off(seed002):
    """38 pages before (a page per project); now the cover, the summary, two
    tables and five project pages."""
    content = documents.progress_document(seed002.round, "thai").render()

    pages = len(PdfReader(io.BytesIO(content)).pages)
    assert pages <= 14, pages
    cover = flat(pdftotext(content, 1))
    for expected in (
        "รายงานผลการ",  # pdftotext reorders some of the title's vowels
        "รอบ ๖ เดือน",
        "ปีงบประมาณ พ.ศ. ๒๕๖๕",
        "ข้อมูล ณ วันที่ ๓๑ มีนาคม ๒๕๖๕",
        "ประถมศึกษาทดสอบ เขต ๑",
    ):
        assert flat(normalise(expected)) in cover, cover
    assert flat("หน้า") not in cover  # the cover has no page number
    last = flat(pdftotext(content, pages))
    for expected in (
        "ลงชื่อ",
        "ผู้รายงาน",
        "(นางวางแผน ใจดี)",  # the planning group's head, by name
        "ตำแหน่ง ผู้อำนวยการกลุ่ม",
        "นโยบายและแผน",
        "ผู้รับรองรายงาน",
        "(นางผู้อำนวยการ ใจดี)",  # the office's director, by name
    ):
        assert flat(normalise(expected)) in last, last
    text = flat(pdftotext(content, layout=False))
    assert flat(normalise("ผลการเบิกจ่ายเทียบกับแผน")) in text
    assert flat(normalise("สามารถเบิกจ่ายได้ตามแผน")) in text
    assert flat(normalise("๖๕-๐๓๕")) in text  # a row of the last table


# ------------------------------------------------------------------ stress office


def test_stress_office_status_shares_add_up_to_100(db):
    stress = build_stress_office()
    for number in (2, 4):
        data = progress_document(stress.rounds[number])
        assert sum(row.share for row in data["statuses"]) == Decimal("100.00")
        for group in data["funding_groups"]:
            assert sum(row.share for row in group.statuses) == Decimal("100.00")
