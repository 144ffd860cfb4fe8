"""Nothing invented, no placeholders (issues 15 and 16): an office whose plan
has every gap a source may leave prints each empty field as "–" (or blank),
never a sentence about what is missing, in every document. The sentences are
the plan checker's (tests/projects/test_checker.py) and the screens'.

The gaps: no vision, mission, goal or book section; a strategy without
guidelines and a text indicator without a target; a project without money,
strategy link, objective, KPI, activity or responsible person, reported as
not started (no percent); another project with a cost line and a running cost
without a category; no emblem; nobody reported problems.
"""

import pytest
from django.core.management import call_command

from budgets.models import UNCLASSIFIED, BudgetSource, CostLine, ExpenseCategory
from reports import documents
from tests.factories import (
    ActivityFactory,
    AllocationFactory,
    IndicatorFactory,
    OperatingCostFactory,
    PlanFactory,
    ProgressReportFactory,
    ProjectFactory,
    ReportingRoundFactory,
    StrategyFactory,
)
from tests.pdf_utils import normalise
from tests.reports.conftest import FISCAL_YEAR, flat, pdftotext

pytestmark = pytest.mark.django_db

#: What the documents printed for empty fields before (issue 16), and the
#: other sentences about missing data the screens keep.
PLACEHOLDERS = [
    "ยังไม่เชื่อมโยงกับกลยุทธ์ของสำนักงาน",
    "ยังไม่ได้เขียนคำนำ",
    "ยังไม่ได้เขียนข้อมูลพื้นฐาน",
    "ยังไม่ได้เขียนการบริหารแผนสู่การปฏิบัติ",
    "ไม่มีภาคผนวก",
    "ยังไม่ได้กำหนดวิสัยทัศน์",
    "ยังไม่ได้กำหนดพันธกิจ",
    "ยังไม่ได้กำหนดเป้าประสงค์",
    "ยังไม่ได้กำหนดแนวทางการพัฒนา",
    "ยังไม่ได้กำหนดตัวชี้วัด",
    "ยังไม่มีกิจกรรม",
    "ยังไม่มีผล",
    "ไม่มีข้อมูล",
    "ไม่มีปัญหาอุปสรรค",
    "ยังไม่มีรายงาน",
    "ศูนย์บาทถ้วน",
    "อยู่-",
    "ไม่ได้กำหนด",  # a quarter without a disbursement target
]
#: Words with ยังไม่ that are data, not placeholders: a report's status, the
#: draft mark on the cover and the money row of budget not spread over
#: quarters (a figure).
ALLOWED = [
    "ยังไม่ดำเนินการ",
    "ยังไม่รายงาน",
    "ร่างแผนยังไม่",  # the draft mark, ...ได้รับอนุมัติ
    "ยังไม่ได้จัดทำ",  # ...แผนรายไตรมาส, wrapped
    "คงเหลือยังไม่",  # ...จัดสรร, a column heading wrapped
    "เงินจัดสรรที่ยังไม่ได้",  # ...กำหนดรายการใช้จ่าย, a ledger row (wrapped)
]


@pytest.fixture
def gaps(office, group_a):
    call_command("loaddata", "budget_sources", "expense_categories", verbosity=0)
    source = BudgetSource.objects.get(code="basic-human-capital")
    plan = PlanFactory(organization=office, fiscal_year=FISCAL_YEAR, vision="")
    strategy = StrategyFactory(plan=plan, number=1, title="พัฒนาคุณภาพผู้เรียน")
    IndicatorFactory(
        strategy=strategy, number=1, name="ระดับผลการประเมิน ITA", unit="text"
    )
    AllocationFactory(
        organization=office, fiscal_year=FISCAL_YEAR, source=source, amount=300000
    )
    OperatingCostFactory(
        organization=office,
        fiscal_year=FISCAL_YEAR,
        source=source,
        category=None,
        description="ค่าใช้จ่ายที่แหล่งข้อมูลไม่ระบุหมวด",
        amount=145000,
    )
    bare = ProjectFactory(
        plan=plan,
        group=group_a,
        sequence=1,
        name="โครงการส่งเสริมการอ่าน",
        status="approved",
        uses_budget=True,
        budget_source=source,
        rationale="",
    )
    funded = ProjectFactory(
        plan=plan,
        group=group_a,
        sequence=2,
        name="โครงการนิเทศการศึกษา",
        status="approved",
        budget_source=source,
    )
    funded.strategies.set([strategy])
    activity = ActivityFactory(project=funded, order=1, name="นิเทศโรงเรียน")
    CostLine.objects.create(
        activity=activity,
        category=ExpenseCategory.objects.get(code="services"),
        description="ค่าพาหนะ",
        amount=5000,
    )
    CostLine.objects.create(
        activity=activity, category=None, description="ค่าใช้จ่ายอื่น", amount=2000
    )
    reporting_round = ReportingRoundFactory(
        organization=office, fiscal_year=FISCAL_YEAR, number=4
    )
    ProgressReportFactory(
        project=bare,
        round=reporting_round,
        status="not_started",
        percent_complete=0,
        output_progress="",
    )
    return plan, bare, reporting_round


def _pdfs(plan, project, reporting_round) -> dict:
    """The six documents of the office, by name (not laid out yet)."""
    filters = {"group": None, "strategy": None, "source": None}
    return {
        "plan book": documents.plan_book_document(plan, "arabic"),
        "project sheet": documents.project_sheet_document(project, "arabic"),
        "progress": documents.progress_document(reporting_round, "arabic"),
        "annual": documents.annual_document(plan, "arabic"),
        "KPI": documents.kpi_document(plan, filters, [], "arabic"),
        "budget": documents.budget_document(plan, filters, [], "arabic"),
    }


def test_no_document_prints_a_placeholder_sentence(gaps):
    plan, bare, reporting_round = gaps
    for name, document in _pdfs(plan, bare, reporting_round).items():
        # no emblem uploaded: no drawn stand-in on any cover
        assert "<circle" not in document.body, name
        text = flat(pdftotext(document.render()))
        for sentence in PLACEHOLDERS:
            assert normalise(flat(sentence)) not in text, (name, sentence)
        rest = text
        for word in ALLOWED:
            rest = rest.replace(normalise(flat(word)), "")
        assert "ยังไม่" not in rest, (name, rest[rest.index("ยังไม่") - 40 :][:80])
        assert "–" in text, name


def test_the_empty_fields_print_a_dash_and_the_gaps_are_counted(gaps):
    plan, bare, reporting_round = gaps
    book = documents.plan_book_document(plan, "arabic")
    # no emblem uploaded: no drawn stand-in on the cover
    assert "emblem" not in book.body and "<circle" not in book.body
    text = flat(pdftotext(book.render()))
    # the unclassified running cost and cost line, counted under one label
    # (running costs, projects, total)
    assert flat(f"{UNCLASSIFIED}145,000.002,000.00147,000.00") in text
    # the project without money: "- บาท", not "0.00 บาท (ศูนย์บาทถ้วน)"
    sheet = flat(pdftotext(documents.project_sheet_document(bare, "arabic").render()))
    assert flat("4. งบประมาณ - บาท") in sheet
    assert flat("ความสอดคล้อง –") in sheet

    # not started: the status alone, no percent
    progress = flat(
        pdftotext(documents.progress_document(reporting_round, "arabic").render())
    )
    # (a row of its funding group's table: no money, no percent, no result)
    assert flat(f"{bare.code} โครงการส่งเสริมการอ่าน - - -") in progress
    assert normalise(flat("ยังไม่ดำเนินการ –")) in progress
