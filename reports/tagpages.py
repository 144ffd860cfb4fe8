"""Tagged PDFs of long documents without quadratic page lookups.

A tagged PDF (PDF/UA, the default since issue 16) says on which page each
structure element sits. WeasyPrint 70.0's ``add_tags`` asks pydyf 0.13's
``PDF.page_references`` for that page once per element, and that property
builds the tuple of *every* page's reference on each call: the 335-page plan
book of ``bench/plan_book.py`` has about 82,000 elements, so the PDF writer
made 27 million page references (seconds of CPU) to look up 335.

While tags are added no page is created, so :func:`add_tags` swaps the PDF's
class for one whose ``page_references`` is the tuple computed once, and puts
the class back afterwards. The result is byte for byte the same
(``tests/reports/test_pdf_tags.py``). As for :mod:`reports.textlayer`, the
patch applies only to the sources it was read in (``PINNED_SOURCES``), and
a test fails when an upgrade changes them.
"""

import hashlib
import inspect
import logging

import pydyf
import weasyprint.pdf
import weasyprint.pdf.tags

logger = logging.getLogger(__name__)

PINNED_SOURCES = {
    "pydyf.PDF.page_references": (
        "060bf90aad55931bc24c3575a52af9478a89916aa307e5323142663841cb7798"
    ),
    "weasyprint.pdf.tags.add_tags": (
        "f0e74575b0bafaf36458eaac27874e3b80457fba3694058153da514a68933f22"
    ),
}
_ORIGINAL = {}


def _source(dotted: str) -> str:
    if dotted == "pydyf.PDF.page_references":
        return inspect.getsource(pydyf.PDF.page_references.fget)
    return inspect.getsource(weasyprint.pdf.tags.add_tags)


def pin_problems() -> list[str]:
    """What differs from the sources the patch was written against."""
    problems = []
    for dotted, digest in PINNED_SOURCES.items():
        actual = hashlib.sha256(_source(dotted).encode()).hexdigest()
        if actual != digest:
            problems.append(f"{dotted} changed (sha256 {actual})")
    return problems


class _PagesFixed(pydyf.PDF):
    """A PDF whose pages are all written: their references are computed once."""

    @property
    def page_references(self):
        return self._fixed_page_references


def add_tags(pdf, *args, **kwargs):
    """WeasyPrint's ``add_tags`` with the page references looked up once."""
    original_class = pdf.__class__
    pdf._fixed_page_references = pdf.page_references
    pdf.__class__ = _PagesFixed
    try:
        return _ORIGINAL["add_tags"](pdf, *args, **kwargs)
    finally:
        pdf.__class__ = original_class
        del pdf._fixed_page_references


def install() -> bool:
    """Patch once; True when the patch is (already) in place."""
    if _ORIGINAL:
        return True
    problems = pin_problems()
    if problems:
        logger.warning(
            "Tagged PDFs keep their slow page lookups: %s", "; ".join(problems)
        )
        return False
    _ORIGINAL["add_tags"] = weasyprint.pdf.add_tags
    weasyprint.pdf.add_tags = add_tags
    return True


def uninstall() -> None:
    """Put WeasyPrint back as it was (the test compares both outputs)."""
    if _ORIGINAL:
        weasyprint.pdf.add_tags = _ORIGINAL.pop("add_tags")
