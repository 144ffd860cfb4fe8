"""A report table is described once (:mod:`core.tables`): the HTML the page and
the PDF print and the sheet the workbook holds come from the same description,
so they show the same headers, in the same order, the same values (formatted
text on the page, numbers in the sheet) and the same total row, which adds up.
"""

import datetime
from decimal import Decimal
from html.parser import HTMLParser
from io import BytesIO

import pytest
from django.template import Context, Template
from django.urls import reverse
from openpyxl import load_workbook

from budgets import tables as budget_tables
from budgets.selectors import disbursement_progress
from budgets.tables import summary_tables
from core import thai
from core.tables import SUM, Kind, Table, amount, money, percent, shown, text, whole
from core.xlsx import MONEY_FORMAT, PERCENT_FORMAT, add_table, new_book, to_bytes
from progress import selectors as progress_selectors
from progress import tables as progress_tables
from projects import selectors as project_selectors
from projects import tables as project_tables
from reports import selectors
from reports import tables as report_tables
from tests.reports.conftest import book  # noqa: F401 - the report fixture

# ------------------------------------------------------------------ reading both


class _Cells(HTMLParser):
    """Text of each row's cells, by section (thead, tbody, tfoot)."""

    def __init__(self):
        super().__init__()
        self.sections = {"thead": [], "tbody": [], "tfoot": []}
        self.cols = []
        self._section = None
        self._cell = None

    def handle_starttag(self, tag, attrs):
        if tag in self.sections:
            self._section = tag
        elif tag == "col":
            self.cols.append(dict(attrs).get("class", ""))
        elif tag == "tr" and self._section:
            self.sections[self._section].append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.sections[self._section][-1].append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def html_of(table: Table, digits: str = "arabic") -> _Cells:
    rendered = Template("{% load tables %}{% data_table table %}").render(
        Context({"table": table, "digits": digits})
    )
    parser = _Cells()
    parser.feed(rendered)
    return parser


def sheet_of(table: Table):
    workbook = new_book()
    add_table(workbook, table)
    return load_workbook(BytesIO(to_bytes(workbook))).worksheets[0]


def assert_same(table: Table) -> None:
    """Headers, column order, every cell and the total row agree."""
    html = html_of(table)
    sheet = sheet_of(table)
    headers = [cell.value for cell in sheet[1]]
    assert html.sections["thead"] == [headers] == [table.headers]
    body = [list(row) for row in sheet.iter_rows(min_row=2, values_only=True)]
    total = table.total_row
    html_rows = html.sections["tbody"] if table.rows else []
    assert len(html_rows) == len(table.rows)
    assert len(body) == len(table.rows) + (total is not None)
    for shown_row, values in zip(html_rows, body, strict=False):
        for column, text_, value in zip(table.columns, shown_row, values, strict=True):
            assert_cell(column, text_, value)
    if total is None:
        assert html.sections["tfoot"] == []
        return
    (shown_total,) = html.sections["tfoot"]
    for column, text_, value in zip(table.columns, shown_total, body[-1], strict=True):
        assert_cell(column, text_, value)
        if value is None and column.blank:  # no "ไม่ได้กำหนด" under a total
            assert text_ == "", column.header
        if column.total == SUM:  # the total row adds the column up
            hand = sum(
                (Decimal(str(row.get(column.key) or 0)) for row in table.rows),
                Decimal(0),
            )
            assert Decimal(str(value or 0)) == hand, column.header
    for index, column in enumerate(table.columns, start=1):
        cell = sheet.cell(2, index)
        if column.kind in (Kind.MONEY, Kind.AMOUNT) and cell.value is not None:
            assert cell.number_format == MONEY_FORMAT
        if column.kind == Kind.PERCENT and cell.value is not None:
            assert cell.number_format == PERCENT_FORMAT


def assert_cell(column, text_: str, value) -> None:
    """The page's text is the sheet's value, formatted."""
    if value is None:
        assert text_ in ("", "-", column.blank), (column.header, text_)
    elif isinstance(value, datetime.datetime | datetime.date):
        day = value.date() if isinstance(value, datetime.datetime) else value
        assert text_ == thai.thai_date(day, style="short"), column.header
    elif isinstance(value, int | float):
        figure = text_.removeprefix("ร้อยละ ").replace(",", "")
        number = Decimal("0") if figure == "-" else Decimal(figure)
        assert number == Decimal(str(value)).quantize(number), (column.header, text_)
    else:
        assert text_ == value, column.header


# ------------------------------------------------------------------ the reports


def report_data(book):  # noqa: F811 - the fixture's value
    return {
        "budget": selectors.budget_report(plan=book.plan),
        "kpi": selectors.kpi_report(plan=book.plan),
        "progress": selectors.progress_document(book.round4),
        "annual": selectors.annual_document(book.plan),
    }


def described_tables(book) -> dict[str, Table]:  # noqa: F811
    data = report_data(book)
    annual = data["annual"]
    summary = {
        f"summary {name}": table
        for name, table in summary_tables(data["budget"]["summary"]).items()
    }
    return {
        **summary,
        "budget projects": report_tables.budget_projects_table(
            data["budget"]["projects"], data["budget"]["totals"]
        ),
        "kpi": report_tables.kpi_table(data["kpi"]["projects"]),
        "strategy": report_tables.strategy_table(
            data["kpi"]["attainment"].strategies[0]
        ),
        "attainment sheet": report_tables.attainment_table(data["kpi"]["attainment"]),
        "statuses": report_tables.status_table(data["progress"]["statuses"]),
        "quarters": report_tables.quarter_progress_table(data["progress"]["quarters"]),
        "execution": report_tables.execution_table(
            annual["execution"], annual["execution_total"]
        ),
        "project list": project_tables.project_list_table(
            list(
                project_selectors.project_list(
                    organization=book.plan.organization,
                    fiscal_year=book.plan.fiscal_year,
                )
            )
        ),
        "board summary": progress_tables.board_summary_table(
            progress_selectors.board(book.round4)
        ),
        "disbursement projects": budget_tables.disbursement_projects_table(
            disbursement_progress(
                organization=book.plan.organization, fiscal_year=book.plan.fiscal_year
            )
        ),
    }


NAMES = [
    "budget projects",
    "kpi",
    "strategy",
    "attainment sheet",
    "statuses",
    "quarters",
    "execution",
    "disbursement projects",
    "project list",
    "board summary",
    *(
        f"summary {name}"
        for name in (
            "sources",
            "groups",
            "strategies",
            "category_groups",
            "categories",
            "quarters",
            "projects",
        )
    ),
]


@pytest.mark.parametrize("name", NAMES)
def test_page_and_sheet_show_the_same_table(book, name):  # noqa: F811
    table = described_tables(book)[name]
    assert table.rows, "the fixture fills every table"
    assert_same(table)


def test_totals_add_up_to_the_selectors_figures(book):  # noqa: F811
    found = described_tables(book)
    data = report_data(book)
    execution = found["execution"].total_row
    total = data["annual"]["execution_total"]
    assert (execution["allocated"], execution["disbursed"], execution["remaining"]) == (
        total.allocated,
        total.disbursed,
        total.remaining,
    )
    projects = found["budget projects"].total_row
    for key in ("total_budget", "disbursed", "balance"):
        assert projects[key] == data["budget"]["totals"][key], key
    statuses = found["statuses"].total_row
    assert statuses["count"] == data["progress"]["project_count"]
    assert statuses["share"] == Decimal("100.00")


def test_the_report_pages_print_the_sheets_headers(client, planner, book):  # noqa: F811
    """The page's table (not a hand-written twin) has the workbook's headers."""
    client.force_login(planner)
    pages = [
        ("reports:budget_report", [], "filtered-projects", "budget_report_xlsx", []),
        (
            "reports:annual_report",
            [book.plan.pk],
            "execution",
            "annual_report_xlsx",
            [book.plan.pk],
        ),
        (
            "reports:progress_report",
            [book.round4.pk],
            "status-summary",
            "progress_report_xlsx",
            [book.round4.pk],
        ),
        (
            "reports:progress_report",
            [book.round4.pk],
            "quarter-progress",
            "progress_report_xlsx",
            [book.round4.pk],
        ),
    ]
    sheets = {
        "filtered-projects": "โครงการตามเงื่อนไข",
        "execution": "ผลการบริหารจัดการงบประมาณ",
        "status-summary": "สรุปสถานะ",
        "quarter-progress": "การเบิกจ่ายรายไตรมาส",
        "by-quarter": "รายไตรมาส",
        "by-project": "รายโครงการ",
    }
    for page, args, testid, download, download_args in pages:
        content = client.get(
            reverse(page, args=args), {"fiscal_year": 2568, "digits": "arabic"}
        ).content.decode()
        # A document prints a table too wide for its page in parts side by
        # side, each repeating the leading text columns (core.tables
        # .split_columns): their headers together are the sheet's.
        headers: list[str] = []
        for part in content.split(f'data-testid="{testid}"')[1:]:
            parser = _Cells()
            parser.feed(part[: part.index("</table>")])
            headers += [h for h in parser.sections["thead"][0] if h not in headers]
        response = client.get(
            reverse(f"reports:{download}", args=download_args), {"fiscal_year": 2568}
        )
        sheet = load_workbook(BytesIO(response.content))[sheets[testid]]
        assert headers == [cell.value for cell in sheet[1]]


def _page_table(content: str, testid: str) -> _Cells:
    start = content.index(f'data-testid="{testid}"')
    parser = _Cells()
    end = content.index("</table>", start)
    parser.feed(content[content.rindex("<table", 0, start) : end + len("</table>")])
    return parser


def _sheet_rows(response, title: str) -> list[list]:
    sheet = load_workbook(BytesIO(response.content))[title]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_the_disbursement_page_prints_its_sheets_projects(client, planner, book):  # noqa: F811
    """The page's by-project table is the workbook's: headers, rows, total."""
    client.force_login(planner)
    query = {"fiscal_year": book.plan.fiscal_year, "digits": "arabic"}
    content = client.get(reverse("budgets:disbursement"), query).content.decode()
    page = _page_table(content, "disbursement-by-project")
    rows = _sheet_rows(
        client.get(reverse("budgets:disbursement_xlsx"), query), "รายโครงการ"
    )
    assert page.sections["thead"] == [rows[0]]
    assert len(page.sections["tbody"]) + len(page.sections["tfoot"]) == len(rows) - 1
    assert [row[1] for row in page.sections["tbody"]] == [row[1] for row in rows[1:-1]]
    assert page.sections["tfoot"][0][2] == rows[-1][2] == "รวม"


def test_the_project_list_prints_its_sheet_with_links_and_badges(
    client,
    planner,
    book,  # noqa: F811
):
    """The list page's table is the workbook's; on the screen each name still
    links to the project's sheet and each status is a badge."""
    client.force_login(planner)
    query = {"fiscal_year": book.plan.fiscal_year}
    content = client.get(reverse("projects:list"), query).content.decode()
    page = _page_table(content, "project-list")
    rows = _sheet_rows(client.get(reverse("projects:list_xlsx"), query), "โครงการ")
    assert page.sections["thead"] == [rows[0]]
    assert [row[2] for row in page.sections["tbody"]] == [row[2] for row in rows[1:]]
    for project in project_selectors.project_list(
        organization=book.plan.organization, fiscal_year=book.plan.fiscal_year
    ):
        link = f'<a href="{reverse("projects:detail", args=[project.pk])}">'
        assert f"{link}{project.name}</a>" in content
        status = f'<span class="badge">{project.get_status_display()}</span>'
        assert status in content


def test_the_board_prints_its_sheets_summary(client, planner, book):  # noqa: F811
    """The board's summary by group is the workbook's: headers, rows, total."""
    client.force_login(planner)
    query = {"round": book.round4.pk}
    content = client.get(reverse("progress:board"), query).content.decode()
    page = _page_table(content, "summary")
    rows = _sheet_rows(client.get(reverse("progress:board_xlsx"), query), "สรุปรายกลุ่ม")
    assert page.sections["thead"] == [rows[0]]
    assert [row[0] for row in page.sections["tbody"]] == [row[0] for row in rows[1:-1]]
    assert page.sections["tfoot"][0][0] == rows[-1][0] == "รวมทั้งสำนักงาน"
    assert page.sections["tfoot"][0][-2] == str(rows[-1][-2])  # every project


def test_a_column_links_its_text_and_shows_a_badge_on_the_screen_only():
    table = Table(
        "ตาราง",
        [text("name", "ชื่อ", link="url"), text("state", "สถานะ", badge=True)],
        [
            {"name": "ก", "url": "/a/", "state": "ร่าง"},
            {"name": "ข", "url": "", "state": ""},
        ],
    )
    rendered = Template("{% load tables %}{% data_table table %}").render(
        Context({"table": table})
    )
    assert '<td data-label="ชื่อ"><a href="/a/">ก</a></td>' in rendered
    assert '<td data-label="สถานะ"><span class="badge">ร่าง</span></td>' in rendered
    # no link, no empty badge
    assert '<td data-label="ชื่อ">ข</td><td data-label="สถานะ"></td>' in rendered
    assert [cell.value for cell in sheet_of(table)[2]] == ["ก", "ร่าง"]
    assert_same(table)


def test_a_screen_table_labels_every_cell_for_phones_and_paper_does_not():
    """A phone stacks a screen's table into one card per row, each value
    under its header (app.css reads ``data-label``); a document keeps its grid
    and its markup."""
    table = Table(
        "ตาราง",
        [text("name", "ชื่อ"), money("amount", "จำนวนเงิน", total=SUM)],
        [{"name": "ก", "amount": Decimal("5")}],
        totals={"name": "รวม"},
    )
    template = Template("{% load tables %}{% data_table table %}")
    screen = template.render(Context({"table": table}))
    assert '<table class="data stack">' in screen
    assert '<td data-label="ชื่อ">ก</td>' in screen
    assert '<td class="num" data-label="จำนวนเงิน">5.00</td>' in screen
    assert '<th data-label="ชื่อ">รวม</th>' in screen
    paper = template.render(Context({"table": table, "document": True}))
    assert "data-label" not in paper and "stack" not in paper


# ------------------------------------------------------------------ formats


def test_each_kind_is_printed_with_the_thai_formats():
    cells = [
        (money("m", "เงิน"), Decimal("1234567.5"), "1,234,567.50"),
        (amount("a", "เงิน"), Decimal("2400"), "2,400"),
        (amount("a", "เงิน"), Decimal("2400.5"), "2,400.50"),
        (amount("a", "เงิน"), None, "-"),
        (percent("p", "ร้อยละ"), Decimal("12.5"), "12.50"),
        (percent("p", "ร้อยละ", blank="–"), None, "–"),
        (whole("w", "จำนวน"), 1234, "1,234"),
        (text("t", "ชื่อ"), "ก 1", "ก 1"),
    ]
    for column, value, expected in cells:
        assert shown(column, value) == expected, (column.kind, value)
    assert shown(money("m", "เงิน"), Decimal("1234"), "thai") == "๑,๒๓๔.๐๐"


def test_the_html_follows_the_screens_digits():
    table = Table(
        "ตาราง",
        [text("name", "รายการ"), money("m", "เงิน", total=SUM)],
        [{"name": "ก", "m": Decimal("10")}, {"name": "ข", "m": Decimal("2.5")}],
        {"name": "รวม"},
    )
    html = html_of(table, digits="thai")
    assert html.sections["tfoot"] == [["รวม", "๑๒.๕๐"]]
    assert html.cols == ["", "w-money"]
    assert_same(table)


def test_an_empty_table_says_so_and_has_no_rows_in_the_sheet():
    table = Table("ตาราง", [text("name", "รายการ")], [], empty="ไม่มีข้อมูล")
    assert html_of(table).sections["tbody"] == [["ไม่มีข้อมูล"]]
    assert sheet_of(table).max_row == 1


# ------------------------------------------------------------------ cost


def test_a_table_is_written_without_a_template_per_table_and_escapes_its_text():
    """A 60-project table is over a thousand cells: the tag writes them in
    Python (issue 20: an office's pages under 300 ms), with the markup the
    template printed and every text escaped."""
    from django.test.signals import template_rendered

    table = Table(
        "ตาราง",
        [text("name", "ชื่อ <ก>", link="url"), money("m", "เงิน", total=SUM)],
        [{"name": f"<b>{n}</b> & ก", "url": "/a/?x=1&y=2", "m": n} for n in range(60)],
        {"name": "รวม"},
    )
    rendered = []

    def seen(sender, template, **kwargs):
        rendered.append(template.name)

    template_rendered.connect(seen)
    try:
        html = Template("{% load tables %}{% data_table table %}").render(
            Context({"table": table})
        )
    finally:
        template_rendered.disconnect(seen)
    assert rendered == [None]  # the inline template only, no core/table.html
    assert html.count("<tr>") == 62
    assert (
        '<tr><td data-label="ชื่อ &lt;ก&gt;"><a href="/a/?x=1&amp;y=2">'
        "&lt;b&gt;1&lt;/b&gt; &amp; ก</a></td>"
        '<td class="num" data-label="เงิน">1.00</td></tr>\n    '
    ) in html
    assert "<b>" not in html
    assert html.endswith(
        '<tfoot><tr><th data-label="ชื่อ &lt;ก&gt;">รวม</th>'
        '<th class="num" data-label="เงิน">1,770.00</th></tr></tfoot>\n</table>\n'
    )
