"""WeasyPrint's user-agent stylesheet without styles for pseudo-elements no
document of ours has (issue 16: the plan book under 20 s).

WeasyPrint 70.0's ``html5_ua.css`` styles ``::marker``, ``::footnote-call``,
``::footnote-marker``, ``::note-call``, ``::note-marker`` and
``::note-callback`` of *every* element, and the cascade computes a style for
each pseudo-element a rule matches: the 339-page plan book of
``bench/plan_book.py`` has 46,000 elements, so 278,000 styles were computed
(about a tenth of the render's CPU time and 330 MB of memory) for six
pseudo-elements of which only a list item's marker is ever drawn.

WeasyPrint asks for those styles only where they can appear: a marker for an
element shown as a list item (in our print sheets and the user-agent sheet,
``li`` and ``summary``), the footnote and note styles for an element with
``float: footnote`` or ``position: note()``, which none of our stylesheets or
templates writes (``tests/reports/test_ua_styles.py`` checks that). So the
sheet used here styles ``li::marker`` and ``summary::marker`` and drops the
footnote and note rules; the PDF comes out byte for byte the same
(same test). Like :mod:`reports.textlayer`, the change applies only to the
sheet and method it was read in (``PINNED_SOURCES``): after an upgrade the
stock sheet is used again, a warning is logged and a test fails.
"""

import hashlib
import inspect
import logging

import weasyprint
import weasyprint.html
from weasyprint.css.counters import CounterStyle

logger = logging.getLogger(__name__)

PINNED_SOURCES = {
    "weasyprint.html.UA": (
        "04dd53f16888e5325d8bb8feb02462d99d03c8329da713b167b333a2ea4b91bc"
    ),
    "weasyprint.HTML._ua_stylesheets": (
        "4fadfde9d15075b22dcfa409ec8a03af0aa1097d695be59b680017cf1bf94fe2"
    ),
}

#: (old, new) rules of ``html5_ua.css``; each old text occurs exactly once.
_SUBSTITUTIONS = (
    ("\n::marker {", "\nli::marker, summary::marker {"),
    *(
        (
            f"\n::{name} {{",
            # a selector no element matches: the rule stays, harmless and unused
            f"\nphaen-unused::{name} {{",
        )
        for name in (
            "footnote-call",
            "footnote-marker",
            "note-call",
            "note-marker",
            "note-callback",
        )
    ),
)

_ORIGINAL = {}
_SHEET = {}


def _source(dotted: str) -> str:
    if dotted == "weasyprint.html.UA":
        return weasyprint.html.UA
    return inspect.getsource(_ORIGINAL.get("method") or weasyprint.HTML._ua_stylesheets)


def source_hash(dotted: str) -> str:
    return hashlib.sha256(_source(dotted).encode()).hexdigest()


def pin_problems() -> list[str]:
    """What differs from the sources the change was written against."""
    return [
        f"{dotted} changed (sha256 {source_hash(dotted)}, pinned {pinned})"
        for dotted, pinned in PINNED_SOURCES.items()
        if source_hash(dotted) != pinned
    ]


def patched_ua_text() -> str:
    """``html5_ua.css`` with the pseudo-element rules narrowed."""
    text = weasyprint.html.UA
    for old, new in _SUBSTITUTIONS:
        if text.count(old) != 1:
            raise ValueError(f"html5_ua.css: expected once: {old.strip()}")
        text = text.replace(old, new)
    return text


def ua_stylesheets(html, forms=False):
    """``HTML._ua_stylesheets`` with the narrowed sheet (forms keep theirs)."""
    sheets = [_SHEET["ua"]]
    if forms:
        sheets.append(weasyprint.html.UA_FORM_STYLESHEET)
    return sheets


def install() -> bool:
    """Use the narrowed sheet once; True when it is (already) in use."""
    if _ORIGINAL:
        return True
    problems = pin_problems()
    if problems:
        logger.warning(
            "PDFs keep computing styles for unused pseudo-elements: %s",
            "; ".join(problems),
        )
        return False
    # Parsed with a counter-style registry of its own: the sheet's
    # @counter-style rules are already in WeasyPrint's, which documents copy.
    _SHEET["ua"] = weasyprint.CSS(
        string=patched_ua_text(), counter_style=CounterStyle()
    )
    _ORIGINAL["method"] = weasyprint.HTML._ua_stylesheets
    weasyprint.HTML._ua_stylesheets = ua_stylesheets
    return True


def uninstall() -> None:
    """Put the stock sheet back (the test compares both outputs)."""
    if _ORIGINAL:
        weasyprint.HTML._ua_stylesheets = _ORIGINAL.pop("method")
