"""Tagged PDFs look each page's reference up once, not once per element
(:mod:`reports.tagpages`), and come out the same as without the patch."""

import re

import pydyf
import pytest

from reports import tagpages
from reports.pdf import render_pdf

pytestmark = pytest.mark.pdf

#: Ten pages of headings, paragraphs and table rows: a few hundred elements.
HTML = (
    '<html lang="th"><head><title>ทดสอบ</title></head><body>'
    + "".join(
        f'<h2 style="break-before: page">ส่วนที่ {page}</h2>'
        + "".join(f"<p>ย่อหน้าที่ {n} ของการศึกษา</p>" for n in range(12))
        + "<table>"
        + "".join(f"<tr><td>{n}</td><td>๑,๐๐๐.๐๐</td></tr>" for n in range(12))
        + "</table>"
        for page in range(10)
    )
    + "</body></html>"
)
#: What differs between two renders of the same HTML: dates and the file id.
_VARYING = re.compile(
    rb"/(CreationDate|ModDate) \([^)]*\)|/ID \[[^\]]*\]|<xmp:\w+Date>[^<]*<"
)


def _page_reference_calls(monkeypatch) -> list[int]:
    calls = []
    original = pydyf.PDF.page_references

    def counted(pdf):
        calls.append(1)
        return original.fget(pdf)

    monkeypatch.setattr(pydyf.PDF, "page_references", property(counted))
    return calls


def test_the_patched_sources_are_the_ones_it_was_written_for():
    assert tagpages.pin_problems() == []
    assert tagpages.install()


def test_tags_look_the_page_references_up_once(monkeypatch):
    calls = _page_reference_calls(monkeypatch)
    render_pdf(HTML, tagged=True)
    patched = len(calls)

    tagpages.uninstall()
    try:
        calls.clear()
        render_pdf(HTML, tagged=True)
        unpatched = len(calls)
    finally:
        tagpages.install()

    assert unpatched > 200  # one per structure element
    assert patched <= 20  # once for the tags, once per bookmark


def test_the_tagged_pdf_is_the_same_with_and_without_the_patch():
    patched = render_pdf(HTML, tagged=True)
    tagpages.uninstall()
    try:
        unpatched = render_pdf(HTML, tagged=True)
    finally:
        tagpages.install()

    assert _VARYING.sub(b"", patched) == _VARYING.sub(b"", unpatched)
