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
from dataclasses import dataclass, field
from decimal import Decimal

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


def _amount(value, digits: str) -> str:
    """ "2,400" for whole baht, "2,400.50" with satang, "-" for nothing."""
    if value in (None, ""):
        return "-"
    money = thai.quantize_baht(value)
    if not money:
        return "-"
    places = 0 if money == money.to_integral_value() else 2
    return thai.format_number(money, places, digits)


@dataclass(frozen=True)
class HtmlCell:
    text: str
    align: str


def html_rows(table: Table, digits: str = "arabic") -> dict:
    """What ``core/table.html`` prints: headers, body cells and the total row."""

    def cells(row: dict, total: bool = False) -> list[HtmlCell]:
        return [
            HtmlCell(
                # the total row leaves a cell it has no figure for empty
                ""
                if total and row.get(column.key) is None and column.blank
                else shown(column, row.get(column.key), digits),
                column.alignment,
            )
            for column in table.columns
        ]

    total = table.total_row
    return {
        "table": table,
        "columns": [(column, column.col_class) for column in table.columns],
        "headers": [(column.header, column.alignment) for column in table.columns],
        "body": [cells(row) for row in table.rows],
        "total": cells(total, total=True) if total is not None else None,
        "span": len(table.columns),
    }
