"""Seed 000's plan book, from its workbook imported into a fresh office
(issue 16 items 2–5): its text layer reads back every project title, every
amount in words and every heading exactly; the month calendar marks with the
drawn tick, in no other font than Sarabun; the summary by OBEC strategy counts
9 / 2 / 5 projects; the plan's workbook carries the book's spending plan, cell
for cell as the page prints it."""

import io
import re
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from budgets.models import CostLine
from core.tables import amount_text
from core.thai import bahttext, to_thai_digits
from projects.models import Project
from reports import documents
from reports.selectors import plan_book
from reports.tables import plan_book_tables
from tests.reports.conftest import flat
from tests.reports.test_text_layer import _Headings, pdftotext_raw, pypdf_text, words
from tests.seed_offices import build_seed000

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seed(django_db_setup, django_db_blocker):
    """Seed 000 imported and its book laid out once, rolled back after."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            plan = seed000 = build_seed000()
            document = documents.plan_book_document(plan, "thai")
            yield SimpleNamespace(plan=seed000, document=document, pdf=None)
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(scope="module")
def book_pdf(seed, django_db_blocker):
    with django_db_blocker.unblock():
        return seed.document.render()


def _project_totals(plan) -> dict[str, Decimal]:
    totals = {}
    for line in CostLine.objects.filter(activity__project__plan=plan):
        code = line.activity.project.code
        totals[code] = totals.get(code, Decimal(0)) + line.amount
    return totals


@pytest.mark.pdf
def test_the_book_reads_back_every_title_amount_in_words_and_heading(seed, book_pdf):
    parser = _Headings()
    parser.feed(str(seed.document.body))
    headings = [words(heading) for heading in parser.headings]
    titles = list(Project.objects.filter(plan=seed.plan).values_list("name", flat=True))
    totals = _project_totals(seed.plan)
    in_words = [bahttext(amount) for amount in totals.values()]
    in_words.append(bahttext(Decimal("1000000")))  # the envelope
    assert len(titles) == 16 and len(totals) == 4
    assert "ส่วนที่ ๓ งบประมาณและโครงการ" in headings
    assert "หนึ่งล้านบาทถ้วน" in in_words and "สี่หมื่นห้าพันบาทถ้วน" in in_words

    for reader in (pdftotext_raw, pypdf_text):
        text = flat(reader(book_pdf))
        missing = [
            expected
            for expected in [*titles, *in_words, *headings]
            if flat(to_thai_digits(expected)) not in text
        ]
        assert not missing, (reader.__name__, missing)


def _fonts(content: bytes) -> set[str]:
    reader = PdfReader(io.BytesIO(content))
    return {
        str(font.get_object()["/BaseFont"]).split("+")[-1]
        for page in reader.pages
        for font in page["/Resources"].get("/Font", {}).values()
    }


@pytest.mark.pdf
def test_the_month_calendar_marks_with_the_drawn_tick_in_sarabun_only(seed):
    """2.5's activities run in June, August and September. Sarabun
    has no "✓"; it printed in DejaVu Sans, a second font on a signed page."""
    project = Project.objects.get(plan=seed.plan, code="2.5")
    document = documents.project_sheet_document(project, "thai")
    body = str(document.body)
    grid = body[body.index('data-testid="month-grid"') :]
    grid = grid[: grid.index("</table>")]

    assert "✓" not in grid
    assert grid.count('class="tick"') == 3
    assert 'aria-label="ดำเนินการ"' in grid
    fonts = _fonts(document.render())
    assert fonts and all(name.startswith("Sarabun") for name in fonts), fonts


def test_the_summary_by_obec_strategy_counts_9_2_and_5(seed):
    table = plan_book_tables(plan_book(seed.plan))["by_obec_strategy"]
    counts = {
        row["name"].split(" ")[0]: row["project_count"]
        for row in table.rows
        if row["project_count"]
    }

    assert counts == {"(๒)": 9, "(๔)": 2, "(๕)": 5}
    assert table.total_row["project_count"] == 16
    # and the book prints it: the row of each strategy, its count in Thai
    rows = _printed_rows(str(seed.document.body), "by-obec-strategy")
    header = rows[0]
    column = next(i for i, name in enumerate(header) if "จำนวน" in name)
    printed = {row[0].split(" ")[0]: row[column] for row in rows[1:] if row}
    assert {code: printed[code] for code in counts} == {
        "(๒)": "๙",
        "(๔)": "๒",
        "(๕)": "๕",
    }


def _printed_rows(html: str, testid: str) -> list[list[str]]:
    """The cells' text of every row of the table ``testid`` (header first)."""
    start = html.index(f'data-testid="{testid}"')
    table = html[start : html.index("</table>", start)]
    return [
        [
            " ".join(re.sub(r"<[^>]+>", "", cell).split())
            for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)
        ]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S)
    ]


def test_the_plan_workbook_carries_the_books_spending_plan_cell_for_cell(seed, client):
    """The plan's download (``excel:export_plan``) has the book's
    แผนการใช้จ่ายงบประมาณ: its headers, rows and total row as the book's page
    prints them (amounts as numbers, "ไม่ใช้งบประมาณ" as the words)."""
    planner = get_user_model().objects.get(username="yst2_plan")
    client.force_login(planner)
    page = client.get(
        reverse("reports:plan_book", args=[seed.plan.pk]), {"digits": "arabic"}
    )
    response = client.get(reverse("excel:export_plan"), {"fiscal_year": 2562})
    assert page.status_code == response.status_code == 200
    printed = _printed_rows(page.content.decode(), "spending-plan")
    sheet = load_workbook(io.BytesIO(response.content))["แผนการใช้จ่ายงบประมาณ"]
    written = [list(row) for row in sheet.iter_rows(values_only=True)]

    def as_printed(value) -> str:
        if isinstance(value, int | float | Decimal):
            return amount_text(Decimal(str(value)), "arabic")
        return "" if value is None else " ".join(str(value).split())

    assert written[0] == printed[0]
    assert len(written) == len(printed) == 1 + 1 + 4 + 1 + 16 + 1
    assert [[as_printed(value) for value in row] for row in written] == printed
    assert written[-1][1:3] == ["รวมงบประมาณทั้งสิ้น", 1000000]
    assert written[2] == [None, "- ค่าสาธารณูปโภค", 300000, None]
