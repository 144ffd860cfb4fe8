"""Reading an uploaded workbook into plain rows, refusing what cannot be trusted.

:func:`parse` opens the file (size, format and the zip's own sizes checked
first, so a small "zip bomb" is refused before anything is unpacked), checks
that every declared sheet and column is there, refuses merged cells and
formulas, skips empty rows, stops at a row cap and parses each cell by its
column kind. It never touches the database; every problem becomes an
:class:`Issue` with sheet, row and column. The result, :class:`Parsed`, is
plain data that goes to JSON and back, so an upload is parsed once and its
preview and confirm reuse it (:mod:`excel.uploads`).

The workbook is read with openpyxl's streaming (read-only) reader, so memory
does not grow with the number of rows, and its XML through defusedxml (which
openpyxl uses when it is installed), so a DOCTYPE with entities ("billion
laughs") is an error message rather than a server that runs out of memory.
"""

import datetime
import io
import os
import re
import zipfile
import zlib
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import IO
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from django.conf import settings
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from core.xlsx import Kind, Sheet
from excel import ods, parsing
from excel.layout import MONTH_COLUMNS

#: Uploads above this are refused before openpyxl reads them.
MAX_BYTES = 20 * 1024 * 1024
ZIP_MAGIC = b"PK\x03\x04"
#: Defaults of the settings that bound what an upload may unpack to.
MAX_UNPACKED_BYTES = 50 * 1024 * 1024  # PHAEN_IMPORT_MAX_UNPACKED_BYTES
MAX_RATIO = 100  # PHAEN_IMPORT_MAX_RATIO: uncompressed / compressed, per member
MAX_MEMBERS = 500  # PHAEN_IMPORT_MAX_MEMBERS (a workbook has a few dozen)
MAX_ROWS = 20_000  # PHAEN_IMPORT_MAX_ROWS: non-empty rows per sheet
#: Members smaller than this are not held to the ratio (tiny XML packs well).
RATIO_FROM_BYTES = 1024 * 1024
MONTH_KEYS = frozenset(key for key, _, _ in MONTH_COLUMNS)

ERROR_TOO_LARGE = "ไฟล์มีขนาดเกิน 20 MB กรุณาแบ่งไฟล์หรือลบข้อมูลที่ไม่ใช้ออก"
ERROR_NOT_XLSX = (
    "ไฟล์นี้ไม่ใช่ไฟล์ Excel (.xlsx) หรือ LibreOffice (.ods) "
    "กรุณาบันทึกเป็น “Excel Workbook (.xlsx)” หรือ “ODF Spreadsheet (.ods)” แล้วลองใหม่"
)
ERROR_EMPTY_FILE = "ไฟล์ว่างเปล่า"
ERROR_UNPACKS_TOO_LARGE = (
    "ไฟล์นี้เมื่อคลายการบีบอัดมีขนาดเกิน {limit} MB ซึ่งมากเกินกว่าแผนหรือการเบิกจ่ายทั่วไป "
    "กรุณาลบข้อมูลที่ไม่ใช้ออกหรือแบ่งเป็นหลายไฟล์"
)
ERROR_SUSPICIOUS_ZIP = (
    "ไฟล์นี้มีโครงสร้างผิดปกติ (บีบอัดมากผิดปกติหรือมีส่วนประกอบมากเกินไป) ระบบจึงไม่เปิดอ่าน "
    "กรุณาเปิดใน Excel แล้วบันทึกเป็น “Excel Workbook (.xlsx)” ใหม่"
)
ERROR_UNSAFE_XML = (
    "ไฟล์นี้มีส่วนประกอบ XML ที่ไม่ปลอดภัย (DOCTYPE/ENTITY) ระบบจึงไม่เปิดอ่าน "
    "กรุณาเปิดใน Excel แล้วบันทึกเป็น “Excel Workbook (.xlsx)” ใหม่"
)
ERROR_TOO_MANY_ROWS = (
    "ชีต '{sheet}' มีข้อมูลเกิน {limit:,} แถว กรุณาแบ่งเป็นหลายไฟล์แล้วนำเข้าทีละไฟล์"
)
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
    #: messages name the sheet the user sees ("เบิกจ่าย ต.ค." or "Sheet1").
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


def _limit(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def check_zip(archive: zipfile.ZipFile) -> None:
    """Refuse, from the zip's directory alone, what would unpack too far.

    The sizes are the ones the zip declares; :mod:`zipfile` never inflates a
    member past its declared size (the CRC check fails instead), so these
    caps hold while openpyxl reads.
    """
    members = archive.infolist()
    if len(members) > _limit("PHAEN_IMPORT_MAX_MEMBERS", MAX_MEMBERS):
        raise FileRefused(ERROR_SUSPICIOUS_ZIP)
    ratio = _limit("PHAEN_IMPORT_MAX_RATIO", MAX_RATIO)
    for member in members:
        if member.file_size > RATIO_FROM_BYTES and member.file_size > ratio * max(
            member.compress_size, 1
        ):
            raise FileRefused(ERROR_SUSPICIOUS_ZIP)
    limit = _limit("PHAEN_IMPORT_MAX_UNPACKED_BYTES", MAX_UNPACKED_BYTES)
    if sum(member.file_size for member in members) > limit:
        raise FileRefused(ERROR_UNPACKS_TOO_LARGE.format(limit=limit // (1024 * 1024)))


def _read_bytes(source) -> bytes:
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
            return handle.read()
    source.seek(0)
    return source.read()


#: What openpyxl and zipfile raise on a file that is not a sound workbook.
UNREADABLE = (
    InvalidFileException,
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    KeyError,
    IndexError,
    TypeError,
    ValueError,
    OSError,
    NotImplementedError,
    ParseError,
)


def refusal(error: Exception) -> FileRefused:
    """The Thai refusal for an exception raised while openpyxl reads."""
    if isinstance(error, FileRefused):
        return error
    # openpyxl re-raises what the XML parser said as a plain ValueError.
    cause = error
    while cause is not None:
        if isinstance(cause, DefusedXmlException):
            return FileRefused(ERROR_UNSAFE_XML)
        cause = cause.__cause__ or cause.__context__
    return FileRefused(ERROR_NOT_XLSX)


def open_workbook(source: str | os.PathLike | IO[bytes]):
    """The openpyxl workbook of ``source``, or :class:`FileRefused`.

    Read-only (streaming) and formulas kept; close it after use. Sheets are
    parsed while their rows are read, so errors can still come from there:
    pass them through :func:`refusal`. An OpenDocument spreadsheet (.ods,
    told by its ``mimetype`` member, not by the file name) is read by
    :mod:`excel.ods` into an ordinary in-memory book with the same checks.
    """
    data = _read_bytes(source)
    if not data.startswith(ZIP_MAGIC):
        raise FileRefused(ERROR_NOT_XLSX)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        check_zip(archive)
        if ods.is_ods(archive):
            return ods.load(data)
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except UNREADABLE as error:
        raise refusal(error) from None
    for worksheet in book.worksheets:
        # The stored size ("dimension") is whatever the writer claimed; the
        # streaming reader would stop there, so read to the real end.
        worksheet.reset_dimensions()
    return book


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
    missing = [
        f"'{c.header}'" for c in sheet.columns if c.key not in found and not c.optional
    ]
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
        if column.kind in (Kind.TEXT, Kind.CODE):
            if column.kind == Kind.CODE:
                value = parsing.code(raw)
            else:
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


MERGE_REF = re.compile(rb'<(?:[\w.-]+:)?mergeCell\b[^>]*?\bref="([^"]+)"')


def merged_ranges(worksheet) -> list[str]:
    """The merged ranges of a streamed worksheet (``<mergeCell ref=…>``).

    The read-only reader does not collect them, so the sheet's XML is
    scanned for them (they follow the cells, at the end).
    """
    if hasattr(worksheet, "merged_cells"):  # an in-memory book (.ods)
        return [str(cells) for cells in worksheet.merged_cells.ranges]
    found: list[str] = []
    tail = b""
    with worksheet._get_source() as source:
        while chunk := source.read(1024 * 1024):
            data = tail + chunk
            end = 0
            for match in MERGE_REF.finditer(data):
                found.append(match.group(1).decode("ascii", "replace"))
                end = match.end()
            tail = data[max(end, len(data) - 512) :]
    return found


def read_sheet(worksheet, sheet: Sheet, issues: Issues) -> list[Row]:
    """The parsed, non-empty rows of one worksheet (row 1 is the header)."""
    merged = merged_ranges(worksheet)
    if merged:
        shown = ", ".join(merged[:10]) + (" …" if len(merged) > 10 else "")
        issues.add(sheet.name, None, None, ERROR_MERGED.format(ranges=shown))
        issues.structural = True
        return []
    columns = _header_map(worksheet, sheet, issues)
    if columns is None:
        return []
    limit = _limit("PHAEN_IMPORT_MAX_ROWS", MAX_ROWS)
    rows: list[Row] = []
    seen: dict[tuple, int] = {}
    width = max(columns.values()) + 1
    for number, cells in enumerate(worksheet.iter_rows(min_row=2, max_col=width), 2):
        raws = {
            key: cells[index] if index < len(cells) else None
            for key, index in columns.items()
        }
        if all(cell is None or parsing.is_blank(cell.value) for cell in raws.values()):
            continue
        if len(rows) >= limit:
            raise FileRefused(
                ERROR_TOO_MANY_ROWS.format(sheet=worksheet.title, limit=limit)
            )
        row = Row(number, {})
        for column in sheet.columns:
            cell = raws.get(column.key)  # None: an optional column not in the file
            raw = cell.value if cell is not None else None
            # Only a real formula cell is refused: text that merely starts
            # with "=" (typed after an apostrophe, or a name the plan export
            # wrote as text) is that text.
            if cell is not None and cell.data_type == "f":
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


def parse(
    source,
    sheets: tuple[Sheet, ...],
    *,
    first_sheet: bool = False,
    optional: tuple[Sheet, ...] = (),
) -> "Parsed":
    """Rows and problems of every declared sheet; :class:`FileRefused` when the
    file itself cannot be read (size, format, zip, XML, too many rows).

    With ``first_sheet`` the single declared sheet is read from the workbook's
    first worksheet whatever its name (finance sheets are named freely).
    A sheet of ``optional`` that the file lacks is simply absent from the
    rows (a workbook made from an older template has no direction sheets).
    """
    issues = Issues()
    result: dict[str, list[Row]] = {}
    book = open_workbook(source)
    try:
        names = {parsing.compact(name): name for name in book.sheetnames}
        for sheet in sheets:
            if first_sheet:
                worksheet = book.worksheets[0]
            elif parsing.compact(sheet.name) in names:
                worksheet = book[names[parsing.compact(sheet.name)]]
            elif sheet in optional:
                continue
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
    except UNREADABLE as error:
        raise refusal(error) from None
    finally:
        book.close()
    return Parsed(result, issues.items, issues.structural, issues.titles)


def read_sheets(
    source,
    sheets: tuple[Sheet, ...],
    issues: Issues,
    *,
    first_sheet: bool = False,
    optional: tuple[Sheet, ...] = (),
) -> dict[str, list[Row]] | None:
    """Rows of every declared sheet, problems added to ``issues``; ``None``
    when the file itself is refused. ``source`` is a file (path or file
    object) or the :class:`Parsed` result of an earlier :func:`parse`."""
    if isinstance(source, Parsed):
        parsed = source
    else:
        try:
            parsed = parse(source, sheets, first_sheet=first_sheet, optional=optional)
        except FileRefused as refused:
            issues.add("", None, None, str(refused))
            issues.structural = True
            return None
    issues.items.extend(parsed.issues)
    issues.structural = issues.structural or parsed.structural
    issues.titles.update(parsed.titles)
    return parsed.rows


# ------------------------------------------------------------------ to JSON


def _encode(value):
    if isinstance(value, Decimal):
        return {"decimal": str(value)}
    if isinstance(value, datetime.datetime):
        raise TypeError(value)  # the parsers give dates, never datetimes
    if isinstance(value, datetime.date):
        return {"date": value.isoformat()}
    if value is None or isinstance(value, str | int | bool):
        return value
    raise TypeError(value)


def _decode(value):
    if isinstance(value, dict):
        if "decimal" in value:
            return Decimal(value["decimal"])
        return datetime.date.fromisoformat(value["date"])
    return value


@dataclass
class Parsed:
    """A workbook read once: its rows by sheet name and its problems."""

    rows: dict[str, list[Row]]
    issues: list[Issue]
    structural: bool = False
    #: Declared sheet name → the user's own name of it (see :class:`Issues`).
    titles: dict[str, str] = field(default_factory=dict)

    def to_data(self) -> dict:
        """Plain JSON data (Decimals and dates tagged)."""
        return {
            "rows": {
                name: [
                    [
                        row.number,
                        row.bad,
                        {k: _encode(v) for k, v in row.values.items()},
                    ]
                    for row in rows
                ]
                for name, rows in self.rows.items()
            },
            "issues": [[i.sheet, i.row, i.column, i.message] for i in self.issues],
            "structural": self.structural,
            "titles": self.titles,
        }

    @classmethod
    def from_data(cls, data: dict) -> "Parsed":
        return cls(
            rows={
                name: [
                    Row(number, {k: _decode(v) for k, v in values.items()}, bad)
                    for number, bad, values in rows
                ]
                for name, rows in data["rows"].items()
            },
            issues=[Issue(*issue) for issue in data["issues"]],
            structural=data["structural"],
            titles=data.get("titles", {}),
        )
