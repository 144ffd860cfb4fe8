"""A plan book printed again lays out only the parts that changed (issue 19 item 3).

Each part of a tagged book (the front, the summaries, each project sheet) is
kept on disk under the sha256 of its HTML (``reports.partcache``). Checked
here: after one cost line changed through ``budgets.services``, the new book
lays out that project's sheet and the summaries only, and is the same book as
a full one-process render of the new data (page count, text per page with the
contents' numbers, structure tree, bookmarks, links); a project grown by
pages moves every later number of the contents; kept parts are read by
another process, and a broken or missing part file is laid out again.
"""

import re
import subprocess
import sys
from decimal import Decimal

import pytest
from django.conf import settings as django_settings

from budgets.models import CostLine
from budgets.services import cost_line_create, cost_line_save
from plans.models import Plan
from projects.models import Activity, Project
from reports import documents, partcache, pdf, services
from tests.reports.conftest import pdftotext
from tests.reports.test_tagged_parts import _assert_same_book

pytestmark = [pytest.mark.django_db, pytest.mark.pdf]

_CONTENTS_LINE = re.compile(r"^\s*(\S.*?)\s{2,}([๐-๙0-9]+)\s*$")


@pytest.fixture
def draft_book(book, settings):
    """The conftest book, its first project still a draft (its money can be
    edited), laid out in parts whatever its length."""
    settings.PHAEN_PDF_WORKERS = 2
    settings.PHAEN_PDF_PARALLEL_MIN_CHARS = 0
    settings.PHAEN_PDF_TAGGED_PARTS = True
    Project.objects.filter(pk=book.p1.pk).update(status="draft")
    return book


def _document(plan):
    plan = Plan.objects.select_related("organization__director").get(pk=plan.pk)
    return documents.plan_book_document(plan, "thai")


def _part_keys(document) -> list[str]:
    """The part cache's keys of the book's body parts (what it is laid out in)."""
    options = pdf.pdf_options(tagged=True, archival=False)
    units = document.body.split(pdf.PART_BREAK)[1:]
    return [
        partcache.key(document.pdf_html(unit, part=True, first=False), options)
        for unit in units
    ]


def _whole(plan, settings) -> bytes:
    """The one-process render of the same data (WeasyPrint numbers the pages)."""
    settings.PHAEN_PDF_TAGGED_PARTS = False
    try:
        return _document(plan).render()
    finally:
        settings.PHAEN_PDF_TAGGED_PARTS = True


def _contents(content: bytes) -> dict[str, str]:
    """Entry → page number, as printed on the contents page."""
    for page in range(1, 6):
        text = pdftotext(content, page)
        if "สารบัญ" in text:
            return {
                match[1]: match[2]
                for line in text.splitlines()
                if (match := _CONTENTS_LINE.match(line))
            }
    raise AssertionError("no contents page")


def _thai_number(text: str) -> int:
    return int(text.translate(str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")))


def _edit_first_line(book) -> None:
    line = CostLine.objects.filter(activity=book.a1).order_by("pk").first()
    line.persons += 1
    line.amount = (line.times * line.persons * line.rate).quantize(Decimal("0.01"))
    cost_line_save(line=line)


def test_one_cost_line_lays_out_its_project_and_the_summaries_only(
    draft_book, settings
):
    first = _document(draft_book.plan)
    before = _part_keys(first)
    first.render()
    assert len(pdf.LAST_BOOK["laid_out"]) >= len(before) + 1  # all, from empty

    _edit_first_line(draft_book)
    document = _document(draft_book.plan)
    after = _part_keys(document)
    incremental = document.render()

    changed = set(after) - set(before)
    laid_out = set(pdf.LAST_BOOK["laid_out"])
    assert laid_out == changed, "only the parts whose HTML changed"
    assert 1 <= len(changed) < len(after) - 1
    units = document.body.split(pdf.PART_BREAK)[1:]
    sheet = next(
        key
        for key, unit in zip(after, units, strict=True)
        if f'id="project-{draft_book.p1.pk}"' in unit
    )
    assert sheet in laid_out
    assert after[0] not in laid_out, "parts 1 and 2 print no money: kept"
    assert pdf.LAST_BOOK["reused"] >= len(after) + 1 - len(changed)

    whole = _whole(draft_book.plan, settings)
    _assert_same_book(whole, incremental)
    assert _contents(incremental) == _contents(whole)


def test_a_project_grown_by_pages_moves_the_later_contents_numbers(
    draft_book, settings
):
    old = _document(draft_book.plan).render()
    old_contents = _contents(old)

    activity = Activity.objects.get(pk=draft_book.a1.pk)  # its project a draft
    for number in range(80):
        cost_line_create(
            activity=activity,
            category=draft_book.category["materials"],
            description=f"ค่าวัสดุฝึกอบรม รายการที่ {number + 1}",
            persons=Decimal(2),
            rate=Decimal(10),
        )
    new = _document(draft_book.plan).render()
    new_contents = _contents(new)

    added = pdftotext(new).count("\f") - pdftotext(old).count("\f")
    assert added >= 1
    # Every entry after the grown project's (the next project, part 4, the
    # appendix) moves by the pages added. Found by order, not by name:
    # pdftotext's layout may split a long Thai entry over two lines.
    names = list(new_contents)
    grown = next(i for i, name in enumerate(names) if "อ่านออกเขียนได้" in name)
    later = [name for name in names[grown + 1 :] if name in old_contents]
    assert len(later) >= 2, names
    for name in later:
        assert (
            _thai_number(new_contents[name]) == _thai_number(old_contents[name]) + added
        ), name
    whole = _whole(draft_book.plan, settings)
    assert new_contents == _contents(whole)
    assert pdftotext(new) == pdftotext(whole)


def test_kept_parts_are_read_by_another_process_and_broken_ones_laid_out_again(
    draft_book,
):
    calls = []
    first = _document(draft_book.plan).render(
        progress=lambda done, total: calls.append((done, total))
    )
    keys = _part_keys(_document(draft_book.plan))
    total = len(keys) + 3  # the front twice (stand-in and real numbers), the numbers
    assert calls[-1] == (total - 1, total)
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)

    # a new interpreter reads a kept part (pickled pydyf objects)
    script = (
        "import pickle, sys, django; django.setup(); "
        "print(pickle.loads(open(sys.argv[1], 'rb').read()).pages)"
    )
    read = subprocess.run(
        [sys.executable, "-c", script, str(partcache.path(keys[0]))],
        capture_output=True,
        text=True,
        check=True,
        cwd=django_settings.BASE_DIR,
    )
    assert int(read.stdout) >= 1

    again = _document(draft_book.plan).render()
    assert pdf.LAST_BOOK["laid_out"] == []
    assert pdftotext(again) == pdftotext(first)

    cut, gone = partcache.path(keys[0]), partcache.path(keys[-1])
    cut.write_bytes(cut.read_bytes()[:100])
    gone.unlink()
    repaired = _document(draft_book.plan).render()
    assert sorted(pdf.LAST_BOOK["laid_out"]) == sorted([keys[0], keys[-1]])
    assert pdftotext(repaired) == pdftotext(first)
    assert partcache.load(keys[0]) is not None


def test_old_part_files_are_pruned(draft_book, tmp_path, settings):
    settings.PHAEN_DOCUMENT_DIR = tmp_path
    _document(draft_book.plan).render()
    files = list(partcache.folder().iterdir())
    assert files
    assert partcache.prune(keep_seconds=3600) == 0
    assert partcache.prune(keep_seconds=-1) == len(files)
    assert not list(partcache.folder().iterdir())


def test_the_render_task_counts_the_books_parts(draft_book, monkeypatch):
    """The progress bar (``DocumentJob.parts_done / parts_total``) moves part
    by part: the data, each part of the book, the stored file."""
    seen = []
    recorded = services.document_job_progress

    def spy(*, job, parts_done, parts_total=None):
        seen.append(parts_done)
        recorded(job=job, parts_done=parts_done, parts_total=parts_total)

    monkeypatch.setattr(services, "document_job_progress", spy)
    plan = Plan.objects.select_related("organization__director").get(
        pk=draft_book.plan.pk
    )
    spec = documents.plan_book_spec(plan, "thai")
    job = services.document_job_request(spec=spec)

    job.refresh_from_db()
    units = len(_document(draft_book.plan).body.split(pdf.PART_BREAK))
    assert (job.state, job.parts_total) == ("done", units + 4)
    assert job.parts_done == job.parts_total
    assert seen == sorted(seen) and len(seen) > 3
    assert spec.stored() is not None


def test_a_warm_helper_lays_out_the_changed_parts_beside_the_render(
    draft_book, settings, monkeypatch
):
    """After a small change the two or three missing parts are shared with
    the helper process kept warm by the previous render (issue 19): starting
    one costs more than they do, so without it they were laid out one after
    another. The helper keeps them in this render's part folder (the test's,
    not the one it was started with): none is laid out twice."""
    pdf.stop_helpers()
    _document(draft_book.plan).render()
    assert pdf.LAST_BOOK["helpers"] == 1, "a long book starts its helper"

    started, here = [], []
    start, lay_out_part = pdf._Helper.__init__, pdf.lay_out_part
    monkeypatch.setattr(
        pdf._Helper, "__init__", lambda self: started.append(1) or start(self)
    )
    monkeypatch.setattr(
        pdf,
        "lay_out_part",
        lambda *args, **kwargs: here.append(1) or lay_out_part(*args, **kwargs),
    )
    _edit_first_line(draft_book)
    _document(draft_book.plan).render()
    laid_out = pdf.LAST_BOOK["laid_out"]
    assert pdf.LAST_BOOK["helpers"] == 1 and started == [], "the warm one"
    assert len(laid_out) == len(set(laid_out)) >= 2, "each part laid out once"
    assert len(here) < len(laid_out), "the helper laid out some of them"

    # a helper that ended (idle too long) is never waited for
    for helper in pdf._IDLE_HELPERS:
        helper.process.kill()
        helper.process.wait()
    _edit_first_line(draft_book)
    content = _document(draft_book.plan).render()
    laid_out = pdf.LAST_BOOK["laid_out"]
    assert len(laid_out) == len(set(laid_out)) >= 2
    assert pdftotext(content) == pdftotext(_whole(draft_book.plan, settings))


def test_a_small_change_starts_no_helper(settings, monkeypatch, tmp_path):
    """Below ``PHAEN_PDF_PARALLEL_MIN_CHARS`` the missing parts go to the
    helpers already warm only: none here, so this process lays them out."""
    pdf.stop_helpers()
    settings.PHAEN_PDF_PARALLEL_MIN_CHARS = 10**9
    monkeypatch.setattr(pdf._Helper, "__init__", lambda self: 1 / 0)
    options = pdf.pdf_options(tagged=True, archival=False)
    pages = [f"<html lang='th'><body><p>ส่วนที่ {n}</p></body></html>" for n in (1, 2)]
    missing = [(partcache.key(html, options), html) for html in pages]
    pdf.LAST_BOOK.update(laid_out=[], helpers=0)
    pdf._lay_out_missing(missing, options=options, workers=2, progress=lambda: None)
    assert pdf.LAST_BOOK["helpers"] == 0
    assert all(partcache.exists(name) for name, _html in missing)


def test_a_long_books_helper_starts_before_its_data_is_read(draft_book, settings):
    """The helper of a long book starts while this process reads the data
    and builds the HTML (issue 19), the approved (archival) one too since it
    is laid out in parts as well; a short book starts none."""
    pdf.stop_helpers()
    plan = Plan.objects.select_related("organization__director").get(
        pk=draft_book.plan.pk
    )
    spec = documents.plan_book_spec(plan, "thai")
    settings.PHAEN_PDF_PARALLEL_MIN_CHARS = 10**9
    documents.warm_up(spec)
    assert pdf._IDLE_HELPERS == []

    settings.PHAEN_PDF_PARALLEL_MIN_CHARS = 1
    plan.status = Plan.Status.APPROVED
    documents.warm_up(spec)
    assert [helper.alive() for helper in pdf._IDLE_HELPERS] == [True]
    pdf.stop_helpers()

    plan.status = Plan.Status.DRAFT
    documents.warm_up(spec)
    assert [helper.alive() for helper in pdf._IDLE_HELPERS] == [True]
    documents.warm_up(spec)  # already warm: no second one
    assert len(pdf._IDLE_HELPERS) == 1
