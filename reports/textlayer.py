"""An exact Thai text layer in WeasyPrint's PDFs (WeasyPrint issue #2841).

A PDF says which text each drawn glyph stands for with the font's ToUnicode
map, one entry per character code. WeasyPrint 70.0 writes each glyph id as its
own character code and maps it to the text of the first cluster it was drawn
in. HarfBuzz draws "ำ" (SARA AM) as nikhahit + the very glyph of "า", and a
Thai cluster ("กำ", "ที่") gives its whole text to its last glyph, the others
getting "". So one glyph stands for several texts, the first one wins, and
copy, search and screen readers read "การ" as "กำร" or "สำคัญ" as "สาคัญ".

The fix gives every (glyph, text) pair after the first its own character code,
an *alias*, numbered after the font's glyphs: the ToUnicode map gives the alias
its text, the widths give it the glyph's width, and the font's ``CIDToGIDMap``
draws it with the glyph. The page looks the same, the encoding stays
``Identity-H`` (which pypdf needs) and the embedded font stays subset and
untouched; each font with aliases gains a ``CIDToGIDMap`` of two bytes per
glyph, about 1 kB compressed for Sarabun.

Two WeasyPrint functions are changed, and only in the version they were read in:

- ``weasyprint.draw.text.draw_first_line`` is recompiled from its own source
  with four exact substitutions (``_SUBSTITUTIONS``, also the upstream diff in
  ``docs/weasyprint-thai-text-layer.md``);
- ``weasyprint.pdf.build_fonts_dictionary`` is wrapped to add the
  ``CIDToGIDMap`` of the fonts that have aliases.

:func:`install` checks ``weasyprint.__version__`` and a sha256 of the source of
every WeasyPrint function changed or relied on (``PINNED_SOURCES``); on any
difference it leaves WeasyPrint alone (the old, garbled text layer) and logs
why, and ``tests/reports/test_text_layer.py`` fails with the same message, so
that an upgrade gets the patch re-read (or dropped once upstream is fixed).
"""

import hashlib
import inspect
import logging

import pydyf
import weasyprint
import weasyprint.draw.text
import weasyprint.pdf
import weasyprint.pdf.fonts
from weasyprint.logger import LOGGER

logger = logging.getLogger(__name__)

PINNED_VERSION = "70.0"

#: sha256 of ``inspect.getsource`` of what is changed or relied on: the draw
#: loop (recompiled), the font dictionaries (wrapped; the vector one writes the
#: widths, the Encoding and the CIDFont the map is added to) and the codes of
#: missing glyphs (replaced by :func:`unused_code`, which counts the aliases).
PINNED_SOURCES = {
    "weasyprint.draw.text.draw_first_line": (
        "1bb8eae6d88e71b17096a034656f3be17da8f1f513c78536c1c38d971927638b"
    ),
    "weasyprint.pdf.fonts.build_fonts_dictionary": (
        "fc551bef35d0d6c3d288f686fd21b5ea8c1efadb8f2f3b4d379cfa6045c02230"
    ),
    "weasyprint.pdf.fonts._build_vector_font_dictionary": (
        "aa6eea312c6e3375689f3405d48c5059525038a8d73d2f63bf3476de6dc05903"
    ),
    "weasyprint.pdf.fonts.Font.get_unused_glyph_id": (
        "81082597c7912297e4527ee64c0f6584ecb815b1010a35514fd981ad6bcd07ed"
    ),
}

#: (old, new) text of ``draw_first_line``; each old text occurs exactly once.
_SUBSTITUTIONS = (
    (
        "glyph_id = font.get_unused_glyph_id(codepoint)",
        "glyph_id = unused_code(font, codepoint)",
    ),
    (
        """\
            # Create mapping between glyphs and Unicode codepoints.
            if glyph_id not in font.to_unicode:
                # Get positions of the glyph in the UTF-8 string.
                offset = glyph_item.item.offset
                t1 = clusters[i]
                if glyph_item.item.analysis.level % 2:  # rtl
                    t2 = glyph_item.item.length if i == 0 else clusters[i-1]
                else:
                    t2 = glyph_item.item.length if i == num_glyphs-1 else clusters[i+1]
                utf8_text = utf8_text or textbox.pango_layout.text.encode()
                font.to_unicode[glyph_id] = utf8_text[offset+t1:offset+t2].decode()
""",
        """\
            # Create mapping between glyphs and Unicode codepoints. A glyph
            # already mapped to another text is written with an alias code.
            # Get positions of the glyph in the UTF-8 string.
            offset = glyph_item.item.offset
            t1 = clusters[i]
            if glyph_item.item.analysis.level % 2:  # rtl
                t2 = glyph_item.item.length if i == 0 else clusters[i-1]
            else:
                t2 = glyph_item.item.length if i == num_glyphs-1 else clusters[i+1]
            utf8_text = utf8_text or textbox.pango_layout.text.encode()
            code = text_code(
                font, glyph_id, utf8_text[offset+t1:offset+t2].decode())
""",
    ),
    (
        "string += f'<{glyph_id:02x}>' if font.bitmap else f'<{glyph_id:04x}>'",
        "string += f'<{code:02x}>' if font.bitmap else f'<{code:04x}>'",
    ),
    (
        "string += f'{glyph_id:02x}' if font.bitmap else f'{glyph_id:04x}'",
        "string += f'{code:02x}' if font.bitmap else f'{code:04x}'",
    ),
)

#: Attribute of a WeasyPrint ``Font``: {(glyph id, text): alias code}.
ALIASES = "phaen_text_aliases"
#: Codes are two bytes (``<0000> <ffff>``).
_LAST_CODE = 0xFFFF

_ORIGINAL = {}


def _function(dotted: str):
    module, _, name = dotted.rpartition(".")
    owner = None
    while module:
        try:
            owner = __import__(module, fromlist=["_"])
            break
        except ImportError:
            module, _, cls = module.rpartition(".")
            name = f"{cls}.{name}"
    for part in name.split("."):
        owner = getattr(owner, part)
    return owner


def source_hash(dotted: str) -> str:
    """sha256 of the source of the WeasyPrint function ``dotted``."""
    function = _ORIGINAL.get(dotted) or _function(dotted)
    return hashlib.sha256(inspect.getsource(function).encode()).hexdigest()


def pin_problems() -> list[str]:
    """Why the patch may not fit the installed WeasyPrint; empty when it does."""
    if weasyprint.__version__ != PINNED_VERSION:
        return [
            f"WeasyPrint {weasyprint.__version__} is installed, the text-layer patch "
            f"was written for {PINNED_VERSION}"
        ]
    return [
        f"{dotted} changed (sha256 {source_hash(dotted)}, pinned {pinned})"
        for dotted, pinned in PINNED_SOURCES.items()
        if source_hash(dotted) != pinned
    ]


def text_code(font, glyph_id: int, text: str) -> int:
    """The character code that draws ``glyph_id`` and reads as ``text``.

    The first text a glyph is drawn for keeps the glyph id as its code, as
    WeasyPrint does; another text gets an alias, with the glyph's width. Only
    TrueType outlines can map a code back to another glyph (``CIDToGIDMap``):
    bitmap and CFF fonts keep WeasyPrint's first-text-wins map.
    """
    if font.to_unicode.setdefault(glyph_id, text) == text:
        return glyph_id
    if font.bitmap or font.type != "ttf":
        return glyph_id
    aliases = font.__dict__.setdefault(ALIASES, {})
    key = (glyph_id, text)
    if key not in aliases:
        code = font.glyph_count + len(font.missing) + len(aliases)
        if code > _LAST_CODE:
            return glyph_id  # no free codes left: first text wins
        aliases[key] = code
        font.to_unicode[code] = text
    return aliases[key]


def unused_code(font, codepoint: int) -> int:
    """``Font.get_unused_glyph_id`` (the code of a glyph missing from the font,
    drawn as ``.notdef``) counting the aliases too, so that codes never meet."""
    if codepoint not in font.missing:
        aliases = font.__dict__.setdefault(ALIASES, {})
        code = font.glyph_count + len(font.missing) + len(aliases)
        if code > _LAST_CODE:
            LOGGER.warning(
                'Too many glyphs missing from "%s", expect text selection problems',
                font.family,
            )
            code = _LAST_CODE
        font.missing[codepoint] = code
    return font.missing[codepoint]


def build_fonts_dictionary(pdf, fonts, compress, subset, options):
    """WeasyPrint's font dictionaries, each alias drawing its glyph.

    The aliases are in the font's ``to_unicode`` (so in its ToUnicode map, and
    in the Encoding WeasyPrint writes when glyphs are missing); they get their
    glyph's width here, and the ``CIDToGIDMap`` that draws them with it.
    """
    for font in fonts.values():
        for (glyph, _text), code in font.__dict__.get(ALIASES, {}).items():
            # The draw loop measures the glyph itself, by its id.
            font.widths[code] = font.widths[glyph]
    pdf_fonts = _ORIGINAL[_BUILD](pdf, fonts, compress, subset, options)
    for font in fonts.values():
        aliases = font.__dict__.get(ALIASES)
        if not aliases:
            continue
        dictionary = _object(pdf, pdf_fonts[font.hash])
        cid_font = _object(pdf, dictionary["DescendantFonts"][0])
        cid_to_gid = _cid_to_gid_map(font, aliases, compress)
        pdf.add_object(cid_to_gid)
        cid_font["CIDToGIDMap"] = cid_to_gid.reference
    return pdf_fonts


def _object(pdf, reference: bytes):
    return pdf.objects[int(reference.split()[0])]


def _cid_to_gid_map(font, aliases: dict, compress: bool):
    """Glyph of each CID (code): itself, ``.notdef`` if missing, or the aliased one."""
    codes = [*font.missing.values(), *aliases.values()]
    glyphs = list(range(max(font.glyph_count, *codes) + 1))
    for code in font.missing.values():
        glyphs[code] = 0
    for (glyph, _text), code in aliases.items():
        glyphs[code] = glyph
    data = b"".join(glyph.to_bytes(2, "big") for glyph in glyphs)
    return pydyf.Stream([data], compress=compress)


def patched_draw_first_line_source() -> str:
    """``draw_first_line``'s source with the substitutions applied."""
    source = inspect.getsource(_ORIGINAL.get(_DRAW) or _function(_DRAW))
    for old, new in _SUBSTITUTIONS:
        if source.count(old) != 1:
            raise ValueError(f"draw_first_line: expected once: {old.strip()}")
        source = source.replace(old, new)
    return source


_DRAW = "weasyprint.draw.text.draw_first_line"
_BUILD = "weasyprint.pdf.fonts.build_fonts_dictionary"


def install() -> bool:
    """Patch WeasyPrint once; True when the patch is (already) in place."""
    if _ORIGINAL:
        return True
    problems = pin_problems()
    if problems:
        logger.warning(
            "Thai text layer not patched, PDFs will read back garbled: %s",
            "; ".join(problems),
        )
        return False
    namespace = {
        **vars(weasyprint.draw.text),
        "text_code": text_code,
        "unused_code": unused_code,
    }
    code = compile(
        patched_draw_first_line_source(), weasyprint.draw.text.__file__, "exec"
    )
    exec(code, namespace)  # noqa: S102 (WeasyPrint's own source, pinned by sha256)
    _ORIGINAL[_DRAW] = weasyprint.draw.text.draw_first_line
    _ORIGINAL[_BUILD] = weasyprint.pdf.fonts.build_fonts_dictionary
    weasyprint.draw.text.draw_first_line = namespace["draw_first_line"]
    weasyprint.pdf.build_fonts_dictionary = build_fonts_dictionary
    return True


def uninstall() -> None:
    """Put WeasyPrint back as it was (tests show the garbled text without)."""
    if _ORIGINAL:
        weasyprint.draw.text.draw_first_line = _ORIGINAL.pop(_DRAW)
        weasyprint.pdf.build_fonts_dictionary = _ORIGINAL.pop(_BUILD)
