"""The offices' own layouts in the plan book (issue 16 item 5).

A small office year, summed by hand:

- running costs (entered out of order): 1 ค่าสาธารณูปโภค 300,000,
  2 ค่าจ้างลูกจ้างชั่วคราว 320,000, 3 ค่าวัสดุน้ำมันเชื้อเพลิง 100,000 = 720,000;
- projects, by code: 2.1 (30,000 + 15,000 = 45,000; OBEC B; strategy 2),
  2.2 (ไม่ใช้งบประมาณ; OBEC A; strategies 1 and 2), 2.10 (50,000; OBEC A;
  strategy 1), and one without a code (5,000; nothing) = 100,000;
- the year: 720,000 + 100,000 = 820,000;
- OBEC A: 2 projects, 50,000; OBEC B: 1 project, 45,000; not aligned:
  1 project, 5,000; all: 4 projects, 100,000;
- strategy 1: 2 projects (2.2, 2.10), 50,000; strategy 2: 2 projects (2.1,
  2.2), 45,000; not aligned: 1, 5,000; all: 4, 100,000 (2.2 counted twice).
"""

import re
from decimal import Decimal

import pytest
from django.contrib.admin import site
from django.core.management import call_command
from django.urls import reverse

from budgets.models import BudgetSource, CostLine, ExpenseCategory, OperatingCost
from plans.admin import IndicatorAdmin
from plans.models import Indicator, Plan
from plans.selectors import direction_for_plan
from projects.models import code_order
from projects.selectors import project_sheet
from reports import documents
from reports.selectors import indicator_attainment, plan_book
from reports.tables import plan_book_tables
from tests.factories import (
    ActivityFactory,
    IndicatorFactory,
    PlanFactory,
    PolicyItemFactory,
    ProjectFactory,
    StrategyFactory,
)

pytestmark = pytest.mark.django_db

YEAR = 2568


@pytest.fixture
def year(office, group_a, group_b):
    call_command("loaddata", "budget_sources", "expense_categories", verbosity=0)
    category = {c.code: c for c in ExpenseCategory.objects.all()}
    source = BudgetSource.objects.get(code="basic-human-capital")
    plan = PlanFactory(organization=office, fiscal_year=YEAR)
    s1 = StrategyFactory(plan=plan, number=1, title="พัฒนาคุณภาพผู้เรียน")
    s2 = StrategyFactory(plan=plan, number=2, title="เพิ่มประสิทธิภาพการบริหารจัดการ")
    obec_a = PolicyItemFactory(code="(ก)", title="พัฒนาคุณภาพผู้เรียน", order=901)
    obec_b = PolicyItemFactory(code="(ข)", title="เพิ่มประสิทธิภาพการบริหาร", order=902)
    for order, description, amount in (
        (3, "ค่าวัสดุน้ำมันเชื้อเพลิง", 100000),
        (1, "ค่าสาธารณูปโภค", 300000),
        (2, "ค่าจ้างลูกจ้างชั่วคราว", 320000),
    ):
        OperatingCost.objects.create(
            organization=office,
            fiscal_year=YEAR,
            source=source,
            category=category["utilities"],
            order=order,
            description=description,
            amount=amount,
        )

    def project(code, sequence, amounts, obec, strategies, group=group_a, **extra):
        item = ProjectFactory(
            plan=plan,
            code=code,
            sequence=sequence,
            name=f"โครงการทดสอบ {code or 'ไม่มีรหัส'}",
            group=group,
            budget_source=source,
            **extra,
        )
        item.policy_items.set(obec)
        item.strategies.set(strategies)
        activity = ActivityFactory(project=item, order=1)
        for amount in amounts:
            CostLine.objects.create(
                activity=activity,
                category=category["services"],
                description="ค่าอาหาร",
                amount=Decimal(amount),
            )
        return item

    # Entered in neither code nor text order.
    p210 = project("2.10", 1, ["50000"], [obec_a], [s1])
    p22 = project("2.2", 2, [], [obec_a], [s1, s2], group=group_b, uses_budget=False)
    uncoded = project("", 3, ["5000"], [], [])
    p21 = project("2.1", 4, ["30000", "15000"], [obec_b], [s2])
    return type(
        "Year",
        (),
        {
            "plan": plan,
            "s1": s1,
            "s2": s2,
            "obec_a": obec_a,
            "obec_b": obec_b,
            "p21": p21,
            "p22": p22,
            "p210": p210,
            "uncoded": uncoded,
        },
    )


def test_code_order_is_natural():
    codes = ["2.10", "2.2", "2.1", "68-010", "68-002", "๒.๙"]
    # Thai digits are the same numbers: ๒.๙ is 2.9
    assert sorted(codes, key=code_order) == [
        "2.1",
        "2.2",
        "๒.๙",
        "2.10",
        "68-002",
        "68-010",
    ]


def test_book_orders_projects_by_code_and_prints_the_codes(year):
    book = plan_book(year.plan)

    assert [sheet["label"] for sheet in book.sheets] == ["2.1", "2.2", "2.10", "4"]
    assert [row.label for row in book.alignment] == ["2.1", "2.2", "2.10", "4"]
    # the budget summary's project table follows the same order
    assert [p.code for p in book.budget.projects] == ["2.1", "2.2", "2.10", ""]
    body = documents.plan_book_document(year.plan, "arabic").body
    headings = re.findall(r'class="project-heading">(.*?)</h2>', body)
    assert [re.sub("<[^>]+>", "", h) for h in headings] == [
        "โครงการที่ 2.1",
        "โครงการที่ 2.2",
        "โครงการที่ 2.10",
        "โครงการที่ 4",
    ]


def test_spending_plan_is_seed_000s_table(year):
    book = plan_book(year.plan)
    table = plan_book_tables(book)["spending"]

    rows = [
        (row.get("part", ""), row["item"], row["amount"], row.get("group", ""))
        for row in table.rows
    ]
    assert rows == [
        ("1.", "ค่าใช้จ่ายการบริหารจัดการสำนักงาน", Decimal("720000"), ""),
        ("", "- ค่าสาธารณูปโภค", Decimal("300000"), ""),
        ("", "- ค่าจ้างลูกจ้างชั่วคราว", Decimal("320000"), ""),
        ("", "- ค่าวัสดุน้ำมันเชื้อเพลิง", Decimal("100000"), ""),
        ("2.", "ค่าใช้จ่ายในการพัฒนาคุณภาพการศึกษาขั้นพื้นฐาน", Decimal("100000"), ""),
        ("", "2.1 โครงการทดสอบ 2.1", Decimal("45000"), "กลุ่มส่งเสริมการจัดการศึกษา"),
        ("", "2.2 โครงการทดสอบ 2.2", "ไม่ใช้งบประมาณ", "กลุ่มบริหารงานบุคคล"),
        ("", "2.10 โครงการทดสอบ 2.10", Decimal("50000"), "กลุ่มส่งเสริมการจัดการศึกษา"),
        ("", "โครงการทดสอบ ไม่มีรหัส", Decimal("5000"), "กลุ่มส่งเสริมการจัดการศึกษา"),
    ]
    assert table.total_row == {"item": "รวมงบประมาณทั้งสิ้น", "amount": Decimal("820000")}
    body = documents.plan_book_document(year.plan, "arabic").body
    assert "รวมงบประมาณทั้งสิ้น" in body and "820,000" in body
    assert "ไม่ใช้งบประมาณ" in body


def _counts(summary):
    return {
        row.key: (row.project_count, row.total_budget)
        for row in summary.rows
        if row.project_count
    }


def test_summaries_per_obec_and_office_strategy(year):
    book = plan_book(year.plan)

    obec = book.by_obec_strategy
    assert _counts(obec) == {
        year.obec_a.pk: (2, Decimal("50000")),
        year.obec_b.pk: (1, Decimal("45000")),
    }
    assert (obec.unaligned.project_count, obec.unaligned.total_budget) == (
        1,
        Decimal("5000"),
    )
    assert (obec.project_count, obec.total_budget) == (4, Decimal("100000"))
    assert not obec.overlap

    office = book.by_office_strategy
    assert _counts(office) == {1: (2, Decimal("50000")), 2: (2, Decimal("45000"))}
    assert office.unaligned.project_count == 1
    assert (office.project_count, office.total_budget) == (4, Decimal("100000"))
    assert office.overlap  # 2.2 is under both strategies

    tables = plan_book_tables(book)
    office_rows = [
        (row["name"], row["project_count"], row["budget"])
        for row in tables["by_office_strategy"].rows
    ]
    assert office_rows == [
        ("กลยุทธ์ที่ 1 พัฒนาคุณภาพผู้เรียน", 2, Decimal("50000")),
        ("กลยุทธ์ที่ 2 เพิ่มประสิทธิภาพการบริหารจัดการ", 2, Decimal("45000")),
        ("ไม่ระบุกลยุทธ์", 1, Decimal("5000")),
    ]
    assert tables["by_office_strategy"].total_row["project_count"] == 4
    obec_rows = {
        row["name"]: (row["project_count"], row["budget"])
        for row in tables["by_obec_strategy"].rows
    }
    assert obec_rows["(ก) พัฒนาคุณภาพผู้เรียน"] == (2, Decimal("50000"))
    assert obec_rows["ไม่ระบุยุทธศาสตร์ สพฐ."] == (1, Decimal("5000"))


def test_alignment_matrix_marks_with_a_drawn_tick(year):
    book = plan_book(year.plan)
    codes = [code for code, _ in book.obec_strategies]
    a, b = codes.index("(ก)"), codes.index("(ข)")

    marks = {
        row.label: ([row.obec_marks[a], row.obec_marks[b]], row.marks)
        for row in book.alignment
    }
    assert marks == {
        "2.1": ([False, True], [False, True]),
        "2.2": ([True, False], [True, True]),
        "2.10": ([True, False], [True, False]),
        "4": ([False, False], [False, False]),
    }
    body = documents.plan_book_document(year.plan, "arabic").body
    matrix = body[body.index('data-testid="alignment"') :]
    matrix = matrix[: matrix.index("</table>")]
    assert matrix.count('class="tick"') == 7
    assert "✓" not in matrix  # Sarabun has no tick: it fell back to another font


def test_the_sheet_prints_the_projects_virement_wording(year):
    year.p21.virement_wording = "ถัวเฉลี่ยทุกรายการ"
    year.p21.save()

    sheet = project_sheet(year.p21)
    body = documents.project_sheet_document(year.p21, "arabic").body

    assert sheet["virement_wording"] == "ถัวเฉลี่ยทุกรายการ"
    assert "(สี่หมื่นห้าพันบาทถ้วน) ถัวเฉลี่ยทุกรายการ" in body
    assert "ถัวจ่ายทุกรายการ" not in body


def test_no_virement_prints_no_wording(year):
    year.p21.virement_allowed = False
    year.p21.save()

    body = documents.project_sheet_document(year.p21, "arabic").body

    assert "ถัวเฉลี่ย" not in body and "ถัวจ่าย" not in body


@pytest.mark.parametrize(
    "numbering, printed",
    [
        (Plan.IndicatorNumbering.BY_STRATEGY, "2.17"),
        (Plan.IndicatorNumbering.STRAIGHT, "17"),
    ],
)
def test_indicator_numbering_follows_the_plan(year, numbering, printed):
    """Seed 003 numbers its indicators 1–80 straight through the strategies."""
    year.plan.indicator_numbering = numbering
    year.plan.save()
    indicator = IndicatorFactory(strategy=year.s2, number=17, name="ร้อยละของโรงเรียน")
    year.p21.indicators.set([indicator])

    direction = direction_for_plan(year.plan)
    [row] = [i for s in direction.strategies for i in s.indicators]
    attainment = indicator_attainment(year.plan)
    [line] = [i for s in attainment.strategies for i in s.indicators]
    sheet = project_sheet(year.p21)

    assert row.code == printed
    assert line.code == printed
    assert sheet["alignment"]["indicators"] == [f"ตัวชี้วัดที่ {printed} ร้อยละของโรงเรียน"]
    # the admin's list of indicators too
    listed = Indicator.objects.select_related("strategy__plan").get(pk=indicator.pk)
    assert IndicatorAdmin(Indicator, site).code_display(listed) == printed
    # the workbook keeps linking projects by strategy.number
    assert indicator.code == "2.17"


def test_plan_default_numbering_is_by_strategy(office):
    assert PlanFactory(organization=office, fiscal_year=YEAR).indicator_label(3, 4) == (
        "3.4"
    )


def test_the_book_page_shows_the_new_chapters(client, viewer, year):
    client.force_login(viewer)
    response = client.get(reverse("reports:plan_book", args=[year.plan.pk]))

    assert response.status_code == 200
    content = response.content.decode()
    for testid in ("spending-plan", "by-obec-strategy", "by-office-strategy"):
        assert f'data-testid="{testid}"' in content
