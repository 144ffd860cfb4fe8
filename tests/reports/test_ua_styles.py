"""Styles are computed only for pseudo-elements a document can draw
(:mod:`reports.uastyles`), and the PDF stays the same byte for byte.

WeasyPrint's stock user-agent sheet styles the marker, footnote and note
pseudo-elements of every element: six styles per element, a tenth of the plan
book's render time, none of them drawn except a list item's marker.
"""

import re
from pathlib import Path

import pytest
import weasyprint.css

from reports import documents, uastyles
from reports.pdf import render_pdf

pytestmark = pytest.mark.pdf

ROOT = Path(__file__).resolve().parents[2]
#: Headings, paragraphs, links, both kinds of list and a table: every kind of
#: box our documents draw, markers included.
HTML = (
    '<html lang="th"><head><title>ทดสอบ</title>'
    '<link rel="stylesheet" href="/static/css/print.css"></head><body>'
    '<h1 id="top">แผนปฏิบัติการประจำปี</h1>'
    + "".join(
        f'<h2 style="break-before: page">ส่วนที่ {page}</h2>'
        f'<p class="indent">ย่อหน้าที่ {page} <a href="#top">กลับ</a> การศึกษา สำคัญ</p>'
        "<ul>" + "".join(f"<li>รายการที่ {n}</li>" for n in range(4)) + "</ul>"
        "<ol>" + "".join(f"<li>ลำดับที่ {n}</li>" for n in range(4)) + "</ol>"
        '<table class="data"><thead><tr><th>ที่</th><th>จำนวนเงิน</th></tr></thead>'
        + "".join(
            f'<tr><td>{n}</td><td class="num">๑,๐๐๐.๐๐</td></tr>' for n in range(8)
        )
        + "</table>"
        for page in range(4)
    )
    + "</body></html>"
)
#: What differs between two renders of the same HTML: dates and the file id.
_VARYING = re.compile(
    rb"/(CreationDate|ModDate) \([^)]*\)|/ID \[[^\]]*\]|<xmp:\w+Date>[^<]*<"
)
_UNUSED = {
    "footnote-call",
    "footnote-marker",
    "note-call",
    "note-marker",
    "note-callback",
}


def _pseudo_styles(monkeypatch) -> list[tuple[str, str]]:
    """(element tag, pseudo-element) of every pseudo-element style computed."""
    computed = []
    original = weasyprint.css.StyleFor.set_computed_styles

    def counted(self, element, parent, root=None, pseudo_type=None, **kwargs):
        if pseudo_type:
            computed.append((getattr(element, "tag", element), pseudo_type))
        return original(self, element, parent, root, pseudo_type, **kwargs)

    monkeypatch.setattr(weasyprint.css.StyleFor, "set_computed_styles", counted)
    return computed


def test_the_changed_sheet_is_the_one_it_was_written_for():
    assert uastyles.pin_problems() == []
    assert uastyles.install()


def test_only_list_items_get_a_marker_style_and_nothing_a_footnote_style(
    monkeypatch,
):
    computed = _pseudo_styles(monkeypatch)
    render_pdf(HTML, tagged=True)

    markers = [tag for tag, pseudo in computed if pseudo == "marker"]
    assert markers and set(markers) == {"li"}
    assert len(markers) == HTML.count("<li>")
    assert not [pseudo for _tag, pseudo in computed if pseudo in _UNUSED]


@pytest.mark.parametrize("tagged", [True, False])
def test_the_pdf_is_the_same_with_and_without_the_change(tagged):
    changed = render_pdf(HTML, tagged=tagged)
    uastyles.uninstall()
    try:
        stock = render_pdf(HTML, tagged=tagged)
    finally:
        uastyles.install()

    assert _VARYING.sub(b"", changed) == _VARYING.sub(b"", stock)


@pytest.mark.django_db
def test_the_plan_book_is_the_same_with_and_without_the_change(book):
    document = documents.plan_book_document(book.plan, "thai")
    changed = document.render()
    uastyles.uninstall()
    try:
        stock = document.render()
    finally:
        uastyles.install()

    assert _VARYING.sub(b"", changed) == _VARYING.sub(b"", stock)


def test_no_stylesheet_or_template_of_ours_makes_footnotes_or_notes():
    """The dropped rules style footnotes and notes: WeasyPrint asks for them
    only for ``float: footnote`` or ``position: note()``, which would fail
    without them. None of our documents may use either."""
    sources = [
        *(ROOT / "static" / "css").glob("*.css"),
        *(ROOT / "templates").rglob("*.html"),
    ]
    assert sources
    for source in sources:
        text = source.read_text(encoding="utf-8")
        assert not re.search(r"float\s*:\s*footnote|note\(", text), source
