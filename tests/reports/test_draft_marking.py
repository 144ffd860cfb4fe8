"""Issue 16 item 8: a draft plan book says so, an approved one prints only the
approved plan, and reports date their data from the data.

Built on the ``book`` office year of ``conftest.py`` (FY 2568): P1 (approved,
7,000.00: 3,600 + 2,400 + 1,000, paid 3,600 + 2,000 = 5,600.00) and P2, here
sent back to its author (2,100 + 500 = 2,600.00, paid 2,100.00).
"""

import datetime
import io
from decimal import Decimal

import pytest
from django.utils import timezone
from django.utils.html import strip_tags
from pypdf import PdfReader

from core.thai import thai_date
from plans.models import Plan
from reports import documents, selectors
from tests.factories import (
    ActivityFactory,
    DisbursementFactory,
    PlanFactory,
    ProjectFactory,
    ReportingRoundFactory,
)
from tests.reports.conftest import flat

pytestmark = pytest.mark.django_db


def _pages(content: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


def _unapprove_p2(book):
    book.p2.code = "ก-02"
    book.p2.status = "returned"
    book.p2.save()


def _approve(plan):
    plan.status = Plan.Status.APPROVED
    plan.save()


# ------------------------------------------------------------------ draft book


@pytest.mark.pdf
@pytest.mark.parametrize("workers", [1, 2], ids=["one-piece", "parts"])
def test_draft_plan_book_says_draft_on_every_page_and_names_unapproved(
    book, settings, workers
):
    """Both layouts: one piece, and parts laid out side by side and joined."""
    settings.PHAEN_PDF_WORKERS = workers
    settings.PHAEN_PDF_PARALLEL_MIN_CHARS = 0
    _unapprove_p2(book)

    content = documents.plan_book_pdf(book.plan, "arabic")

    pages = _pages(content)
    assert len(pages) > 5
    for number, text in enumerate(pages, start=1):
        assert "ร่าง" in text, f"page {number} has no draft mark"
    cover = flat(pages[0])
    assert flat("โครงการที่ยังไม่ได้รับอนุมัติ 1 โครงการ") in cover
    assert flat("ก-02 โครงการพัฒนาระบบบริหารงานบุคคล") in cover
    # the approved project is not listed as waiting
    assert "โครงการส่งเสริมการอ่านออกเขียนได้" not in cover


@pytest.mark.pdf
def test_approved_plan_book_has_no_draft_mark(book):
    _approve(book.plan)

    pages = _pages(documents.plan_book_pdf(book.plan, "arabic"))

    assert not any("ร่าง" in text for text in pages)


# ------------------------------------------------------------------ approved book


def test_approved_plan_book_leaves_out_unapproved_project_from_totals(book):
    _unapprove_p2(book)
    _approve(book.plan)

    data = selectors.plan_book(book.plan)

    assert [sheet["name"] for sheet in data.sheets] == [book.p1.name]
    assert [row.name for row in data.alignment] == [book.p1.name]
    assert data.unapproved == []
    totals = data.budget.totals
    # P1 only: 3,600 + 2,400 + 1,000 = 7,000; paid 3,600 + 2,000 = 5,600
    assert totals["total_budget"] == Decimal("7000.00")
    assert totals["disbursed"] == Decimal("5600.00")
    assert totals["planned_q1"] == Decimal("6000.00")  # not + P2's 2,600
    assert totals["project_count"] == 1
    assert [p.pk for p in data.budget.projects] == [book.p1.pk]
    assert sum(row.project_budget for row in data.budget.sources) == Decimal("7000")
    assert {row.name: row.total_budget for row in data.budget.groups} == {
        book.p1.group.name: Decimal("7000.00")
    }
    strategies = {row.number: row for row in data.budget.strategies}
    assert strategies[1].total_budget == Decimal("7000.00")  # P2 was in 1 and 2
    assert strategies[1].project_count == 1
    assert strategies[2].total_budget == Decimal("0")
    assert strategies[2].project_count == 0
    assert sum(g.project_budget for g in data.budget.category_groups) == Decimal(
        "7000.00"
    )


@pytest.mark.pdf
def test_approved_plan_book_pdf_prints_approved_projects_only(book):
    _unapprove_p2(book)
    _approve(book.plan)

    text = flat("".join(_pages(documents.plan_book_pdf(book.plan, "arabic"))))

    assert "โครงการส่งเสริมการอ่านออกเขียนได้" in text
    assert "โครงการพัฒนาระบบบริหารงานบุคคล" not in text
    assert "7,000.00" in text
    assert "9,600.00" not in text  # 7,000 + 2,600: P2 counted


def test_draft_plan_book_still_shows_and_counts_every_project(book):
    _unapprove_p2(book)

    data = selectors.plan_book(book.plan)

    assert len(data.sheets) == 2
    assert data.budget.totals["total_budget"] == Decimal("9600.00")
    assert data.unapproved == [("ก-02", "โครงการพัฒนาระบบบริหารงานบุคคล")]


# ------------------------------------------------------------------ report dates

TODAY = datetime.date(2026, 12, 20)  # FY 2570 runs to 30 September 2027


@pytest.fixture
def year_in_progress(office, group_a, monkeypatch):
    real = timezone.localdate

    def localdate(value=None, timezone=None):
        return TODAY if value is None else real(value, timezone)

    monkeypatch.setattr("django.utils.timezone.localdate", localdate)
    plan = PlanFactory(organization=office, fiscal_year=2570)
    project = ProjectFactory(plan=plan, group=group_a, status="approved")
    activity = ActivityFactory(project=project)
    DisbursementFactory(
        activity=activity, amount=1500, paid_on=datetime.date(2026, 12, 10)
    )
    for number in (1, 4):  # round 4 set up ahead, ending 30 September 2570
        ReportingRoundFactory(organization=office, fiscal_year=2570, number=number)
    return plan


def test_annual_report_of_year_in_progress_prints_its_data_date(year_in_progress):
    plan = year_in_progress

    body = strip_tags(documents.annual_document(plan, "arabic").body)

    assert f"ข้อมูล ณ วันที่ {thai_date(datetime.date(2026, 12, 10))}" in body
    assert "30 กันยายน 2570" not in body


def test_kpi_and_budget_reports_of_year_in_progress_print_data_date(
    year_in_progress,
):
    plan = year_in_progress
    filters = {"group": None, "strategy": None, "source": None}
    expected = thai_date(datetime.date(2026, 12, 10))

    kpi = strip_tags(documents.kpi_document(plan, filters, [], "arabic").body)
    budget = strip_tags(documents.budget_document(plan, filters, [], "arabic").body)

    assert f"ณ วันที่ {expected}" in kpi
    assert "30 กันยายน 2570" not in kpi
    assert f"ข้อมูล ณ วันที่ {expected}" in budget


def test_data_as_of_rules(office, book, year_in_progress):
    later = ReportingRoundFactory(organization=office, fiscal_year=2570, number=4)
    first = ReportingRoundFactory(organization=office, fiscal_year=2570, number=1)

    # an ended round: its own end (book's FY 2568 round 1 ended 31 Dec 2024)
    assert selectors.data_as_of(
        office, 2568, reporting_round=book.round1
    ) == datetime.date(2024, 12, 31)
    # a running round, or none: the last payment, not the round's or year's end
    assert selectors.data_as_of(office, 2570, reporting_round=later) == datetime.date(
        2026, 12, 10
    )
    assert selectors.data_as_of(office, 2570) == datetime.date(2026, 12, 10)
    # round 1 (to 31 Dec 2569) is still running on 20 Dec: its data so far
    assert first.period_end > TODAY
    assert selectors.data_as_of(office, 2570, reporting_round=first) == datetime.date(
        2026, 12, 10
    )
    # no round, a finished year: its last payment (15 January 2025)
    assert selectors.data_as_of(office, 2568) == datetime.date(2025, 1, 15)
    # no data at all: today, never a future date
    assert selectors.data_as_of(office, 2571) == TODAY
