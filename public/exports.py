"""The public workbook and the ITA pack (a .zip with its cover sheet).

Both read :mod:`public.selectors` only, so they carry what the public page
shows and nothing more: approved projects, their money from the approved
budget summary, locked rounds' reports.
"""

import datetime
import io
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from budgets.tables import spending_plan_table
from core.tables import Table, date, text
from core.xlsx import add_about, add_table, new_book, to_bytes
from public.selectors import PublicDocument, PublicYear
from public.tables import projects_table, quarters_table
from reports.documents import Document, cached_pdf, render_body

# ------------------------------------------------------------------ workbooks


def _about(year: PublicYear) -> list[tuple]:
    plan = year.plan
    return [
        ("สำนักงาน", year.organization.name),
        ("ปีงบประมาณ (พ.ศ.)", plan.fiscal_year),
        ("สถานะแผน", plan.get_status_display()),
        ("หมายเหตุ", "เฉพาะโครงการที่อนุมัติแล้ว"),
    ]


def public_workbook(year: PublicYear) -> bytes:
    """The page as a workbook: its projects, spending plan and quarters."""
    book = new_book()
    add_table(book, projects_table(year))
    add_table(book, spending_plan_table(year.spending))
    add_table(book, quarters_table(year))
    add_about(book, f"แผนปฏิบัติการ ปีงบประมาณ พ.ศ. {year.plan.fiscal_year}", _about(year))
    book.active = 0
    return to_bytes(book)


def spending_workbook(year: PublicYear) -> bytes:
    """The spending plan an office files (ITA): by line, then by quarter."""
    book = new_book()
    add_table(book, spending_plan_table(year.spending))
    add_table(book, quarters_table(year))
    add_about(
        book,
        f"แผนการใช้จ่ายงบประมาณ ปีงบประมาณ พ.ศ. {year.plan.fiscal_year}",
        _about(year),
    )
    book.active = 0
    return to_bytes(book)


def document_bytes(
    year: PublicYear, document: PublicDocument, *, render: bool
) -> bytes | None:
    """The file of ``document``: the workbook, or the stored PDF; with
    ``render`` (a management command) a missing PDF is laid out now."""
    if not document.is_pdf:
        return spending_workbook(year)
    if render:
        return cached_pdf(document.spec)
    stored = document.stored()
    return stored.read_bytes() if stored is not None else None


# ------------------------------------------------------------------ the ITA items

#: The fixtures of the ITA items, one file per assessment year (BE).
ITA_DIR = Path(settings.BASE_DIR) / "fixtures" / "ita"
ERROR_NO_ITA_LIST = "ไม่พบรายการเอกสาร ITA สำหรับปีงบประมาณ พ.ศ. {year}"
MISSING = "ยังไม่มีเอกสาร"


@dataclass(frozen=True)
class ItaItem:
    code: str
    title: str
    #: the :class:`public.selectors.PublicDocument` key it is made from
    document: str
    #: the name the office files it under; ``{year}`` is the fiscal year
    filename: str


@dataclass(frozen=True)
class ItaList:
    assessment_year: int
    title: str
    items: tuple[ItaItem, ...]
    source: str


def ita_list(fiscal_year: int) -> ItaList:
    """The items of the assessment of ``fiscal_year``: ``fixtures/ita/<year>.json``,
    or the latest earlier year's list when the new year's is not written
    yet (the items rarely change from one year to the next), or for a year
    before every list, the first list."""
    years = sorted(
        int(path.stem) for path in ITA_DIR.glob("*.json") if path.stem.isdigit()
    )
    if not years:
        raise LookupError(ERROR_NO_ITA_LIST.format(year=fiscal_year))
    earlier = [year for year in years if year <= fiscal_year]
    path = ITA_DIR / f"{earlier[-1] if earlier else years[0]}.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    return ItaList(
        assessment_year=data["assessment_year"],
        title=data["title"],
        items=tuple(ItaItem(**item) for item in data["items"]),
        source=path.name,
    )


@dataclass
class PackLine:
    item: ItaItem
    filename: str
    as_of: datetime.date | None
    content: bytes | None


def pack_lines(year: PublicYear, *, render: bool) -> list[PackLine]:
    available = {document.key: document for document in year.documents}
    lines = []
    for item in ita_list(year.plan.fiscal_year).items:
        document = available.get(item.document)
        content = (
            document_bytes(year, document, render=render)
            if document is not None
            else None
        )
        lines.append(
            PackLine(
                item=item,
                filename=item.filename.format(year=year.plan.fiscal_year),
                as_of=document.as_of if content is not None else None,
                content=content,
            )
        )
    return lines


def cover_table(lines: list[PackLine]) -> Table:
    return Table(
        "รายการเอกสาร",
        [
            text("code", "ข้อ", 6, css="w-no"),
            text("title", "รายการ", 40),
            text("filename", "ชื่อไฟล์", 36),
            date("as_of", "ข้อมูล ณ วันที่", blank=MISSING),
        ],
        [
            {
                "code": line.item.code,
                "title": line.item.title,
                "filename": line.filename if line.content is not None else MISSING,
                "as_of": line.as_of,
            }
            for line in lines
        ],
        testid="ita-items",
    )


def cover_document(year: PublicYear, lines: list[PackLine], today) -> Document:
    """The cover sheet, in Arabic digits: it lists the files by their names,
    which must read exactly as in the archive (a document body's digits are
    all converted to one style, :mod:`reports.digits`)."""
    organization = year.organization
    items = ita_list(year.plan.fiscal_year)
    title = (
        f"เอกสารเผยแพร่ตามเกณฑ์ ITA ปีงบประมาณ พ.ศ. {year.plan.fiscal_year} "
        f"{organization.short_name}"
    )
    return Document(
        kind="ita_cover",
        title=title,
        running_title=title,
        filename="00-ใบปะหน้า.pdf",
        body=render_body(
            "public/ita_cover.html",
            {
                "organization": organization,
                "plan": year.plan,
                "items": items,
                "table": cover_table(lines),
                "today": today,
                "included": sum(1 for line in lines if line.content is not None),
            },
            "arabic",
        ),
        digits="arabic",
    )


COVER_NAME = "00-ใบปะหน้า-รายการเอกสาร.pdf"


def ita_pack(year: PublicYear, *, render: bool, today=None) -> bytes:
    """The .zip: the cover sheet first, then each item's file under the
    name the office files it as. ``render=False`` (the web) packs only the
    PDFs already stored; the cover names the missing ones."""
    today = today or timezone.localdate()
    lines = pack_lines(year, render=render)
    cover = cover_document(year, lines, today).render()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(COVER_NAME, cover)
        for line in lines:
            if line.content is not None:
                archive.writestr(line.filename, line.content)
    return buffer.getvalue()


def pack_name(year: PublicYear) -> str:
    return f"ITA-{year.plan.fiscal_year}-{year.office.slug}.zip"


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
