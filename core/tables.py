"""A report table described once, shown on the screen, in the PDF and in Excel.

A table used to be written twice: as ``<table>`` markup in a template and as
columns for the workbook, and the two drifted (a header renamed on one side,
a column added on the other, a total row on the page but not in the sheet).
Now an app describes a :class:`Table` once, in its ``tables.py``, from the
rows its selector read; the ``{% data_table %}`` tag
(:mod:`core.templatetags.tables`) renders it as HTML for the page and the PDF,
and :func:`core.xlsx.add_table` writes it as a sheet. Both take the headers,
the column order, the formats and the total row from the same description.

- a :class:`Column` says what a value is (its *kind*: money, percent, a whole
  number, text, a date, a month), so the HTML shows it with the formats of
  :mod:`core.thai` and the sheet as a number or date cell with its number
  format;
- ``width`` is in characters, the unit of Excel's column widths; the printed
  page sets the width of number columns by their kind (the print stylesheet's
  ``w-money``, ``w-percent`` … classes, sized for the PDF fonts) and shares
  what is left among the text columns, so ``css`` overrides it where a table
  was laid out by hand;
- ``total=SUM`` makes the total row add the column up; other cells of the
  total row (its label, an overall percentage) come from ``Table.totals``.

Digits: the HTML is written in the chosen style (``digits``: "thai" or
"arabic"); an official document converts its whole body afterwards anyway
(:mod:`reports.digits`).
"""

import datetime
import functools
import html
import math
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.safestring import SafeString, mark_safe

from core import thai


class Kind:
    TEXT = "text"
    #: baht, "1,234.50"; a number cell formatted ``#,##0.00``
    MONEY = "money"
    #: baht the way the offices print table amounts: "2,400", "2,400.50",
    #: "-" for nothing; the same money cell in Excel
    AMOUNT = "amount"
    #: a percentage as a bare number, "12.50" (the header says ร้อยละ)
    PERCENT = "percent"
    #: a count, "1,234"
    WHOLE = "whole"
    #: a number that is not money (a KPI result); text stays text
    NUMBER = "number"
    #: a BE date, "1 ต.ค. 67"; a date cell
    DATE = "date"
    #: a BE month, "ต.ค. 2567"; a date cell showing the month
    MONTH = "month"


NUMERIC = (Kind.MONEY, Kind.AMOUNT, Kind.PERCENT, Kind.WHOLE, Kind.NUMBER)

#: Column total: add the column up.
SUM = "sum"

#: The print stylesheet's width of a number column, by kind.
CSS_BY_KIND = {
    Kind.MONEY: "w-money",
    Kind.AMOUNT: "w-amount",
    Kind.PERCENT: "w-percent",
    Kind.WHOLE: "w-count",
}


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    kind: str = Kind.TEXT
    #: in characters (Excel's unit)
    width: int = 14
    #: "num" (right), "center" or "left"; by default numbers are right-aligned
    align: str = ""
    #: :data:`SUM` to add the column up in the total row
    total: str | None = None
    #: the ``<col>`` class on the printed page; default by kind
    css: str | None = None
    #: what the HTML shows for no value ("–" where the page said so)
    blank: str = ""
    #: a percentage shown with its word, "ร้อยละ 12.50" (screens that said so)
    word: bool = False
    #: the row key of a URL the HTML links the cell's text to (a project's
    #: sheet from the list); the workbook and a row without it show the text
    link: str = ""
    #: the HTML shows the text as a badge (a status); the workbook as text
    badge: bool = False

    @property
    def alignment(self) -> str:
        if self.align:
            return "" if self.align == "left" else self.align
        return "num" if self.kind in NUMERIC else ""

    @property
    def col_class(self) -> str:
        return CSS_BY_KIND.get(self.kind, "") if self.css is None else self.css


def money(key: str, header: str, width: int = 16, **options) -> Column:
    return Column(key, header, Kind.MONEY, width, **options)


def amount(key: str, header: str, width: int = 16, **options) -> Column:
    return Column(key, header, Kind.AMOUNT, width, **options)


def percent(key: str, header: str, width: int = 12, **options) -> Column:
    return Column(key, header, Kind.PERCENT, width, **options)


def whole(key: str, header: str, width: int = 10, **options) -> Column:
    return Column(key, header, Kind.WHOLE, width, **options)


def text(key: str, header: str, width: int = 30, **options) -> Column:
    return Column(key, header, Kind.TEXT, width, **options)


def date(key: str, header: str, width: int = 12, **options) -> Column:
    return Column(key, header, Kind.DATE, width, **options)


@dataclass
class Table:
    """``rows`` are dicts of values by column key; ``totals`` the cells of the
    total row that are not sums (``None``: no total row unless a column
    sums)."""

    title: str
    columns: list[Column]
    rows: list[dict] = field(default_factory=list)
    totals: dict | None = None
    #: the HTML's one row when there are no rows
    empty: str = ""
    #: ``data-testid`` and extra classes of the HTML table
    testid: str = ""
    css: str = "data"

    @property
    def headers(self) -> list[str]:
        return [column.header for column in self.columns]

    @property
    def total_row(self) -> dict | None:
        sums = {
            column.key: sum((row.get(column.key) or 0 for row in self.rows), Decimal(0))
            for column in self.columns
            if column.total == SUM
        }
        if self.totals is None and not sums:
            return None
        return {**(self.totals or {}), **sums}


# ------------------------------------------------------------------ printed widths
#
# A number column's width in the print stylesheet (``w-money`` …) suits the
# amounts of a small office; real offices print eight and nine digits
# (318,223,938.00), which ran over the next column. The widest value a column
# prints decides its width: the stylesheet has a class per half em
# (``w-num-6`` … ``w-num-22``: 3 … 11 em), and a table whose number columns
# leave too little room on a portrait page is printed on a landscape one.

#: Advance widths in Sarabun bold (a total row is bold), in em, measured with
#: WeasyPrint (see tests/reports/test_overflow.py): each Thai digit (an
#: Arabic digit is narrower, 0.57 em, but a document may convert its digits
#: to Thai after the table is written, so a digit counts as its Thai form),
#: a comma or point, a space and any other character (a Thai consonant
#: averages 0.65 em; vowels and tone marks above and below take no width).
_EM_DIGITS = [0.666, 0.691, 0.716, 0.709, 0.688, 0.688, 0.673, 0.793, 0.684, 0.700]
_EM_MARK, _EM_SPACE, _EM_OTHER = 0.291, 0.3, 0.65
#: A number cell's left and right padding (print.css: .2 em each) and slack.
_EM_PADDING = 0.5
#: The class widths of print.css, in em, by class.
_KIND_EM = {"w-money": 7.4, "w-amount": 5.8, "w-percent": 6.6, "w-count": 5.2}
_OTHER_EM = {
    "w-no": 2.6,
    "w-code": 5,
    "w-short": 6,
    "w-group": 9,
    "w-category": 7,
    "w-period-verdict": 12,
    "w-status": 7.5,
    "w-quarter": 6.4,
}
#: The table's font size in pt, by its classes (print.css), and the content
#: width of a portrait and a landscape A4 page in pt.
_FONT_PT = {"tiny": 11, "compact": 12}
_PORTRAIT_PT, _LANDSCAPE_PT = 453.5, 714.3
#: What a table's text columns need at least, in em (all of them; each one
#: of a table printed in parts).
_TEXT_EM = 12
_TEXT_COLUMN_EM = 10


def printed_em(text: str) -> float:
    """The width of ``text`` printed in a number cell, in em, padding included.
    Every number cell of a page is measured (its column's class): the width of
    each character is looked up once per process (:func:`_char_em`)."""
    return sum(map(_char_em, text), 0.0) + _EM_PADDING


@functools.lru_cache(maxsize=1024)
def _char_em(char: str) -> float:
    if unicodedata.category(char) == "Mn":  # Thai vowels and tone marks
        return 0.0
    if char.isdigit():
        return _EM_DIGITS[unicodedata.digit(char)]
    if char.isspace():
        return _EM_SPACE
    if char in ",.":
        return _EM_MARK
    return _EM_OTHER


def number_col_class(texts, css: str) -> str:
    """The ``<col>`` class of a number column printing ``texts``: its kind's
    class (``css``) when they fit it, else the half em that holds the widest."""
    widest = max((printed_em(text) for text in texts), default=0)
    if widest <= _KIND_EM.get(css, 0):
        return css
    return f"w-num-{min(22, max(6, math.ceil(widest * 2)))}"


def col_em(css: str) -> float:
    """A ``<col>`` class's width in em (0: a text column sharing the rest)."""
    if css.startswith("w-num-"):
        return int(css.removeprefix("w-num-")) / 2
    return _KIND_EM.get(css, _OTHER_EM.get(css, 0))


def needs_landscape(col_classes, table_css: str) -> bool:
    """The number columns leave less than ``_TEXT_EM`` for the text on a
    portrait page (at the table's font size)."""
    fixed = sum(col_em(css) for css in col_classes if css)
    return fixed + _TEXT_EM > _PORTRAIT_PT / _font_pt(table_css)


def _font_pt(table_css: str) -> int:
    return next((pt for name, pt in _FONT_PT.items() if name in table_css.split()), 14)


# ------------------------------------------------------------------ HTML text


def shown(column: Column, value, digits: str = "arabic") -> str:
    """A value as the HTML prints it in ``column`` (``digits``: the style)."""
    if column.kind == Kind.AMOUNT:
        return _amount(value, digits)
    if value is None or value == "":
        return column.blank
    if column.kind == Kind.MONEY:
        return thai.format_baht(value, digits)
    if column.kind == Kind.PERCENT:
        if column.word:
            return thai.format_percent(value, digits=digits)
        return thai.format_number(value, 2, digits)
    if column.kind == Kind.WHOLE:
        return thai.format_number(value, 0, digits)
    if column.kind == Kind.NUMBER and isinstance(value, Decimal | int | float):
        number = Decimal(str(value))
        places = 0 if number == number.to_integral() else -number.as_tuple().exponent
        return thai.format_number(number, max(places, 0), digits)
    if column.kind == Kind.DATE and isinstance(value, datetime.date):
        return thai.thai_date(value, style="short", digits=digits)
    if column.kind == Kind.MONTH and isinstance(value, datetime.date):
        return thai.thai_month_year(value, digits=digits)
    return str(value)  # text keeps its digits (a project code is not a number)


def amount_text(value, digits: str = "thai") -> str:
    """An amount as a table prints it (Thai digits: the widest)."""
    return _amount(value, digits)


def _amount(value, digits: str) -> str:
    """ "2,400" for whole baht, "2,400.50" with satang, "-" for nothing;
    words stay words (seed 000 prints "ไม่ใช้งบประมาณ" in the amount column)."""
    if value in (None, ""):
        return "-"
    if isinstance(value, str) and not any(char.isdigit() for char in value):
        return value
    money = thai.quantize_baht(value)
    if not money:
        return "-"
    places = 0 if money == money.to_integral_value() else 2
    return thai.format_number(money, places, digits)


@dataclass(frozen=True)
class HtmlCell:
    text: str
    align: str
    #: where the text links to (``Column.link``), and whether it is a badge
    href: str = ""
    badge: bool = False
    #: the column's header, which a phone shows beside the value when the
    #: table is stacked into one card per row (``data-label``, app.css)
    label: str = ""


def html_rows(table: Table, digits: str = "arabic", paper: bool = False) -> dict:
    """What :func:`html_table` prints: headers, body cells and the total row
    (``paper``: in a document, see :func:`split_columns`)."""

    def cells(row: dict, total: bool = False) -> list[HtmlCell]:
        return [
            HtmlCell(
                # the total row leaves a cell it has no figure for empty
                ""
                if total and row.get(column.key) is None and column.blank
                else shown(column, row.get(column.key), digits),
                column.alignment,
                (row.get(column.link) or "") if column.link else "",
                column.badge,
                column.header,
            )
            for column in table.columns
        ]

    total = table.total_row
    body = [cells(row) for row in table.rows]
    total_cells = cells(total, total=True) if total is not None else None
    printed = body + ([total_cells] if total_cells else [])
    classes = []
    for index, column in enumerate(table.columns):
        css = column.col_class
        if column.kind in NUMERIC and css in _KIND_EM:
            css = number_col_class([row[index].text for row in printed], css)
        classes.append(css)
    landscape = needs_landscape(classes, table.css) and _money_widened(table, classes)
    parts = [
        {
            "columns": [(table.columns[i], classes[i]) for i in indexes],
            "headers": [
                (table.columns[i].header, table.columns[i].alignment) for i in indexes
            ],
            "body": [[row[i] for i in indexes] for row in body],
            "total": [total_cells[i] for i in indexes] if total_cells else None,
            "span": len(indexes),
        }
        for indexes in split_columns(table, classes, paper)
    ]
    return {
        "table": table,
        "landscape": landscape,
        "parts": parts,
        # a screen's table stacks into cards on a phone; paper keeps its grid
        "stack": not paper,
        **parts[0],
    }


def _escape(value) -> str:
    """``conditional_escape`` without its wrappers (a cell is a ``str`` but
    for the odd ``SafeString``): the same text, called a few thousand times a
    page."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def html_table(printed: dict) -> SafeString:
    """:func:`html_rows`' result as HTML, written here rather than by a
    template: a 60-project table is over a thousand cells, and the template
    engine's per-cell variable lookups and ``{% if %}`` nodes cost more than
    the page's queries (issue 20, an office's pages under 300 ms). The markup
    is the one ``core/table.html`` printed, byte for byte; every text is
    escaped unless already safe (``conditional_escape``), as the template's
    autoescape did."""
    esc = _escape
    stack = printed["stack"]
    table = printed["table"]
    css = esc(table.css) + (" stack" if stack else "")
    testid = f' data-testid="{esc(table.testid)}"' if table.testid else ""
    empty = printed.get("empty")
    opening: dict = {}  # (tag, align, label) -> "<td …>": a column's cells share it

    def cell_html(cell: HtmlCell, tag: str, body: bool) -> str:
        key = (tag, cell.align, cell.label)
        start = opening.get(key)
        if start is None:
            align = f' class="{esc(cell.align)}"' if cell.align else ""
            label = f' data-label="{esc(cell.label)}"' if stack else ""
            start = opening[key] = f"<{tag}{align}{label}>"
        text = esc(cell.text)
        if body:
            if cell.badge and cell.text:
                text = f'<span class="badge">{text}</span>'
            if cell.href:
                text = f'<a href="{esc(cell.href)}">{text}</a>'
        return f"{start}{text}</{tag}>"

    out = ["\n" * 5]
    if printed["landscape"]:
        out.append('<div class="landscape">')
    for part in printed["parts"]:
        cols = "".join(
            f'<col class="{esc(col_css)}">' if col_css else "<col>"
            for _column, col_css in part["columns"]
        )
        headers = "".join(
            f'<th class="{esc(align)}">{esc(header)}</th>'
            if align
            else f"<th>{esc(header)}</th>"
            for header, align in part["headers"]
        )
        out.append(
            f'<table class="{css}"{testid}>\n  <colgroup>{cols}</colgroup>\n'
            f"  <thead><tr>{headers}</tr></thead>\n  <tbody>\n    "
        )
        if part["body"]:
            for row in part["body"]:
                cells = "".join(cell_html(cell, "td", True) for cell in row)
                out.append(f"<tr>{cells}</tr>\n    ")
        else:
            if empty:
                out.append(
                    f'<tr><td colspan="{part["span"]}" class="muted">'
                    f"{esc(empty)}</td></tr>"
                )
            out.append("\n    ")
        out.append("\n  </tbody>\n  ")
        if part["total"]:
            cells = "".join(cell_html(cell, "th", False) for cell in part["total"])
            out.append(f"<tfoot><tr>{cells}</tr></tfoot>")
        out.append("\n</table>")
    if printed["landscape"]:
        out.append("</div>")
    out.append("\n")
    return mark_safe("".join(out))  # noqa: S308 - every part escaped above


def _money_widened(table: Table, classes: list[str]) -> bool:
    """A money column had to be widened for its amounts: a small office's
    tables print as they always did."""
    return any(
        column.kind in (Kind.MONEY, Kind.AMOUNT) and css.startswith("w-num-")
        for column, css in zip(table.columns, classes, strict=True)
    )


def split_columns(
    table: Table, classes: list[str], paper: bool = False
) -> list[list[int]]:
    """The column indexes of each printed part of ``table``.

    One part, unless its number columns do not fit a landscape page with
    room for its text (the budget summary's projects with nine-digit amounts
    in seven columns; seed 000's, with six-digit amounts, left the project
    titles 5.6 em and "รัชกาลที่ ๑๐" ran over the cell): then the number
    columns are shared among parts that each fit,
    every part repeating the text columns before them (number, code, name)
    so each row can still be read; text columns after them go with the last.
    A screen (not on ``paper``) scrolls: it splits only for widened amounts,
    as it always did.
    """
    everything = list(range(len(table.columns)))
    money = [
        i for i in everything if table.columns[i].kind in (Kind.MONEY, Kind.AMOUNT)
    ]
    if not money or not (paper or _money_widened(table, classes)):
        return [everything]
    numbers = [
        i for i in everything if i >= money[0] and table.columns[i].kind in NUMERIC
    ]
    leading = [i for i in everything if i < money[0]]
    trailing = [i for i in everything if i > numbers[-1] and i not in numbers]
    free_text = [i for i in leading + trailing if not col_em(classes[i])]
    room = (
        _LANDSCAPE_PT / _font_pt(table.css)
        - _TEXT_COLUMN_EM * len(free_text)
        - sum(col_em(classes[i]) for i in leading + trailing)
    )
    if sum(col_em(classes[i]) for i in numbers) <= room:
        return [everything]
    middle = [i for i in everything if numbers[0] <= i <= numbers[-1]]
    chunks, current, width = [], [], 0.0
    for i in middle:
        if current and width + col_em(classes[i]) > room:
            chunks.append(current)
            current, width = [], 0.0
        current.append(i)
        width += col_em(classes[i])
    chunks.append(current)
    parts = [leading + chunk for chunk in chunks]
    parts[-1] += trailing
    return parts
