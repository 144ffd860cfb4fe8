"""Official documents: one body rendered once, shown as HTML or laid out as PDF.

A document's body partial is rendered with its context, its digits converted
to the chosen style (:mod:`reports.digits`), then placed either in the screen
page (``reports/document.html``) or in the PDF page
(``reports/pdf/document.html``). PDFs are cached under a key made of the
document kind, the object, the digit style and :func:`change_stamp`, so an
unchanged document is served without laying it out again; the web download
and the management commands both go through :func:`cached_pdf`.
"""

import hashlib
import math
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db.models import Count, Max
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString

from core.thai import with_digits
from plans.models import Plan
from progress.models import ProgressReport, ReportingRound
from projects.models import Project, ProjectRevision
from reports import pdf, revision_memo, selectors, tables
from reports.digits import convert_digits
from reports.forms import ReportFilterForm


@dataclass
class Document:
    kind: str
    title: str
    running_title: str
    filename: str
    body: SafeString
    digits: str
    #: the first page is a cover: no running header or page number on it
    cover: bool = False
    #: PDF/A-3b, the form kept by a records office: the published plan book
    archival: bool = False
    #: not yet approved: every page carries "ร่าง"
    draft: bool = False

    def screen_context(self, **extra) -> dict:
        return {"title": self.title, "body": self.body, "digits": self.digits, **extra}

    @property
    def counter_style(self) -> str:
        """The ``@counter-style`` of the page numbers: the body's digits."""
        return "phaen-thai" if self.digits == "thai" else "decimal"

    def pdf_html(
        self, body: str | None = None, *, part: bool = False, first: bool = True
    ) -> str:
        """The whole PDF page of ``body`` (default: the whole document).

        ``part``: one part of a book laid out side by side: no page numbers
        (they are laid over later), and the cover only in the ``first`` part.
        """
        return render_to_string(
            "reports/pdf/document.html",
            {
                "title": self.title,
                "running_title": with_digits(self.running_title, self.digits),
                "body": SafeString(self.body if body is None else body),
                "counter_style": self.counter_style,
                "cover": self.cover and first,
                "numbered": not part,
                "toc_counters": not part,
                "draft": self.draft,
            },
        )

    def render(self, progress=None) -> bytes:
        """The PDF; every PDF of the app comes from here (the office directory
        too), so all fetch only static and media files and number their pages
        the same way. A document is laid out in one piece, WeasyPrint counting
        the pages itself (``counter(page)`` in the footer, ``target-counter()``
        in the contents), except a long body with part breaks, which several
        processes lay out side by side (see ``reports.pdf.render_parts``)
        when the PDF is untagged.

        Tagged documents (``PHAEN_PDF_TAGS``, the default) are joined before
        they are written, keeping their structure tree, bookmarks and links
        (``reports.pdf.render_tagged_parts``, ``PHAEN_PDF_TAGGED_PARTS``).
        Archival ones (the approved plan, PDF/A-3b and tagged) take the same
        path, each part laid out as PDF/A-3b: the joined book keeps the first
        part's catalog, so its sRGB output intent and ``pdfaid`` XMP, and is
        written with an ``/ID`` (issue 19 item 6: the whole book's layout in
        one process was 867 MB). The 60-project book of
        ``bench/plan_book.py`` takes 24 s of CPU in one process (the figures
        and their split are in the README).

        A tagged book is cut at every part break (each project sheet is a
        part) and each part kept once laid out (``reports.partcache``), so
        printing the draft book again after one cost line changed lays out
        that project's sheet and the summaries only (issue 19 item 3).
        ``progress(done, total)``: called as its parts are ready."""
        # an archival PDF is always tagged (``pdf.pdf_options``)
        tagged = settings.PHAEN_PDF_TAGS or self.archival
        units = self.body.split(pdf.PART_BREAK)
        workers = settings.PHAEN_PDF_WORKERS
        if (
            (tagged and not settings.PHAEN_PDF_TAGGED_PARTS)
            or len(units) < 3
            or workers < 2
            or len(self.body) < settings.PHAEN_PDF_PARALLEL_MIN_CHARS
        ):
            return pdf.render_pdf(
                self.pdf_html(), tagged=tagged, archival=self.archival
            )
        common = {
            "wrap": lambda body, first=False: self.pdf_html(
                body, part=True, first=first
            ),
            "whole": self.pdf_html,
            "counter_style": self.counter_style,
            "digits": lambda text: with_digits(text, self.digits),
            "cover": self.cover,
        }
        if tagged:
            # one part per process: each is drawn where it is laid out
            return pdf.render_tagged_parts(
                units[0],
                units[1:],
                options=pdf.pdf_options(tagged=True, archival=self.archival),
                workers=workers,
                progress=progress,
                **common,
            )
        return pdf.render_parts(
            units[0],
            pdf.balance(units[1:], 2 * workers),
            title=self.title,
            workers=workers,
            **common,
        )


def render_body(template: str, context: dict, digits: str) -> SafeString:
    """The body partial rendered with every digit in the ``digits`` style.

    ``document`` tells the partials shared with screens (the project sheet,
    the direction, the tables) that they are printing: a field the planner
    left empty prints "–", never a sentence about what is missing (those
    are the plan checker's, see ``budgets.checker``)."""
    context = {**context, "digits": digits, "document": True}
    return convert_digits(render_to_string(template, context), digits)


def cache_key(kind: str, identity: object, digits: str, stamp: str) -> str:
    digest = hashlib.sha256(stamp.encode()).hexdigest()[:24]
    return f"reports:{kind}:{identity}:{digits}:{digest}"


# ------------------------------------------------------------------ the store
#
# A rendered PDF is a file under PHAEN_DOCUMENT_DIR, named by its document
# (kind, object, digits: the "slot") and the digest of the data stamp it
# prints. Files, not the cache: the render task runs in a worker process (the
# database worker or RQ), and the web process must find what it wrote. The
# file is written beside its final name and moved over it with os.replace,
# so a reader sees the whole previous file or the whole new one, never half.


@dataclass
class DocumentSpec:
    """One document for one state of its data: where its PDF is stored and
    how to build it. ``params`` (JSON) and the object's pk are all a render
    task needs to make the same spec again (:func:`spec_for`)."""

    kind: str
    pk: int
    digits: str
    stamp: str
    organization_id: int
    title: str
    filename: str
    build: Callable[[], Document]
    params: dict = field(default_factory=dict)
    #: what besides the pk tells two documents of a kind apart (filters)
    variant: str = ""
    #: about how long its body will be (HTML characters), read before it is
    #: built: a long book's helpers are started meanwhile (:func:`warm_up`)
    expected_chars: Callable[[], int] | None = None

    @property
    def identity(self) -> str:
        return f"{self.pk}-{self.variant}" if self.variant else str(self.pk)

    @property
    def key(self) -> str:
        return cache_key(self.kind, self.identity, self.digits, self.stamp)

    @property
    def folder(self) -> Path:
        return Path(settings.PHAEN_DOCUMENT_DIR) / self.kind

    @property
    def slot(self) -> str:
        return f"{self.identity}-{self.digits}"

    @property
    def path(self) -> Path:
        return self.folder / f"{self.slot}--{self.key.rsplit(':', 1)[1]}.pdf"

    def stored(self) -> Path | None:
        """The PDF of this very data, when it was rendered already."""
        return self.path if self.path.is_file() else None

    def previous(self) -> Path | None:
        """The last good PDF of this document for older data, if any: shown
        while the current one renders."""
        if not self.folder.is_dir():
            return None
        older = [
            path
            for path in self.folder.glob(f"{self.slot}--*.pdf")
            if path != self.path
        ]
        return max(older, key=lambda path: path.stat().st_mtime, default=None)

    def store(self, content: bytes) -> Path:
        """Write ``content`` as this document's PDF (atomically), then drop
        the files of older data of the same document."""
        self.folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(
            dir=self.folder, prefix=f".{self.slot}-", suffix=".part"
        )
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(content)
                out.flush()
                os.fsync(out.fileno())
            # mkstemp's 0600 would hide it from a web server of another user
            os.chmod(temporary, 0o644)
            os.replace(temporary, self.path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        for path in self.folder.glob(f"{self.slot}--*.pdf"):
            if path != self.path:
                path.unlink(missing_ok=True)
        return self.path


def warm_up(spec: DocumentSpec) -> None:
    """Start the helper processes of a book that will be laid out in parts
    (:meth:`Document.render`) before its data is read and its HTML built,
    so that they are ready when its parts are."""
    if (
        spec.expected_chars is None
        or not (settings.PHAEN_PDF_TAGS and settings.PHAEN_PDF_TAGGED_PARTS)
        or settings.PHAEN_PDF_WORKERS < 2
    ):
        return
    if spec.expected_chars() >= settings.PHAEN_PDF_PARALLEL_MIN_CHARS:
        pdf.start_helpers(settings.PHAEN_PDF_WORKERS - 1)


def cached_pdf(spec: DocumentSpec) -> bytes:
    """The stored PDF of ``spec``, or the document laid out now and stored
    (the management commands; the web goes through a render task)."""
    stored = spec.stored()
    if stored is not None:
        return stored.read_bytes()
    warm_up(spec)
    content = spec.build().render()
    spec.store(content)
    return content


# ------------------------------------------------------------------ waiting

#: What a link to a long PDF shows while the PDF is made (issue 18 item 4,
#: ``static/js/download-progress.js``), until documents are made in
#: background jobs.
WAIT_MESSAGE = "กำลังจัดทำเอกสาร ประมาณ {seconds} วินาที"
#: Seconds of a fresh layout: a fixed part (cover, direction, summary
#: tables) and a part per project sheet. ``bench/plan_book.py``'s 60-project
#: book takes 14–21 s (see :meth:`Document.render`), so 60 projects read
#: "about 20"; a progress or annual report, a page or two per project, is
#: laid out faster than a book but told the same, erring long.
WAIT_BASE_SECONDS = 3
WAIT_SECONDS_PER_PROJECT = 0.28


def expected_seconds(projects: int) -> int:
    """The time to tell, rounded up to 5 seconds (never "0")."""
    seconds = WAIT_BASE_SECONDS + WAIT_SECONDS_PER_PROJECT * max(projects, 0)
    return max(5, math.ceil(seconds / 5) * 5)


def wait_message(projects: int) -> str:
    """The overlay's message for a document of ``projects`` projects."""
    return WAIT_MESSAGE.format(seconds=expected_seconds(projects))


# ------------------------------------------------------------------ builders


def plan_book_document(plan, digits: str) -> Document:
    """The annual action plan book (40 queries whatever the number of projects)."""
    book = selectors.plan_book(plan)
    running_title = f"{book.title} {plan.organization.short_name}"
    if book.revision_round:
        running_title += f" ฉบับปรับปรุงครั้งที่ {book.revision_round}"
    return Document(
        kind="plan_book",
        title=f"{book.title} {plan.organization.short_name}",
        running_title=running_title,
        filename=f"แผนปฏิบัติการ-{plan.fiscal_year}.pdf",
        body=render_body(
            "reports/partials/plan_book_body.html",
            {"book": book, "tables": tables.plan_book_tables(book)},
            digits,
        ),
        digits=digits,
        cover=True,
        # the approved plan is the published one, kept as the year's record
        archival=plan.is_locked,
        draft=book.is_draft,
    )


def plan_book_spec(plan, digits: str) -> DocumentSpec:
    return DocumentSpec(
        kind="plan_book",
        pk=plan.pk,
        digits=digits,
        # the status in the key: approving a plan makes its book archival
        stamp=f"{plan.status}|{selectors.change_stamp(plan)}",
        organization_id=plan.organization_id,
        title=f"เล่มแผนปฏิบัติการ ปีงบประมาณ พ.ศ. {plan.fiscal_year}",
        filename=f"แผนปฏิบัติการ-{plan.fiscal_year}.pdf",
        build=lambda: plan_book_document(plan, digits),
        expected_chars=lambda: _plan_book_chars(plan),
    )


#: HTML characters of a plan book per project: its sheet (30,000 in
#: ``bench/plan_book.py``'s book) and its rows in the summaries
PLAN_BOOK_CHARS_PER_PROJECT = 30_000


def _plan_book_chars(plan) -> int:
    """About the plan book's length, from its number of projects (an
    approved plan's archival book is laid out in parts too)."""
    return PLAN_BOOK_CHARS_PER_PROJECT * plan.projects.count()


def plan_book_pdf(plan, digits: str) -> bytes:
    return cached_pdf(plan_book_spec(plan, digits))


def project_sheet_document(project, digits: str) -> Document:
    """One project sheet for approval, with its signature blocks."""
    data = selectors.project_document(project)
    sheet = data["sheet"]
    return Document(
        kind="project_sheet",
        title=f"แบบเสนอโครงการ {sheet['name']}",
        running_title=f"แบบเสนอโครงการ {data['organization'].short_name}",
        filename=f"โครงการ-{sheet['code'] or sheet['id']}.pdf",
        body=render_body("reports/partials/project_sheet_body.html", data, digits),
        digits=digits,
    )


def revision_memo_document(revision, digits: str) -> Document:
    """The memo asking approval of a project revision (บันทึกข้อความ), with
    its before/after tables and signature blocks."""
    memo = revision_memo.revision_memo(revision)
    title = f"บันทึกข้อความ {memo.subject}"
    return Document(
        kind="revision_memo",
        title=title,
        running_title=f"บันทึกข้อความ ขออนุมัติปรับแผน ฉบับที่ {revision.version}",
        filename=f"บันทึกขออนุมัติปรับแผน-{revision.project.code or revision.project_id}"
        f"-{revision.version}.pdf",
        body=render_body(
            "reports/partials/revision_memo_body.html",
            {"memo": memo, "tables": tables.revision_memo_tables(memo)},
            digits,
        ),
        digits=digits,
    )


def progress_document(reporting_round, digits: str) -> Document:
    """The progress report of one round: a cover, the summary, a table per
    funding group, a page only for projects with something to report and
    the sign-off (seed 002, issue 16)."""
    data = selectors.progress_document(reporting_round)
    office = reporting_round.organization.short_name
    title = (
        f"รายงานผลการดำเนินงาน {reporting_round.label} "
        f"ปีงบประมาณ พ.ศ. {reporting_round.fiscal_year}"
    )
    return Document(
        kind="progress",
        title=f"{title} {office}",
        running_title=f"{title} {office}",
        filename=f"รายงานความก้าวหน้า-{reporting_round.fiscal_year}-"
        f"รอบ{reporting_round.months}เดือน.pdf",
        body=render_body(
            "reports/partials/progress_body.html",
            {**data, **tables.report_tables(data)},
            digits,
        ),
        digits=digits,
        cover=True,
    )


def progress_spec(reporting_round, digits: str) -> DocumentSpec:
    plan = selectors.plan_for(reporting_round.organization, reporting_round.fiscal_year)
    stamp = selectors.change_stamp(plan) if plan else ""
    stamp += _round_stamp(reporting_round)
    return DocumentSpec(
        kind="progress",
        pk=reporting_round.pk,
        digits=digits,
        stamp=stamp,
        organization_id=reporting_round.organization_id,
        title=f"รายงานความก้าวหน้า {reporting_round.label} "
        f"ปีงบประมาณ พ.ศ. {reporting_round.fiscal_year}",
        filename=f"รายงานความก้าวหน้า-{reporting_round.fiscal_year}-"
        f"รอบ{reporting_round.months}เดือน.pdf",
        build=lambda: progress_document(reporting_round, digits),
    )


def progress_pdf(reporting_round, digits: str) -> bytes:
    return cached_pdf(progress_spec(reporting_round, digits))


def _round_stamp(reporting_round) -> str:
    """Reports of the round change without touching the plan's tables."""
    from django.db.models import Count, Max

    row = ProgressReport.objects.filter(round=reporting_round).aggregate(
        changed=Max("updated_at"), count=Count("pk")
    )
    stamp = f"|{reporting_round.period_end}|{row['changed']}|{row['count']}"
    today = timezone.localdate()
    if reporting_round.period_end > today:
        # A running round prints data as of a date that moves with today
        # (selectors.data_as_of): yesterday's copy would show yesterday.
        stamp += f"|{today}"
    return stamp


def annual_document(plan, digits: str) -> Document:
    """The annual report (seed 004): a cover, five chapters, the sign-off."""
    data = selectors.annual_document(plan)
    title = f"รายงานผลการดำเนินงานประจำปีงบประมาณ พ.ศ. {plan.fiscal_year}"
    return Document(
        kind="annual",
        title=f"{title} {plan.organization.short_name}",
        running_title=f"{title} {plan.organization.short_name}",
        filename=f"รายงานผลการดำเนินงาน-{plan.fiscal_year}.pdf",
        body=render_body(
            "reports/partials/annual_body.html",
            {**data, **tables.report_tables(data)},
            digits,
        ),
        digits=digits,
        cover=True,
    )


def budget_document(plan, filters: dict, labels: list[str], digits: str) -> Document:
    data = selectors.budget_report(
        plan=plan,
        group=filters["group"],
        strategy=filters["strategy"],
        source=filters["source"],
    )
    title = f"รายงานงบประมาณ ปีงบประมาณ พ.ศ. {plan.fiscal_year}"
    return Document(
        kind="budget",
        title=title,
        running_title=f"{title} {plan.organization.short_name}",
        filename=f"รายงานงบประมาณ-{plan.fiscal_year}.pdf",
        body=render_body(
            "reports/partials/budget_report_body.html",
            {**data, **tables.report_tables(data), "plan": plan, "filters": labels},
            digits,
        ),
        digits=digits,
    )


def kpi_document(plan, filters: dict, labels: list[str], digits: str) -> Document:
    data = selectors.kpi_report(
        plan=plan, group=filters["group"], strategy=filters["strategy"]
    )
    title = f"รายงานผลตามตัวชี้วัด ปีงบประมาณ พ.ศ. {plan.fiscal_year}"
    return Document(
        kind="kpi",
        title=title,
        running_title=f"{title} {plan.organization.short_name}",
        filename=f"รายงานตัวชี้วัด-{plan.fiscal_year}.pdf",
        body=render_body(
            "reports/partials/kpi_report_body.html",
            {**data, **tables.report_tables(data), "filters": labels},
            digits,
        ),
        digits=digits,
    )


def office_directory_document(organization, today, rows, digits: str) -> Document:
    """The office's groups and their heads on ``today``: ``rows`` are
    ``core.selectors.group_rows``, also shown on the screen page."""
    title = with_digits(f"ทำเนียบกลุ่ม {organization.short_name}", digits)
    return Document(
        kind="office_directory",
        title=title,
        running_title=title,
        filename="ทำเนียบกลุ่ม.pdf",
        body=render_body(
            "reports/pdf/office_directory.html",
            {"organization": organization, "today": today, "rows": rows},
            digits,
        ),
        digits=digits,
    )


# ------------------------------------------------------------------ specs
#
# The documents a render task makes (reports.tasks): the plan book, project
# sheet, progress, annual and KPI reports. Each spec's stamp changes with
# everything the document prints, so a stored PDF is reused until then.


def project_sheet_spec(project, digits: str) -> DocumentSpec:
    plan = project.plan
    return DocumentSpec(
        kind="project_sheet",
        pk=project.pk,
        digits=digits,
        stamp=f"{project.status}|{project.updated_at}|{selectors.change_stamp(plan)}",
        organization_id=plan.organization_id,
        title=f"แบบเสนอโครงการ {project.name}",
        filename=f"โครงการ-{project.code or project.pk}.pdf",
        build=lambda: project_sheet_document(project, digits),
    )


def revision_memo_spec(revision, digits: str) -> DocumentSpec:
    """The memo prints the frozen copy and the project as changed: the
    project's status and last change stamp it (a later revision's start
    changes both), with the director and heads (``change_stamp``)."""
    project = revision.project
    plan = project.plan
    return DocumentSpec(
        kind="revision_memo",
        pk=revision.pk,
        digits=digits,
        stamp=f"{project.status}|{project.version}|{project.updated_at}|"
        f"{selectors.change_stamp(plan)}",
        organization_id=plan.organization_id,
        title=f"บันทึกข้อความขออนุมัติปรับแผน {project.name}",
        filename=f"บันทึกขออนุมัติปรับแผน-{project.code or project.pk}"
        f"-{revision.version}.pdf",
        build=lambda: revision_memo_document(revision, digits),
    )


def _year_stamp(plan) -> str:
    """The plan's stamp and its year's progress reports; a year still running
    prints data as of today (``selectors.data_as_of``)."""
    row = ProgressReport.objects.filter(
        round__organization_id=plan.organization_id,
        round__fiscal_year=plan.fiscal_year,
    ).aggregate(changed=Max("updated_at"), count=Count("pk"))
    stamp = f"{plan.status}|{selectors.change_stamp(plan)}"
    stamp += f"|{row['changed']}|{row['count']}|{timezone.localdate()}"
    return stamp


def annual_spec(plan, digits: str) -> DocumentSpec:
    return DocumentSpec(
        kind="annual",
        pk=plan.pk,
        digits=digits,
        stamp=_year_stamp(plan),
        organization_id=plan.organization_id,
        title=f"รายงานผลการดำเนินงานประจำปีงบประมาณ พ.ศ. {plan.fiscal_year}",
        filename=f"รายงานผลการดำเนินงาน-{plan.fiscal_year}.pdf",
        build=lambda: annual_document(plan, digits),
    )


def kpi_spec(plan, params: dict, digits: str) -> DocumentSpec:
    """``params``: the report's filters as pks (``group``, ``strategy``)."""
    data = {"fiscal_year": str(plan.fiscal_year)}
    data.update(
        {name: str(params[name]) for name in ("group", "strategy") if params.get(name)}
    )
    form = ReportFilterForm(data, organization=plan.organization)
    filters, labels = form.filters(), form.labels()
    chosen = {name: filters[name].pk for name in ("group", "strategy") if filters[name]}
    variant = "-".join(f"{name}{pk}" for name, pk in sorted(chosen.items()))
    return DocumentSpec(
        kind="kpi",
        pk=plan.pk,
        digits=digits,
        stamp=_year_stamp(plan),
        organization_id=plan.organization_id,
        title=f"รายงานผลตามตัวชี้วัด ปีงบประมาณ พ.ศ. {plan.fiscal_year}",
        filename=f"รายงานตัวชี้วัด-{plan.fiscal_year}.pdf",
        build=lambda: kpi_document(plan, filters, labels, digits),
        params=chosen,
        variant=variant,
    )


def spec_for(kind: str, pk: int, digits: str, params: dict) -> DocumentSpec:
    """The spec a render task was started for, made again from its
    arguments (it may find newer data: then it renders that)."""
    if kind == "project_sheet":
        project = Project.objects.select_related("plan__organization").get(pk=pk)
        return project_sheet_spec(project, digits)
    if kind == "revision_memo":
        revision = ProjectRevision.objects.select_related(
            "project__plan__organization__director", "project__group"
        ).get(pk=pk)
        return revision_memo_spec(revision, digits)
    if kind == "progress":
        reporting_round = ReportingRound.objects.select_related("organization").get(
            pk=pk
        )
        return progress_spec(reporting_round, digits)
    plan = Plan.objects.select_related("organization__director").get(pk=pk)
    if kind == "plan_book":
        return plan_book_spec(plan, digits)
    if kind == "annual":
        return annual_spec(plan, digits)
    if kind == "kpi":
        return kpi_spec(plan, params, digits)
    raise ValueError(f"unknown document kind {kind!r}")
