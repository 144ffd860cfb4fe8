"""The memo of a project revision (บันทึกข้อความขออนุมัติปรับแผน) and the
"ฉบับปรับปรุงครั้งที่ N" of the plan book and the project sheet (issue 21
item 4). The amounts are checked against hand arithmetic."""

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from budgets import services as budget_services
from budgets.models import CostLine
from plans.models import Plan
from projects import services
from projects.models import Activity, Project
from reports import documents, selectors
from reports.revision_memo import revision_memo
from tests.factories import (
    ActivityFactory,
    CostLineFactory,
    ExpectedResultFactory,
    ExpenseCategoryFactory,
    ObjectiveFactory,
    PlanFactory,
    ProjectFactory,
    ProjectKPIFactory,
    ProjectResponsibleFactory,
    QuarterPlanFactory,
    StrategyFactory,
)
from tests.pdf_utils import normalise
from tests.reports.conftest import flat, pdftotext

pytestmark = pytest.mark.django_db

D = Decimal


def _line(activity, category, amount):
    return CostLineFactory(
        activity=activity,
        category=category,
        times=None,
        persons=None,
        rate=None,
        amount=D(amount),
        description=f"รายการ {amount}",
    )


@pytest.fixture
def world(office, group_a, head_a, director):
    """An approved plan with one approved project of three activities:
    A1 30,000.00 (ค่าตอบแทน 20,000.00 + ค่าวัสดุ 10,000.00),
    A2 10,000.00 (ค่าวัสดุ), A3 5,000.50 (ค่าตอบแทน): 45,000.50 in all."""
    plan = PlanFactory(organization=office, fiscal_year=2568)
    strategy = StrategyFactory(plan=plan, number=1)
    project = ProjectFactory(
        plan=plan, group=group_a, code="68-009", name="พัฒนาครูยุคใหม่", uses_budget=True
    )
    project.strategies.add(strategy)
    ObjectiveFactory(project=project, order=1)
    ProjectKPIFactory(project=project, order=1)
    ExpectedResultFactory(project=project)
    ProjectResponsibleFactory(project=project, order=1)
    pay = ExpenseCategoryFactory(code="t-pay", name="ค่าตอบแทน", order=1)
    stuff = ExpenseCategoryFactory(code="t-stuff", name="ค่าวัสดุ", order=3)
    a1 = ActivityFactory(project=project, order=1, name="อบรมครู")
    a2 = ActivityFactory(project=project, order=2, name="นิเทศติดตาม")
    a3 = ActivityFactory(project=project, order=3, name="ศึกษาดูงาน")
    pay_a1 = _line(a1, pay, "20000.00")
    _line(a1, stuff, "10000.00")
    _line(a2, stuff, "10000.00")
    _line(a3, pay, "5000.50")
    Project.objects.filter(pk=project.pk).update(status=Project.Status.APPROVED)
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.APPROVED)
    project = Project.objects.get(pk=project.pk)
    return {
        "plan": Plan.objects.get(pk=plan.pk),
        "project": project,
        "a1": a1,
        "a2": a2,
        "a3": a3,
        "pay": pay,
        "stuff": stuff,
        "pay_a1": pay_a1,
    }


def _revise(world, head_a):
    """Move 12,500.50 from A1 to A2, drop A3, add A4 (ค่าวัสดุ 3,000.00) and
    move A2 to January–February 2568."""
    project = world["project"]
    revision = services.project_start_revision(
        project=project, reason="ปรับตามมติของกลุ่มงาน", user=head_a
    )
    project = Project.objects.get(pk=project.pk)
    line = CostLine.objects.get(pk=world["pay_a1"].pk)
    line.amount = D("7499.50")
    budget_services.cost_line_save(line=line, user=head_a, check_envelope=False)
    moved = CostLine(
        activity=Activity.objects.get(pk=world["a2"].pk),
        category=world["pay"],
        description="ค่าตอบแทนวิทยากร",
        amount=D("12500.50"),
    )
    budget_services.cost_line_save(line=moved, user=head_a, check_envelope=False)
    services.activity_delete(
        activity=Activity.objects.get(pk=world["a3"].pk), user=head_a
    )
    a2 = Activity.objects.get(pk=world["a2"].pk)
    a2.months = ["2025-01-01", "2025-02-01"]
    services.activity_save(activity=a2, user=head_a)
    a4 = Activity(project=project, order=4, name="จัดทำสื่อ", months=["2025-03-01"])
    services.activity_save(activity=a4, user=head_a)
    budget_services.cost_line_save(
        line=CostLine(
            activity=a4,
            category=world["stuff"],
            description="ค่าวัสดุทำสื่อ",
            amount=D("3000.00"),
        ),
        user=head_a,
        check_envelope=False,
    )
    return revision


def _text(html) -> str:
    return re.sub(r"<[^>]+>", "", str(html))


def _rows(rows):
    return [(row.label, row.before, row.after, row.change, row.note) for row in rows]


def test_memo_numbers_match_hand_arithmetic(world, head_a):
    revision = _revise(world, head_a)
    memo = revision_memo(revision)
    assert _rows(memo.activities) == [
        ("1. อบรมครู", D("30000.00"), D("17499.50"), D("-12500.50"), ""),
        ("2. นิเทศติดตาม", D("10000.00"), D("22500.50"), D("12500.50"), ""),
        ("3. จัดทำสื่อ", D("0"), D("3000.00"), D("3000.00"), "เพิ่มใหม่"),
        ("3. ศึกษาดูงาน", D("5000.50"), D("0"), D("-5000.50"), "ยกเลิก"),
    ]
    assert _rows(memo.categories) == [
        ("ค่าตอบแทน", D("25000.50"), D("20000.00"), D("-5000.50"), ""),
        ("ค่าวัสดุ", D("20000.00"), D("23000.00"), D("3000.00"), ""),
    ]
    assert (memo.before_total, memo.after_total, memo.change) == (
        D("45000.50"),
        D("43000.00"),
        D("-2000.50"),
    )
    assert memo.added == ["3. จัดทำสื่อ (มี.ค. 2568)"]
    assert memo.dropped == ["3. ศึกษาดูงาน"]
    assert memo.moved == [
        "2. นิเทศติดตาม: เดิม พ.ย. 2567 – ธ.ค. 2567 ปรับเป็น ม.ค. 2568 – ก.พ. 2568"
    ]
    assert memo.subject == "ขออนุมัติปรับแผนและปรับงบประมาณโครงการพัฒนาครูยุคใหม่"


def test_a_transfer_keeping_the_total_is_a_โอนเปลี่ยนแปลง(world, head_a):
    revision = services.project_start_revision(
        project=world["project"], reason="โอนงบระหว่างกิจกรรม", user=head_a
    )
    line = CostLine.objects.get(pk=world["pay_a1"].pk)
    line.amount = D("7499.50")
    budget_services.cost_line_save(line=line, user=head_a, check_envelope=False)
    budget_services.cost_line_save(
        line=CostLine(
            activity=Activity.objects.get(pk=world["a2"].pk),
            category=world["pay"],
            description="ค่าตอบแทนวิทยากร",
            amount=D("12500.50"),
        ),
        user=head_a,
        check_envelope=False,
    )
    memo = revision_memo(revision)
    assert memo.change == 0
    assert memo.subject.startswith("ขออนุมัติปรับแผนและโอนเปลี่ยนแปลงงบประมาณโครงการ")
    assert [row.change for row in memo.activities] == [
        D("-12500.50"),
        D("12500.50"),
        D("0"),
    ]


@pytest.mark.pdf
def test_memo_pdf_prints_the_official_layout(client, world, head_a, director):
    revision = _revise(world, head_a)
    client.force_login(director)
    url = reverse("reports:revision_memo_pdf", args=[world["project"].pk, 1])
    response = client.get(url + "?digits=arabic")
    assert response["Content-Type"] == "application/pdf"
    text = pdftotext(response.content)
    assert "\ufffd" not in text
    flat_text = flat(text)
    for expected in (
        "บันทึกข้อความ",
        "ส่วนราชการกลุ่มส่งเสริมการจัดการศึกษาสำนักงานเขตพื้นที่การศึกษาประถมศึกษาทดสอบเขต1",
        "เรื่องขออนุมัติปรับแผนและปรับงบประมาณโครงการพัฒนาครูยุคใหม่",
        "เรียนผู้อำนวยการสำนักงานเขตพื้นที่การศึกษาประถมศึกษาทดสอบเขต1",
        "ปรับตามมติของกลุ่มงาน",
        "1.อบรมครู30,000.0017,499.50-12,500.50",
        "2.นิเทศติดตาม10,000.0022,500.5012,500.50",
        "3.ศึกษาดูงาน5,000.500.00-5,000.50ยกเลิก",
        "ค่าตอบแทน25,000.5020,000.00-5,000.50",
        "ค่าวัสดุ20,000.0023,000.003,000.00",
        "รวม45,000.5043,000.00-2,000.50",
        "กิจกรรมที่ยกเลิก",
        "ปรับเป็นม.ค.2568",
        "ผู้เสนอ",
        "ตำแหน่งผู้อำนวยการกลุ่มส่งเสริม",
        "นางหัวหน้าเอใจดี",
        "นางผู้อำนวยการใจดี",
        "ผู้อนุมัติ",
        "จึงเรียนมาเพื่อโปรดพิจารณาอนุมัติ",
    ):
        assert flat(normalise(expected)) in flat_text, expected
    written = revision.created_at.astimezone(datetime.UTC).date()
    assert str(written.year + 543) in flat_text
    # the office's digits by default
    thai = flat(pdftotext(client.get(url).content))
    assert "๑๒,๕๐๐.๕๐" in thai


def test_memo_of_another_office_is_404(client, world, head_a, outsider):
    _revise(world, head_a)
    client.force_login(outsider)
    url = reverse("reports:revision_memo_pdf", args=[world["project"].pk, 1])
    assert client.get(url).status_code == 404


def test_book_and_sheet_print_the_revision_round_only_after_approval(
    world, head_a, director
):
    plan, project = world["plan"], world["project"]

    def book_text():
        document = documents.plan_book_document(Plan.objects.get(pk=plan.pk), "arabic")
        return _text(document.body), document.running_title

    def sheet_text():
        sheet = Project.objects.get(pk=project.pk)
        return _text(documents.project_sheet_document(sheet, "arabic").body)

    assert "ฉบับปรับปรุงครั้งที่" not in book_text()[0]
    _revise(world, head_a)
    project = Project.objects.get(pk=project.pk)
    services.project_request_revision(project=project, user=head_a)
    assert "ฉบับปรับปรุงครั้งที่" not in book_text()[0]
    assert "ฉบับปรับปรุงครั้งที่" not in sheet_text()
    # when
    services.project_approve_revision(project=project, user=director)
    # then
    body, running_title = book_text()
    assert "(ฉบับปรับปรุงครั้งที่ 1)" in body
    assert running_title.endswith("ฉบับปรับปรุงครั้งที่ 1")
    assert "ฉบับปรับปรุงครั้งที่ 1" in sheet_text()
    # the book prints the current version: A3 is gone, A4 is there
    assert "จัดทำสื่อ" in body and "ศึกษาดูงาน" not in body


def test_the_approved_book_prints_a_project_under_revision_as_last_approved(
    world, head_a, director
):
    """Hand arithmetic: the project was approved at 45,000.50 (A1 30,000.00,
    A2 10,000.00, A3 5,000.50; ค่าตอบแทน 25,000.50, ค่าวัสดุ 20,000.00); the
    revision makes its live sheet 43,000.00. Until the director approves the
    change, the approved book prints and counts 45,000.50."""
    plan, project = world["plan"], world["project"]
    _revise(world, head_a)
    assert Project.objects.get(pk=project.pk).status == Project.Status.REVISING

    def book():
        return selectors.plan_book(Plan.objects.get(pk=plan.pk))

    for step in ("revising", "pending"):
        if step == "pending":
            services.project_request_revision(
                project=Project.objects.get(pk=project.pk), user=head_a
            )
        printed = book()
        [sheet] = printed.sheets
        assert D(str(sheet["total_budget"])) == D("45000.50"), step
        names = [row["name"] for row in sheet["activities"]]
        assert names == ["อบรมครู", "นิเทศติดตาม", "ศึกษาดูงาน"], step
        assert sheet["cost_table"].total == D("45000.50")
        assert sheet["quarter_table"] is None  # no quarterly plan was approved
        summary = printed.budget
        assert summary.project_total == D("45000.50")
        assert summary.totals["project_count"] == 1
        assert [p.total_budget for p in summary.projects] == [D("45000.50")]
        assert [g.total_budget for g in summary.groups] == [D("45000.50")]
        assert [s.total_budget for s in summary.strategies] == [D("45000.50")]
        by_category = {c.name: c.project_budget for c in summary.categories}
        assert by_category == {"ค่าตอบแทน": D("25000.50"), "ค่าวัสดุ": D("20000.00")}
        assert printed.by_office_strategy.total_budget == D("45000.50")
        body = _text(documents.plan_book_document(printed.plan, "arabic").body)
        assert "45,000.50" in body and "43,000.00" not in body, step
        assert "ศึกษาดูงาน" in body and "จัดทำสื่อ" not in body, step
    # once approved the book prints the new version: 43,000.00
    services.project_approve_revision(
        project=Project.objects.get(pk=project.pk), user=director
    )
    printed = book()
    assert printed.budget.project_total == D("43000.00")
    assert D(str(printed.sheets[0]["total_budget"])) == D("43000.00")


def test_the_approved_book_reads_frozen_copies_in_three_more_queries(world, head_a):
    """A fixed count: the frozen copies are read for all projects at once
    (the sheets 1; the money 2: strategies and live lines)."""
    plan = world["plan"]
    approved_plan, revising_plan = (Plan.objects.get(pk=plan.pk) for _ in "ab")
    with CaptureQueriesContext(connection) as approved:
        selectors.plan_book(approved_plan)
    _revise(world, head_a)
    with CaptureQueriesContext(connection) as revising:
        assert len(selectors.plan_book(revising_plan).sheets) == 1
    assert len(revising) == len(approved) + 3


# ------------------------------------------------------------------ frozen quarters

APPROVED_QUARTERS = [D("10000.50"), D("20000.00"), D("10000.00"), D("5000.00")]
REVISED_QUARTERS = [D("17499.50"), D("22500.50"), D("3000.00"), D("0.00")]


@pytest.fixture
def quartered(world):
    """The approved project's spending plan: A1 (30,000.00) 5,000.00 /
    20,000.00 / 5,000.00 / 0; A2 (10,000.00) 5,000.00 / 0 / 5,000.00 / 0;
    A3 (5,000.50) 0.50 / 0 / 0 / 5,000.00. By quarter 10,000.50 / 20,000.00 /
    10,000.00 / 5,000.00: 45,000.50, the approved budget."""
    plans = {
        "a1": ("5000.00", "20000.00", "5000.00", "0"),
        "a2": ("5000.00", "0", "5000.00", "0"),
        "a3": ("0.50", "0", "0", "5000.00"),
    }
    for key, amounts in plans.items():
        for quarter, amount in enumerate(amounts, start=1):
            QuarterPlanFactory(activity=world[key], quarter=quarter, amount=D(amount))
    return world


def _replan(world, head_a):
    """:func:`_revise`, then the new spending plan: A1 (17,499.50) all in
    quarter 1, A2 (22,500.50) in quarter 2, A4 (3,000.00) in quarter 3. By
    quarter 17,499.50 / 22,500.50 / 3,000.00 / 0: 43,000.00."""
    revision = _revise(world, head_a)
    a4 = Activity.objects.get(project=world["project"], name="จัดทำสื่อ")
    for activity, amounts in (
        (world["a1"], {1: "17,499.50"}),
        (world["a2"], {2: "22,500.50"}),
        (a4, {3: "3,000.00"}),
    ):
        budget_services.activity_set_quarter_plan(activity=activity, amounts=amounts)
    return revision


def _quarters_of(summary):
    return [summary.totals[f"planned_q{quarter}"] for quarter in (1, 2, 3, 4)]


def test_the_revision_freezes_the_quarterly_plans(quartered, head_a):
    revision = _replan(quartered, head_a)
    frozen = revision.snapshot["quarter_plans"]
    assert len(frozen) == 12  # three activities, four quarters each
    by_quarter = [
        sum((D(row["amount"]) for row in frozen if row["quarter"] == q), D(0))
        for q in (1, 2, 3, 4)
    ]
    assert by_quarter == APPROVED_QUARTERS
    assert sum(by_quarter) == D("45000.50")


def test_the_approved_book_prints_the_quarters_last_approved_while_revising(
    quartered, head_a, director
):
    """Hand arithmetic: approved 10,000.50 / 20,000.00 / 10,000.00 / 5,000.00
    (45,000.50); the revision's live plan is 17,499.50 / 22,500.50 / 3,000.00
    / 0 (43,000.00). Revising and pending, the approved book's quarter table,
    summary and spending plan print the approved quarters; once approved,
    the new ones."""
    plan, project = quartered["plan"], quartered["project"]
    _replan(quartered, head_a)

    def book():
        return selectors.plan_book(Plan.objects.get(pk=plan.pk))

    for step in ("revising", "pending"):
        if step == "pending":
            services.project_request_revision(
                project=Project.objects.get(pk=project.pk), user=head_a
            )
        printed = book()
        [sheet] = printed.sheets
        table = sheet["quarter_table"]
        assert table.totals == APPROVED_QUARTERS, step
        assert table.total == D("45000.50")
        assert [row["activity"] for row in table.rows] == [
            "1. อบรมครู",
            "2. นิเทศติดตาม",
            "3. ศึกษาดูงาน",
        ]
        assert [row["total"] for row in table.rows] == [
            D("30000.00"),
            D("10000.00"),
            D("5000.50"),
        ]
        summary = printed.budget
        assert _quarters_of(summary) == APPROVED_QUARTERS, step
        assert summary.planned_total == D("45000.50")
        assert summary.unplanned == 0  # the approved plan spreads it all
        assert [row.planned for row in summary.quarters] == APPROVED_QUARTERS
        assert [row.planned_cumulative for row in summary.quarters] == [
            D("10000.50"),
            D("30000.50"),
            D("40000.50"),
            D("45000.50"),
        ]
        assert summary.quarters[-1].planned_percent == 100
        [row] = printed.spending.projects
        assert [row.planned_q1, row.planned_q2, row.planned_q3, row.planned_q4] == (
            APPROVED_QUARTERS
        )
        assert (row.planned_total, row.unplanned) == (D("45000.50"), 0)
        body = _text(documents.plan_book_document(printed.plan, "arabic").body)
        assert "10,000.50" in body and "20,000.00" in body, step
        for live in ("17,499.50", "22,500.50", "43,000.00"):
            assert live not in body, (step, live)
    services.project_approve_revision(
        project=Project.objects.get(pk=project.pk), user=director
    )
    printed = book()
    table = printed.sheets[0]["quarter_table"]
    assert table.totals == REVISED_QUARTERS
    assert table.total == D("43000.00")
    assert _quarters_of(printed.budget) == REVISED_QUARTERS
    assert printed.budget.unplanned == 0
    assert printed.spending.projects[0].planned_q1 == D("17499.50")
    body = _text(documents.plan_book_document(printed.plan, "arabic").body)
    assert "17,499.50" in body and "10,000.50" not in body


def test_a_copy_frozen_before_quarters_were_kept_falls_back_to_the_live_ones(
    quartered, head_a
):
    """A revision frozen before snapshots kept quarterly plans: its quarters
    are not frozen, so the book leaves the project's quarter table out and
    the summary counts the live quarters, as before."""
    revision = _replan(quartered, head_a)
    revision.snapshot.pop("quarter_plans", None)
    revision.save(update_fields=["snapshot"])
    printed = selectors.plan_book(Plan.objects.get(pk=quartered["plan"].pk))
    assert printed.sheets[0]["quarter_table"] is None
    assert _quarters_of(printed.budget) == REVISED_QUARTERS
    # the budget is still the frozen 45,000.50: 2,000.50 not spread
    assert printed.budget.project_total == D("45000.50")
    assert printed.budget.unplanned == D("2000.50")
    assert printed.spending.projects[0].planned_q1 == D("17499.50")


def test_the_frozen_quarters_cost_no_more_queries(quartered, head_a):
    """The pin of the approved book holds with quarterly plans: the live
    quarters are read with the frozen copies, in the same three queries."""
    plan = quartered["plan"]
    approved_plan, revising_plan = (Plan.objects.get(pk=plan.pk) for _ in "ab")
    with CaptureQueriesContext(connection) as approved:
        selectors.plan_book(approved_plan)
    _replan(quartered, head_a)
    with CaptureQueriesContext(connection) as revising:
        book = selectors.plan_book(revising_plan)
    assert book.sheets[0]["quarter_table"].total == D("45000.50")
    assert len(revising) == len(approved) + 3


@pytest.mark.pdf
def test_the_approved_book_pdf_prints_the_frozen_quarter_table(
    client, quartered, head_a
):
    """The printed book, revising: the project's quarter table and the
    spending plan read 10,000.50 / 20,000.00 / 10,000.00 / 5,000.00."""
    _replan(quartered, head_a)
    client.force_login(head_a)
    url = reverse("reports:plan_book_pdf", args=[quartered["plan"].pk])
    response = client.get(url, {"digits": "arabic"})
    assert response["Content-Type"] == "application/pdf"
    text = flat(pdftotext(response.content, layout=False))
    for expected in (
        "แผนการใช้จ่ายงบประมาณรายไตรมาส",
        # the book prints whole baht without satang
        "1.อบรมครู5,00020,0005,000-30,000",
        "3.ศึกษาดูงาน0.50--5,0005,000.50",
        "10,000.5020,00010,0005,00045,000.50",
    ):
        assert flat(normalise(expected)) in text, expected
    for live in ("17,499.50", "22,500.50", "43,000.00"):
        assert live not in text, live
