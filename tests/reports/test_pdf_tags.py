"""Our PDFs are tagged and say what they are (issue 16 item 9).

A screen reader needs the structure tree (``/StructTreeRoot``, ``/MarkInfo``)
and the language (``/Lang``) to read Thai; a viewer shows the document's
title, not its file name (``DisplayDocTitle``), and its bookmarks come from
the headings. The published (approved) plan book is also PDF/A-3b, the form a
records office keeps. Read back with pypdf.
"""

import io

import pytest
from pypdf import PdfReader

from plans.models import Plan
from reports import documents

pytestmark = [pytest.mark.django_db, pytest.mark.pdf]


def _read(content: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(content))


def _outline_titles(entries) -> list[str]:
    titles = []
    for entry in entries:
        if isinstance(entry, list):
            titles.extend(_outline_titles(entry))
        else:
            titles.append(entry.title)
    return titles


def _assert_tagged(document: documents.Document, content: bytes, headings):
    reader = _read(content)
    catalog = reader.trailer["/Root"]
    assert catalog["/MarkInfo"]["/Marked"].value is True
    root = catalog["/StructTreeRoot"].get_object()
    assert root["/K"]
    assert root["/ParentTree"]
    assert str(catalog["/Lang"]) in {"th", "th-TH"}
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"].value is True
    assert reader.metadata.title == document.title
    assert any("\u0e00" <= char <= "\u0e7f" for char in reader.metadata.title)
    titles = _outline_titles(reader.outline)
    for heading in headings:
        assert heading in titles
    return reader, titles


def _xmp(reader: PdfReader) -> bytes:
    return reader.trailer["/Root"]["/Metadata"].get_object().get_data()


def test_plan_book_is_tagged_with_bookmarks_from_its_headings(book):
    document = documents.plan_book_document(book.plan, "arabic")

    reader, titles = _assert_tagged(
        document,
        document.render(),
        ["คำนำ", "สารบัญ", "ส่วนที่ 1 ข้อมูลพื้นฐาน", "ส่วนที่ 4 การบริหารแผนสู่การปฏิบัติ"],
    )

    # The cover's big title is a paragraph, not a stray first bookmark.
    assert titles[0] == "คำนำ"
    # A draft is not the published plan: no PDF/A claim.
    assert b"pdfaid" not in _xmp(reader)


def test_published_plan_book_is_pdf_a_3b_and_tagged(book):
    Plan.objects.filter(pk=book.plan.pk).update(status=Plan.Status.APPROVED)
    book.plan.refresh_from_db()
    document = documents.plan_book_document(book.plan, "arabic")
    assert document.archival

    reader, _ = _assert_tagged(document, document.render(), ["คำนำ", "ภาคผนวก"])

    xmp = _xmp(reader)
    assert b'pdfaid:part="3"' in xmp
    assert b'pdfaid:conformance="B"' in xmp
    assert document.title.encode() in xmp  # dc:title
    assert reader.trailer["/ID"]


def test_tagged_plan_book_in_parts_stays_tagged(book, settings, monkeypatch):
    """A tagged book cut into parts is joined by ``render_tagged_parts`` (the
    structure tree survives), never by the untagged ``render_parts``."""
    settings.PHAEN_PDF_WORKERS = 2
    settings.PHAEN_PDF_PARALLEL_MIN_CHARS = 0
    document = documents.plan_book_document(book.plan, "arabic")

    def refuse(*args, **kwargs):
        raise AssertionError("a tagged document was joined untagged")

    monkeypatch.setattr(documents.pdf, "render_parts", refuse)
    _assert_tagged(document, document.render(), ["คำนำ", "ส่วนที่ 3 งบประมาณและโครงการ"])


def test_tagged_parts_setting_off_keeps_a_tagged_book_whole(
    book, settings, monkeypatch
):
    settings.PHAEN_PDF_WORKERS = 2
    settings.PHAEN_PDF_PARALLEL_MIN_CHARS = 0
    settings.PHAEN_PDF_TAGGED_PARTS = False
    document = documents.plan_book_document(book.plan, "arabic")

    def refuse(*args, **kwargs):
        raise AssertionError("a tagged document was cut into parts")

    monkeypatch.setattr(documents.pdf, "render_parts", refuse)
    monkeypatch.setattr(documents.pdf, "render_tagged_parts", refuse)
    _assert_tagged(document, document.render(), ["คำนำ", "ส่วนที่ 3 งบประมาณและโครงการ"])


def test_untagged_setting_keeps_the_parts_side_by_side(book, settings):
    settings.PHAEN_PDF_TAGS = False
    settings.PHAEN_PDF_WORKERS = 2
    settings.PHAEN_PDF_PARALLEL_MIN_CHARS = 0
    document = documents.plan_book_document(book.plan, "arabic")

    catalog = _read(document.render()).trailer["/Root"]

    assert "/StructTreeRoot" not in catalog
    assert "/Outlines" in catalog  # the parts' bookmarks survive the join


def test_project_sheet_is_tagged(book):
    document = documents.project_sheet_document(book.p1, "arabic")

    _assert_tagged(document, document.render(), ["แบบเสนอโครงการ"])


def test_progress_report_is_tagged(book):
    document = documents.progress_document(book.round1, "thai")

    _assert_tagged(
        document,
        document.render(),
        ["๑. สรุปสถานะการดำเนินงานโครงการ", "๓. ผลการดำเนินงานรายโครงการ"],
    )


def test_annual_report_is_tagged(book):
    document = documents.annual_document(book.plan, "thai")

    _assert_tagged(
        document,
        document.render(),
        [  # seed 004's chapters and the budget table's section
            "บทที่ ๓ ผลการดำเนินงาน",
            "ผลการบริหารจัดการงบประมาณ",
            "ผลการดำเนินงานรายโครงการ",
            "บทที่ ๕ ทิศทางการพัฒนาปีงบประมาณ พ.ศ. ๒๕๖๙",
        ],
    )
