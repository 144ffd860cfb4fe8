"""A plan of the test office with every part the workbook carries, and helpers
to build workbooks in memory."""

import datetime
import subprocess
import tempfile
from decimal import Decimal
from io import BytesIO, StringIO
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from openpyxl import Workbook, load_workbook

from budgets.models import BudgetSource, ExpenseCategory
from core import xlsx
from excel import export, layout
from projects.models import Project
from tests.data import workbook_builder
from tests.factories import (
    ActivityFactory,
    CostLineFactory,
    ExpectedResultFactory,
    GoalFactory,
    IndicatorFactory,
    ObjectiveFactory,
    OfficeGroupFactory,
    PlanFactory,
    ProjectFactory,
    ProjectKPIFactory,
    ProjectResponsibleFactory,
    ProjectTargetFactory,
    QuarterPlanFactory,
    StrategyFactory,
)
from tests.seed_offices import build_seed000, build_seed004_projects

FISCAL_YEAR = 2569

#: The seed workbooks a test module names with ``SEED``, imported as an office
#: would import them (``tests.seed_offices``).
SEED_PLANS = {"000": build_seed000, "004": build_seed004_projects}


@pytest.fixture(autouse=True)
def upload_dir(settings, tmp_path):
    """Each test's own folder of stored uploads."""
    settings.PHAEN_UPLOAD_DIR = tmp_path / "uploads"
    return settings.PHAEN_UPLOAD_DIR


@pytest.fixture
def seed_plan(request, db):
    """A fresh office with the test module's seed workbook (its ``SEED``)
    imported through ``create_office`` and ``import_plan``."""
    return SEED_PLANS[request.module.SEED]()


def plan_book_words(plan) -> str:
    """The plan's book rendered (``render_plan``, Arabic digits) and read back
    by ``pdftotext -layout``, whitespace runs as one space."""
    with tempfile.TemporaryDirectory() as folder:
        output = Path(folder) / "plan.pdf"
        call_command(
            "render_plan",
            "--fiscal-year",
            str(plan.fiscal_year),
            "--office",
            plan.organization.short_name,
            "--digits",
            "arabic",
            "--output",
            str(output),
            stdout=StringIO(),
        )
        text = subprocess.run(
            ["pdftotext", "-layout", str(output), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    return " ".join(text.split())


def assert_builder_rows(workbook, builder) -> None:
    """The committed ``workbook`` holds its ``builder``'s rows (not a hand edit)."""
    assert workbook_builder.written_rows(workbook) == workbook_builder.builder_rows(
        builder.rows()
    )


@pytest.fixture
def reference(db):
    call_command("loaddata", "budget_sources", "expense_categories", verbosity=0)
    return SimpleNamespace(
        services=ExpenseCategory.objects.get(code="services"),
        materials=ExpenseCategory.objects.get(code="materials"),
        compensation=ExpenseCategory.objects.get(code="compensation"),
        obec=BudgetSource.objects.get(code="obec"),
    )


@pytest.fixture
def supervision(office):
    return OfficeGroupFactory(
        organization=office, name="กลุ่มนิเทศ ติดตามและประเมินผลการจัดการศึกษา", order=3
    )


def framework(plan):
    """Strategies 1–3, goals 1–2 and indicator 1.1 of ``plan``."""
    strategies = [StrategyFactory(plan=plan, number=n) for n in (1, 2, 3)]
    goals = [GoalFactory(plan=plan, number=n) for n in (1, 2)]
    indicator = IndicatorFactory(strategy=strategies[0], number=1)
    return strategies, goals, indicator


@pytest.fixture
def full_plan(office, group_a, supervision, reference):
    """Two projects with objectives, targets, results, activities (one nested),
    cost lines, quarterly plan, KPIs, responsibles and strategy links."""
    plan = PlanFactory(organization=office, fiscal_year=FISCAL_YEAR)
    strategies, goals, indicator = framework(plan)
    first = ProjectFactory(
        plan=plan,
        group=group_a,
        code="69-001",
        sequence=1,
        name="โครงการพัฒนาการอ่านออกเขียนได้",
        budget_plan="พื้นฐานด้านการพัฒนาและเสริมสร้างศักยภาพคน",
        kind="continuing",
        start_month=datetime.date(2025, 10, 1),
        end_month=datetime.date(2026, 9, 1),
        budget_source=reference.obec,
        virement_allowed=False,
        # not the default wording: the round trip must carry it
        virement_wording="ถัวเฉลี่ยทุกรายการ",
        output_statement="ครู 60 คนได้รับการพัฒนา",
        outcome_statement="นักเรียนอ่านออกเขียนได้",
        location="สพป.",
        target_group="ครูภาษาไทย",
        responsible_note="และคณะ",
    )
    first.strategies.set([strategies[0], strategies[2]])
    first.goals.set([goals[1]])
    first.indicators.set([indicator])
    ProjectResponsibleFactory(project=first, order=1)
    ProjectResponsibleFactory(
        project=first, order=2, person=None, name_text="นายภายนอก ใจดี"
    )
    ObjectiveFactory(project=first, order=1, text="เพื่อพัฒนาครู")
    ObjectiveFactory(project=first, order=2, text="เพื่อพัฒนานักเรียน")
    ProjectTargetFactory(
        project=first, kind="quantitative", order=1, quantity=60, unit="คน"
    )
    ProjectTargetFactory(
        project=first, kind="qualitative", order=1, quantity=None, unit="", text="ดี"
    )
    ExpectedResultFactory(project=first, order=1, text="นักเรียนอ่านคล่อง")
    main = ActivityFactory(
        project=first,
        order=1,
        name="อบรมครู",
        target="ครู 60 คน",
        months=["2025-11-01", "2025-12-01"],
        responsible_text="นางสาวผู้ช่วย",
    )
    ActivityFactory(
        project=first, order=2, parent=main, name="อบรมย่อย", months=["2026-03-01"]
    )
    CostLineFactory(
        activity=main,
        order=1,
        category=reference.services,
        description="ค่าอาหาร",
        times=1,
        persons=60,
        days=2,
        days_unit="มื้อ",
        rate=Decimal("120.50"),
        amount=Decimal("14460.00"),
    )
    CostLineFactory(
        activity=main,
        order=2,
        category=reference.materials,
        description="ค่าวัสดุ",
        times=None,
        persons=None,
        rate=None,
        amount=Decimal("5000.25"),
    )
    QuarterPlanFactory(activity=main, quarter=1, amount=Decimal("14460.00"))
    QuarterPlanFactory(activity=main, quarter=2, amount=Decimal("5000.25"))
    ProjectKPIFactory(project=first, order=1, result_kind="output", target_value=80)
    ProjectKPIFactory(
        project=first,
        order=2,
        result_kind="outcome",
        nature="qualitative",
        unit="text",
        target_value=None,
        target_text="ระดับดีขึ้นไป",
        comparison="gte",
        method="ประเมิน",
        instrument="แบบประเมิน",
    )
    second = ProjectFactory(
        plan=plan,
        group=supervision,
        code="69-002",
        sequence=2,
        uses_budget=False,
        name="โครงการนิเทศออนไลน์",
    )
    ActivityFactory(project=second, order=1, name="นิเทศ", months=[])
    return plan


@pytest.fixture
def paid_plan(full_plan):
    """``full_plan`` with its projects approved: the finance sheet pays
    approved projects only (``budgets.services.disbursement_validate``)."""
    Project.objects.filter(plan=full_plan).update(status=Project.Status.APPROVED)
    return full_plan


def workbook_bytes(book: Workbook) -> BytesIO:
    return BytesIO(xlsx.to_bytes(book))


def exported(plan) -> Workbook:
    """The plan exported and read back, ready to edit."""
    return load_workbook(workbook_bytes(export.plan_workbook(plan)))


def empty_book(**rows_by_sheet) -> Workbook:
    """A workbook with every data sheet and the given rows (lists of values)."""
    book = Workbook()
    book.remove(book.active)
    for sheet in layout.DATA_SHEETS:
        worksheet = book.create_sheet(sheet.name)
        worksheet.append(sheet.headers)
        for row in rows_by_sheet.get(sheet.name, []):
            worksheet.append(row)
    return book


def set_cell(book: Workbook, sheet, row: int, key: str, value) -> None:
    index = [c.key for c in sheet.columns].index(key) + 1
    book[sheet.name].cell(row, index).value = value


# ------------------------------------------------------------------ downloads

OURS = "โครงการอ่านคล่องของสำนักงานเรา"
THEIRS = "โครงการลับของสำนักงานอื่น"


def _day(start: datetime.date, days: int) -> datetime.date:
    return start + datetime.timedelta(days=days)


@pytest.fixture
def crafted(office, group_a, group_b, other_office):
    """This fiscal year's money of the cast's office, small enough to add up by
    hand, and another office's project that must never show up.

    - X-001 (group A, approved): cost lines 12,000.50 + 3,000.25 = 15,000.75,
      quarters 1 = 10,000.00 and 2 = 5,000.75, paid 4,000.25 in quarter 1;
      its round 1 report (submitted, 40 %) with one activity and one KPI.
    - X-002 (group B, approved): 20,000.00 in quarter 2, paid 1,500.00.
    - X-003 (group A, draft): does not use a budget.
    - envelope 100,000.00; one strategy indicator (target 80, result 85).
    """
    from core.thai import current_fiscal_year, fiscal_quarter_range
    from progress.models import ActivityProgress, KPIActual
    from reports.models import IndicatorResult
    from tests.factories import (
        AllocationFactory,
        BudgetSourceFactory,
        DisbursementFactory,
        ExpenseCategoryFactory,
        IndicatorTargetFactory,
        ProgressReportFactory,
        ReportingRoundFactory,
    )

    fiscal_year = current_fiscal_year()
    q1_start = fiscal_quarter_range(fiscal_year, 1)[0]
    services = ExpenseCategoryFactory(code="services", name="ค่าใช้สอย")
    materials = ExpenseCategoryFactory(code="materials", name="ค่าวัสดุ")
    source = BudgetSourceFactory(code="obec-test", name="งบประมาณจาก สพฐ.")
    AllocationFactory(
        organization=office,
        fiscal_year=fiscal_year,
        source=source,
        amount=Decimal("100000.00"),
        allocated_on=_day(q1_start, 5),
    )
    plan = PlanFactory(organization=office, fiscal_year=fiscal_year)
    strategy = StrategyFactory(plan=plan, number=1, title="พัฒนาคุณภาพผู้เรียน")
    indicator = IndicatorFactory(strategy=strategy, number=1)
    IndicatorTargetFactory(indicator=indicator, fiscal_year=fiscal_year)
    IndicatorResult.objects.create(
        indicator=indicator, fiscal_year=fiscal_year, actual_value=85
    )

    def project(group, code, sequence, name, **fields):
        return ProjectFactory(
            plan=plan,
            group=group,
            code=code,
            sequence=sequence,
            name=name,
            budget_source=source,
            **fields,
        )

    def line(activity, category, amount):
        CostLineFactory(
            activity=activity,
            category=category,
            times=None,
            persons=None,
            rate=None,
            amount=Decimal(amount),
        )

    first = project(group_a, "X-001", 1, OURS, status="approved")
    first.strategies.set([strategy])
    reading = ActivityFactory(project=first, order=1, name="อบรมครู")
    line(reading, services, "12000.50")
    line(reading, materials, "3000.25")
    QuarterPlanFactory(activity=reading, quarter=1, amount=Decimal("10000.00"))
    QuarterPlanFactory(activity=reading, quarter=2, amount=Decimal("5000.75"))
    DisbursementFactory(
        activity=reading, paid_on=_day(q1_start, 10), amount=Decimal("4000.25")
    )
    second = project(group_b, "X-002", 2, "โครงการพัฒนาบุคลากร", status="approved")
    meeting = ActivityFactory(project=second, order=1, name="ประชุมบุคลากร")
    line(meeting, services, "20000.00")
    QuarterPlanFactory(activity=meeting, quarter=2, amount=Decimal("20000.00"))
    DisbursementFactory(
        activity=meeting, paid_on=_day(q1_start, 20), amount=Decimal("1500.00")
    )
    third = project(group_a, "X-003", 3, "โครงการนิเทศออนไลน์", uses_budget=False)

    round1 = ReportingRoundFactory(
        organization=office, fiscal_year=fiscal_year, number=1
    )
    report = ProgressReportFactory(
        project=first,
        round=round1,
        percent_complete=Decimal("40.00"),
        state="submitted",
        submitted_at=datetime.datetime(
            q1_start.year, 12, 20, 10, 0, tzinfo=datetime.UTC
        ),
    )
    ActivityProgress.objects.create(
        report=report,
        activity=reading,
        state="done",
        note="อบรมครู 60 คน",
        on_date=_day(q1_start, 15),
    )
    kpi = ProjectKPIFactory(project=first, order=1, target_value=80)
    KPIActual.objects.create(report=report, kpi=kpi, actual_value=85)

    their_plan = PlanFactory(organization=other_office, fiscal_year=fiscal_year)
    theirs = ProjectFactory(
        plan=their_plan, code="Z-001", name=THEIRS, status="approved"
    )
    their_activity = ActivityFactory(project=theirs, order=1, name="กิจกรรมลับ")
    line(their_activity, services, "99999.00")
    DisbursementFactory(
        activity=their_activity, paid_on=_day(q1_start, 10), amount=Decimal("777.00")
    )
    AllocationFactory(organization=other_office, fiscal_year=fiscal_year, source=source)
    their_round = ReportingRoundFactory(
        organization=other_office, fiscal_year=fiscal_year, number=1
    )
    ProgressReportFactory(project=theirs, round=their_round)
    return SimpleNamespace(
        fiscal_year=fiscal_year,
        q1_start=q1_start,
        plan=plan,
        first=first,
        second=second,
        third=third,
        round1=round1,
        report=report,
        theirs=theirs,
        their_round=their_round,
        services=services,
        source=source,
    )
