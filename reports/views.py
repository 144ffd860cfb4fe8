"""Official documents as HTML pages and PDFs, from one body partial each.

Every report is readable by any role of its office (``core.rules.can_view``);
another office's plan, project or round answers 404, anonymous users go to
the login page. The table reports also download as .xlsx (``*_xlsx``, built
by :mod:`reports.tables` from the same selector rows and filters).
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import escape_uri_path

from core import rules
from core.selectors import group_rows
from core.thai import parse_fiscal_year
from core.views import office_object_or_404, user_office
from plans.models import Plan
from progress.models import ReportingRound
from projects.models import Project
from reports import documents, history, selectors, services, tables
from reports.digits import chosen_digits
from reports.forms import ReportFilterForm

ERROR_NO_ACCESS = "ไม่มีสิทธิ์ดูข้อมูลของสำนักงานนี้"


def _office_directory_context(request: HttpRequest) -> dict:
    organization = user_office(request, message=ERROR_NO_ACCESS)
    today = timezone.localdate()
    return {
        "organization": organization,
        "today": today,
        "rows": group_rows(organization, today),
        "digits": chosen_digits(request.GET.get("digits")),
    }


@login_required
def office_directory(request: HttpRequest) -> HttpResponse:
    """Groups of the user's office with their current heads.

    Templates: ``reports/office_directory.html`` (screen) and the body
    ``reports/pdf/office_directory.html`` (PDF, a ``documents.Document``),
    both including ``reports/partials/office_directory_table.html``.
    """
    return render(
        request, "reports/office_directory.html", _office_directory_context(request)
    )


@login_required
def office_directory_pdf(request: HttpRequest) -> HttpResponse:
    """Not cached: the directory shows today's heads and is a few pages."""
    document = documents.office_directory_document(**_office_directory_context(request))
    return pdf_response(document.render(), document.filename)


# ------------------------------------------------------------------ helpers


def _plan_for_user(request: HttpRequest, plan_id: int) -> Plan:
    """404 for another office's document (its existence is not revealed)."""
    return office_object_or_404(
        Plan.objects.select_related("organization__director"),
        request.user,
        ERROR_NO_ACCESS,
        pk=plan_id,
    )


def _digits(request: HttpRequest) -> str:
    return chosen_digits(request.GET.get("digits"))


def _document_download(
    request: HttpRequest, spec: documents.DocumentSpec
) -> HttpResponse:
    """The PDF of ``spec`` when it is stored for the current data; otherwise
    its render task is started (once: :func:`services.document_job_request`)
    and a page shows its progress, polling this same URL (htmx, or a
    ``<meta refresh>`` without JS) until the file is there to download.
    ``?retry=1`` starts a failed render again."""
    previous = spec.previous() if "previous" in request.GET else None
    if previous is not None:
        return pdf_response(previous.read_bytes(), spec.filename)
    stored = spec.stored()
    if stored is None or request.htmx:
        job = services.document_job_request(spec=spec, retry="retry" in request.GET)
        stored = spec.stored()  # the immediate backend has rendered it already
        if stored is None or request.htmx:
            return _job_page(request, spec, job, ready=stored is not None)
    return pdf_response(stored.read_bytes(), spec.filename)


def _job_page(request: HttpRequest, spec, job, *, ready: bool) -> HttpResponse:
    query = request.GET.copy()
    query.pop("retry", None)
    url = request.path + (f"?{query.urlencode()}" if query else "")
    retry = query.copy()
    retry["retry"] = "1"
    context = {
        "spec": spec,
        "job": job,
        "ready": ready,
        "url": url,
        "retry_url": f"{request.path}?{retry.urlencode()}",
        "previous": spec.previous() is not None and not ready,
        "previous_url": url + ("&" if query else "?") + "previous=1",
    }
    template = "reports/partials/document_job.html"
    if not request.htmx:
        template = "reports/document_job.html"
    return render(request, template, context)


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = (
        f"inline; filename*=UTF-8''{escape_uri_path(filename)}"
    )
    return response


# ------------------------------------------------------------------ index


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The documents of the user's office for a fiscal year (``?fiscal_year=``).

    Models: Plan, progress.ReportingRound. Template: ``reports/index.html``.
    """
    organization = rules.organization_of(request.user)
    if organization is None and not request.user.is_superuser:
        raise PermissionDenied(ERROR_NO_ACCESS)
    fiscal_year = parse_fiscal_year(request.GET.get("fiscal_year"))
    plans = Plan.objects.visible_to(request.user).filter(fiscal_year=fiscal_year)
    rounds = ReportingRound.objects.filter(
        organization__in=plans.values("organization"), fiscal_year=fiscal_year
    ).select_related("organization")
    plans = list(
        plans.select_related("organization").annotate(project_count=Count("projects"))
    )
    rounds = list(rounds.order_by("organization", "number"))
    _tell_waits(plans, rounds)
    context = {"fiscal_year": fiscal_year, "plans": plans, "rounds": rounds}
    return render(request, "reports/index.html", context)


def _tell_waits(plans, rounds) -> None:
    """Set ``pdf_wait`` (the wait overlay's message) on each plan and round:
    their PDFs take time by the projects of the year's plan."""
    projects = {}
    for plan in plans:
        plan.pdf_wait = documents.wait_message(plan.project_count)
        projects[plan.organization_id] = plan.project_count
    for reporting_round in rounds:
        count = projects.get(reporting_round.organization_id, 0)
        reporting_round.pdf_wait = documents.wait_message(count)


def _project_count(organization_id: int, fiscal_year: int) -> int:
    return Project.objects.filter(
        plan__organization_id=organization_id, plan__fiscal_year=fiscal_year
    ).count()


# ------------------------------------------------------------------ plan book


@login_required
def plan_book(request: HttpRequest, plan_id: int) -> HttpResponse:
    """The annual action plan book on screen.

    Models: everything of the plan (through ``reports.selectors.plan_book``).
    Templates: ``reports/document.html`` with the body
    ``reports/partials/plan_book_body.html`` (the PDF uses the same body).
    """
    plan = _plan_for_user(request, plan_id)
    document = documents.plan_book_document(plan, _digits(request))
    pdf_url = reverse("reports:plan_book_pdf", args=[plan.pk])
    wait = documents.wait_message(
        _project_count(plan.organization_id, plan.fiscal_year)
    )
    return render(
        request,
        "reports/document.html",
        document.screen_context(pdf_url=pdf_url, pdf_wait=wait),
    )


@login_required
def plan_book_pdf(request: HttpRequest, plan_id: int) -> HttpResponse:
    """The plan book PDF (rendered by a task, kept until the plan's data change)."""
    plan = _plan_for_user(request, plan_id)
    return _document_download(request, documents.plan_book_spec(plan, _digits(request)))


# ------------------------------------------------------------------ project


@login_required
def project_sheet_pdf(request: HttpRequest, project_id: int) -> HttpResponse:
    """One project sheet for approval, with the three signature blocks."""
    project = office_object_or_404(
        Project.objects.select_related("plan__organization"),
        request.user,
        ERROR_NO_ACCESS,
        pk=project_id,
    )
    spec = documents.project_sheet_spec(project, _digits(request))
    return _document_download(request, spec)


@login_required
def revision_memo_pdf(request: HttpRequest, project_id: int, version: int):
    """The memo (บันทึกข้อความ) asking approval of one revision of a project."""
    project = office_object_or_404(
        Project.objects.select_related("plan__organization__director", "group"),
        request.user,
        ERROR_NO_ACCESS,
        pk=project_id,
    )
    revision = get_object_or_404(project.revisions, version=version)
    revision.project = project
    spec = documents.revision_memo_spec(revision, _digits(request))
    return _document_download(request, spec)


@login_required
def project_history(request: HttpRequest, project_id: int) -> HttpResponse:
    """ประวัติการแก้ไข: every change of the project and its parts, with who,
    when and what (field by field), deleted parts included.

    Templates: ``reports/project_history.html``. Context: ``project``, ``entries``.
    """
    project = office_object_or_404(
        Project.objects.select_related("plan", "group"),
        request.user,
        "ไม่พบโครงการ",
        pk=project_id,
    )
    context = {"project": project, "entries": history.project_history(project)}
    return render(request, "reports/project_history.html", context)


# ------------------------------------------------------------------ progress


def _round_for_user(request: HttpRequest, round_id: int):
    return office_object_or_404(
        ReportingRound.objects.select_related("organization"),
        request.user,
        ERROR_NO_ACCESS,
        pk=round_id,
    )


@login_required
def progress_report(request: HttpRequest, round_id: int) -> HttpResponse:
    """Progress report of a round (3/6/9/12 months) on screen.

    Templates: ``reports/document.html`` with the body
    ``reports/partials/progress_body.html`` (shared with the PDF).
    """
    reporting_round = _round_for_user(request, round_id)
    document = documents.progress_document(reporting_round, _digits(request))
    context = document.screen_context(
        pdf_url=reverse("reports:progress_report_pdf", args=[reporting_round.pk]),
        xlsx_url=reverse("reports:progress_report_xlsx", args=[reporting_round.pk]),
        pdf_wait=documents.wait_message(
            _project_count(reporting_round.organization_id, reporting_round.fiscal_year)
        ),
    )
    return render(request, "reports/document.html", context)


@login_required
def progress_report_pdf(request: HttpRequest, round_id: int) -> HttpResponse:
    reporting_round = _round_for_user(request, round_id)
    spec = documents.progress_spec(reporting_round, _digits(request))
    return _document_download(request, spec)


@login_required
def progress_report_xlsx(request: HttpRequest, round_id: int) -> HttpResponse:
    """The round's progress report tables as .xlsx (same rows as the page)."""
    reporting_round = _round_for_user(request, round_id)
    data = selectors.progress_document(reporting_round)
    return tables.progress_report_response(data)


@login_required
def annual_report(request: HttpRequest, plan_id: int) -> HttpResponse:
    """Annual performance report: budget execution, indicators, projects.

    Templates: ``reports/document.html`` with ``reports/partials/annual_body.html``.
    """
    plan = _plan_for_user(request, plan_id)
    document = documents.annual_document(plan, _digits(request))
    context = document.screen_context(
        pdf_url=reverse("reports:annual_report_pdf", args=[plan.pk]),
        xlsx_url=reverse("reports:annual_report_xlsx", args=[plan.pk]),
        pdf_wait=documents.wait_message(
            _project_count(plan.organization_id, plan.fiscal_year)
        ),
    )
    return render(request, "reports/document.html", context)


@login_required
def annual_report_pdf(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _plan_for_user(request, plan_id)
    return _document_download(request, documents.annual_spec(plan, _digits(request)))


@login_required
def annual_report_xlsx(request: HttpRequest, plan_id: int) -> HttpResponse:
    """The annual report's tables as .xlsx (same rows as the page)."""
    plan = _plan_for_user(request, plan_id)
    return tables.annual_report_response(selectors.annual_document(plan))


# ------------------------------------------------------------------ filtered


def _filtered(request: HttpRequest):
    """The user's office, the filter form and the plan of the chosen year."""
    organization = user_office(request, message=ERROR_NO_ACCESS)
    form = ReportFilterForm(request.GET or None, organization=organization)
    filters = form.filters()
    plan = (
        Plan.objects.select_related("organization")
        .filter(organization=organization, fiscal_year=filters["fiscal_year"])
        .first()
    )
    if plan is None:
        raise Http404("ยังไม่มีแผนของปีงบประมาณนี้")
    return form, filters, plan


def _filtered_report(request: HttpRequest, build, url_name: str, as_pdf: bool):
    form, filters, plan = _filtered(request)
    document = build(plan, filters, form.labels(), _digits(request))
    if as_pdf:
        return pdf_response(document.render(), document.filename)
    query = request.GET.copy()
    query.pop("digits", None)
    context = document.screen_context(
        pdf_url=reverse(url_name),
        xlsx_url=reverse(url_name.removesuffix("_pdf") + "_xlsx"),
        pdf_query=query.urlencode(),
        form=form,
    )
    return render(request, "reports/document.html", context)


@login_required
def budget_report(request: HttpRequest) -> HttpResponse:
    """Budget report filtered by year, group, strategy and source (HTML).

    Templates: ``reports/document.html`` with
    ``reports/partials/budget_report_body.html`` (shared with the PDF).
    """
    return _filtered_report(
        request, documents.budget_document, "reports:budget_report_pdf", False
    )


@login_required
def budget_report_pdf(request: HttpRequest) -> HttpResponse:
    return _filtered_report(
        request, documents.budget_document, "reports:budget_report_pdf", True
    )


@login_required
def kpi_report(request: HttpRequest) -> HttpResponse:
    """Indicator attainment and project KPI results, filtered (HTML)."""
    return _filtered_report(
        request, documents.kpi_document, "reports:kpi_report_pdf", False
    )


@login_required
def kpi_report_pdf(request: HttpRequest) -> HttpResponse:
    _form, filters, plan = _filtered(request)
    chosen = {name: filters[name].pk for name in ("group", "strategy") if filters[name]}
    spec = documents.kpi_spec(plan, chosen, _digits(request))
    return _document_download(request, spec)


@login_required
def budget_report_xlsx(request: HttpRequest) -> HttpResponse:
    """The budget report's tables as .xlsx, with the page's filters."""
    form, filters, plan = _filtered(request)
    data = selectors.budget_report(
        plan=plan,
        group=filters["group"],
        strategy=filters["strategy"],
        source=filters["source"],
    )
    return tables.budget_report_response(plan, data, form.labels())


@login_required
def kpi_report_xlsx(request: HttpRequest) -> HttpResponse:
    """The KPI report's tables as .xlsx, with the page's filters."""
    form, filters, plan = _filtered(request)
    data = selectors.kpi_report(
        plan=plan, group=filters["group"], strategy=filters["strategy"]
    )
    return tables.kpi_report_response(plan, data, form.labels())
