"""A tagged book laid out in parts, one per process, is the same book (issues 16, 19).

``reports.pdf.render_tagged_parts`` joins tagged parts as pydyf objects
(``reports.tagjoin``). Compared here with the one-process PDF of the same
document: page count and shapes, the text of every page (page numbers and the
contents' numbers included), the structure tree as pypdf walks it (element
types and counts, marked content, link annotations), the parent tree, the
bookmarks with their levels and pages, the named destinations, and the table
headers' IDs (unique, every ``/Headers`` entry naming one).
"""

import collections
import io

import pytest
from pypdf import PdfReader

from plans.models import Plan
from reports import documents, pdf
from reports.documents import Document
from tests.reports.conftest import pdftotext

pytestmark = [pytest.mark.django_db, pytest.mark.pdf]


def _structure(content: bytes) -> dict:
    reader = PdfReader(io.BytesIO(content))
    root = reader.trailer["/Root"]["/StructTreeRoot"].get_object()
    types, marked, annotations, ids, headers = collections.Counter(), 0, 0, [], []
    stack = [root["/K"][0]]
    while stack:
        element = stack.pop().get_object()
        if isinstance(element, int):
            marked += 1
            continue
        if element.get("/Type") == "/OBJR":
            annotations += 1
            assert element["/Obj"].get_object()["/Subtype"] == "/Link"
            continue
        types[str(element["/S"])] += 1
        if "/ID" in element:
            ids.append(str(element["/ID"]))
        attributes = element.get("/A")
        if attributes is not None and "/Headers" in attributes.get_object():
            headers.extend(str(key) for key in attributes.get_object()["/Headers"])
        kids = element.get("/K")
        if kids is not None:
            stack.extend(kids if isinstance(kids, list) else [kids])
    assert len(ids) == len(set(ids)), "table header IDs collide"
    assert set(headers) <= set(ids), "a cell names a header that is not there"
    nums = root["/ParentTree"]["/Nums"]
    for index, page in enumerate(reader.pages):
        assert page["/StructParents"] == index
    return {
        "types": types,
        "marked content": marked,
        "link annotations": annotations,
        "parent tree keys": list(nums[::2]),
        "table headers": len(ids),
    }


def _outline(reader: PdfReader, entries=None, depth=0) -> list:
    found = []
    for entry in reader.outline if entries is None else entries:
        if isinstance(entry, list):
            found.extend(_outline(reader, entry, depth + 1))
        else:
            found.append(
                (depth, entry.title, reader.get_destination_page_number(entry))
            )
    return found


def _link_pages(reader: PdfReader) -> list:
    """Where each link annotation leads: (page, named destination's page)."""
    names = reader.named_destinations
    found = []
    for number, page in enumerate(reader.pages):
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            if "/Dest" not in annotation:  # an address
                found.append((number, str(annotation["/A"]["/URI"])))
                continue
            target = names[str(annotation["/Dest"])]
            found.append((number, reader.get_destination_page_number(target)))
    return found


def _assert_same_book(whole: bytes, parts: bytes) -> None:
    one, other = PdfReader(io.BytesIO(whole)), PdfReader(io.BytesIO(parts))
    assert len(other.pages) == len(one.pages)
    for number, (page, twin) in enumerate(
        zip(one.pages, other.pages, strict=True), start=1
    ):
        assert page.mediabox == twin.mediabox, number
        assert pdftotext(parts, number) == pdftotext(whole, number), number
    assert _structure(parts) == _structure(whole)
    assert _outline(other) == _outline(one)
    assert sorted(other.named_destinations) == sorted(one.named_destinations)
    for name, destination in one.named_destinations.items():
        assert other.get_destination_page_number(
            other.named_destinations[name]
        ) == one.get_destination_page_number(destination), name
    assert _link_pages(other) == _link_pages(one)
    catalog = other.trailer["/Root"]
    assert str(catalog["/Lang"]) == str(one.trailer["/Root"]["/Lang"])
    assert catalog["/MarkInfo"]["/Marked"].value is True
    assert other.metadata.title == one.metadata.title


def _render_both(document: Document, settings, monkeypatch) -> tuple[bytes, bytes]:
    settings.PHAEN_PDF_WORKERS = 2
    settings.PHAEN_PDF_PARALLEL_MIN_CHARS = 0
    settings.PHAEN_PDF_TAGGED_PARTS = False
    whole = document.render()
    settings.PHAEN_PDF_TAGGED_PARTS = True
    calls = []
    joined = pdf.render_tagged_parts

    def counted(*args, **kwargs):
        calls.append(1)
        return joined(*args, **kwargs)

    monkeypatch.setattr(pdf, "render_tagged_parts", counted)
    parts = document.render()
    assert calls, "the book was not laid out in parts"
    return whole, parts


SMALL_BOOK = """
<section class="cover"><h1 class="cover-title">เล่มทดสอบ</h1></section>
<section id="toc"><h2>สารบัญ</h2>
<p>หนึ่ง <a class="toc-page" href="#one"></a></p>
<p>สอง <a class="toc-page" href="#two"></a></p>
<p>สาม <a class="toc-page" href="#three"></a></p></section>
{break}<section id="one" style="break-before: page"><h1>ส่วนที่ 1 ข้อมูล</h1>{rows}</section>
{break}<section id="two" style="break-before: page"><h2>ส่วนที่ 1.1 ต่อจากส่วนที่ 1</h2>
<p>ดู <a href="#one">ส่วนที่ 1</a></p>{rows}</section>
{break}<section id="three" style="break-before: page"><h1>ส่วนที่ 2 ท้ายเล่ม</h1>{rows}
<p><a href="#two">กลับไปส่วนที่ 1.1</a></p></section>
"""
TABLE = (
    "<table><thead><tr><th>รายการ</th><th>จำนวน</th></tr></thead><tbody>"
    + "".join(f"<tr><th scope='row'>แถว {n}</th><td>{n}</td></tr>" for n in range(60))
    + "</tbody></table>"
)


def _small_book(**options) -> Document:
    """The small test book, cut into parts at its breaks."""
    body = SMALL_BOOK.replace("{break}", pdf.PART_BREAK).replace("{rows}", TABLE)
    return Document(
        kind="test",
        title="เล่มทดสอบ",
        running_title="เล่มทดสอบ",
        filename="test.pdf",
        body=body,
        digits="thai",
        **options,
    )


def test_small_tagged_book_in_parts_is_the_same_book(settings, monkeypatch):
    """Bookmarks across parts (an h2 opening the second part stays under the
    first part's h1), links between parts, table headers of every part."""
    document = _small_book(cover=True)

    whole, parts = _render_both(document, settings, monkeypatch)

    _assert_same_book(whole, parts)
    outline = _outline(PdfReader(io.BytesIO(parts)))
    assert (1, "ส่วนที่ 1.1 ต่อจากส่วนที่ 1") in [entry[:2] for entry in outline]
    assert "หน้า ๒" in pdftotext(parts, 2)


@pytest.mark.parametrize("digits", ["thai", "arabic"])
def test_conftest_plan_book_in_tagged_parts_is_the_same_book(
    book, settings, monkeypatch, digits
):
    document = documents.plan_book_document(book.plan, digits)
    assert not document.archival

    whole, parts = _render_both(document, settings, monkeypatch)

    _assert_same_book(whole, parts)


def _pdfa_markers(content: bytes) -> dict:
    """What makes the PDF PDF/A-3b, as pypdf reads it."""
    reader = PdfReader(io.BytesIO(content))
    catalog = reader.trailer["/Root"]
    (intent,) = catalog["/OutputIntents"]
    intent = intent.get_object()
    profile = intent["/DestOutputProfile"].get_object()
    xmp = catalog["/Metadata"].get_object().get_data()
    return {
        "output intent": str(intent["/S"]),
        "ICC profile": profile.get_data()[36:40],  # the 'acsp' signature
        "ICC components": profile["/N"],
        "pdfaid part 3": b'pdfaid:part="3"' in xmp,
        "pdfaid conformance B": b'pdfaid:conformance="B"' in xmp,
        "pdfuaid": b"pdfuaid" in xmp,
        "title in XMP": "เล่ม".encode() in xmp or b"dc:title" in xmp,
        "ID": len(reader.trailer["/ID"]),
        "marked": catalog["/MarkInfo"]["/Marked"].value,
        "structure tree": "/StructTreeRoot" in catalog,
        "links printable": {
            int(annotation.get_object()["/F"])
            for page in reader.pages
            for annotation in page.get("/Annots") or []
        },
    }


def _icc_profiles(content: bytes) -> int:
    """How many ICC profiles the pages' colour spaces use."""
    found = set()
    for page in PdfReader(io.BytesIO(content)).pages:
        for space in (page["/Resources"].get("/ColorSpace") or {}).values():
            space = space.get_object()
            if isinstance(space, list) and space[0] == "/ICCBased":
                found.add(space[1].idnum)
    return len(found)


def test_archival_book_is_laid_out_in_parts_and_stays_pdf_a(
    book, settings, monkeypatch
):
    """An approved plan's book (PDF/A-3b) takes the parts path too (issue 19
    item 6: one process held the whole book's layout, 867 MB for 60
    projects), and the joined book is the same PDF/A-3b book as the
    one-process one. This test replaced ``..._stays_in_one_process``, which
    pinned the old limit (the join had been checked against PDF/UA only)."""
    Plan.objects.filter(pk=book.plan.pk).update(status=Plan.Status.APPROVED)
    book.plan.refresh_from_db()
    document = documents.plan_book_document(book.plan, "arabic")
    assert document.archival
    assert len(document.body.split(pdf.PART_BREAK)) >= 4  # front + 3 parts

    whole, parts = _render_both(document, settings, monkeypatch)

    _assert_same_book(whole, parts)
    # every body part laid out on its own (none from the part cache: new book)
    assert len(pdf.LAST_BOOK["laid_out"]) >= 4
    markers = _pdfa_markers(parts)
    assert markers == _pdfa_markers(whole)
    assert markers["output intent"] == "/GTS_PDFA1"
    assert markers["ICC profile"] == b"acsp"
    assert markers["pdfaid part 3"] and markers["pdfaid conformance B"]
    assert markers["marked"] and markers["structure tree"]
    assert markers["ID"] == 2
    # one sRGB profile for the book, not one per part
    assert _icc_profiles(parts) == _icc_profiles(whole) == 1


@pytest.mark.parametrize("archival", [False, True])
def test_contents_grown_by_their_numbers_fall_back_to_one_process(
    settings, monkeypatch, archival
):
    """The contents are measured with stand-in numbers; when the real ones
    take more pages, every later page number would be off: the book is laid
    out again in one process instead, still PDF/A-3b when archival."""
    settings.PHAEN_PDF_WORKERS = 2
    settings.PHAEN_PDF_PARALLEL_MIN_CHARS = 0
    document = _small_book(archival=archival)
    monkeypatch.setattr(pdf, "_page_label", lambda starts, name, digits: "๑ " * 3000)
    whole = []
    monkeypatch.setattr(
        pdf, "render_pdf", lambda html, **options: whole.append(options) or b"%PDF"
    )

    assert document.render() == b"%PDF"
    assert whole == [{"tagged": True, "archival": archival}]


def _fonts(content: bytes) -> set:
    """The font dictionaries the pages use (what ``pdffonts`` lists)."""
    return {
        font.idnum
        for page in PdfReader(io.BytesIO(content)).pages
        for font in page["/Resources"].get("/Font", {}).values()
    }


def _font_programs(content: bytes) -> set:
    """The embedded font programs (``/FontFile2``, ``/FontFile3``) the pages use."""
    programs = set()
    for page in PdfReader(io.BytesIO(content)).pages:
        for font in page["/Resources"].get("/Font", {}).values():
            cid_font = font.get_object()["/DescendantFonts"][0].get_object()
            descriptor = cid_font["/FontDescriptor"].get_object()
            program = descriptor.get("/FontFile2") or descriptor.get("/FontFile3")
            programs.add(program.idnum)
    return programs


def test_joined_book_embeds_each_font_once(settings, monkeypatch):
    """Each part is subset on its own (issue 19): joined as laid out, the
    65-part plan book embedded Sarabun 65 times (4.07 MB instead of 2.79 MB).
    The joined book embeds each font once, subset to every part's glyphs,
    as the one-process book does; its text and structure stay the same."""
    document = _small_book(cover=True)

    whole, parts = _render_both(document, settings, monkeypatch)

    assert len(_font_programs(whole)) == 2  # Sarabun and Sarabun Bold
    assert len(_font_programs(parts)) == len(_font_programs(whole))
    assert len(_fonts(parts)) == len(_fonts(whole)) == 2
    _assert_same_book(whole, parts)


def test_the_books_objects_are_written_as_pydyf_writes_them():
    """The joined book's objects are serialised by ``tagjoin._data``, a
    faster path for its structure elements (issue 19): byte for byte what
    pydyf writes, escapes and non-ASCII strings included."""
    import pydyf

    from reports import tagjoin

    element = pydyf.Dictionary(
        {
            "Type": "/StructElem",
            "S": "/TH",
            "K": pydyf.Array([0, 12, b"7 0 R", pydyf.Dictionary({"MCID": 3})]),
            "P": b"12 0 R",
            "ID": pydyf.String("41-2-3"),
            "Alt": pydyf.String("ค่าอาหาร (บาท)"),
            "T": pydyf.String("a\\b(c)"),
            "Raw": pydyf.String(b"(x)"),
            "Scale": 1.5,
            "Whole": 2.0,
            "Open": True,
            "Nested": pydyf.Array([pydyf.Array([]), pydyf.Dictionary({})]),
        }
    )
    assert tagjoin._data(element) == element.data
    for value in [*element.values(), "/Name", 0, -3]:
        assert tagjoin._data(value) == pydyf._to_bytes(value)
