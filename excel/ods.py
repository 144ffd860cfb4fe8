"""OpenDocument spreadsheets (.ods, LibreOffice's own format) as openpyxl books.

Many offices save with LibreOffice Calc, whose default is .ods. Rather than a
second reader with its own rules, the sheet contents are copied into an
in-memory openpyxl :class:`~openpyxl.Workbook`, so :mod:`excel.workbook`
checks an .ods file exactly as it checks an .xlsx one: same sheets and
columns, merged cells (``number-columns-spanned``) and formulas
(``table:formula``) refused with the same Thai messages, date cells read by
:func:`core.thai.date_from_cell`.

Only ``content.xml`` is read, through :mod:`defusedxml` (no entity expansion).
Repeated empty rows and cells (LibreOffice writes a row "repeated" a million
times to the end of the sheet) are skipped without being built, and a file
claiming more rows or columns than :data:`MAX_ROWS`/:data:`MAX_COLUMNS` of
*content* is refused, so a small file cannot expand into a huge workbook.
"""

import datetime
import io
import zipfile

from defusedxml import ElementTree
from openpyxl import Workbook

MIMETYPES = (
    "application/vnd.oasis.opendocument.spreadsheet",
    "application/vnd.oasis.opendocument.spreadsheet-template",
)
#: content.xml larger than this (uncompressed) is refused.
MAX_CONTENT_BYTES = 100 * 1024 * 1024
MAX_ROWS = 200_000
MAX_COLUMNS = 1_000

_NS = {
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
}


def _q(prefix: str, name: str) -> str:
    return f"{{{_NS[prefix]}}}{name}"


TABLE = _q("table", "table")
ROW = _q("table", "table-row")
CELL = _q("table", "table-cell")
COVERED = _q("table", "covered-table-cell")
P = _q("text", "p")
S = _q("text", "s")
TAB = _q("text", "tab")
LINE_BREAK = _q("text", "line-break")


class Formula(str):
    """The text of a ``table:formula``, to be written as a formula cell."""


class NotOds(ValueError):
    """The bytes are not a readable OpenDocument spreadsheet."""


def is_ods(archive: zipfile.ZipFile) -> bool:
    try:
        mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
    except KeyError:
        return False
    return mimetype in MIMETYPES


def _text(element) -> str:
    """The text of a ``text:p`` as shown: ``text:s`` spaces, tabs, breaks."""
    parts = [element.text or ""]
    for child in element:
        if child.tag == S:
            parts.append(" " * int(child.get(_q("text", "c"), "1")))
        elif child.tag == TAB:
            parts.append("\t")
        elif child.tag == LINE_BREAK:
            parts.append("\n")
        else:
            parts.append(_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _number(raw: str):
    number = float(raw)
    return int(number) if number.is_integer() and abs(number) < 2**53 else number


def _value(cell):
    """The cell's value as openpyxl would give it, or ``None`` when empty."""
    formula = cell.get(_q("table", "formula"))
    if formula:
        # "of:=SUM([.A1:.A3])" → "=SUM([.A1:.A3])", typed "f" below.
        return Formula("=" + formula.split("=", 1)[-1])
    kind = cell.get(_q("office", "value-type"))
    if kind in ("float", "percentage", "currency"):
        return _number(cell.get(_q("office", "value"), "0"))
    if kind == "date":
        raw = cell.get(_q("office", "date-value"), "")
        try:
            return datetime.datetime.fromisoformat(raw)
        except ValueError:
            pass  # a year beyond 9999 and the like: keep what is shown
    if kind == "boolean":
        return cell.get(_q("office", "boolean-value")) == "true"
    paragraphs = [_text(p) for p in cell.findall(P)]
    text = "\n".join(paragraphs)
    return text if text else None


def load(data: bytes) -> Workbook:
    """An openpyxl workbook with the values (and merges) of the .ods ``data``."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        info = archive.getinfo("content.xml")
        if info.file_size > MAX_CONTENT_BYTES:
            raise NotOds("content.xml too large")
        root = ElementTree.fromstring(archive.read(info))
    except (KeyError, zipfile.BadZipFile, ElementTree.ParseError, OSError) as error:
        raise NotOds(str(error)) from error
    except Exception as error:  # defusedxml refusals (entities, DTDs)
        raise NotOds(str(error)) from error
    book = Workbook()
    book.remove(book.active)
    for table in root.iter(TABLE):
        worksheet = book.create_sheet(table.get(_q("table", "name")) or None)
        _fill(worksheet, table)
    if not book.worksheets:
        raise NotOds("no sheet")
    return book


def _fill(worksheet, table) -> None:
    row_number = 0
    for row in table.iter(ROW):
        repeat_rows = int(row.get(_q("table", "number-rows-repeated"), "1"))
        cells = []
        column = 0
        for cell in row:
            if cell.tag not in (CELL, COVERED):
                continue
            repeat = int(cell.get(_q("table", "number-columns-repeated"), "1"))
            value = _value(cell) if cell.tag == CELL else None
            spans = (
                int(cell.get(_q("table", "number-columns-spanned"), "1")),
                int(cell.get(_q("table", "number-rows-spanned"), "1")),
            )
            if value is not None or spans != (1, 1):
                if column + repeat > MAX_COLUMNS:
                    raise NotOds("too many columns")
                for offset in range(repeat):
                    cells.append((column + offset + 1, value, spans))
            column += repeat
        if not cells:
            row_number += repeat_rows
            continue
        if row_number + repeat_rows > MAX_ROWS:
            raise NotOds("too many rows")
        for _ in range(repeat_rows):
            row_number += 1
            for column_number, value, (wide, tall) in cells:
                target = worksheet.cell(row_number, column_number)
                target.value = value
                if isinstance(value, str):
                    # Only a table:formula is a formula: typed "=x" stays text.
                    target.data_type = "f" if isinstance(value, Formula) else "s"
                if (wide, tall) != (1, 1):
                    worksheet.merge_cells(
                        start_row=row_number,
                        start_column=column_number,
                        end_row=row_number + tall - 1,
                        end_column=column_number + wide - 1,
                    )
