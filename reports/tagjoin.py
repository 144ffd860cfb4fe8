"""Join tagged PDF parts laid out in separate processes (issues 16 and 19).

WeasyPrint 70 builds a tagged PDF's structure tree page by page (the
``/Document`` element's children, and one parent-tree entry per page then
one per link annotation), so parts laid out apart can be joined. Not by
pypdf: reading and cloning the 339-page book's 81,000 structure elements
costs 7 s of CPU, what the second process saves. The parts are joined one
level lower, as the pydyf objects WeasyPrint writes (taken through
``write_pdf``'s ``finisher``, before anything is written): each part's
objects are renumbered into the first part, its pages, structure elements,
parent-tree entries and named destinations appended, its table-header IDs
(``<table's object number>-<row>-<column>``) renamed after the table's new
number, and the bookmarks rebuilt over all pages (a part's first heading may
belong under the previous part's). The page numbers are laid over as
artifacts. ``tests/reports/test_tagged_parts.py`` compares the result with
the one-process PDF: same text per page, structure, bookmarks, links.
"""

import hashlib
import math
import re
import zlib
from dataclasses import dataclass, field

import pydyf
from weasyprint import DEFAULT_OPTIONS
from weasyprint.anchors import make_page_bookmark_tree
from weasyprint.matrix import Matrix
from weasyprint.pdf import VARIANTS
from weasyprint.pdf.anchors import add_outlines
from weasyprint.text.fonts import get_hb_object_data

_REFERENCE = re.compile(rb"(\d+) 0 R")
_HEADER_ID = re.compile(r"(\d+)(-\d+-\d+)")
#: CSS px (WeasyPrint) to PDF points
_PT = 0.75


class Captured(Exception):
    """Raised by :func:`capture`'s finisher to stop WeasyPrint writing."""

    def __init__(self, pdf):
        super().__init__("captured")
        self.pdf = pdf


def _finisher(document, pdf):
    raise Captured(pdf)


def capture(document, **options) -> pydyf.PDF:
    """The pydyf PDF of a laid-out ``document``, not written."""
    try:
        document.write_pdf(finisher=_finisher, **options)
    except Captured as captured:
        return plain(captured.pdf)
    raise RuntimeError("write_pdf did not call its finisher")


@dataclass
class TaggedPart:
    """One part of a tagged book, drawn and tagged but not written."""

    pdf: pydyf.PDF
    #: per page: what the bookmarks need of it
    marks: list
    #: per page: landscape or not
    landscape: list[bool]
    #: anchor id → page index within the part
    anchors: dict[str, int]
    #: anchors declared on the first page only so that WeasyPrint kept this
    #: part's links to other parts (named destinations, joined later)
    borrowed: set[str] = field(default_factory=set)
    #: the embedded font programs (subsets), replaced when joining by one
    #: subset per font over the whole book (:class:`FontUse`)
    fonts: list = field(default_factory=list)
    #: font key → the whole font file, until the part cache keeps it apart
    font_files: dict = field(default_factory=dict)

    @property
    def pages(self) -> int:
        return len(self.landscape)


def tagged_part(document, **options) -> TaggedPart:
    """Draw and tag a laid-out ``document`` (a WeasyPrint ``Document``).

    WeasyPrint drops a link whose anchor is not in the document: an anchor of
    that name is lent to the first page, and its destination dropped when
    joining, so the link (and its ``/Link`` element's annotation) points to
    the other part's destination.
    """
    anchors = {}
    for index, page in enumerate(document.pages):
        for name in page.anchors:
            anchors.setdefault(name, index)
    wanted = {
        target
        for page in document.pages
        for kind, target, _rect, _box in page.links
        if kind == "internal"
    }
    borrowed = wanted - set(anchors)
    for name in borrowed:
        document.pages[0].anchors[name] = (0, 0, 0, 0)
    pdf = capture(document, **options)
    fonts, font_files = _font_uses(document, pdf)
    return TaggedPart(
        pdf=pdf,
        marks=[BookmarkPage(page) for page in document.pages],
        landscape=[page.width > page.height for page in document.pages],
        anchors=anchors,
        borrowed=borrowed,
        fonts=fonts,
        font_files=font_files,
    )


@dataclass
class FontUse:
    """A font program embedded in one part: where, and which glyphs.

    WeasyPrint subsets each font per document, keeping glyph ids
    (``RETAIN_GIDS``): the 65 parts of the plan book embedded Sarabun 65
    times over (4.07 MB instead of 2.79 MB, issue 19). The joined book embeds
    each font once, subset to the glyphs of all its parts
    (:func:`join`'s ``font_program``); the parts' font dictionaries, widths,
    ToUnicode maps and ``CIDToGIDMap`` (the Thai text layer's aliases) stay
    as they are, since the glyph ids do not change.
    """

    #: object numbers of the ``/FontDescriptor`` and of its font program
    descriptor: int
    program: int
    #: sha256 of the whole font file and its index in it
    key: str
    #: glyph ids the part draws
    glyphs: frozenset
    #: the part draws a missing character (``.notdef`` keeps its outline)
    notdef: bool
    #: what merging the parts' font dictionaries needs (:func:`_merge_fonts`),
    #: None when the font cannot be merged (missing glyphs, several fonts
    #: of one hash): the font's hash, the numbers of its ``/Type0`` and
    #: ``/CIDFont`` dictionaries, its glyph count, and per character code
    #: its text, its width and the glyph it draws when not its own code
    merge: dict | None = None


def _font_uses(document, pdf) -> tuple[list, dict]:
    """The part's :class:`FontUse` list and whole font files (by key).

    Only plain outline fonts: a variable, bitmap or colour font is turned
    into another font when written, so its part keeps its own program.
    """
    resources = _object(pdf, pdf.page_references[0])["Resources"]
    if isinstance(resources, bytes):
        resources = _object(pdf, resources)
    fonts_ref = resources.get("Font") if isinstance(resources, dict) else None
    if not isinstance(fonts_ref, bytes):
        return [], {}
    dictionary = _object(pdf, fonts_ref)
    by_hash: dict[str, list] = {}
    for font in document.fonts.values():
        by_hash.setdefault(font.hash, []).append(font)
    uses, files = [], {}
    for font_hash, same in by_hash.items():
        font = same[0]
        if (
            font.bitmap
            or font.used_in_forms
            or font.png
            or font.svg
            or font.colr
            or "fvar" in font.tables
            or font_hash not in dictionary
        ):
            continue
        whole = get_hb_object_data(font.hb_face)
        if not whole:
            continue
        key = f"{hashlib.sha256(whole).hexdigest()}-{font.index}"
        cid_font = _object(
            pdf, _object(pdf, dictionary[font_hash])["DescendantFonts"][0]
        )
        descriptor = _object(pdf, cid_font["FontDescriptor"])
        program = descriptor.get("FontFile2") or descriptor.get("FontFile3")
        if program is None:
            continue
        glyphs = frozenset(
            glyph
            for each in same
            for glyph in each.to_unicode
            if glyph < font.glyph_count
        )
        uses.append(
            FontUse(
                descriptor=descriptor.number,
                program=_number(program),
                key=key,
                glyphs=glyphs,
                notdef=any(each.missing for each in same),
                merge=None
                if len(same) > 1 or font.missing
                else {
                    "hash": font_hash,
                    "type0": _number(dictionary[font_hash]),
                    "cid_font": cid_font.number,
                    "glyph_count": font.glyph_count,
                    "to_unicode": dict(font.to_unicode),
                    "widths": dict(font.widths),
                    "aliases": {
                        code: glyph
                        for (glyph, _text), code in font.__dict__.get(
                            "phaen_text_aliases", {}
                        ).items()
                    },
                },
            )
        )
        files[key] = whole
    return uses, files


def write(pdf: pydyf.PDF, **options) -> bytes:
    """Write ``pdf`` as ``Document.write_pdf(**options)`` would have.

    Compressed (the default) through :func:`_write_compressed`, pydyf's own
    layout of the file with a faster zlib level.
    """
    import io

    chosen = {**DEFAULT_OPTIONS, **options}
    if variant := chosen["pdf_variant"]:
        for key, value in VARIANTS[variant][1].items():
            if chosen.get(key) is None:
                chosen[key] = value
    output = io.BytesIO()
    version = pydyf._to_bytes(chosen["pdf_version"] or b"1.7")
    if not chosen["uncompressed_pdf"] and version >= b"1.5":
        _write_compressed(pdf, output, version, identifier=chosen["pdf_identifier"])
    else:
        pdf.write(
            output,
            chosen["pdf_version"],
            chosen["pdf_identifier"],
            not chosen["uncompressed_pdf"],
        )
    return output.getvalue()


class _FastStream(pydyf.Stream):
    """A stream compressed at zlib level 6, not pydyf's 9: the joined book's
    object stream (its 81,000 structure elements) compressed 7 times faster
    (1.7 s of the 60-project book's CPU time saved) for a file 8 % larger."""

    @property
    def data(self):
        stream = b"\n".join(pydyf._to_bytes(item) for item in self.stream)
        extra = pydyf.Dictionary(self.extra.copy())
        if self.compress:
            extra["Filter"] = "/FlateDecode"
            stream = zlib.compress(stream, 6)
        extra["Length"] = len(stream)
        return b"\n".join((extra.data, b"stream", stream, b"endstream"))


def _data(item, _pydyf_bytes=pydyf._to_bytes) -> bytes:
    """``pydyf._to_bytes(item)``, the same bytes, faster for what a book is
    made of: pydyf asks ``isinstance`` down a chain for each of the
    1.3 million values of the 60-project book (its structure elements,
    dictionaries of names, numbers and references), a third of the write
    time after a small change (issue 19). Anything else goes to pydyf."""
    kind = type(item)
    if kind is bytes:
        return item
    if kind is int:
        return b"%d" % item
    if kind is pydyf.Dictionary:
        return (
            b"<<"
            + b"".join(
                [b"/" + _data(key) + b" " + _data(value) for key, value in item.items()]
            )
            + b">>"
        )
    if kind is pydyf.Array:
        return b"[" + b" ".join([_data(child) for child in item]) + b"]"
    if kind is str:
        return item.encode("ascii")
    if kind is pydyf.String and type(item.string) is str and item.string.isascii():
        escaped = (
            item.string.encode("ascii")
            .replace(b"\\", b"\\\\")
            .replace(b"(", b"\\(")
            .replace(b")", b"\\)")
        )
        return b"(" + escaped + b")"
    return _pydyf_bytes(item)


def _write_compressed(
    pdf: pydyf.PDF, output, version: bytes, *, identifier: bool = False
) -> None:
    """``pdf.write(output, version, identifier, True)`` (pydyf 0.13: an object
    stream and a cross-reference stream), its own streams by
    :class:`_FastStream`.

    ``identifier`` (PDF/A asks for one): the trailer's ``/ID``, the md5 of
    the file written so far; pydyf hashes every object's data again (the
    joined book's 81,000 structure elements) for the same kind of digest."""
    if pdf.info:
        pdf.add_object(pdf.info)
    pdf.write_line(b"%PDF-" + version, output)
    pdf.write_line(b"%\xf0\x9f\x96\xa4", output)
    compressed = []
    for obj in pdf.objects:
        if obj.free == "f":
            continue
        if obj.compressible:
            compressed.append(obj)
        else:
            if type(obj) is pydyf.Stream and obj.compress:
                obj.__class__ = _FastStream
            obj.offset = pdf.current_position
            pdf.write_line(obj.indirect, output)
    stream, offsets, position = [None], [], 0
    for obj in compressed:
        data = _data(obj)
        stream.append(data)
        offsets.extend((obj.number, position))
        position += len(data) + 1
    stream[0] = " ".join(str(value) for value in offsets)
    extra = {"Type": "/ObjStm", "N": len(compressed), "First": len(stream[0]) + 1}
    object_stream = _FastStream(stream, extra, True)
    object_stream.offset = pdf.current_position
    pdf.add_object(object_stream)
    pdf.write_line(object_stream.indirect, output)
    xref, index = [], 0
    for obj in pdf.objects:
        if obj.compressible:
            xref.append((2, object_stream.number, index))
            index += 1
        else:
            xref.append((bool(obj.number), obj.offset, obj.generation))
    xref.append((1, pdf.current_position, 0))
    field2 = math.ceil(math.log(pdf.current_position + 1, 256))
    generation = max(obj.generation for obj in pdf.objects)
    field3 = math.ceil(math.log(max(generation, len(compressed)) + 1, 256))
    lengths = (1, field2, field3)
    table = b"".join(
        value.to_bytes(length, "big")
        for line in xref
        for length, value in zip(lengths, line, strict=True)
    )
    extra = {
        "Type": "/XRef",
        "Index": pydyf.Array((0, len(pdf.objects) + 1)),
        "W": pydyf.Array(lengths),
        "Size": len(pdf.objects) + 1,
        "Root": pdf.catalog.reference,
    }
    if pdf.info:
        extra["Info"] = pdf.info.reference
    if identifier:
        digest = pydyf.String(
            hashlib.md5(output.getvalue(), usedforsecurity=False).hexdigest().encode()
        )
        extra["ID"] = pydyf.Array((digest.data, digest.data))
    xref_stream = _FastStream([table], extra, True)
    pdf.xref_position = xref_stream.offset = pdf.current_position
    pdf.add_object(xref_stream)
    pdf.write_line(xref_stream.indirect, output)
    pdf.write_line(b"startxref", output)
    pdf.write_line(f"{pdf.xref_position}".encode(), output)
    pdf.write_line(b"%%EOF", output)


def plain(pdf: pydyf.PDF) -> pydyf.PDF:
    """WeasyPrint's page streams hold fonts and boxes: keep pydyf's part
    only, so that the PDF can be pickled to the parent process."""
    for index, obj in enumerate(pdf.objects):
        if isinstance(obj, pydyf.Stream) and type(obj) is not pydyf.Stream:
            copy = pydyf.Stream(obj.stream, obj.extra, obj.compress)
            copy.number, copy.generation, copy.free = (
                obj.number,
                obj.generation,
                obj.free,
            )
            pdf.objects[index] = copy
    return pdf


class BookmarkPage:
    """What ``make_page_bookmark_tree`` reads of a page."""

    def __init__(self, page):
        self.height = page.height
        self.bookmarks = list(page.bookmarks)


def _number(reference) -> int:
    return int(_REFERENCE.fullmatch(reference)[1])


def _object(pdf, reference):
    return pdf.objects[_number(reference)]


def _outline_objects(pdf) -> list:
    if "Outlines" not in pdf.catalog:
        return []
    root = _object(pdf, pdf.catalog["Outlines"])
    found, stack = [root], [root.get("First")]
    while stack:
        reference = stack.pop()
        if reference is None:
            continue
        item = _object(pdf, reference)
        found.append(item)
        stack.extend([item.get("Next"), item.get("First")])
    return found


#: values that never hold a reference: returned at once (most of the
#: 800,000 values a join walks are numbers)
_PLAIN = frozenset({int, float, bool, str, pydyf.String})


def _remap(value, table):
    if type(value) in _PLAIN:
        return value
    if isinstance(value, bytes):
        return _remapped_reference(value, table)
    if isinstance(value, dict):
        # the leaves (numbers, names, references) here, not by a call each:
        # a third of the join's time after a small change (issue 19)
        for key, item in value.items():
            kind = type(item)
            if kind in _PLAIN:
                continue
            if kind is bytes:
                if item.endswith(b" 0 R"):
                    value[key] = _remapped_reference(item, table)
                continue
            value[key] = _remap(item, table)
        return value
    if isinstance(value, list):
        value[:] = [
            item
            if type(item) in _PLAIN
            or (type(item) is bytes and not item.endswith(b" 0 R"))
            else _remap(item, table)
            for item in value
        ]
        return value
    if isinstance(value, tuple):
        return tuple(_remap(item, table) for item in value)
    if isinstance(value, pydyf.Stream):
        _remap(value.extra, table)
    return value


def _remapped_reference(value: bytes, table):
    """``b"12 0 R"`` → the reference in ``table`` of object 12 (as
    :data:`_REFERENCE` reads one); any other bytes as they are."""
    if value.endswith(b" 0 R"):
        number = value[:-4]
        if number.isdigit():
            return table[int(number)]
    return value


def _structure(pdf):
    root = _object(pdf, pdf.catalog["StructTreeRoot"])
    document = _object(pdf, root["K"][0])
    parent_tree = _object(pdf, root["ParentTree"])
    return root, document, parent_tree


def _dests(pdf) -> list:
    names = pdf.catalog.get("Names") or {}
    dests = names.get("Dests") or {}
    flat = list(dests.get("Names") or [])
    return [(flat[i], flat[i + 1]) for i in range(0, len(flat), 2)]


def _own_dests(pdf, part: TaggedPart) -> list:
    return [
        (name, dest) for name, dest in _dests(pdf) if name.string not in part.borrowed
    ]


def join(
    tagged_parts: list[TaggedPart], *, numbers=None, font_program=None
) -> pydyf.PDF:
    """Join the ``tagged_parts`` into the first one's PDF and return it.

    ``numbers``: an untagged pydyf PDF with one page per page of the book,
    laid over them as artifacts (the page numbers). ``font_program(key,
    glyphs, notdef)``: the font ``key`` (:class:`FontUse`) subset to
    ``glyphs``, bytes; given, each font is embedded once for all the parts.
    """
    parts = [part.pdf for part in tagged_parts]
    bookmark_pages = [mark for part in tagged_parts for mark in part.marks]
    target = parts[0]
    root, document, parent_tree = _structure(target)
    page_entries, annotations = [], []
    programs = (
        _shared_programs(target, tagged_parts, font_program) if font_program else {}
    )
    merged_away, merged_into = _merge_fonts(tagged_parts) if programs else ({}, {})
    joined = {}  # (id(part), its object number) → reference in the book
    for use in tagged_parts[0].fonts if programs else ():
        if use.merge is not None:
            number = use.merge["type0"]
            joined[(id(tagged_parts[0]), number)] = target.objects[number].reference
    for use in tagged_parts[0].fonts if programs else ():
        descriptor = target.objects[use.descriptor]
        name = "FontFile2" if "FontFile2" in descriptor else "FontFile3"
        descriptor[name] = programs[use.key].reference
        _drop(target, target.objects[use.program])

    def collect(pdf, page_refs):
        nums = list(_object(pdf, _structure(pdf)[0]["ParentTree"])["Nums"])
        pairs = dict(zip(nums[::2], nums[1::2], strict=True))
        count = len(page_refs)
        for index in range(count):
            page_entries.append(pairs[index])
        annotations.extend(pairs[key] for key in sorted(pairs) if key >= count)

    collect(target, target.page_references)
    dests = _own_dests(target, tagged_parts[0])
    for orphan in _outline_objects(target):
        _drop(target, orphan)

    for tagged, source in zip(tagged_parts[1:], parts[1:], strict=True):
        source_root, source_document, source_tree = _structure(source)
        skip = {
            0: None,
            source.pages.number: target.pages.reference,
            source.catalog.number: None,
            source_root.number: None,
            source_tree.number: None,
            source_document.number: document.reference,
        }
        for obj in _outline_objects(source):
            skip[obj.number] = None
        for use in tagged.fonts if programs else ():
            skip[use.program] = programs[use.key].reference
        for number in merged_away.get(id(tagged), ()):
            skip[number] = joined[merged_into[(id(tagged), number)]]
            for unused in _font_objects(source, number):
                skip[unused] = None
        if "Metadata" in source.catalog:
            skip[_number(source.catalog["Metadata"])] = None
        skip.update(_shared_profiles(target, source))
        table = dict(skip)
        copied = []
        for obj in source.objects:
            if obj.number in skip:
                continue
            old = obj.number
            target.add_object(obj)
            table[old] = obj.reference
            copied.append(obj)
        new_numbers = {
            old: _number(ref) for old, ref in table.items() if ref is not None
        }
        for use in tagged.fonts if programs else ():
            if use.merge is not None and use.merge["type0"] in new_numbers:
                joined[(id(tagged), use.merge["type0"])] = table[use.merge["type0"]]
        for obj in copied:
            _remap(obj, table)
            if isinstance(obj, dict):
                _rename_headers(obj, new_numbers)
        source_pages = [table[number] for number in source.pages["Kids"][::3]]
        for reference in source_pages:
            target.pages["Kids"].extend([_number(reference), 0, "R"])
            target.pages["Count"] += 1
        document["K"].extend(_remap(list(source_document["K"]), table))
        nums = _remap(list(source_tree["Nums"]), table)
        pairs = dict(zip(nums[::2], nums[1::2], strict=True))
        count = len(source_pages)
        page_entries.extend(pairs[index] for index in range(count))
        annotations.extend(pairs[key] for key in sorted(pairs) if key >= count)
        dests.extend(
            (name, _remap(dest, table)) for name, dest in _own_dests(source, tagged)
        )

    # the parent tree: pages 0…n-1, then the link annotations
    page_refs = target.page_references
    for index, reference in enumerate(page_refs):
        _object(target, reference)["StructParents"] = index
    nums = pydyf.Array()
    for index, entry in enumerate(page_entries):
        nums.extend([index, entry])
    for index, reference in enumerate(annotations, start=len(page_refs)):
        _object(target, reference)["StructParent"] = index
        nums.extend([index, reference])
    parent_tree["Nums"] = nums

    # named destinations, sorted (a name tree); the first of a name wins
    seen, name_array = set(), pydyf.Array()
    for name, dest in sorted(dests, key=lambda pair: pair[0].string):
        if name.string not in seen:
            seen.add(name.string)
            name_array.extend([name, dest])
    target.catalog.setdefault("Names", pydyf.Dictionary())
    target.catalog["Names"]["Dests"] = pydyf.Dictionary({"Names": name_array})

    # bookmarks over the whole book
    tree, skipped, previous = [], [], 0
    last_by_depth = [tree]
    for index, page in enumerate(bookmark_pages):
        matrix = Matrix(a=_PT, d=-_PT, f=page.height * _PT)
        previous = make_page_bookmark_tree(
            page, skipped, last_by_depth, previous, index, matrix
        )
    target.catalog.pop("Outlines", None)
    add_outlines(target, tree)

    if numbers is not None:
        _lay_over(target, numbers)
    return target


def _output_profiles(pdf) -> list:
    """The ICC profile streams of ``pdf``'s output intents (PDF/A)."""
    return [
        _object(pdf, intent["DestOutputProfile"])
        for intent in pdf.catalog.get("OutputIntents") or ()
        if "DestOutputProfile" in intent
    ]


def _shared_profiles(target, source) -> dict:
    """``source``'s output-intent profiles that ``target`` has already:
    object number → the target's profile. Each PDF/A part embeds WeasyPrint's
    sRGB profile (its pages' colour spaces point to it), 65 copies in the
    approved plan book; the book keeps the first part's catalog, so one."""
    kept = {bytes(b"".join(_data_chunks(p))): p for p in _output_profiles(target)}
    shared = {}
    for profile in _output_profiles(source):
        twin = kept.get(bytes(b"".join(_data_chunks(profile))))
        if twin is not None:
            shared[profile.number] = twin.reference
    return shared


def _data_chunks(stream) -> list:
    return [pydyf._to_bytes(chunk) for chunk in stream.stream]


def _shared_programs(target, tagged_parts, font_program) -> dict:
    """One font program per font (key) for all ``tagged_parts``, added to
    ``target``: the font subset to every glyph any part draws."""
    glyphs, notdef, extra = {}, {}, {}
    for part in tagged_parts:
        for use in part.fonts:
            glyphs.setdefault(use.key, set()).update(use.glyphs)
            notdef[use.key] = notdef.get(use.key, False) or use.notdef
            if use.key not in extra:
                extra[use.key] = dict(part.pdf.objects[use.program].extra)
    contents = {
        key: font_program(key, frozenset(glyphs[key]), notdef[key])
        for key in sorted(glyphs)
    }
    if None in contents.values():  # a font file is gone: keep the parts' own
        return {}
    programs = {}
    for key, content in contents.items():
        dictionary = pydyf.Dictionary(
            {"Subtype": extra[key]["Subtype"]}
            if "Subtype" in extra[key]
            else {"Length1": len(content)}
        )
        stream = pydyf.Stream([content], dictionary, compress=True)
        target.add_object(stream)
        programs[key] = stream
    return programs


def _merge_fonts(tagged_parts) -> tuple[dict, dict]:
    """Merge the parts' font dictionaries of one font where they agree.

    Each part numbers its Thai aliases (:mod:`reports.textlayer`) on its
    own, so two parts may give one character code two texts: a part joins
    the first group of its font whose codes all agree with its own (the
    60-project book: 2 of Sarabun's 84 codes differ between parts), and the
    group's first dictionary gets the union of their ToUnicode maps, widths
    and ``CIDToGIDMap``. Returns, per part (``id``), the ``/Type0`` numbers
    merged away, and ``(id(part), number)`` → the group's ``/Type0``, as a
    placeholder (bytes) for :func:`join` to turn into the joined reference.
    """
    groups: dict[str, list] = {}
    for part in tagged_parts:
        for use in part.fonts:
            if use.merge is None:
                continue
            info = use.merge
            codes = {**info["to_unicode"]}
            for group in groups.setdefault(info["hash"], []):
                if all(
                    group["to_unicode"].get(code, text) == text
                    for code, text in codes.items()
                ) and all(
                    group["aliases"].get(code, glyph) == glyph
                    for code, glyph in info["aliases"].items()
                ):
                    break
            else:
                group = {
                    "leader": (part, info),
                    "to_unicode": {},
                    "widths": {},
                    "aliases": {},
                    "glyph_count": info["glyph_count"],
                    "members": [],
                }
                groups[info["hash"]].append(group)
            group["to_unicode"].update(info["to_unicode"])
            group["widths"].update(info["widths"])
            group["aliases"].update(info["aliases"])
            group["members"].append((part, info))
    merged_away, merged_into = {}, {}
    for font_groups in groups.values():
        for group in font_groups:
            leader, info = group["leader"]
            _rewrite_font(leader.pdf, info, group)
            for part, member in group["members"][1:]:
                merged_away.setdefault(id(part), []).append(member["type0"])
                merged_into[(id(part), member["type0"])] = (id(leader), info["type0"])
    return merged_away, merged_into


def _rewrite_font(pdf, info, group) -> None:
    """The leader's font dictionary with its group's codes (see
    ``weasyprint.pdf.fonts.build_fonts_dictionary``)."""
    type0 = pdf.objects[info["type0"]]
    cid_font = pdf.objects[info["cid_font"]]
    to_unicode = pydyf.Stream(
        [
            b"/CIDInit /ProcSet findresource begin",
            b"12 dict begin",
            b"begincmap",
            b"/CIDSystemInfo",
            b"<< /Registry (Adobe)",
            b"/Ordering (UCS)",
            b"/Supplement 0",
            b">> def",
            b"/CMapName /Adobe-Identity-UCS def",
            b"/CMapType 2 def",
            b"1 begincodespacerange",
            b"<0000> <ffff>",
            b"endcodespacerange",
        ],
        compress=True,
    )
    items = sorted(group["to_unicode"].items())
    for start in range(0, len(items), 100):
        batch = items[start : start + 100]
        to_unicode.stream.append(f"{len(batch)} beginbfchar".encode())
        for glyph, text in batch:
            hexa = "".join(letter.encode("utf-16-be").hex() for letter in text)
            to_unicode.stream.append(f"<{glyph:04x}> <{hexa}>".encode())
        to_unicode.stream.append(b"endbfchar")
    to_unicode.stream.extend(
        [b"endcmap", b"CMapName currentdict /CMap defineresource pop", b"end", b"end"]
    )
    pdf.add_object(to_unicode)
    type0["ToUnicode"] = to_unicode.reference
    widths = pydyf.Array()
    for code, width in sorted(group["widths"].items()):
        widths.extend([code, pydyf.Array([width])])
    cid_font["W"] = widths
    if group["aliases"]:
        glyphs = list(range(max(group["glyph_count"], *group["aliases"]) + 1))
        for code, glyph in group["aliases"].items():
            glyphs[code] = glyph
        data = b"".join(glyph.to_bytes(2, "big") for glyph in glyphs)
        cid_to_gid = pydyf.Stream([data], compress=True)
        pdf.add_object(cid_to_gid)
        cid_font["CIDToGIDMap"] = cid_to_gid.reference
    descriptor = _object(pdf, cid_font["FontDescriptor"])
    box = list(descriptor["FontBBox"])
    box[2] = max([box[2], *group["widths"].values()])
    descriptor["FontBBox"] = pydyf.Array(box)


def _font_objects(pdf, type0: int) -> list[int]:
    """The objects only the font dictionary ``type0`` refers to (its font
    program is shared: see :func:`_shared_programs`)."""
    font = pdf.objects[type0]
    cid_font = _object(pdf, font["DescendantFonts"][0])
    found = [
        cid_font.number,
        _number(font["ToUnicode"]),
        _number(cid_font["FontDescriptor"]),
    ]
    if isinstance(cid_font.get("CIDToGIDMap"), bytes):
        found.append(_number(cid_font["CIDToGIDMap"]))
    return found


def _drop(pdf, obj) -> None:
    """Replace an object nothing refers to any more by an empty dictionary.

    Not by a free entry: pydyf 0.13 still counts free objects in the
    cross-reference stream's object-stream indexes, shifting every later
    object (poppler then reads pages as null).
    """
    blank = pydyf.Dictionary({})
    blank.number = obj.number
    pdf.objects[obj.number] = blank


def _rename_headers(element, new_numbers) -> None:
    """Table-header IDs are ``<table's object number>-<row>-<column>``."""

    def renamed(key):
        match = _HEADER_ID.fullmatch(key.string)
        if not match or int(match[1]) not in new_numbers:
            return key
        return pydyf.String(f"{new_numbers[int(match[1])]}{match[2]}")

    if "ID" in element and isinstance(element["ID"], pydyf.String):
        element["ID"] = renamed(element["ID"])
    attributes = element.get("A")
    if isinstance(attributes, dict) and "Headers" in attributes:
        attributes["Headers"] = pydyf.Array(
            renamed(key) for key in attributes["Headers"]
        )


def _lay_over(target, numbers) -> None:
    """Each page of ``numbers`` drawn over the book's page as an artifact."""
    skip = {0: None, numbers.pages.number: None, numbers.catalog.number: None}
    table = dict(skip)
    copied = []
    for obj in numbers.objects:
        if obj.number in skip:
            continue
        old = obj.number
        target.add_object(obj)
        table[old] = obj.reference
        copied.append(obj)
    for obj in copied:
        _remap(obj, table)
    save = pydyf.Stream([b"q"])
    target.add_object(save)
    pages = target.page_references
    number_pages = [table[number] for number in numbers.pages["Kids"][::3]]
    for index, (reference, overlay) in enumerate(zip(pages, number_pages, strict=True)):
        page = _object(target, reference)
        source = _object(target, overlay)
        form = _object(target, source["Contents"])
        form.extra["Type"] = "/XObject"
        form.extra["Subtype"] = "/Form"
        form.extra["BBox"] = source["MediaBox"]
        form.extra["Resources"] = source["Resources"]
        _drop(target, source)
        name = f"PhaenPage{index}"
        resources = _object(target, page["Resources"])
        xobjects = resources["XObject"]
        if isinstance(xobjects, bytes):
            xobjects = _object(target, xobjects)
        xobjects[name] = form.reference
        draw = pydyf.Stream([f"Q /Artifact BMC q /{name} Do Q EMC".encode()])
        target.add_object(draw)
        page["Contents"] = pydyf.Array(
            [save.reference, page["Contents"], draw.reference]
        )
