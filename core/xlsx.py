"""The export toolkit: workbooks written with one look, for every app.

A bold, filled, frozen header row, sensible column widths, money as numbers
formatted ``#,##0.00``, percentages ``0.00`` and Buddhist-era months and dates
as date cells. Every cell is written through :func:`set_value` (or
:func:`put`, :func:`append_row`), so text that looks like a formula stays text.
The low layers (projects, budgets, progress) write their page downloads with
it and the ``excel`` app its whole-plan workbook, so the toolkit lives at the
bottom, in ``core``, and knows nothing of the domain.

- :class:`Kind`, :class:`Column`, :class:`Sheet`: a sheet declared once (the
  plan workbook's layout in :mod:`excel.layout` is made of them);
- :func:`set_value`, :func:`put`, :func:`append_row`: the one way a cell is
  written (formula-like text escaped, dates as BE date cells);
- :func:`write_sheet`, :func:`table_workbook`, :func:`workbook_response`;
- :func:`add_table`, :func:`add_about`, :func:`new_book`, :func:`respond`: a
  report page as a workbook; :func:`add_table` writes a
  :class:`core.tables.Table`, the description the page and the PDF print
  from too (each app's tables in its ``tables.py``).
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from io import BytesIO
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from core import tables
from core.tables import Table


class Kind:
    """How a column is parsed on import and formatted on export."""

    TEXT = "text"
    #: An identifier such as a project code ("2.10", "001"): written as text in
    #: a text-formatted column, so that Excel does not turn it into a number.
    CODE = "code"
    INT = "int"
    NUMBER = "number"  # a non-money decimal, e.g. a quantity or a factor
    MONEY = "money"  # baht, non-negative, '#,##0.00'
    MONTH = "month"  # a BE month, "ต.ค. 2567"
    DATE = "date"  # a BE date, "1/10/2567"
    FLAG = "flag"  # ✓ or blank


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    kind: str = Kind.TEXT
    required: bool = False
    width: int = 14
    help: str = ""
    #: Longest text the database column holds (0 = unlimited).
    max_length: int = 0
    #: Whole digits a number may have (the model's max_digits minus 2 places).
    digits: int = 12
    #: A column added later: a file made before it (without the column) is
    #: still read, every row blank in it.
    optional: bool = False


@dataclass(frozen=True)
class Sheet:
    name: str
    columns: tuple[Column, ...]
    #: Column keys that identify a row; the same key twice is a duplicate.
    key: tuple[str, ...] = ()
    help: str = ""
    #: Optional example rows for the template (values by column key).
    examples: tuple[dict, ...] = field(default=())

    @property
    def headers(self) -> list[str]:
        return [column.header for column in self.columns]

    def column(self, key: str) -> Column:
        for column in self.columns:
            if column.key == key:
                return column
        raise KeyError(key)


#: A ticked FLAG cell.
CHECK = "✓"

MONEY_FORMAT = "#,##0.00"
WHOLE_FORMAT = "#,##0"
TEXT_FORMAT = "@"
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDE7F3")
EXAMPLE_FONT = Font(italic=True, color="1C4E80")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# ---------------------------------------------------------------- cells

#: Text starting with one of these is run as a formula by Excel, LibreOffice
#: or Sheets when it is typed (or re-entered after an edit), and openpyxl
#: itself turns any string starting with "=" into a formula cell.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

#: Buddhist-era dates as *date cells*, so sorting and filtering by date work.
#: ``[$-107041E]``: locale 041E (Thai), calendar 07 (Thai Buddhist), digits
#: 01 (Arabic; ``D`` would be Thai digits). Excel shows ``5/12/2569`` and so
#: does LibreOffice Calc (tested by converting exports with soffice: the
#: ``[$-th-TH,107]`` form is not understood by LibreOffice, and a plain
#: ``d/m/yyyy`` shows the Western year).
DATE_FORMAT = "[$-107041E]d/m/yyyy;@"
#: A month: ``ต.ค. 2569``.
MONTH_FORMAT = "[$-107041E]mmm yyyy;@"
#: A moment (submitted at …): ``5/12/2569 14:30``, local time.
DATETIME_FORMAT = "[$-107041E]d/m/yyyy h:mm;@"


class Month(datetime.date):
    """A date that stands for its month (written with :data:`MONTH_FORMAT`)."""

    @classmethod
    def of(cls, day: datetime.date) -> "Month":
        return cls(day.year, day.month, 1)


def set_value(cell, value):
    """Write ``value`` into ``cell``; a string is always a text cell.

    Every cell an export writes goes through here (or :func:`put` and
    :func:`append_row`), so a project named ``=HYPERLINK("http://…")`` is
    shown as those characters, never run. The cell keeps the exact text
    (no apostrophe is prepended, so the plan workbook imports back
    unchanged): it is typed as a string, and text that looks like a formula
    also gets Excel's "quote prefix" style, which keeps it text when someone
    edits the cell. Numbers, negative ones included, stay numbers.
    Characters XML cannot carry (control characters) are dropped rather than
    failing the whole download.
    """
    if isinstance(value, datetime.date):
        return _set_date(cell, value)
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
        if value.startswith(FORMULA_PREFIXES):
            cell.quotePrefix = True
    return cell


def _set_date(cell, value: datetime.date):
    """A real date cell showing the Buddhist-era year in Excel and LibreOffice.

    Aware datetimes are shown in local time (xlsx has no time zones).
    """
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        cell.value = value.replace(tzinfo=None)
        cell.number_format = DATETIME_FORMAT
        return cell
    cell.value = datetime.date(value.year, value.month, value.day)
    cell.number_format = MONTH_FORMAT if isinstance(value, Month) else DATE_FORMAT
    return cell


def put(worksheet, row: int, column: int, value):
    """``worksheet.cell(row, column, value)`` through :func:`set_value`."""
    return set_value(worksheet.cell(row, column), value)


def append_row(worksheet, values: Iterable) -> None:
    """``worksheet.append(values)`` through :func:`set_value`."""
    worksheet.append(
        [
            set_value(Cell(worksheet), value)
            if isinstance(value, str | datetime.date)
            else value
            for value in values
        ]
    )


# ---------------------------------------------------------------- styling


def style_header(worksheet, widths: Iterable[int]) -> None:
    """Bold filled header, frozen below row 1, column widths in characters."""
    for cell in worksheet[1]:
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    for index, width in enumerate(widths, start=1):
        worksheet.column_dimensions[get_column_letter(index)].width = width
    worksheet.freeze_panes = "A2"


def cell_value(kind: str, value):
    """A Python value as it is written into a cell of ``kind``."""
    if value is None or value == "":
        return None
    if kind == Kind.MONTH:
        return Month.of(value)
    if kind == Kind.DATE:
        return value
    if kind == Kind.FLAG:
        return CHECK if value else None
    if kind == Kind.INT:
        return int(value)
    if kind == Kind.CODE:
        return str(value)
    return value


def number_format(kind: str, value) -> str | None:
    if kind == Kind.CODE:
        return TEXT_FORMAT
    if kind == Kind.MONEY:
        return MONEY_FORMAT
    if kind == Kind.NUMBER and isinstance(value, Decimal | int | float):
        return WHOLE_FORMAT if value == int(value) else MONEY_FORMAT
    return None


def write_sheet(worksheet, sheet: Sheet, rows: Iterable[dict], *, font=None) -> int:
    """Header plus ``rows`` (values by column key); returns the rows written."""
    worksheet.title = sheet.name
    append_row(worksheet, sheet.headers)
    count = 0
    for row in rows:
        values = [cell_value(c.kind, row.get(c.key)) for c in sheet.columns]
        append_row(worksheet, values)
        count += 1
        for column, cell in zip(
            sheet.columns, worksheet[worksheet.max_row], strict=True
        ):
            fmt = number_format(column.kind, cell.value)
            if fmt:
                cell.number_format = fmt
            if font is not None:
                cell.font = font
    style_header(worksheet, (c.width for c in sheet.columns))
    for index, column in enumerate(sheet.columns, start=1):
        if column.kind == Kind.CODE:  # what the user types below stays text too
            letter = get_column_letter(index)
            worksheet.column_dimensions[letter].number_format = TEXT_FORMAT
    return count


def to_bytes(book: Workbook) -> bytes:
    stream = BytesIO()
    book.save(stream)
    return stream.getvalue()


def workbook_response(book: Workbook, filename: str) -> HttpResponse:
    response = HttpResponse(to_bytes(book), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(filename)}"
    return response


def _quote(filename: str) -> str:
    return quote(filename)


def table_workbook(
    title: str, headers: list[str], rows: Iterable[Iterable]
) -> Workbook:
    """Any table as a styled workbook: numbers stay numbers, Decimals get baht
    format, dates are date cells showing the BE year; widths follow the
    longest value (capped)."""
    book = Workbook()
    worksheet = book.active
    worksheet.title = title[:31]
    append_row(worksheet, headers)
    widths = [max(10, len(str(h)) + 2) for h in headers]
    for row in rows:
        values = list(row)
        append_row(worksheet, values)
        for index, cell in enumerate(worksheet[worksheet.max_row]):
            if isinstance(cell.value, Decimal):
                cell.number_format = MONEY_FORMAT
            elif isinstance(cell.value, float):
                cell.number_format = MONEY_FORMAT
            if index < len(widths):
                shown = 12 if isinstance(cell.value, datetime.date) else None
                widths[index] = min(
                    60, max(widths[index], shown or len(str(cell.value or "")) + 2)
                )
    style_header(worksheet, widths)
    return book


# ------------------------------------------------------------------ report tables

PERCENT = tables.Kind.PERCENT
PERCENT_FORMAT = "0.00"
ABOUT_SHEET = "ข้อมูลรายงาน"


def add_table(book: Workbook, table: Table):
    """A sheet of ``table`` (:mod:`core.tables`), its total row in bold.

    The same description the page and the PDF print from: the headers and
    column order are the table's, money is a number formatted ``#,##0.00``,
    a percentage ``0.00``, a count a whole number, dates are date cells.
    """
    worksheet = book.create_sheet()
    sheet = Sheet(
        table.title[:31],
        tuple(
            Column(c.key, c.header, _CELL_KINDS.get(c.kind, c.kind), width=c.width)
            for c in table.columns
        ),
    )
    total = table.total_row
    written = write_sheet(
        worksheet, sheet, [*table.rows, *([total] if total is not None else [])]
    )
    for index, column in enumerate(table.columns, start=1):
        if column.kind != PERCENT:
            continue
        for row in worksheet.iter_rows(
            min_col=index, max_col=index, min_row=2, max_row=written + 1
        ):
            if isinstance(row[0].value, int | float | Decimal):
                row[0].number_format = PERCENT_FORMAT
    if total is not None:
        for cell in worksheet[written + 1]:
            cell.font = HEADER_FONT
    return worksheet


#: A table column's kind (:class:`core.tables.Kind`) as a sheet column's.
_CELL_KINDS = {
    tables.Kind.MONEY: Kind.MONEY,
    tables.Kind.AMOUNT: Kind.MONEY,
    tables.Kind.PERCENT: Kind.NUMBER,
    tables.Kind.WHOLE: Kind.INT,
    tables.Kind.NUMBER: Kind.NUMBER,
    tables.Kind.TEXT: Kind.TEXT,
    tables.Kind.DATE: Kind.DATE,
    tables.Kind.MONTH: Kind.MONTH,
}


def add_about(book: Workbook, title: str, items: list[tuple]) -> None:
    """The last sheet: (label, value[, kind]) lines describing the report."""
    worksheet = book.create_sheet(ABOUT_SHEET)
    append_row(worksheet, ["รายการ", "ข้อมูล"])
    today = timezone.localdate()
    lines = [("รายงาน", title), *items, ("วันที่ส่งออกข้อมูล", today)]
    for label, value, *kind in lines:
        append_row(worksheet, [label, value])  # dates become date cells
        cell = worksheet.cell(worksheet.max_row, 2)
        if kind and kind[0] == PERCENT:
            cell.number_format = PERCENT_FORMAT
        elif isinstance(value, Decimal):
            cell.number_format = MONEY_FORMAT
    style_header(worksheet, (34, 60))


def new_book() -> Workbook:
    book = Workbook()
    book.remove(book.active)
    return book


def respond(book: Workbook, filename: str) -> HttpResponse:
    book.active = 0
    return workbook_response(book, filename)


def filter_lines(labels: list[str]) -> list[tuple]:
    return [("เงื่อนไข", label) for label in labels] or [("เงื่อนไข", "ทั้งหมด")]
