"""An overflow detector for the printed documents.

pdftotext only shows an overflow once two amounts have run together
("๓๐,๙๑๗,๙๒๙.๓๓๑๒,๖๔๑,๔๐๖.๖๘"), and only where the text happens to collide.
Here the document's own HTML is laid out by WeasyPrint, with the same
stylesheet, fonts and URL fetcher as :func:`reports.pdf.render_pdf`, and every
page's box tree is walked to find what an office would see on paper:

- a line of text wider than its table cell (or its signature block, or the
  page's content area) — an amount or a word printed over the border;
- a table wider than the page's content area;
- a page that holds nothing but a total row, or nothing but a heading, or
  ends with a heading (the rows or the text it introduces went to the next
  page);
- a table header broken inside a word ("งบประ / มาณ"): Thai has no spaces, so
  a break is taken as inside a word unless PyThaiNLP's tokenizer breaks there
  or both pieces either side of it are dictionary words ("ผู้ / รับผิดชอบ"
  splits a compound, which the offices accept in a narrow column).

:func:`layout_problems` returns one readable line per problem (page, text and
the two boxes), so a failing test says what to look at.
"""

from __future__ import annotations

from dataclasses import dataclass

import weasyprint
from django.conf import settings
from pythainlp.corpus import thai_words
from pythainlp.tokenize import word_tokenize
from weasyprint.formatting_structure import boxes

from reports.pdf import StaticOnlyURLFetcher

#: Rounding in the layout (CSS px); a real overflow is at least a glyph's width.
TOLERANCE = 1.0
HEADINGS = {"h1", "h2", "h3", "h4"}


@dataclass
class _Frame:
    """Where a text box has to fit and what it sits in."""

    label: str
    left: float
    right: float


def render(html: str):
    """``html`` laid out as :func:`reports.pdf.render_pdf` lays it out."""
    return weasyprint.HTML(
        string=html,
        base_url=getattr(settings, "WEASYPRINT_BASEURL", "/"),
        url_fetcher=StaticOnlyURLFetcher(),
    ).render()


def layout_problems(html: str, *, check_breaks: bool = True) -> list[str]:
    """Every overflow, lone total row or heading and mid-word header break."""
    document = render(html)
    problems: list[str] = []
    count = len(document.pages)
    for number, page in enumerate(document.pages, start=1):
        problems += _page_problems(
            number, page._page_box, check_breaks, last=number == count
        )
    return problems


def _describe(box) -> str:
    tag = getattr(box, "element_tag", "?")
    element = getattr(box, "element", None)
    css = element.get("class") if element is not None else None
    where = f"{tag}.{css.replace(' ', '.')}" if css else tag
    return f"{where} [{box.position_x:.1f}..{box.position_x + box.margin_width():.1f}]"


def _classes(box) -> set[str]:
    element = getattr(box, "element", None)
    css = element.get("class") if element is not None else None
    return set(css.split()) if css else set()


def _text_of(box) -> str:
    if isinstance(box, boxes.TextBox):
        return box.text
    if isinstance(box, boxes.ParentBox):
        return "".join(_text_of(child) for child in box.children)
    return ""


def _page_problems(
    number: int, page_box, check_breaks: bool, last: bool = False
) -> list[str]:
    problems: list[str] = []
    left = page_box.content_box_x()
    page = _Frame(
        f"page content [{left:.1f}..{left + page_box.width:.1f}]",
        left,
        left + page_box.width,
    )
    #: per text box on the page: the roles of its ancestors
    texts: list[tuple[str, set[str]]] = []

    def walk(
        box, frame: _Frame, roles: frozenset[str], in_flex: bool, table=""
    ) -> None:
        if isinstance(box, boxes.MarginBox):
            return
        tag = getattr(box, "element_tag", None)
        if isinstance(box, boxes.TableBox):
            table = _describe(box).split(" ")[0]
        if isinstance(box, boxes.TableCellBox) or (
            in_flex and isinstance(box, boxes.BlockContainerBox)
        ):
            cell_left = box.content_box_x()
            where = f"{_describe(box)} of {table}" if table else _describe(box)
            frame = _Frame(where, cell_left, cell_left + box.width)
            if (
                check_breaks
                and tag == "th"
                and "thead" in roles
                and not isinstance(box, boxes.MarginBox)
            ):
                problems.extend(_mid_word_breaks(number, box))
        if isinstance(box, boxes.TableBox):
            right = box.position_x + box.margin_width()
            if right > page.right + TOLERANCE or box.position_x < page.left - TOLERANCE:
                problems.append(
                    f"page {number}: table wider than the page: "
                    f"{_describe(box)} past {page.label}"
                )
        if tag in HEADINGS:
            roles = roles | {"heading"}
        elif tag in ("thead", "tfoot"):
            roles = roles | {tag}
        elif tag == "tr" and "total-row" in _classes(box):
            roles = roles | {"tfoot"}
        if isinstance(box, boxes.TextBox):
            text = box.text.strip()
            if text:
                texts.append((text, set(roles)))
                right = box.position_x + box.width
                # A space ending a line is not drawn (Pango keeps its advance).
                slack = TOLERANCE
                if box.text[-1:].isspace():
                    slack += 0.35 * box.style["font_size"]
                if right > frame.right + slack or box.position_x < (
                    frame.left - TOLERANCE
                ):
                    problems.append(
                        f"page {number}: «{text}» "
                        f"[{box.position_x:.1f}..{right:.1f}] overflows {frame.label}"
                    )
            return
        if isinstance(box, boxes.ReplacedBox | boxes.InlineBlockBox):
            right = box.position_x + box.margin_width()
            if right > frame.right + TOLERANCE:
                problems.append(
                    f"page {number}: {_describe(box)} overflows {frame.label}"
                )
        if isinstance(box, boxes.ParentBox):
            flex = isinstance(box, boxes.FlexContainerBox)
            for child in box.children:
                walk(child, frame, roles, flex, table)

    for child in page_box.children:
        walk(child, page, frozenset(), False)

    body = [(text, roles) for text, roles in texts if "thead" not in roles]
    if texts and not body:
        problems.append(f"page {number}: holds only a table header row")
    elif body and all("tfoot" in roles for _, roles in body):
        shown = " ".join(text for text, _ in body)[:80]
        problems.append(f"page {number}: holds only a total row: «{shown}»")
    elif body and all("heading" in roles for _, roles in body):
        shown = " ".join(text for text, _ in body)[:80]
        problems.append(f"page {number}: holds only a heading: «{shown}»")
    elif body and "heading" in body[-1][1] and not last:
        problems.append(f"page {number}: ends with a heading: «{body[-1][0]}»")
    return problems


def _line_texts(box) -> list[str]:
    lines: list[str] = []

    def walk(child):
        if isinstance(child, boxes.LineBox):
            lines.append(_text_of(child))
        elif isinstance(child, boxes.ParentBox):
            for grandchild in child.children:
                walk(grandchild)

    walk(box)
    return lines


def _mid_word_breaks(number: int, cell) -> list[str]:
    """A header cell's line breaks that fall inside a word."""
    lines = [line for line in _line_texts(cell) if line.strip()]
    if not breaks_inside_word(lines):
        return []
    return [
        f"page {number}: header «{' / '.join(lines)}» breaks "
        f"inside a word in {_describe(cell)}"
    ]


def breaks_inside_word(lines: list[str]) -> bool:
    """Whether a cell printed as ``lines`` was broken inside a word.

    A break is between words where PyThaiNLP's tokenizer ends a word, or
    where it splits a compound into dictionary words before it and one
    dictionary word after it ("ผู้ / รับผิดชอบ", "ผลการ / ดำเนินงาน"); not
    "งบประ / มาณ".
    """
    if len(lines) < 2:
        return False
    joined = "".join(lines)
    words, starts, offset = thai_words(), {}, 0
    for token in word_tokenize(joined, engine="newmm", keep_whitespace=True):
        starts[offset] = token
        offset += len(token)
    offset = 0
    for line in lines[:-1]:
        offset += len(line)
        if offset in starts or joined[offset - 1].isspace():
            continue
        start = max(begin for begin in starts if begin < offset)
        token = starts[start]
        left, right = token[: offset - start], token[offset - start :]
        left_words = word_tokenize(left, engine="newmm")
        if right not in words or not all(word in words for word in left_words):
            return True
    return False
