"""Seed 002's six-month progress report (FY2565, สพป.เชียงใหม่ เขต ๒), typed into
the whole-office workbook and the finance sheet, imports into a fresh office;
the progress report of round 2 prints the seed's plan vs paid per project, the
two NIETS projects under their agency outside the office's figures, and status
shares adding up to 100.00 in each group (issue 17)."""

import html
import io
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from openpyxl import load_workbook
from pypdf import PdfReader

from budgets.models import Disbursement
from budgets.rollups import BEHIND_PLAN, ON_PLAN
from excel import export, layout
from plans.models import Plan
from progress import services as progress_services
from progress.models import ProgressReport
from projects.models import Project
from reports import documents
from reports.selectors import progress_document
from tests.data import build_seed002 as seed
from tests.pdf_utils import normalise
from tests.reports.conftest import flat, pdftotext
from tests.reports.test_text_layer import _Headings, pdftotext_raw, pypdf_text, words

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parent.parent / "data"
OFFICE = "สพป.เชียงใหม่ เขต ๒"
#: Projects the seed says did not pay "according to plan" although they paid
#: more than the six-month plan; ``budgets.rollups.period_verdict`` counts
#: paying early as on plan (see test_overpaid_projects_verdict_as_the_seed).
OVERPAID = {"2.2.4", "2.2.5", "2.2.10", "2.2.11"}


@pytest.fixture
def reporting_round():
    call_command(
        "create_office",
        "--noinput",
        "--name",
        "สำนักงานเขตพื้นที่การศึกษาประถมศึกษาเชียงใหม่ เขต ๒",
        "--short-name",
        OFFICE,
        "--kind",
        "spp",
        "--admin-username",
        "cm2_admin",
        "--planner-username",
        "cm2_plan",
        stdout=StringIO(),
    )
    out = StringIO()
    call_command(
        "import_plan",
        str(seed.PLAN_BOOK),
        fiscal_year=2565,
        organization=OFFICE,
        stdout=out,
    )
    assert "นำเข้าเรียบร้อย" in out.getvalue(), out.getvalue()
    plan = Plan.objects.get(organization__short_name=OFFICE, fiscal_year=2565)
    # The seed reports on approved projects (money is paid on approved
    # projects only); the sheets it gives (no strategy, KPI or responsible)
    # would not pass the submit workflow, which is not what is tested here.
    Project.objects.filter(plan=plan).update(status=Project.Status.APPROVED)
    out = StringIO()
    call_command(
        "import_disbursements",
        str(seed.PAYMENTS),
        fiscal_year=2565,
        organization=OFFICE,
        stdout=out,
    )
    assert "นำเข้าเรียบร้อย" in out.getvalue(), out.getvalue()
    admin = get_user_model().objects.get(username="cm2_admin")
    rounds = progress_services.round_create_for_year(
        organization=plan.organization, fiscal_year=2565
    )
    six_months = rounds[1]
    for project in Project.objects.filter(plan=plan):
        progress_services.report_save_draft(
            project=project,
            reporting_round=six_months,
            user=admin,
            fields={"status": seed.STATUS[project.code]},
        )
    return six_months


def test_the_seed_imports_without_refusals(reporting_round):
    plan = Plan.objects.get(organization__short_name=OFFICE, fiscal_year=2565)
    assert Project.objects.filter(plan=plan).count() == 37
    assert Disbursement.objects.filter(project__plan=plan).count() == 19
    assert ProgressReport.objects.filter(round=reporting_round).count() == 37
    niets = Project.objects.filter(plan=plan, funding_agency=seed.NIETS)
    assert sorted(niets.values_list("code", flat=True)) == ["3.1", "3.2"]


def test_plan_vs_paid_and_verdict_per_project_as_the_seed(reporting_round):
    data = progress_document(reporting_round)
    rows = {row["code"]: row for row in data["projects"]}

    assert reporting_round.months == 6
    assert len(rows) == 37
    for code, _, _, _, _, planned, paid, verdict in seed.PROJECTS:
        row = rows[code]
        assert row["planned_period"] == (planned or Decimal("0")), code
        assert row["disbursed"] == (paid or Decimal("0")), code
        if verdict is not None:
            assert row["verdict"] == verdict, code
    printed = [row for row in seed.PROJECTS if row[7] is not None]
    assert len(printed) == 19  # the seed's verdicts, all judged as the seed
    assert sum(1 for row in printed if row[7] == ON_PLAN) == 5
    assert sum(1 for row in printed if row[7] == BEHIND_PLAN) == 14


def test_overpaid_projects_verdict_as_the_seed(reporting_round):
    rows = {row["code"]: row for row in progress_document(reporting_round)["projects"]}
    assert {code: rows[code]["verdict"] for code in OVERPAID} == dict.fromkeys(
        OVERPAID, BEHIND_PLAN
    )


def test_groups_statuses_and_the_agency_outside_the_totals(reporting_round):
    data = progress_document(reporting_round)
    groups = {group.label: group for group in data["funding_groups"]}

    assert list(groups) == [
        "โครงการตามแผนปฏิบัติการประจำปีงบประมาณ พ.ศ. 2565",
        "โครงการที่ได้รับจัดสรรงบประมาณจาก สพฐ.",
        "โครงการที่ได้รับงบประมาณจากหน่วยงานอื่น (สถาบันทดสอบทางการศึกษาแห่งชาติ)",
    ]
    figures = {
        label: [(row.label, row.count, str(row.share)) for row in group.statuses]
        for label, group in groups.items()
    }
    # The seed prints 12.00 / 88.00 and 17.00 / 83.00 (whole percent); to two
    # decimals 2 / 17 and 3 / 18 are these.
    assert list(figures.values()) == [
        [("ยังไม่ดำเนินการ", 15, "88.24"), ("อยู่ระหว่างดำเนินการ", 2, "11.76")],
        [("อยู่ระหว่างดำเนินการ", 15, "83.33"), ("ดำเนินการเสร็จสิ้นแล้ว", 3, "16.67")],
        [("อยู่ระหว่างดำเนินการ", 2, "100.00")],
    ]
    for group in groups.values():
        assert sum(row.share for row in group.statuses) == Decimal("100.00")

    # The office's own figures: 17 + 18 projects, NIETS's money left out.
    own = [row for row in seed.PROJECTS if not row[3]]
    assert data["project_count"] == 35
    assert data["outside_count"] == 2
    assert data["budget"] == sum(max(row[5], row[6]) for row in own if row[5])
    assert data["disbursed"] == sum(row[6] for row in own if row[6])
    assert data["quarters"][-1].planned_cumulative == sum(
        row[5] for row in own if row[5]
    )
    assert [(row.label, row.count) for row in data["statuses"] if row.count] == [
        ("ยังไม่ดำเนินการ", 15),
        ("อยู่ระหว่างดำเนินการ", 17),
        ("ดำเนินการเสร็จสิ้นแล้ว", 3),
    ]


@pytest.mark.pdf
def test_the_printed_report(reporting_round):
    content = documents.progress_document(reporting_round, "thai").render()
    text = flat(pdftotext(content, layout=False))
    for expected in (
        "รอบ ๖ เดือน",
        "จากหน่วยงานอื่น (สถาบันทดสอบทางการศึกษาแห่งชาติ) จำนวน ๒ โครงการ",
        "คิดเป็นร้อยละ ๘๘.๒๔",
        "คิดเป็นร้อยละ ๑๑.๗๖",
        "คิดเป็นร้อยละ ๘๓.๓๓",
        "คิดเป็นร้อยละ ๑๖.๖๗",
        "๓๘๕,๔๘๐",  # O-NET's six-month plan, in its agency's table
        "๔๖,๑๑๒,๐๘๖",  # 2.2.5's payments
    ):
        assert flat(normalise(expected)) in text, expected
    assert len(PdfReader(io.BytesIO(content)).pages) >= 4


def test_the_exported_workbook_carries_the_agency(reporting_round):
    plan = Plan.objects.get(organization__short_name=OFFICE, fiscal_year=2565)
    sheet = export.plan_workbook(plan)[layout.PROJECTS.name]
    header = [cell.value for cell in sheet[1]]
    code = header.index(layout.PROJECTS.column("code").header)
    agency = header.index("หน่วยงานที่ให้งบประมาณ")
    agencies = {
        row[code]: row[agency]
        for row in sheet.iter_rows(min_row=2, values_only=True)
        if row[code]
    }
    assert agencies["3.1"] == agencies["3.2"] == seed.NIETS
    assert not agencies["2.2.5"]


def test_the_committed_workbooks_hold_the_builders_rows():
    data = seed.rows()
    book = load_workbook(seed.PLAN_BOOK, read_only=True)
    for sheet in layout.ALL_SHEETS:
        written = [
            row
            for row in book[sheet.name].iter_rows(min_row=2, values_only=True)
            if any(cell is not None for cell in row)
        ]
        assert len(written) == len(data.get(sheet.name, [])), sheet.name
    payments = load_workbook(seed.PAYMENTS, read_only=True)[layout.DISBURSEMENTS.name]
    written = [
        row
        for row in payments.iter_rows(min_row=2, values_only=True)
        if any(cell is not None for cell in row)
    ]
    assert len(written) == len(seed.payments()) == 19


@pytest.mark.pdf
def test_progress_report_text_layer_reads_back_every_heading_exactly(reporting_round):
    """Issue 16's text layer on a progress report: copy and search give every
    heading of seed 002's report (its groups, the NIETS agency, the cover)
    exactly as printed, through both poppler and pypdf; the Thai "ำ" of
    "ดำเนินงาน", "สำนักงาน" and "จำนวน" included."""
    document = documents.progress_document(reporting_round, "thai")
    content = document.render()
    parser = _Headings()
    parser.feed(str(document.body))
    headings = [words(html.unescape(heading)) for heading in parser.headings]
    assert any("สถาบันทดสอบทางการศึกษาแห่งชาติ" in heading for heading in headings)
    assert any("ดำเนินงาน" in heading for heading in headings)

    for reader in (pdftotext_raw, pypdf_text):
        text = flat(reader(content))
        for heading in headings:
            assert flat(heading) in text, (reader.__name__, heading)
