"""One digit style per document: convert the text of rendered HTML only.

Body partials of other apps print numbers as they like (the direction partial
uses Thai digits, the project sheet Arabic ones); an official document uses
one style throughout, chosen per document. Only text between tags is changed:
tag names, attributes (``x="12.5"``), entities (``&#39;``) and the contents
of ``<style>`` and ``<script>`` keep their ASCII digits.
"""

import re

from django.utils.safestring import SafeString, mark_safe

from core.thai import keep_together_html, to_arabic_digits, to_thai_digits

DIGIT_STYLES = ("thai", "arabic")

_TOKENS = re.compile(
    r"(<style\b.*?</style>|<script\b.*?</script>|<[^>]*>|&#?\w+;)",
    re.DOTALL | re.IGNORECASE,
)


_SVG = re.compile(r"(<svg\b.*?</svg>)", re.DOTALL | re.IGNORECASE)
_ANY_DIGIT = re.compile("[0-9\u0e50-\u0e59]")


def chosen_digits(value: str | None, default: str = "thai") -> str:
    """``?digits=`` → "thai" or "arabic"; anything else gives ``default``."""
    return value if value in DIGIT_STYLES else default


def convert_digits(html: str, digits: str) -> SafeString:
    """``html`` with every digit of its text in the ``digits`` style.

    Phrases an office never breaks ("พ.ศ. ๒๕๗๐", "รอบ ๖ เดือน", "๑,๐๐๐ บาท")
    are kept on one line (:func:`core.thai.keep_together_html`): every
    document body passes here once, so every title and table gets them.
    """
    convert = to_thai_digits if digits == "thai" else to_arabic_digits
    converted = []
    # A chart's labels are SVG <text>: digits are converted there too, but an
    # HTML <span> (the keep-together wrapper) is not SVG, and the SVG renderer
    # then drops or misplaces the label, so inside <svg> no span is added.
    for index, block in enumerate(_SVG.split(html)):
        in_svg = index % 2 == 1
        parts = _TOKENS.split(block)
        # re.split with one group: text at even indexes, kept tokens at odd ones.
        for position, part in enumerate(parts):
            if position % 2 or not _ANY_DIGIT.search(part):
                # a tag, or text with no digit: neither the digits nor the
                # phrases kept together (each has a number) change it, and
                # most of a table's text between tags is such
                converted.append(part)
            elif in_svg:
                converted.append(convert(part))
            else:
                converted.append(keep_together_html(convert(part)))
    return mark_safe("".join(converted))  # noqa: S308 - input is rendered, escaped HTML
