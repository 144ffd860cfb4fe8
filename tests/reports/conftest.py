"""A crafted office year for the official documents, small enough to print fast.

FY 2568, two strategies, two approved projects:

- P1 (group A, strategy 1), lead: the officer. Activity 1: ค่าตอบแทนวิทยากร
  1 ครั้ง × 3 คน × 1,200 = 3,600.00 and ค่าอาหารกลางวัน 1 × 12 × 200 = 2,400.00;
  activity 2: ค่าวัสดุ 20 เล่ม × 50 = 1,000.00. Total 7,000.00.
- P2 (group B, strategies 1 and 2): ค่าอาหาร 1 × 30 × 2 × 35 = 2,100.00 and
  ค่าวัสดุ 500.00 typed. Total 2,600.00.

Projects 9,600.00. Quarterly plan: Q1 6,000 + 2,600 = 8,600.00, Q2 1,000.00.
Disbursed: 3,600 (20 Nov 2024) + 2,000 (10 Dec 2024) + 2,100 (15 Jan 2025)
= 7,700.00, all งบดำเนินงาน: remaining 1,900.00, ร้อยละ 80.21 (7,700/9,600).
By 31 Dec 2024 (round 1): 5,600.00 paid = ร้อยละ 58.33 of 9,600.
Strategy indicators: 1.1 target ≥ 80 %, result 85 (achieved); 2.1 target ≥ 10
โรงเรียน, result 8 (not achieved): บรรลุ 1 จาก 2 ตัวชี้วัด คิดเป็นร้อยละ 50.00.
"""

import datetime
import subprocess
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.core.management import call_command

from budgets.models import BudgetSource, CostLine, ExpenseCategory
from progress.models import KPIActual
from reports.models import BookSection, IndicatorResult
from tests.factories import (
    ActivityFactory,
    AllocationFactory,
    DisbursementFactory,
    IndicatorFactory,
    IndicatorTargetFactory,
    ObjectiveFactory,
    PlanFactory,
    ProgressReportFactory,
    ProjectFactory,
    ProjectKPIFactory,
    ProjectResponsibleFactory,
    QuarterPlanFactory,
    ReportingRoundFactory,
    StrategyFactory,
)
from tests.pdf_utils import normalise

FISCAL_YEAR = 2568


@pytest.fixture(autouse=True)
def _empty_document_cache():
    cache.clear()
    yield
    cache.clear()


def pdftotext(content: bytes, page: int | None = None, *, layout: bool = True) -> str:
    """``pdftotext -layout`` of ``content`` (one page when given), normalised.

    ``layout=False`` reads the text in drawing order instead, so a table cell
    that wraps over two lines stays in one piece.
    """
    args = ["pdftotext", "-layout" if layout else "-raw"]
    if page is not None:
        args += ["-f", str(page), "-l", str(page)]
    result = subprocess.run(
        [*args, "-", "-"], input=content, capture_output=True, check=True
    )
    return normalise(result.stdout.decode())


def flat(text: str) -> str:
    """Whitespace removed: table cells and wrapped lines compare as one string."""
    return "".join(text.split())


def _line(activity, category, description, amount, **factors) -> CostLine:
    return CostLine.objects.create(
        activity=activity,
        category=category,
        description=description,
        amount=Decimal(amount),
        **factors,
    )


@pytest.fixture
def book(office, group_a, group_b, officer, head_a, head_b, director):
    call_command("loaddata", "budget_sources", "expense_categories", verbosity=0)
    category = {c.code: c for c in ExpenseCategory.objects.all()}
    source = BudgetSource.objects.get(code="basic-human-capital")
    plan = PlanFactory(organization=office, fiscal_year=FISCAL_YEAR)
    s1 = StrategyFactory(plan=plan, number=1, title="พัฒนาคุณภาพผู้เรียน")
    s2 = StrategyFactory(plan=plan, number=2, title="เพิ่มประสิทธิภาพการบริหารจัดการ")
    i1 = IndicatorFactory(strategy=s1, number=1, name="ร้อยละของนักเรียนที่อ่านออก")
    i2 = IndicatorFactory(
        strategy=s2,
        number=1,
        name="จำนวนโรงเรียนที่ผ่านการประเมิน",
        unit="count",
        unit_label="โรงเรียน",
    )
    IndicatorTargetFactory(indicator=i1, fiscal_year=FISCAL_YEAR, target_value=80)
    IndicatorTargetFactory(indicator=i2, fiscal_year=FISCAL_YEAR, target_value=10)
    IndicatorResult.objects.create(
        indicator=i1, fiscal_year=FISCAL_YEAR, actual_value=85
    )
    IndicatorResult.objects.create(
        indicator=i2, fiscal_year=FISCAL_YEAR, actual_value=8
    )
    AllocationFactory(
        organization=office, fiscal_year=FISCAL_YEAR, source=source, amount=1000000
    )

    officer_person = officer.person
    officer_person.position = "นักวิชาการศึกษาชำนาญการ"
    officer_person.save()
    director.person.position = "ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษาประถมศึกษาทดสอบ เขต 1"
    director.person.save()

    p1 = ProjectFactory(
        plan=plan,
        group=group_a,
        sequence=1,
        name="โครงการส่งเสริมการอ่านออกเขียนได้",
        status="approved",
        budget_source=source,
    )
    p1.strategies.set([s1])
    ProjectResponsibleFactory(project=p1, person=officer_person, order=1)
    ObjectiveFactory(project=p1, text="เพื่อให้นักเรียนอ่านออกเขียนได้")
    a1 = ActivityFactory(project=p1, order=1, name="อบรมครูภาษาไทย")
    a2 = ActivityFactory(project=p1, order=2, name="จัดทำแบบฝึกการอ่าน")
    fee = _line(
        a1,
        category["compensation"],
        "ค่าตอบแทนวิทยากร",
        "3600",
        times=1,
        persons=3,
        rate=1200,
    )
    lunch = _line(
        a1, category["services"], "ค่าอาหารกลางวัน", "2400", times=1, persons=12, rate=200
    )
    _line(
        a2,
        category["materials"],
        "ค่าแบบฝึก",
        "1000",
        persons=20,
        persons_unit="เล่ม",
        rate=50,
    )
    QuarterPlanFactory(activity=a1, quarter=1, amount=6000)
    QuarterPlanFactory(activity=a2, quarter=2, amount=1000)
    DisbursementFactory(
        activity=a1, cost_line=fee, amount=3600, paid_on=datetime.date(2024, 11, 20)
    )
    DisbursementFactory(
        activity=a1, cost_line=lunch, amount=2000, paid_on=datetime.date(2024, 12, 10)
    )
    kpi = ProjectKPIFactory(project=p1, name="ร้อยละของครูที่ผ่านการอบรม")

    p2 = ProjectFactory(
        plan=plan,
        group=group_b,
        sequence=2,
        name="โครงการพัฒนาระบบบริหารงานบุคคล",
        status="approved",
        budget_source=source,
    )
    p2.strategies.set([s1, s2])
    b1 = ActivityFactory(project=p2, order=1, name="ประชุมเชิงปฏิบัติการ")
    meals = _line(
        b1,
        category["services"],
        "ค่าอาหาร",
        "2100",
        times=1,
        persons=30,
        days=2,
        days_unit="มื้อ",
        rate=35,
    )
    _line(b1, category["materials"], "ค่าวัสดุ", "500")
    QuarterPlanFactory(activity=b1, quarter=1, amount=2600)
    DisbursementFactory(
        activity=b1, cost_line=meals, amount=2100, paid_on=datetime.date(2025, 1, 15)
    )

    BookSection.objects.create(
        plan=plan,
        part="foreword",
        title="คำนำ",
        body="แผนฉบับนี้จัดทำขึ้นเพื่อเป็นกรอบการดำเนินงาน",
    )
    BookSection.objects.create(
        plan=plan,
        part="context",
        title="ข้อมูลสถานศึกษา",
        body="สำนักงานมีโรงเรียนในสังกัด",
        table="ระดับ | จำนวนโรงเรียน\nประถมศึกษา | 124",
    )
    BookSection.objects.create(
        plan=plan,
        part="administration",
        title="การติดตามและรายงานผล",
        body="รายงานทุกไตรมาส",
    )
    BookSection.objects.create(
        plan=plan, part="appendix", title="คำสั่งแต่งตั้งคณะกรรมการ", body="คำสั่งที่ 1/2568"
    )

    round1 = ReportingRoundFactory(
        organization=office, fiscal_year=FISCAL_YEAR, number=1
    )
    round4 = ReportingRoundFactory(
        organization=office, fiscal_year=FISCAL_YEAR, number=4
    )
    ProgressReportFactory(project=p1, round=round1, status="in_progress")
    final = ProgressReportFactory(
        project=p1,
        round=round4,
        status="completed",
        percent_complete=100,
        problems="ครูติดภารกิจ <script>alert(1)</script>",
        suggestions="ควรจัดช่วงปิดภาคเรียน",
    )
    KPIActual.objects.create(report=final, kpi=kpi, actual_value=90)
    ProgressReportFactory(
        project=p2, round=round4, status="completed", percent_complete=100
    )
    return SimpleNamespace(
        plan=plan,
        p1=p1,
        p2=p2,
        s1=s1,
        s2=s2,
        round1=round1,
        round4=round4,
        a1=a1,
        category=category,
    )
