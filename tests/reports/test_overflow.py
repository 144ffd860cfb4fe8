"""Every document of the stress office, laid out and checked for overflow.

The documents' own HTML (what ``Document.render`` lays out) goes through the
detector of :mod:`tests.pdf_layout`: no text past its cell, its signature
block or the page, no table wider than the page, no page holding only a total
row or a heading, no table header broken inside a word.
"""

import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from core.selectors import group_rows
from reports import documents
from tests.pdf_layout import breaks_inside_word, layout_problems
from tests.stress_office import build_stress_office

pytestmark = [pytest.mark.django_db, pytest.mark.pdf]

DIGITS = ["thai", "arabic"]


@pytest.fixture
def stress(db):
    return build_stress_office()


def _assert_fits(html: str):
    problems = layout_problems(html)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("digits", DIGITS)
def test_plan_book_fits(stress, digits):
    _assert_fits(documents.plan_book_document(stress.plan, digits).pdf_html())


@pytest.mark.parametrize("digits", DIGITS)
@pytest.mark.parametrize("which", ["big", "spanning", "zero", "idle"])
def test_project_sheet_fits(stress, which, digits):
    project = getattr(stress, which)
    _assert_fits(documents.project_sheet_document(project, digits).pdf_html())


@pytest.mark.parametrize("digits", DIGITS)
@pytest.mark.parametrize("number", [2, 4])
def test_progress_report_fits(stress, number, digits):
    document = documents.progress_document(stress.rounds[number], digits)
    _assert_fits(document.pdf_html())


@pytest.mark.parametrize("digits", DIGITS)
def test_annual_report_fits(stress, digits):
    _assert_fits(documents.annual_document(stress.plan, digits).pdf_html())


NO_FILTERS = {"group": None, "strategy": None, "source": None}


@pytest.mark.parametrize("digits", DIGITS)
def test_budget_report_fits(stress, digits):
    document = documents.budget_document(stress.plan, NO_FILTERS, [], digits)
    _assert_fits(document.pdf_html())


@pytest.mark.parametrize("digits", DIGITS)
def test_kpi_report_fits(stress, digits):
    document = documents.kpi_document(stress.plan, NO_FILTERS, [], digits)
    _assert_fits(document.pdf_html())


@pytest.mark.parametrize("digits", DIGITS)
def test_office_directory_fits(stress, digits):
    today = timezone.localdate()
    html = render_to_string(
        "reports/pdf/office_directory.html",
        {
            "organization": stress.office,
            "today": today,
            "rows": group_rows(stress.office, today),
            "digits": digits,
            "counter_style": "thai" if digits == "thai" else "decimal",
        },
    )
    _assert_fits(html)


# ------------------------------------------------------------------ the detector


def _page(body: str, style: str = "") -> str:
    return (
        '<html lang="th"><head><link rel="stylesheet" href="/static/css/print.css">'
        f"<style>{style}</style></head><body>{body}</body></html>"
    )


#: A money column of the width core.tables gives 999,999,999.99 (w-num-19).
MONEY_TABLE = (
    '<table class="data"><colgroup><col><col class="w-num-19"></colgroup>'
    '<thead><tr><th>รายการ</th><th class="num">จำนวนเงิน</th></tr></thead>'
    '<tbody><tr><td>ค่าตอบแทนวิทยากร</td><td class="num">๙๙๙,๙๙๙,๙๙๙.๙๙</td></tr>'
    "</tbody>"
    '<tfoot><tr><th>รวม</th><th class="num">๙๙๙,๙๙๙,๙๙๙.๙๙</th></tr></tfoot></table>'
)


def test_detector_passes_a_money_column_of_the_width_core_tables_picks():
    assert layout_problems(_page(MONEY_TABLE)) == []


def test_detector_reports_a_narrowed_money_column():
    problems = layout_problems(_page(MONEY_TABLE, "col.w-num-19 { width: 5em; }"))

    assert any(
        "«๙๙๙,๙๙๙,๙๙๙.๙๙»" in line and "overflows td.num" in line for line in problems
    ), problems
    assert all(line.startswith("page 1: ") for line in problems)


def test_detector_reports_a_narrowed_money_column_in_a_real_document(stress):
    html = documents.annual_document(stress.plan, "thai").pdf_html()
    # Every money column back to the width of a seven-digit amount.
    narrow = '<style>col.w-money, col[class^="w-num-"] { width: 6em; }</style>'
    narrowed = html.replace("</head>", f"{narrow}</head>")

    assert layout_problems(html) == []
    assert any("overflows td.num" in line for line in layout_problems(narrowed))


def test_detector_reports_a_table_wider_than_the_page():
    wide = MONEY_TABLE.replace(
        '<table class="data">', '<table class="data" style="width: 30cm">'
    )
    problems = layout_problems(_page(wide))

    assert any("table wider than the page" in line for line in problems), problems


def test_detector_reports_a_page_holding_only_the_total_row():
    problems = layout_problems(_page(MONEY_TABLE, "tfoot tr { break-before: page; }"))

    assert "page 2: holds only a total row: «รวม ๙๙๙,๙๙๙,๙๙๙.๙๙»" in problems


def test_detector_reports_a_heading_left_at_the_foot_of_a_page():
    body = "<p>ข้อความ</p><h2>ส่วนที่ ๒</h2><p>ข้อความ</p>"
    problems = layout_problems(_page(body, "h2 { break-after: page; }"))

    assert "page 1: ends with a heading: «ส่วนที่ ๒»" in problems


def test_detector_reports_a_page_holding_only_a_heading():
    body = "<h2>ส่วนที่ ๑ บทนำ</h2><p>ข้อความ</p>"
    problems = layout_problems(_page(body, "h2 { break-after: page; }"))

    assert "page 1: holds only a heading: «ส่วนที่ ๑ บทนำ»" in problems


@pytest.mark.parametrize(
    ("lines", "inside"),
    [
        (["งบประ", "มาณ"], True),
        (["ผลการดำเนิ", "นงาน"], True),
        (["ผลการ", "ดำเนินงาน"], False),
        (["ผลการ", "ดำเนิน", "งาน"], False),
        (["ผู้", "รับผิดชอบ"], False),
        (["ร้อยละการ ", "เบิกจ่าย"], False),
        (["งบประมาณ"], False),
    ],
)
def test_detector_tells_a_break_inside_a_word(lines, inside):
    assert breaks_inside_word(lines) is inside
