"""Seed 004's annual report (FY2565) reproduced from its rows: Table 13 from
the office's allocations, running costs and payments imported through the
plan workbook and the finance sheet (no pseudo-project), and the project
indicators' attainment (issue 16 item 7, issue 17 items 1 and 3)."""

import io
import re
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from budgets.models import Allocation, OperatingCost, OperatingDisbursement
from budgets.rollups import office_ledger
from core.thai import percent_of
from excel.importer import plan_import
from progress.models import KPIActual
from projects.models import Project
from reports import documents
from reports.models import IndicatorResult
from reports.selectors import annual_document
from tests.data import build_seed004_money as seed
from tests.factories import (
    IndicatorFactory,
    OrganizationFactory,
    PlanFactory,
    ProgressReportFactory,
    ProjectFactory,
    ProjectKPIFactory,
    ReportingRoundFactory,
)

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parent.parent / "data"


def text_of(html: str) -> str:
    """The words of ``html``, its tags (the no-break spans) taken out."""
    return " ".join(re.sub(r"<[^>]+>", "", html).split())


def import_seed_money(office):
    out = StringIO()
    call_command(
        "import_plan",
        str(DATA / "seed004_money.xlsx"),
        "--fiscal-year",
        "2565",
        stdout=out,
    )
    call_command(
        "import_disbursements",
        str(DATA / "seed004_payments.xlsx"),
        "--fiscal-year",
        "2565",
        stdout=out,
    )
    return out.getvalue()


def test_table_13_is_reproduced_from_the_imported_rows():
    office = OrganizationFactory(name=seed.OFFICE, short_name=seed.OFFICE_SHORT)
    import_seed_money(office)
    assert Allocation.objects.filter(organization=office).count() == 6
    assert OperatingCost.objects.filter(organization=office).count() == 6
    assert OperatingDisbursement.objects.count() == 6
    assert not Project.objects.exists()  # no pseudo-project carries the money

    ledger = office_ledger(office, 2565)
    figures = {
        row.name: (row.allocated, row.disbursed, row.remaining, row.percent)
        for row in ledger.rows
    }
    # the budget law's order, the categories' own
    assert [row.name for row in ledger.rows] == [
        "งบบุคลากร",
        "งบดำเนินงาน",
        "งบลงทุน",
        "งบเงินอุดหนุน",
        "งบรายจ่ายอื่น",
    ]
    assert figures["งบบุคลากร"] == (
        Decimal("18497700.00"),
        Decimal("18368345.14"),
        Decimal("129354.86"),
        Decimal("99.30"),
    )
    assert figures["งบดำเนินงาน"][2:] == (Decimal("509339.95"), Decimal("98.09"))
    assert figures["งบเงินอุดหนุน"][2:] == (Decimal("73500.00"), Decimal("99.97"))
    assert figures["งบลงทุน"][2:] == (Decimal("14890.63"), Decimal("99.94"))
    assert figures["งบรายจ่ายอื่น"][2:] == (Decimal("7030.00"), Decimal("99.59"))
    total = ledger.total
    assert (total.allocated, total.disbursed, total.remaining, total.percent) == (
        Decimal("318223938.00"),
        Decimal("317489822.56"),
        Decimal("734115.44"),
        Decimal("99.77"),
    )
    # the central fund: below the total, never in it; the seed prints 5.20
    [central] = ledger.outside
    assert central.name == "งบกลาง (สำรองฉุกเฉิน)"
    assert (central.allocated, central.disbursed, central.remaining) == (
        Decimal("5851800.00"),
        Decimal("5851795.80"),
        Decimal("4.20"),
    )
    # 99.99993 %: money left never prints as 100.00 (the seed: 99.99)
    assert central.percent == Decimal("99.99")


def test_project_indicators_attain_49_of_51():
    """Computed from the 51 rows (never the seed's printed ratio)."""
    met = [result >= target for _p, _n, _u, _l, target, result in seed.INDICATORS]
    assert (sum(met), len(met)) == (49, 51)
    assert percent_of(sum(met), len(met)) == Decimal("96.08")


def test_seed_004_project_indicators_count_from_the_final_rounds_rows():
    """The 51 indicators as KPIs of 14 approved projects with their results in
    the 12-month round: the annual report counts 49 met (96.08 %), separately
    and together with the strategy indicators (none in this office)."""
    office = OrganizationFactory(name=seed.OFFICE, short_name=seed.OFFICE_SHORT)
    plan = PlanFactory(organization=office, fiscal_year=2565)
    final = ReportingRoundFactory(organization=office, fiscal_year=2565, number=4)
    projects = {}
    for order, (number, name, unit, label, target, result) in enumerate(
        seed.INDICATORS
    ):
        if number not in projects:
            project = ProjectFactory(
                plan=plan, sequence=number, status=Project.Status.APPROVED
            )
            projects[number] = (
                project,
                ProgressReportFactory(project=project, round=final, status="completed"),
            )
        project, report = projects[number]
        kpi = ProjectKPIFactory(
            project=project,
            order=order,
            name=name,
            unit=unit,
            unit_label=label,
            target_value=target,
        )
        KPIActual.objects.create(report=report, kpi=kpi, actual_value=result)

    summary = annual_document(plan)["attainment_summary"]

    assert len(projects) == 14
    assert (summary.projects.achieved, summary.projects.total) == (49, 51)
    assert summary.projects.percent == Decimal("96.08")
    assert (summary.strategy.achieved, summary.strategy.total) == (0, 0)
    assert (summary.combined.achieved, summary.combined.total) == (49, 51)


def test_strategy_and_project_indicators_count_separately_and_together(book):
    """The reports' office: strategy indicators 1 of 2 met, project KPIs 1 of 1;
    a text KPI counts only when its recorded result says it is met, so one
    without a verdict is counted but not met."""
    text_kpi = ProjectKPIFactory(
        project=book.p1, unit="text", target_value=None, target_text="มีคู่มือ"
    )
    report = book.p1.progress_reports.get(round__number=4)
    KPIActual.objects.create(report=report, kpi=text_kpi, actual_text="จัดทำคู่มือแล้ว")

    data = annual_document(book.plan)
    summary = data["attainment_summary"]

    assert (summary.strategy.achieved, summary.strategy.total) == (1, 2)
    assert (summary.projects.achieved, summary.projects.total) == (1, 2)
    assert (summary.combined.achieved, summary.combined.total) == (2, 4)
    assert summary.combined.percent == Decimal("50.00")
    body = text_of(documents.annual_document(book.plan, "arabic").body)
    assert "ตัวชี้วัดโครงการบรรลุค่าเป้าหมาย 1 ตัวชี้วัด จาก 2 ตัวชี้วัด" in body
    assert "รวมทั้งสิ้นบรรลุ 2 จาก 4 ตัวชี้วัด คิดเป็นร้อยละ 50.00" in body


def test_recorded_verdicts_count_text_results_as_met(book):
    """Hand count: strategy indicators 1 of 2 met by numbers, plus a text
    indicator recorded "met" = 2 of 3; project KPIs: 1 met by numbers, a text
    KPI recorded "met", one recorded "not met", one with no verdict = 2 of 4;
    together 4 of 7 = 57.14 per cent."""
    strategy = book.plan.strategies.get(number=1)
    text_indicator = IndicatorFactory(
        strategy=strategy, number=2, name="ระดับผลการประเมิน ITA", unit="text"
    )
    IndicatorResult.objects.create(
        indicator=text_indicator,
        fiscal_year=book.plan.fiscal_year,
        actual_text="ระดับ AA",
        achieved_override=True,
    )
    report = book.p1.progress_reports.get(round__number=4)
    for name, verdict in [("มีคู่มือ", True), ("มีเครือข่าย", False), ("มีรายงาน", None)]:
        kpi = ProjectKPIFactory(
            project=book.p1, unit="text", target_value=None, target_text=name
        )
        KPIActual.objects.create(
            report=report, kpi=kpi, actual_text=name, achieved_verdict=verdict
        )

    summary = annual_document(book.plan)["attainment_summary"]

    assert (summary.strategy.achieved, summary.strategy.total) == (2, 3)
    assert (summary.projects.achieved, summary.projects.total) == (2, 4)
    assert (summary.combined.achieved, summary.combined.total) == (4, 7)
    assert summary.combined.percent == Decimal("57.14")


def test_the_annual_report_has_the_seeds_chapters_cover_and_sign_off(book):
    body = text_of(documents.annual_document(book.plan, "arabic").body)
    chapters = [
        "บทที่ 1 ข้อมูลทั่วไป",
        "บทที่ 2 ทิศทางการดำเนินงาน",
        "บทที่ 3 ผลการดำเนินงาน",
        "บทที่ 4 สรุปผลการดำเนินงาน",
        "บทที่ 5 ทิศทางการพัฒนาปีงบประมาณ พ.ศ. 2569",
    ]
    positions = [body.index(chapter) for chapter in chapters]
    assert positions == sorted(positions)
    assert body.index("รายงานผลการดำเนินงาน ประจำปีงบประมาณ") < positions[0]
    signatures = body[positions[-1] :]
    assert "ผู้จัดทำรายงาน" in signatures and "ผู้ให้ความเห็นชอบ" in signatures
    assert documents.annual_document(book.plan, "arabic").cover


def test_a_paid_running_cost_cannot_be_dropped_by_the_office_workbook():
    """Re-importing the office workbook without the central fund's running
    cost (paid) is refused with a Thai message; nothing changes."""
    office = OrganizationFactory(name=seed.OFFICE, short_name=seed.OFFICE_SHORT)
    import_seed_money(office)
    book = load_workbook(DATA / "seed004_money.xlsx")
    running = book["ค่าใช้จ่ายดำเนินงาน"]
    running.delete_rows(running.max_row)
    changed = io.BytesIO()
    book.save(changed)
    before = list(OperatingCost.objects.values_list("pk", "amount"))

    result = plan_import(source=changed, organization=office, fiscal_year=2565)

    assert not result.written
    assert any("มีการเบิกจ่ายแล้ว" in str(error) for error in result.errors)
    assert list(OperatingCost.objects.values_list("pk", "amount")) == before
    assert OperatingDisbursement.objects.count() == 6
