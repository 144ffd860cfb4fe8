"""PDF rendering: WeasyPrint with fonts and images from STATIC/MEDIA only."""

import atexit
import contextlib
import gc
import logging
import os
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.conf import settings
from django_weasyprint.utils import DjangoURLFetcher, guess_content_type
from weasyprint.urls import URLFetcherResponse

from progress.models import Evidence
from reports import partcache, tagjoin

#: ``progress:evidence_file`` (``/progress/evidence/<id>/``) as WeasyPrint sees it
_EVIDENCE_URL = re.compile(r"^/progress/evidence/(\d+)/$")
ERROR_REFUSED = "ไม่อนุญาตให้เอกสาร PDF โหลดไฟล์นอก static/media: {url}"


def _allowed_roots() -> list[Path]:
    roots = [Path(settings.STATIC_ROOT), Path(settings.MEDIA_ROOT)]
    for entry in settings.STATICFILES_DIRS:
        roots.append(Path(entry[1] if isinstance(entry, tuple | list) else entry))
    return [root.resolve() for root in roots]


class StaticOnlyURLFetcher(DjangoURLFetcher):
    """Serve ``/static/`` and ``/media/`` from disk; refuse everything else.

    The stock fetcher forwards other URLs (``http:``, ``file:///etc/…``) to
    WeasyPrint, so text typed into a form could otherwise pull in local files.
    Files already resolved to disk (a stylesheet's relative ``@import`` or
    ``url()``) are allowed only inside the static and media folders. A report's
    evidence photo is linked by its protected page (``progress:evidence_file``,
    what the screen shows) and read here from its file.
    """

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        if url.startswith("file:"):
            path = unquote(urlparse(url).path)
            photo = _EVIDENCE_URL.match(path)
            if photo:
                return self._evidence(int(photo[1]), url)
            if ".." not in path.split("/"):
                if path.startswith((settings.STATIC_URL, settings.MEDIA_URL)):
                    return super().fetch(url, headers)
                real = Path(path).resolve()
                if any(real.is_relative_to(root) for root in _allowed_roots()):
                    return super().fetch(url, headers)
        raise ValueError(ERROR_REFUSED.format(url=url))

    def _evidence(self, evidence_id: int, url: str) -> dict:
        evidence = Evidence.objects.filter(
            pk=evidence_id, kind=Evidence.Kind.PHOTO
        ).first()
        if evidence is None or not evidence.file:
            raise ValueError(ERROR_REFUSED.format(url=url))
        # Through the file's storage, not a path on this machine: with
        # PHAEN_STORAGE=s3 the photo is in the shared bucket.
        return URLFetcherResponse(
            url=url,
            body=evidence.file.open("rb"),
            headers={"Content-Type": guess_content_type(evidence.file.name)},
        )


#: How many documents WeasyPrint has laid out in this process (tests and the
#: benchmark read it to prove a cached download did not render again).
RENDER_COUNT = {"documents": 0}


#: ``write_pdf``'s options of an archival document (:func:`pdf_options`)
ARCHIVAL_OPTIONS = {"pdf_variant": "pdf/a-3b", "pdf_tags": True}


def pdf_options(*, tagged: bool, archival: bool) -> dict:
    """WeasyPrint's ``write_pdf`` options of a document (issue 16 item 9).

    ``tagged``: PDF/UA-1 (``pdf/ua-1``): a structure tree (``/StructTreeRoot``,
    ``/MarkInfo``) that screen readers and reflow read, ``/Lang`` from
    ``<html lang="th">``, the ``<title>`` shown by viewers (``DisplayDocTitle``)
    and a ``pdfuaid`` XMP packet. ``archival``: PDF/A-3b instead, the form a
    records office keeps, with an sRGB output intent, an ``/ID`` and the title
    in XMP; WeasyPrint 70 takes one variant per PDF, but ``pdf_tags`` adds the
    same structure tree to it, so the archival PDF is tagged too.
    """
    if archival:
        return dict(ARCHIVAL_OPTIONS)
    if tagged:
        return {"pdf_variant": "pdf/ua-1"}
    return {}


_PAUSED = {"renders": 0, "was_enabled": False}
_PAUSED_LOCK = threading.Lock()


@contextlib.contextmanager
def cyclic_gc_paused():
    """No cyclic garbage collection while WeasyPrint lays out and writes.

    A render builds millions of objects that all live until it ends (boxes,
    styles, the PDF's objects): Python's collector, triggered by allocations,
    walked them again and again, a quarter of the plan book's CPU time
    (9 of 36 s in ``bench/plan_book.py``) to free almost nothing (the book's
    peak memory grows by 25 MB without it). Reference counting still frees
    everything else; the collector runs again when the last render of the
    process ends (renders in threads share the pause).
    """
    with _PAUSED_LOCK:
        if _PAUSED["renders"] == 0:
            _PAUSED["was_enabled"] = gc.isenabled()
            gc.disable()
        _PAUSED["renders"] += 1
    try:
        yield
    finally:
        with _PAUSED_LOCK:
            _PAUSED["renders"] -= 1
            if _PAUSED["renders"] == 0 and _PAUSED["was_enabled"]:
                gc.enable()


def render_pdf(html: str, *, tagged: bool = True, archival: bool = False) -> bytes:
    """Lay out ``html`` and write the PDF, fetching only static and media files."""
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration

    RENDER_COUNT["documents"] += 1
    with cyclic_gc_paused():
        document = weasyprint.HTML(
            string=html,
            base_url=getattr(settings, "WEASYPRINT_BASEURL", "/"),
            url_fetcher=StaticOnlyURLFetcher(),
        ).render(font_config=FontConfiguration())
        return document.write_pdf(**pdf_options(tagged=tagged, archival=archival))


# ------------------------------------------------------------------ long books
#
# WeasyPrint lays a document out on one core. A long book (the annual plan of a
# large office) is cut at PART_BREAK markers into parts that start on a new
# page anyway; the parts are laid out by a few processes side by side, joined
# with pypdf, and given their page numbers ("หน้า n") by a layer of blank
# numbered pages laid over them. The table of contents, in the first part, is
# laid out last with the numbers typed in.
#
# The join keeps each part's bookmarks but not its structure tree (pypdf drops
# the pages' ``/StructParents`` and copies no ``/StructTreeRoot``), so only
# untagged documents (``PHAEN_PDF_TAGS`` off) take this path. Tagged ones are
# joined before they are written, as pydyf objects (``render_tagged_parts``,
# ``reports.tagjoin``).

#: Written by a body template between parts that may be laid out separately.
PART_BREAK = "<!--phaen:part-->"
#: Empty page-number cells of the contents: ``<a class="toc-page" href="#id"></a>``
_TOC_CELL = re.compile(r'(<a class="toc-page" href="#([^"]+)">)(</a>)')
#: CSS px (WeasyPrint) to PDF points
_PT = 0.75


@dataclass
class LaidOutPart:
    """One part written as PDF, with what joining the parts needs to know."""

    content: bytes
    #: per page: landscape or not
    landscape: list[bool]
    #: anchor id → page index within the part
    anchors: dict[str, int]
    #: internal links: (page index, anchor id, (x0, y0, x1, y1) in PDF points)
    links: list[tuple[int, str, tuple[float, float, float, float]]] = field(
        default_factory=list
    )

    @property
    def pages(self) -> int:
        return len(self.landscape)


def _not_missing_anchor(record) -> bool:
    """Links to the other parts have no anchor in this one: expected, quiet."""
    return not str(record.msg).startswith("No anchor #")


def lay_out_part(html: str, tagged: dict | None = None):
    """Lay out and write one part (runs in a worker process).

    ``tagged``: the ``write_pdf`` options of a tagged part: drawn and tagged
    but not written, a :class:`reports.tagjoin.TaggedPart` to join.
    """
    import weasyprint

    logger = logging.getLogger("weasyprint")
    logger.addFilter(_not_missing_anchor)
    try:
        with cyclic_gc_paused():
            if tagged is not None:
                return tagjoin.tagged_part(_document(weasyprint, html), **tagged)
            return _lay_out(weasyprint, html)
    finally:
        logger.removeFilter(_not_missing_anchor)


_FONTS = threading.local()


def _font_config():
    """One WeasyPrint ``FontConfiguration`` per thread, for all its parts.

    A new one per document loads Fontconfig's configuration and the system
    fonts again and registers the book's ``@font-face`` files again (written
    to a temporary folder and scanned): a fixed cost per part that the
    65-part book paid 65 times (issue 19). A configuration adds a
    ``@font-face`` rule once and skips it afterwards; Pango's font map is not
    shared between threads, hence one per thread.
    """
    from weasyprint.text.fonts import FontConfiguration

    config = getattr(_FONTS, "config", None)
    if config is None:
        config = _FONTS.config = FontConfiguration()
    return config


def _document(weasyprint, html: str):
    return weasyprint.HTML(
        string=html,
        base_url=getattr(settings, "WEASYPRINT_BASEURL", "/"),
        url_fetcher=StaticOnlyURLFetcher(),
    ).render(font_config=_font_config())


def _lay_out(weasyprint, html: str) -> LaidOutPart:
    document = _document(weasyprint, html)
    landscape, anchors, links = [], {}, []
    for index, page in enumerate(document.pages):
        landscape.append(page.width > page.height)
        for name in page.anchors:
            anchors.setdefault(name, index)
        for kind, target, (x, y, width, height), _box in page.links:
            if kind == "internal":
                top = page.height - y
                rect = (x, top - height, x + width, top)
                links.append((index, target, tuple(v * _PT for v in rect)))
    return LaidOutPart(document.write_pdf(), landscape, anchors, links)


class _Workers:
    """Lay out HTML pages in ``count`` worker processes (``python -m
    reports.pdf_worker``), started on entering and collected on leaving.

    Separate interpreters, not ``multiprocessing``: nothing of the caller's
    process (a web worker, a test run, a command) is copied or re-imported.
    """

    def __init__(self, batches: list[list[str]], tagged: dict | None = None):
        self.batches = batches
        self.tagged = tagged
        self.results: list[list[LaidOutPart]] = []

    def __enter__(self):
        import os
        import pickle
        import subprocess
        import sys
        import tempfile

        self.folder = tempfile.TemporaryDirectory(prefix="phaen-pdf-")
        environment = dict(os.environ)
        environment.setdefault(
            "DJANGO_SETTINGS_MODULE", settings.SETTINGS_MODULE or "config.settings"
        )
        self.processes = []
        for number, batch in enumerate(self.batches):
            if not batch:
                continue
            source = Path(self.folder.name) / f"in-{number}"
            source.write_bytes(pickle.dumps({"pages": batch, "tagged": self.tagged}))
            self.processes.append(
                subprocess.Popen(  # noqa: S603 (our own interpreter and module)
                    [sys.executable, "-m", "reports.pdf_worker", str(source)],
                    cwd=settings.BASE_DIR,
                    env=environment,
                )
            )
        return self

    def __exit__(self, *exc_info):
        import pickle

        try:
            failed = [process.wait() for process in self.processes]
            if any(failed) and exc_info[0] is None:
                raise RuntimeError(f"PDF workers failed: {failed}")
            if exc_info[0] is None:
                folder = Path(self.folder.name)
                self.results = [
                    pickle.loads(  # noqa: S301 (written by our worker)
                        (folder / f"in-{number}.out").read_bytes()
                    )
                    if batch
                    else []
                    for number, batch in enumerate(self.batches)
                ]
        finally:
            for process in self.processes:
                if process.poll() is None:
                    process.kill()
            self.folder.cleanup()


def balance(units: list[str], count: int) -> list[str]:
    """Join consecutive ``units`` into at most ``count`` parts of about equal
    length (the HTML length stands in for the layout work)."""
    count = max(1, min(count, len(units)))
    total = sum(len(unit) for unit in units)
    parts, current, size = [], [], 0
    for unit in units:
        current.append(unit)
        size += len(unit)
        if size >= total * (len(parts) + 1) / count and len(parts) < count - 1:
            parts.append("".join(current))
            current = []
    if current:
        parts.append("".join(current))
    return parts


def render_parts(
    front: str,
    parts: list[str],
    *,
    wrap,
    whole,
    counter_style: str,
    digits,
    cover: bool,
    title: str,
    workers: int,
) -> bytes:
    """The PDF of ``front`` + ``parts`` (body HTML), laid out side by side.

    ``wrap(body, first=…)`` turns a part's body into a whole HTML page without
    page numbers; ``whole()`` is the one-piece HTML of the document (the
    fallback, untagged like the parts); ``digits(text)`` writes numbers in the
    document's digit style.
    """
    RENDER_COUNT["documents"] += 1
    placeholder = digits("888")
    pages = [wrap(part) for part in parts]
    # Every ``workers``-th part to each process; this one takes the first
    # share, after the front part (cover, foreword, contents) with stand-in
    # numbers: only its length in pages is needed before the numbers exist.
    shares = [pages[slot::workers] for slot in range(workers)]
    with _Workers(shares[1:]) as others:
        draft = lay_out_part(
            wrap(_fill_contents(front, lambda _: placeholder), first=True)
        )
        mine = [lay_out_part(html) for html in shares[0]]
    done = [mine, *others.results]
    laid_out = [done[i % workers][i // workers] for i in range(len(pages))]
    front_pages = draft.pages
    starts, page = dict(draft.anchors), front_pages
    for part in laid_out:
        for name, index in part.anchors.items():
            starts.setdefault(name, page + index)
        page += part.pages
    front_part = lay_out_part(
        wrap(
            _fill_contents(front, lambda name: _page_label(starts, name, digits)),
            first=True,
        )
    )
    if front_part.pages != front_pages:  # the real numbers took more room
        return render_pdf(whole(), tagged=False)
    return _join(
        [front_part, *laid_out],
        starts=starts,
        counter_style=counter_style,
        cover=cover,
        title=title,
    )


def _page_label(starts: dict[str, int], name: str, digits) -> str:
    return digits(str(starts[name] + 1)) if name in starts else ""


def _fill_contents(front: str, label) -> str:
    return _TOC_CELL.sub(lambda match: f"{match[1]}{label(match[2])}{match[3]}", front)


def _join(parts, *, starts, counter_style, cover, title) -> bytes:
    """Join the parts, lay the page numbers over them, link the contents."""
    import io

    from django.template.loader import render_to_string
    from pypdf import PdfReader, PdfWriter
    from pypdf.annotations import Link

    writer = PdfWriter()
    for part in parts:
        writer.append(PdfReader(io.BytesIO(part.content)))
    shapes = [landscape for part in parts for landscape in part.landscape]
    numbers = lay_out_part(
        render_to_string(
            "reports/pdf/page_numbers.html",
            {"pages": shapes, "counter_style": counter_style, "cover": cover},
        )
    )
    # Through the writer, so every page shares one copy of the numbers' font.
    count = len(writer.pages)
    writer.append(PdfReader(io.BytesIO(numbers.content)))
    for index in range(count):
        page = writer.pages[index]
        page.merge_page(writer.pages[count + index])
        page.compress_content_streams()  # merging leaves them uncompressed
    for _ in range(count):
        writer.remove_page(count)
    offset = 0
    for part in parts:
        for index, name, rect in part.links:
            if name in starts:
                writer.add_annotation(
                    offset + index, Link(rect=rect, target_page_index=starts[name])
                )
        offset += part.pages
    writer.add_metadata({"/Title": title})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


#: What the last tagged book render of this process did (tests and the
#: benchmark read it): the keys of the parts laid out now, how many were
#: read back from the part cache.
LAST_BOOK: dict = {"laid_out": [], "reused": 0, "helpers": 0}


def lay_out_claimed(
    parts: list[tuple[str, str]], tagged: dict, claims: Path, after=None
) -> list[str]:
    """Lay out the ``parts`` ((key, HTML)) nobody has claimed yet into the
    part cache, one at a time (see ``reports.pdf_worker``); the keys laid out.
    ``after()``: called after each part."""
    done = []
    for index, (name, html) in enumerate(parts):
        try:
            os.close(os.open(claims / str(index), os.O_CREAT | os.O_EXCL))
        except FileExistsError:
            continue
        part = lay_out_part(html, tagged=tagged)
        partcache.store(name, part)
        del part  # one part's layout at a time
        done.append(name)
        if after is not None:
            after()
    return done


#: Seconds a warm helper waits for the next book before it ends.
HELPER_IDLE_SECONDS = 600


def _helper_environment() -> dict:
    environment = dict(os.environ)
    environment.setdefault(
        "DJANGO_SETTINGS_MODULE", settings.SETTINGS_MODULE or "config.settings"
    )
    return environment


class _Helper:
    """A worker process kept warm between renders (``python -m
    reports.pdf_worker --serve``): a job is the path of a job file written
    to its input, answered by a line once done.

    Starting a worker costs about 1.5 s of CPU (Python, Django, WeasyPrint),
    more than the two or three parts a small change leaves to lay out, so
    those were laid out one after another in the render's process (4.1 s
    after one cost line changed, issue 19). A helper started for a book
    stays, idle, for :data:`HELPER_IDLE_SECONDS`; the next render gives it
    its share of the missing parts at once. It ends with its input, so with
    the process that started it.
    """

    def __init__(self):
        import subprocess
        import sys

        environment = _helper_environment()
        self.signature = _signature(environment)
        self.process = subprocess.Popen(  # noqa: S603 (our own interpreter and module)
            [
                sys.executable,
                "-m",
                "reports.pdf_worker",
                "--serve",
                str(HELPER_IDLE_SECONDS),
            ],
            cwd=settings.BASE_DIR,
            env=environment,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )

    def alive(self) -> bool:
        return self.process.poll() is None

    def send(self, job: Path) -> bool:
        try:
            self.process.stdin.write(f"{job}\n".encode())
            self.process.stdin.flush()
        except OSError:  # ended (idle) meanwhile: its share is taken by others
            return False
        return True

    def answer(self, timeout: float) -> str | None:
        """``done``, ``failed``, ``ended`` (it stopped), None (still working)."""
        import select

        ready, _, _ = select.select([self.process.stdout], [], [], timeout)
        if not ready:
            return None
        line = self.process.stdout.readline().decode().strip()
        return line or "ended"

    def stop(self) -> None:
        with contextlib.suppress(OSError):
            self.process.stdin.close()
        try:
            self.process.wait(timeout=2)
        except Exception:
            self.process.kill()
            self.process.wait()
        with contextlib.suppress(OSError):
            self.process.stdout.close()


def _signature(environment: dict) -> int:
    return hash(tuple(sorted(environment.items())))


#: idle warm helpers of this process (one render uses a helper at a time)
_IDLE_HELPERS: list[_Helper] = []
_HELPERS_LOCK = threading.Lock()


def _take_helpers(count: int, *, start: bool) -> list[_Helper]:
    """Up to ``count`` idle helpers; new ones started when ``start``.

    A helper whose environment differs from this process's now (another
    database, settings module) is stopped, never given a job.
    """
    signature = _signature(_helper_environment())
    taken, retired = [], []
    with _HELPERS_LOCK:
        while _IDLE_HELPERS and len(taken) < count:
            helper = _IDLE_HELPERS.pop()
            if helper.alive() and helper.signature == signature:
                taken.append(helper)
            else:
                retired.append(helper)
    for helper in retired:
        helper.stop()
    while start and len(taken) < count:
        taken.append(_Helper())
    return taken


def start_helpers(count: int) -> None:
    """Have ``count`` helpers warm, starting the missing ones now, without
    waiting for them: called before a long book's data is read
    (:func:`reports.documents.warm_up`), they start while the HTML is built
    instead of after (about 0.7 s of the first render, issue 19)."""
    _give_back(_take_helpers(count, start=True))


def _give_back(helpers: list[_Helper]) -> None:
    with _HELPERS_LOCK:
        _IDLE_HELPERS.extend(helper for helper in helpers if helper.alive())


def stop_helpers() -> None:
    """Stop this process's idle helpers (at exit; tests)."""
    with _HELPERS_LOCK:
        helpers = list(_IDLE_HELPERS)
        _IDLE_HELPERS.clear()
    for helper in helpers:
        helper.stop()


atexit.register(stop_helpers)


def _lay_out_missing(missing, *, options, workers, progress) -> None:
    """Lay out the ``missing`` parts ((key, HTML)) into the part cache: this
    process and up to ``workers - 1`` helpers (:class:`_Helper`) take them,
    largest first, from one shared list (:func:`lay_out_claimed`).

    A few parts (one project changed) are shared with the helpers already
    warm only: starting one costs more than it saves. A helper that ends
    mid-job leaves its part missing, laid out again by this process
    (:func:`_kept_or_laid_out`); one whose job failed fails the render.
    """
    import pickle
    import tempfile

    if not missing:
        return
    missing = sorted(missing, key=lambda item: len(item[1]), reverse=True)
    wanted = max(0, min(workers - 1, len(missing) - 1))
    large = (
        sum(len(html) for _name, html in missing)
        >= settings.PHAEN_PDF_PARALLEL_MIN_CHARS
    )
    helpers = _take_helpers(wanted, start=large)
    busy, failed = [], []
    with tempfile.TemporaryDirectory(prefix="phaen-pdf-") as temporary:
        claims = Path(temporary) / "claims"
        claims.mkdir()
        job = Path(temporary) / "job"
        job.write_bytes(
            pickle.dumps(
                {
                    "parts": missing,
                    "tagged": options,
                    "claims": str(claims),
                    "documents": str(settings.PHAEN_DOCUMENT_DIR),
                }
            )
        )
        busy = [helper for helper in helpers if helper.send(job)]
        try:
            lay_out_claimed(missing, options, claims, after=progress)
            waiting = list(busy)
            while waiting:
                progress()
                for helper in list(waiting):
                    answer = helper.answer(0.2 / len(waiting))
                    if answer is not None:
                        waiting.remove(helper)
                        if answer == "failed":
                            failed.append(helper)
            if failed:
                raise RuntimeError(f"PDF workers failed: {len(failed)}")
        except BaseException:
            for helper in busy:  # mid-job (its folder goes): not kept
                helper.process.kill()
                helper.stop()
            raise
        _give_back(helpers)
    LAST_BOOK["laid_out"].extend(name for name, _html in missing)
    LAST_BOOK["helpers"] = len(busy)


def _kept_or_laid_out(name: str, html: str, options):
    """The part ``name`` from the part cache, laid out again here when its
    file is gone or unreadable (never joined broken)."""
    part = partcache.load(name)
    if part is None:
        part = lay_out_part(html, tagged=options)
        partcache.store(name, part)
        LAST_BOOK["laid_out"].append(name)
        part = partcache.load(name)
    return part


def render_tagged_parts(
    front: str,
    parts: list[str],
    *,
    wrap,
    whole,
    counter_style: str,
    digits,
    cover: bool,
    options: dict,
    workers: int = 2,
    progress=None,
) -> bytes:
    """The tagged PDF of ``front`` + ``parts``, each part laid out on its own.

    As :func:`render_parts` (``wrap``, ``whole``, ``digits`` alike), but each
    part is drawn and tagged where it was laid out and the parts are joined
    as pydyf objects (:mod:`reports.tagjoin`), so the structure tree, the
    bookmarks and the links survive. The contents' numbers are given by a
    style rule per entry (``a.toc-page::after``), the same pseudo-element as
    the one-process ``target-counter()``, so the structure tree is the same.
    ``options``: the ``write_pdf`` options (:func:`pdf_options`).

    Incremental (issue 19 item 3): every part (the front with stand-in
    numbers, each body part, the front with its real numbers, the layer of
    page numbers) is kept in the part cache (:mod:`reports.partcache`) under
    the sha256 of its HTML; only the parts missing there are laid out, by
    this process and ``workers - 1`` worker processes, one part at a time
    each. The kept parts are then read back one by one and joined.
    ``progress(done, total)``: called as parts are ready.
    """
    RENDER_COUNT["documents"] += 1
    LAST_BOOK.update(laid_out=[], reused=0, helpers=0)
    placeholder = digits("888")
    pages = [
        wrap(_fill_contents(front, lambda _: placeholder), first=True),
        *(wrap(part) for part in parts),
    ]
    names = [partcache.key(html, options) for html in pages]
    total = len(pages) + 2  # the front with its numbers, the page numbers

    reported = [-1]

    def report():
        done = sum(partcache.exists(name) for name in names)
        if progress is not None and done != reported[0]:
            reported[0] = done
            progress(done, total)

    missing = [
        (name, html)
        for name, html in dict(zip(names, pages, strict=True)).items()
        if not partcache.exists(name)
    ]
    LAST_BOOK["reused"] = len(set(names)) - len(missing)
    # The collector runs between parts (each layout pauses it on its own):
    # paused over all of them, the cycles of every part laid out here would
    # stay in memory until the end (640 MB for the 60-project book).
    _lay_out_missing(missing, options=options, workers=workers, progress=report)
    with cyclic_gc_paused():
        # read back one by one: the first (the front with stand-in numbers)
        # for its length and anchors only, the others kept for the join
        draft = _kept_or_laid_out(names[0], pages[0], options)
        draft_pages, starts, page = draft.pages, dict(draft.anchors), draft.pages
        del draft
        body = []
        for name, html in zip(names[1:], pages[1:], strict=True):
            part = _kept_or_laid_out(name, html, options)
            for anchor, at in part.anchors.items():
                starts.setdefault(anchor, page + at)
            page += part.pages
            body.append(part)
        rules = "".join(
            f'a.toc-page[href="#{match[2]}"]::after'
            f'{{content:"{_page_label(starts, match[2], digits)}"}}'
            for match in _TOC_CELL.finditer(front)
        )
        front_html = wrap(f"{front}<style>{rules}</style>", first=True)
        front_part = _kept_or_laid_out(
            partcache.key(front_html, options), front_html, options
        )
        if front_part.pages != draft_pages:  # the real numbers took more room
            return render_pdf(
                whole(), tagged=True, archival=options == ARCHIVAL_OPTIONS
            )
        if progress is not None:
            progress(total - 1, total)
        from django.template.loader import render_to_string

        book = [front_part, *body]
        numbers_html = render_to_string(
            "reports/pdf/page_numbers.html",
            {
                "pages": [shape for part in book for shape in part.landscape],
                "counter_style": counter_style,
                "cover": cover,
            },
        )
        numbers_name = partcache.key(numbers_html, None)
        numbers = partcache.load(numbers_name)
        if numbers is None:
            import weasyprint

            numbers = tagjoin.capture(_document(weasyprint, numbers_html))
            partcache.store(numbers_name, numbers)
            LAST_BOOK["laid_out"].append(numbers_name)
            numbers = partcache.load(numbers_name)
        joined = tagjoin.join(
            book, numbers=numbers, font_program=partcache.font_program
        )
        content = tagjoin.write(joined, **options)
    partcache.prune()
    return content
