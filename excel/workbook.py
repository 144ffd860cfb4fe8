"""Reading an uploaded workbook into plain rows, refusing what cannot be trusted.

:func:`read_sheets` opens the file (size and format checked first), checks that
every declared sheet and column is there, refuses merged cells and formulas,
skips empty rows and parses each cell by its column kind. It never touches the
database; every problem becomes an :class:`Issue` with sheet, row and column.
"""

import io
import os
import zipfile
from dataclasses import dataclass, field, replace
from typing import IO

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from excel import ods, parsing
from excel.layout import MONTH_COLUMNS, Kind, Sheet

#: Uploads above this are refused before openpyxl reads them.
MAX_BYTES = 20 * 1024 * 1024
ZIP_MAGIC = b"PK\x03\x04"
MONTH_KEYS = frozenset(key for key, _, _ in MONTH_COLUMNS)

ERROR_TOO_LARGE = "ไฟล์มีขนาดเกิน 20 MB กรุณาแบ่งไฟล์หรือลบข้อมูลที่ไม่ใช้ออก"
ERROR_NOT_XLSX = (
    "ไฟล์นี้ไม่ใช่ไฟล์ Excel (.xlsx) หรือ LibreOffice (.ods) "
    "กรุณาบันทึกเป็น “Excel Workbook (.xlsx)” หรือ “ODF Spreadsheet (.ods)” แล้วลองใหม่"
)
ERROR_EMPTY_FILE = "ไฟล์ว่างเปล่า"
ERROR_NO_FILE = "ไม่พบไฟล์ {name}"
ERROR_MISSING_SHEET = "ไม่พบชีต '{name}' ในไฟล์ (ต้องมีทุกชีตตามแบบฟอร์ม)"
ERROR_MISSING_COLUMNS = "ไม่พบคอลัมน์ {names} ในแถวหัวตาราง (แถว 1)"
ERROR_UNKNOWN_COLUMN = "ไม่รู้จักคอลัมน์ '{name}' กรุณาใช้หัวตารางตามแบบฟอร์ม"
ERROR_MERGED = "มีการผสานเซลล์ (merge) ที่ {ranges} กรุณายกเลิกการผสานเซลล์แล้วนำเข้าใหม่"
ERROR_FORMULA = "เป็นสูตร ({formula}) กรุณาคัดลอกแล้ววางแบบค่า (Paste Values) ก่อนนำเข้า"
ERROR_REQUIRED = "ต้องกรอก"
ERROR_TOO_LONG = "ยาวเกิน {limit} ตัวอักษร"
ERROR_TOO_BIG = "ตัวเลขมากเกินไป"
ERROR_DUPLICATE = "ข้อมูลซ้ำกับแถว {first} ({key})"


@dataclass(frozen=True)
class Issue:
    """One problem in the file, located as precisely as it can be."""

    sheet: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = [f"ชีต '{self.sheet}'"] if self.sheet else []
        if self.row:
            where.append(f"แถว {self.row}")
        if self.column:
            where.append(f"คอลัมน์ '{self.column}'")
        return f"{' '.join(where)}: {self.message}" if where else self.message


class FileRefused(Exception):
    """The file as a whole cannot be read (size, format)."""


@dataclass
class Row:
    """One non-empty data row: its sheet row number and values by column key."""

    number: int
    values: dict[str, object]
    #: True when a cell could not be parsed; the row is then not used further.
    bad: bool = False


@dataclass
class Issues:
    items: list[Issue] = field(default_factory=list)
    #: A sheet or column is missing or unreadable: rows cannot be checked.
    structural: bool = False
    #: Declared sheet name → the name the sheet has in the user's file, so
    #: messages name the sheet the user sees ("การเบิกจ่าย ต.ค." or "Sheet1").
    titles: dict[str, str] = field(default_factory=dict)

    def title(self, name: str) -> str:
        return self.titles.get(name, name)

    def add(self, sheet: str, row: int | None, column: str | None, message: str):
        self.items.append(Issue(sheet, row, column, message))

    def sorted(self, sheets=()) -> list[Issue]:
        """By sheet (in ``sheets`` order), then row; file-wide problems first."""
        order = {self.title(sheet.name): index for index, sheet in enumerate(sheets)}
        return sorted(self.items, key=lambda i: (order.get(i.sheet, -1), i.row or 0))

    def __bool__(self) -> bool:
        return bool(self.items)

    def __len__(self) -> int:
        return len(self.items)


def _size_of(source) -> int:
    if isinstance(source, str | os.PathLike):
        return os.path.getsize(source)
    if getattr(source, "size", None) is not None:
        return source.size
    position = source.tell()
    source.seek(0, io.SEEK_END)
    size = source.tell()
    source.seek(position)
    return size


def open_workbook(source: str | os.PathLike | IO[bytes]):
    """The openpyxl workbook of ``source`` (formulas kept), or :class:`FileRefused`.

    An OpenDocument spreadsheet (.ods, told by its ``mimetype`` member, not
    by the file name) is read by :mod:`excel.ods` into the same kind of book.
    """
    try:
        size = _size_of(source)
    except OSError:
        raise FileRefused(ERROR_NO_FILE.format(name=source)) from None
    if size > MAX_BYTES:
        raise FileRefused(ERROR_TOO_LARGE)
    if size == 0:
        raise FileRefused(ERROR_EMPTY_FILE)
    if isinstance(source, str | os.PathLike):
        with open(source, "rb") as handle:
            data = handle.read()
    else:
        source.seek(0)
        data = source.read()
    if not data.startswith(ZIP_MAGIC):
        raise FileRefused(ERROR_NOT_XLSX)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if ods.is_ods(archive):
                return ods.load(data)
    except ods.NotOds:
        raise FileRefused(ERROR_NOT_XLSX) from None
    except (zipfile.BadZipFile, OSError):
        raise FileRefused(ERROR_NOT_XLSX) from None
    try:
        return load_workbook(io.BytesIO(data), data_only=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise FileRefused(ERROR_NOT_XLSX) from None


def _compact(text: object) -> str:
    return parsing.compact(str(text)) if text is not None else ""


def _header_map(worksheet, sheet: Sheet, issues: Issues) -> dict[str, int] | None:
    """Column key → 0-based index, from row 1; ``None`` when columns are missing."""
    first = next(worksheet.iter_rows(min_row=1, max_row=1, values_only=True), ())
    wanted = {_compact(column.header): column for column in sheet.columns}
    found: dict[str, int] = {}
    for index, value in enumerate(first):
        name = _compact(value)
        if not name:
            continue
        column = wanted.get(name) or next(
            (
                c
                for h, c in wanted.items()
                if c.key in MONTH_KEYS and name.startswith(h)
            ),
            None,
        )
        if column is None or column.key in found:
            issues.add(
                sheet.name, 1, str(value), ERROR_UNKNOWN_COLUMN.format(name=value)
            )
            continue
        found[column.key] = index
    missing = [f"'{c.header}'" for c in sheet.columns if c.key not in found]
    if missing:
        issues.structural = True
        issues.add(
            sheet.name,
            None,
            None,
            ERROR_MISSING_COLUMNS.format(names=", ".join(missing)),
        )
        return None
    return found


def parse_cell(sheet: Sheet, column, raw: object, row: int, issues: Issues):
    """``raw`` parsed by the column's kind; ``(ok, value)``."""
    try:
        if column.kind == Kind.TEXT:
            value = parsing.text(raw)
            if column.max_length and len(value) > column.max_length:
                raise ValueError(ERROR_TOO_LONG.format(limit=column.max_length))
        elif column.kind == Kind.INT:
            value = parsing.integer(raw)
        elif column.kind == Kind.NUMBER:
            value = parsing.decimal(raw)
            if value is not None:
                value = parsing.thai.quantize_baht(value)
        elif column.kind == Kind.MONEY:
            value = parsing.money(raw)
        elif column.kind == Kind.MONTH:
            value = parsing.month(raw)
        elif column.kind == Kind.DATE:
            value = parsing.date(raw)
        elif column.kind == Kind.FLAG:
            value = parsing.flag(raw)
        else:  # pragma: no cover - layout declares only the kinds above
            raise ValueError(column.kind)
        if (
            column.kind in (Kind.INT, Kind.NUMBER, Kind.MONEY)
            and value is not None
            and abs(value) >= 10**column.digits
        ):
            raise ValueError(ERROR_TOO_BIG)
    except ValueError as error:
        issues.add(sheet.name, row, column.header, str(error))
        return False, None
    if column.required and value in (None, ""):
        issues.add(sheet.name, row, column.header, ERROR_REQUIRED)
        return False, None
    return True, value


def read_sheet(worksheet, sheet: Sheet, issues: Issues) -> list[Row]:
    """The parsed, non-empty rows of one worksheet (row 1 is the header)."""
    merged = [str(cells) for cells in worksheet.merged_cells.ranges]
    if merged:
        issues.add(
            sheet.name, None, None, ERROR_MERGED.format(ranges=", ".join(merged))
        )
        issues.structural = True
        return []
    columns = _header_map(worksheet, sheet, issues)
    if columns is None:
        return []
    rows: list[Row] = []
    seen: dict[tuple, int] = {}
    for cells in worksheet.iter_rows(min_row=2):
        raws = {
            key: cells[index] if index < len(cells) else None
            for key, index in columns.items()
        }
        if all(cell is None or parsing.is_blank(cell.value) for cell in raws.values()):
            continue
        number = next(cell.row for cell in cells if cell is not None)
        row = Row(number, {})
        for column in sheet.columns:
            cell = raws[column.key]
            raw = cell.value if cell is not None else None
            if cell is not None and (
                cell.data_type == "f"
                or (isinstance(raw, str) and raw.startswith("=") and len(raw) > 1)
            ):
                issues.add(
                    sheet.name,
                    number,
                    column.header,
                    ERROR_FORMULA.format(formula=str(getattr(raw, "text", raw))),
                )
                row.bad = True
                continue
            ok, value = parse_cell(sheet, column, raw, number, issues)
            row.bad = row.bad or not ok
            row.values[column.key] = value
        if not row.bad and sheet.key:
            key = tuple(row.values.get(part) for part in sheet.key)
            if all(part not in (None, "") for part in key):
                if key in seen:
                    shown = ", ".join(
                        f"{sheet.column(k).header} {v}"
                        for k, v in zip(sheet.key, key, strict=True)
                    )
                    issues.add(
                        sheet.name,
                        number,
                        None,
                        ERROR_DUPLICATE.format(first=seen[key], key=shown),
                    )
                    row.bad = True
                else:
                    seen[key] = number
        rows.append(row)
    return rows


def read_sheets(
    source, sheets: tuple[Sheet, ...], issues: Issues, *, first_sheet: bool = False
) -> dict[str, list[Row]] | None:
    """Rows of every declared sheet; ``None`` when the file itself is refused.

    With ``first_sheet`` the single declared sheet is read from the workbook's
    first worksheet whatever its name (finance sheets are named freely).
    """
    try:
        book = open_workbook(source)
    except FileRefused as refused:
        issues.add("", None, None, str(refused))
        issues.structural = True
        return None
    result: dict[str, list[Row]] = {}
    names = {parsing.compact(name): name for name in book.sheetnames}
    for sheet in sheets:
        if first_sheet:
            worksheet = book.worksheets[0]
        elif parsing.compact(sheet.name) in names:
            worksheet = book[names[parsing.compact(sheet.name)]]
        else:
            issues.add(
                sheet.name, None, None, ERROR_MISSING_SHEET.format(name=sheet.name)
            )
            issues.structural = True
            continue
        if worksheet.title != sheet.name:
            issues.titles[sheet.name] = worksheet.title
        shown = replace(sheet, name=issues.title(sheet.name))
        result[sheet.name] = read_sheet(worksheet, shown, issues)
    return result
