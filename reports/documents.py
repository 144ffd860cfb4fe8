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
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString

from core.thai import with_digits
from progress.models import ProgressReport
from reports import pdf, selectors, tables
from reports.digits import convert_digits

#: Cached PDFs live a week; any data change gives a new key anyway.
CACHE_SECONDS = 7 * 24 * 3600


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

    def render(self) -> bytes:
        """The PDF; every PDF of the app comes from here (the office directory
        too), so all fetch only static and media files and number their pages
        the same way. A document is laid out in one piece, WeasyPrint counting
        the pages itself (``counter(page)`` in the footer, ``target-counter()``
        in the contents), except a long body with part breaks, which several
        processes lay out side by side (see ``reports.pdf.render_parts``)
        when the PDF is untagged.

        Tagged documents (``PHAEN_PDF_TAGS``, the default) and archival ones
        are laid out in one process: joining parts with pypdf loses the
        structure tree a tagged PDF is for (see ``reports.pdf``). The
        60-project book of ``bench/plan_book.py`` takes 28 s of CPU that way
        (the figures and their split are in the README)."""
        tagged = settings.PHAEN_PDF_TAGS
        units = self.body.split(pdf.PART_BREAK)
        workers = settings.PHAEN_PDF_WORKERS
        if (
            tagged
            or self.archival
            or len(units) < 3
            or workers < 2
            or len(self.body) < settings.PHAEN_PDF_PARALLEL_MIN_CHARS
        ):
            return pdf.render_pdf(
                self.pdf_html(), tagged=tagged, archival=self.archival
            )
        return pdf.render_parts(
            units[0],
            pdf.balance(units[1:], 2 * workers),
            wrap=lambda body, first=False: self.pdf_html(body, part=True, first=first),
            whole=self.pdf_html,
            counter_style=self.counter_style,
            digits=lambda text: with_digits(text, self.digits),
            cover=self.cover,
            title=self.title,
            workers=workers,
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


def cached_pdf(key: str, build: Callable[[], Document]) -> bytes:
    """The PDF stored under ``key``, or ``build()`` laid out and stored."""
    content = cache.get(key)
    if content is None:
        content = build().render()
        cache.set(key, content, CACHE_SECONDS)
    return content


# ------------------------------------------------------------------ builders


def plan_book_document(plan, digits: str) -> Document:
    """The annual action plan book (40 queries whatever the number of projects)."""
    book = selectors.plan_book(plan)
    return Document(
        kind="plan_book",
        title=f"{book.title} {plan.organization.short_name}",
        running_title=f"{book.title} {plan.organization.short_name}",
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


def plan_book_pdf(plan, digits: str) -> bytes:
    # the status in the key: approving a plan makes its book archival
    key = cache_key(
        "plan_book", plan.pk, digits, f"{plan.status}|{selectors.change_stamp(plan)}"
    )
    return cached_pdf(key, lambda: plan_book_document(plan, digits))


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


def progress_pdf(reporting_round, digits: str) -> bytes:
    plan = selectors.plan_for(reporting_round.organization, reporting_round.fiscal_year)
    stamp = selectors.change_stamp(plan) if plan else ""
    stamp += _round_stamp(reporting_round)
    key = cache_key("progress", reporting_round.pk, digits, stamp)
    return cached_pdf(key, lambda: progress_document(reporting_round, digits))


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
