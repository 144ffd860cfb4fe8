"""The text layer of our PDFs reads back as the Thai that was typed (issue 16).

WeasyPrint 70.0 maps a glyph to the first text it was drawn for, and HarfBuzz
draws "ำ" with the glyph of "า": copied or searched text read "กำร" for "การ".
``reports.textlayer`` patches it (installed by ``reports.apps``); these tests
read PDFs back with poppler's ``pdftotext`` and with pypdf, compare them with
the source text exactly, and check the pages still look the same.
"""

import html
import io
import re
import subprocess
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import fontpkg_sarabun
import pytest
import weasyprint
import weasyprint.draw.text
import weasyprint.pdf
from django.urls import reverse
from pypdf import PdfReader

from core.thai import bahttext, to_thai_digits
from projects.models import Project
from reports import textlayer
from tests.reports.conftest import flat

SAMPLE = (
    "การศึกษา สำนักงานเขตพื้นที่การศึกษาประถมศึกษา แผนปฏิบัติการประจำปี งบประมาณ "
    "๑,๒๓๔,๕๖๗.๘๙ บาท (หนึ่งล้านสองแสนสามหมื่นสี่พันห้าร้อยหกสิบเจ็ดบาทแปดสิบเก้าสตางค์) "
    "น้ำ ทำ สำคัญ ดำเนินการ"
)
FONTS = fontpkg_sarabun.ROOT / "files"


def _sample_html(text: str = SAMPLE) -> str:
    """``text`` in Sarabun regular and bold, one line per phrase (no wrapping)."""
    faces = "".join(
        f'@font-face {{font-family: "Sarabun"; font-weight: {weight}; '
        f'src: url("{(FONTS / name).as_uri()}");}}'
        for weight, name in ((400, "Sarabun-Regular.ttf"), (700, "Sarabun-Bold.ttf"))
    )
    lines = "".join(f"<p>{html.escape(part)}</p>" for part in text.split(" "))
    return (
        f"<style>{faces} @page {{size: A4 landscape; margin: 1cm}} "
        'body {font-family: "Sarabun"; font-size: 14pt}</style>'
        f"<div>{lines}</div><div><b>{lines}</b></div>"
    )


def _render(source: str) -> bytes:
    return weasyprint.HTML(string=source).write_pdf()


def pdftotext_raw(content: bytes) -> str:
    """``pdftotext -raw``: drawing order, exactly as the text layer says."""
    result = subprocess.run(
        ["pdftotext", "-raw", "-", "-"], input=content, capture_output=True, check=True
    )
    return result.stdout.decode()


def pypdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def words(text: str) -> str:
    """Whitespace normalised: one space between words."""
    return " ".join(text.split())


@pytest.fixture
def without_patch():
    """WeasyPrint as released, for the length of one test."""
    textlayer.uninstall()
    yield
    assert textlayer.install()


# ------------------------------------------------------------------ pinning


def test_patch_is_pinned_to_the_weasyprint_it_was_written_for():
    problems = textlayer.pin_problems()

    assert not problems, (
        "WeasyPrint changed under the Thai text-layer patch (reports/textlayer.py), "
        "which is now switched off: re-read the patch and "
        "docs/weasyprint-thai-text-layer.md against the new code (or drop the "
        "patch if upstream issue #2841 is fixed), then update PINNED_VERSION and "
        "PINNED_SOURCES. " + "; ".join(problems)
    )


def test_the_app_installs_the_patch():
    assert weasyprint.pdf.build_fonts_dictionary is textlayer.build_fonts_dictionary
    patched = weasyprint.draw.text.draw_first_line
    assert patched.__globals__["text_code"] is textlayer.text_code


def test_another_version_or_changed_code_is_refused_and_left_alone(
    monkeypatch, without_patch, caplog
):
    original = weasyprint.draw.text.draw_first_line
    monkeypatch.setattr(weasyprint, "__version__", "71.0")

    assert textlayer.pin_problems() == [
        "WeasyPrint 71.0 is installed, the text-layer patch was written for 70.0"
    ]
    assert textlayer.install() is False
    assert weasyprint.draw.text.draw_first_line is original
    assert "Thai text layer not patched" in caplog.text

    monkeypatch.setattr(weasyprint, "__version__", textlayer.PINNED_VERSION)
    monkeypatch.setitem(
        textlayer.PINNED_SOURCES, "weasyprint.pdf.fonts.build_fonts_dictionary", "0"
    )
    [problem] = textlayer.pin_problems()
    assert problem.startswith("weasyprint.pdf.fonts.build_fonts_dictionary changed")
    assert textlayer.install() is False
    assert weasyprint.pdf.build_fonts_dictionary is not (
        textlayer.build_fonts_dictionary
    )
    monkeypatch.undo()  # so that the fixture puts the patch back


def test_every_substitution_applies_once():
    source = textlayer.patched_draw_first_line_source()

    assert "text_code(" in source
    assert "unused_code(font, codepoint)" in source
    assert "f'{glyph_id:04x}'" not in source


# ------------------------------------------------------------------ the sample


@pytest.mark.pdf
def test_thai_sample_reads_back_exactly_with_pdftotext_and_pypdf():
    content = _render(_sample_html())

    expected = words(f"{SAMPLE} {SAMPLE}")
    assert words(pdftotext_raw(content)) == expected
    assert words(pypdf_text(content)) == expected


@pytest.mark.pdf
def test_without_the_patch_weasyprint_garbles_the_sample(without_patch):
    """The upstream bug this patch is for; when this fails, upstream fixed it."""
    text = words(pdftotext_raw(_render(_sample_html())))

    assert text != words(f"{SAMPLE} {SAMPLE}")
    assert "สาคัญ" in text or "กำร" in text


def _pages_as_png(content: bytes, folder: Path, name: str) -> list[bytes]:
    subprocess.run(
        ["pdftoppm", "-r", "60", "-png", "-", str(folder / name)],
        input=content,
        check=True,
    )
    return [path.read_bytes() for path in sorted(folder.glob(f"{name}-*.png"))]


def _embedded_font_names(content: bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(content))
    return sorted(
        str(font.get_object()["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    )


@pytest.mark.pdf
def test_the_patched_pdf_looks_the_same_and_keeps_its_fonts_subset(tmp_path):
    source = _sample_html()
    patched = _render(source)
    textlayer.uninstall()
    try:
        released = _render(source)
    finally:
        assert textlayer.install()

    before = _pages_as_png(released, tmp_path, "before")
    assert before
    assert _pages_as_png(patched, tmp_path, "after") == before
    fonts = _embedded_font_names(patched)
    assert fonts == _embedded_font_names(released)
    assert all(re.match(r"/[A-Z]{6}\+", name) for name in fonts)  # subset
    # one CIDToGIDMap (2 bytes a glyph, compressed) per font with aliases
    assert len(patched) - len(released) < 1500 * len(fonts)


# ------------------------------------------------------------------ the plan book


class _Headings(HTMLParser):
    """Text of every h1–h4 of a page."""

    def __init__(self):
        super().__init__()
        self.headings: list[str] = []
        self._open = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("h1", "h2", "h3", "h4"):
            self._open += 1
            self.headings.append("")

    def handle_endtag(self, tag):
        if tag in ("h1", "h2", "h3", "h4"):
            self._open -= 1

    def handle_data(self, data):
        if self._open:
            self.headings[-1] += data


#: An amount in words as bahttext writes it, e.g. เจ็ดพันบาทถ้วน
_IN_WORDS = re.compile(r"[\u0e01-\u0e4e]+บาท(?:ถ้วน|[\u0e01-\u0e4e]+สตางค์)")


@pytest.mark.pdf
@pytest.mark.django_db
def test_plan_book_reads_back_every_title_amount_in_words_and_heading(
    client, viewer, book
):
    client.force_login(viewer)
    page = client.get(reverse("reports:plan_book", args=[book.plan.pk]))
    response = client.get(reverse("reports:plan_book_pdf", args=[book.plan.pk]))
    assert response.status_code == 200

    parser = _Headings()
    parser.feed(page.content.decode())
    # the PDF prints Thai digits throughout (the screen page's title has Arabic)
    headings = [to_thai_digits(words(heading)) for heading in parser.headings]
    screen_text = re.sub(r"<[^>]+>", " ", page.content.decode())
    in_words = set(_IN_WORDS.findall(html.unescape(screen_text)))
    titles = list(Project.objects.filter(plan=book.plan).values_list("name", flat=True))
    assert "คำนำ" in headings and "ส่วนที่ ๓ งบประมาณและโครงการ" in headings
    assert bahttext(Decimal("7000")) in in_words
    assert len(titles) == 2

    for reader in (pdftotext_raw, pypdf_text):
        text = flat(reader(response.content))
        for expected in [*titles, *in_words, *headings]:
            assert flat(expected) in text, (reader.__name__, expected)
