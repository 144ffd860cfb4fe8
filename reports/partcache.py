"""Laid-out parts of long books kept on disk (issue 19 items 3 and 6).

An office prints its draft plan book many times while finalising it, each
time after a small change (one cost line, one project). A tagged part
(:class:`reports.tagjoin.TaggedPart`: drawn and tagged, not written) depends
only on its whole HTML page and the ``write_pdf`` options: it carries no page
number (they are laid over when joining) and no link target's page (named
destinations, resolved when joining). So a part is kept under the sha256 of
that HTML, the options and :data:`VERSION`: the same HTML is the same layout,
and a changed project sheet is a new key, laid out again, while the other
parts are read back.

Files, not the cache: the parts are laid out by worker processes
(``reports.pdf_worker``) and read by the render task's process. Each is
written beside its final name and moved over it, so a reader sees a whole
part or none; a file that cannot be read back (cut short, another version's
objects) counts as missing and is laid out again, never joined.
"""

import contextlib
import hashlib
import io
import json
import os
import pickle
import tempfile
import time
import zlib
from pathlib import Path

import pydyf
import weasyprint
from django.conf import settings
from fontTools import subset
from fontTools.ttLib import TTFont

#: Bumped when what a part file holds changes (``TaggedPart``'s fields, the
#: way streams are stored): older files are then never read.
VERSION = 2
#: Part files not used by a render for this long are deleted (see :func:`prune`).
KEEP_SECONDS = 7 * 24 * 3600


def folder() -> Path:
    return Path(settings.PHAEN_DOCUMENT_DIR) / "parts"


def key(html: str, options: dict | None) -> str:
    """The part's name: its data (the whole HTML page), how it is written,
    and the code that lays it out."""
    digest = hashlib.sha256()
    stamp = {
        "version": VERSION,
        "weasyprint": weasyprint.__version__,
        "pydyf": pydyf.__version__,
        "options": options,
    }
    digest.update(json.dumps(stamp, sort_keys=True).encode())
    digest.update(b"\0")
    digest.update(html.encode())
    return digest.hexdigest()


def path(name: str) -> Path:
    return folder() / f"{name}.pickle"


def load(name: str):
    """The kept part ``name``, or None when missing or unreadable.

    An unreadable file is removed (it is laid out again and rewritten).
    Reading marks the file as used (its time), which :func:`prune` reads.
    """
    file = path(name)
    try:
        data = file.read_bytes()
    except OSError:
        return None
    try:
        part = pickle.loads(data)  # noqa: S301 (written by this module)
    except Exception:  # cut short or from another version of the classes
        file.unlink(missing_ok=True)
        return None
    with contextlib.suppress(OSError):
        os.utime(file)
    return part


def exists(name: str) -> bool:
    return path(name).is_file()


def store(name: str, part) -> None:
    """Keep ``part`` (atomically); its streams compressed once, here.

    pydyf compresses every stream when the book is written; compressed in
    the worker that laid the part out, the joined book is written without
    compressing a kept part's pages again.
    """
    _compress_streams(getattr(part, "pdf", part))  # a part, or the numbers
    folder().mkdir(parents=True, exist_ok=True)
    for font, content in getattr(part, "font_files", {}).items():
        if not font_path(font).is_file():
            _write(font_path(font), content)
    if getattr(part, "font_files", None):
        part.font_files = {}
    _write(path(name), pickle.dumps(part, protocol=pickle.HIGHEST_PROTOCOL))


def _write(target: Path, content: bytes) -> None:
    """Write ``content`` beside ``target`` and move it over (atomic)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def font_path(font: str) -> Path:
    return folder() / f"{font}.font"


def font_program(font: str, glyphs: frozenset, notdef: bool) -> bytes | None:
    """The whole font file ``font`` (kept by :func:`store`) subset to
    ``glyphs``, as WeasyPrint subsets a document's font (glyph ids kept).

    Joining a book embeds each font once, subset to the glyphs of all its
    parts (:func:`reports.tagjoin.join`); the subset is kept too, under the
    font and its glyphs, since a new render after a small change usually
    draws the same glyphs. None when the font file is gone.
    """
    digest = hashlib.sha256(
        f"{VERSION}:{font}:{notdef}:{sorted(glyphs)}".encode()
    ).hexdigest()
    kept = folder() / f"{digest}.subset"
    with contextlib.suppress(OSError):
        content = kept.read_bytes()
        os.utime(kept)
        return content
    try:
        whole = font_path(font).read_bytes()
    except OSError:  # pruned: the parts keep their own subsets
        return None
    with contextlib.suppress(OSError):
        os.utime(font_path(font))
    index = int(font.rsplit("-", 1)[1])
    options = subset.Options(
        retain_gids=True,
        passthrough_tables=True,
        ignore_missing_glyphs=True,
        hinting=False,
        desubroutinize=True,
        notdef_outline=notdef,
    )
    options.drop_tables += ["GSUB", "GPOS", "SVG"]
    subsetter = subset.Subsetter(options)
    ttfont = TTFont(io.BytesIO(whole), fontNumber=index)
    subsetter.populate(gids=sorted(glyphs))
    subsetter.subset(ttfont)
    output = io.BytesIO()
    ttfont.save(output)
    content = output.getvalue()
    _write(kept, content)
    return content


def _compress_streams(pdf) -> None:
    for obj in pdf.objects:
        if isinstance(obj, pydyf.Stream) and obj.compress:
            raw = b"\n".join(pydyf._to_bytes(item) for item in obj.stream)
            compressor = zlib.compressobj(level=9)
            obj.stream = [compressor.compress(raw) + compressor.flush()]
            obj.extra["Filter"] = "/FlateDecode"
            obj.compress = False


def prune(keep_seconds: int = KEEP_SECONDS) -> int:
    """Delete the part files no render has used for ``keep_seconds`` (by
    their time, which :func:`load` and :func:`store` set): the parts of books
    printed this week stay, edited-away versions go. Returns how many."""
    limit = time.time() - keep_seconds
    removed = 0
    if not folder().is_dir():
        return 0
    for file in folder().iterdir():
        try:
            if file.stat().st_mtime < limit:
                file.unlink()
                removed += 1
        except OSError:
            continue
    return removed
