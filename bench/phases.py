"""Where a WeasyPrint render spends its CPU time, phase by phase.

``with phases() as split:`` times (``time.process_time``, so other people's
work on a shared machine does not count) the steps of every render inside
it: parsing the HTML, the CSS cascade (selector matching and computed
styles), building the boxes, the layout, drawing the pages, the structure
tree of a tagged PDF, the fonts (subsetting) and writing the file. A
profiler would say the same but slow the Python-heavy steps several times
over; these wrappers are called a few hundred times per book.
"""

import contextlib
import time

import pydyf
import weasyprint
import weasyprint.document
import weasyprint.pdf

PHASES = (
    ("parse", "HTML parsing"),
    ("styles", "CSS cascade (matching, computed styles)"),
    ("boxes", "boxes (formatting structure)"),
    ("layout", "layout"),
    ("draw", "drawing (text layer patch included)"),
    ("tags", "structure tree (page-reference patch included)"),
    ("fonts", "fonts (subsetting, text layer maps)"),
    ("write", "writing (serialise, compress)"),
)


def _timed(split: dict, name: str, function):
    def timed(*args, **kwargs):
        start = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            split[name] += time.process_time() - start

    return timed


def _timed_generator(split: dict, name: str, function):
    def timed(*args, **kwargs):
        iterator = function(*args, **kwargs)
        while True:
            start = time.process_time()
            try:
                item = next(iterator)
            except StopIteration:
                split[name] += time.process_time() - start
                return
            split[name] += time.process_time() - start
            yield item

    return timed


@contextlib.contextmanager
def phases():
    """Yield {phase: CPU seconds}, filled by the renders inside the block."""
    split = {name: 0.0 for name, _label in PHASES}
    targets = [
        (weasyprint.HTML, "__init__", "parse", _timed),
        (weasyprint.document, "get_all_computed_styles", "styles", _timed),
        (weasyprint.document, "build_formatting_structure", "boxes", _timed),
        (weasyprint.document, "layout_document", "layout", _timed_generator),
        (weasyprint.document.Page, "paint", "draw", _timed),
        (weasyprint.pdf, "add_tags", "tags", _timed),
        (weasyprint.pdf, "build_fonts_dictionary", "fonts", _timed),
        (pydyf.PDF, "write", "write", _timed),
    ]
    originals = [
        (owner, attribute, getattr(owner, attribute))
        for owner, attribute, *_ in targets
    ]
    try:
        for owner, attribute, name, wrap in targets:
            setattr(owner, attribute, wrap(split, name, getattr(owner, attribute)))
        yield split
    finally:
        for owner, attribute, original in originals:
            setattr(owner, attribute, original)


def report(split: dict, total: float) -> str:
    """The split as lines of text, with what the phases leave out."""
    lines = [
        f"  {label + ':':<50}{split[name]:6.2f} s ({100 * split[name] / total:4.1f} %)"
        for name, label in PHASES
    ]
    other = total - sum(split.values())
    lines.append(f"  {'other (links, metadata, Django):':<50}{other:6.2f} s")
    return "\n".join(lines)
