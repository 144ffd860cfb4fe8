"""Thai paragraphs in the documents are set flush left, not justified.

Thai has no spaces between words, so a justified line can only be stretched
at the few spaces there are (between phrases, around numbers and Latin
words): the gaps grow to several characters wide and read as missing text.
WeasyPrint has no Thai inter-character justification, so the documents set
paragraphs flush left (both were rendered and compared by eye:
``docs/screenshots/paragraphs-justify-vs-left.png``).
"""

import pytest
from django.templatetags.static import static
from weasyprint.formatting_structure import boxes

from tests.pdf_layout import render

pytestmark = pytest.mark.django_db

#: A paragraph of seed 003 as printed (its spaces are the only places a
#: justified line could stretch).
SEED_003_PARAGRAPH = (
    "เพื่อให้บรรลุวิสัยทัศน์ของสำนักงานเขตพื้นที่การศึกษาประถมศึกษาชัยโสธร เขต ๒ "
    "ที่ว่า “ภายในปีงบประมาณ ๒๕๗๐ สำนักงานเขตพื้นที่การศึกษาประถมศึกษาชัยโสธร เขต ๒ "
    "มีความเป็นเลิศ นักเรียน ครูและบุคลากรทางการศึกษา สถานศึกษา ได้รับการพัฒนาให้มี"
    "คุณภาพตามมาตรฐาน” และสอดคล้องกับ ทิศทางการพัฒนาการศึกษาขั้นพื้นฐานของ"
    "สำนักงานคณะกรรมการการศึกษาขั้นพื้นฐาน ที่มุ่งเน้นความปลอดภัย ในสถานศึกษา"
    "ส่งเสริมโอกาส และความเสมอภาคทางการศึกษาที่มีคุณภาพอย่างเท่าเทียม"
)


def _lines(box):
    if isinstance(box, boxes.LineBox):
        yield box
        return
    for child in getattr(box, "children", ()):
        yield from _lines(child)


def _space_widths(line) -> list[float]:
    """The width of each space WeasyPrint set in ``line`` (stretched or not)."""
    widths = []
    for child in line.children:
        if isinstance(child, boxes.TextBox) and child.justification_spacing:
            widths.append(child.justification_spacing)
    return widths


def test_document_paragraphs_are_not_stretched():
    stylesheet = static("css/print.css")
    html = (
        f'<html lang="th"><head><link rel="stylesheet" href="{stylesheet}">'
        "</head>"
        f'<body><p class="indent">{SEED_003_PARAGRAPH}</p></body></html>'
    )
    document = render(html)
    lines = list(_lines(document.pages[0]._page_box))
    assert len(lines) >= 3, "the paragraph should wrap over several lines"
    stretched = [line for line in lines if _space_widths(line)]
    assert stretched == [], "Thai paragraphs are justified: their spaces are stretched"
    content_width = document.pages[0]._page_box.children[0].width
    ragged = [line for line in lines[:-1] if line.width < content_width - 10]
    assert ragged, "no line ends short of the margin: the paragraph is still justified"
