"""Excel screens: downloads (template, plan export) and the two imports, each
upload (parsed once; a file that cannot be read is refused on the form) →
preview (a dry run) → confirm (the real run), both from the stored parse."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import SafeString
from django.views.decorators.http import require_POST

from core import rules, thai, xlsx
from core.models import Organization, TaskRecord
from core.services import task_record_expire
from core.views import user_office
from excel import emenscr, export
from excel.forms import ConfirmForm, FiscalYearForm, UploadForm
from excel.services import (
    ERROR_NOT_PLANNER,
    ERROR_UPLOAD_GONE,
    KINDS,
    ImportSummary,
    import_request,
)
from excel.uploads import upload_discard, upload_meta, upload_note, upload_save
from excel.workbook import FileRefused
from plans.models import Plan

ERROR_NO_OFFICE = "บัญชีของท่านยังไม่ได้ผูกกับสำนักงาน"
ERROR_NOT_YOUR_PLAN = "ท่านไม่มีสิทธิ์ดูแผนของสำนักงานอื่น"


def _office(request: HttpRequest, rule=rules.can_view, refused=ERROR_NO_OFFICE):
    """The user's office when ``rule`` allows, else ``PermissionDenied``
    (a login without an office is told so, whatever the rule)."""
    if rules.organization_of(request.user) is None:
        raise PermissionDenied(ERROR_NO_OFFICE)
    return user_office(request, rule, refused)


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """Templates: ``excel/index.html``. Context: ``organization``, ``form``."""
    organization = _office(request)
    context = {
        "organization": organization,
        "form": FiscalYearForm(initial={"fiscal_year": thai.current_fiscal_year()}),
        "plans": Plan.objects.filter(organization=organization).order_by(
            "-fiscal_year"
        ),
        "can_import_plan": rules.can_manage_office(request.user, organization),
        "can_import_disbursements": rules.can_record_disbursement(
            request.user, organization
        ),
    }
    return render(request, "excel/index.html", context)


def _fiscal_year(request: HttpRequest) -> int:
    form = FiscalYearForm(request.GET or {"fiscal_year": thai.current_fiscal_year()})
    if not form.is_valid():
        raise Http404(form.errors["fiscal_year"][0])
    return form.cleaned_data["fiscal_year"]


@login_required
def template(request: HttpRequest) -> HttpResponse:
    """The empty plan workbook with instructions and example rows."""
    organization = _office(request, rules.can_manage_office, ERROR_NOT_PLANNER)
    fiscal_year = _fiscal_year(request)
    book = export.template_workbook(organization, fiscal_year)
    return xlsx.workbook_response(book, f"แบบฟอร์มแผนปฏิบัติการ-{fiscal_year}.xlsx")


@login_required
def export_plan(request: HttpRequest) -> HttpResponse:
    """``?fiscal_year=2570``: the office's plan in the import layout."""
    organization = _office(request)
    fiscal_year = _fiscal_year(request)
    plan = get_object_or_404(Plan, organization=organization, fiscal_year=fiscal_year)
    book = export.plan_workbook(plan)
    return xlsx.workbook_response(book, f"แผนปฏิบัติการ-{fiscal_year}.xlsx")


@login_required
def emenscr_workbook(request: HttpRequest, plan_id: int) -> HttpResponse:
    """The plan's projects as eMENSCR's entry screens (:mod:`excel.emenscr`),
    for anyone who may read the plan's office."""
    plan = get_object_or_404(Plan.objects.select_related("organization"), pk=plan_id)
    if not rules.can_view(request.user, plan.organization):
        raise PermissionDenied(ERROR_NOT_YOUR_PLAN)
    book = emenscr.emenscr_workbook(plan)
    return xlsx.workbook_response(book, f"eMENSCR-{plan.fiscal_year}.xlsx")


@login_required
def upload(request: HttpRequest, kind: str) -> HttpResponse:
    """Templates: ``excel/upload.html``; on success the check starts as a
    task (:func:`excel.services.import_request`) → the preview's page."""
    spec = KINDS[kind]
    organization = _office(request, spec.rule, spec.refused)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        meta = {
            "kind": kind,
            "organization": organization.pk,
            "fiscal_year": form.cleaned_data["fiscal_year"],
        }
        try:
            token = upload_save(
                session=request.session,
                user=request.user,
                uploaded=form.cleaned_data["file"],
                sheets=spec.sheets,
                first_sheet=spec.first_sheet,
                optional=spec.optional,
                **meta,
            )
        except FileRefused as refused:
            form.add_error("file", str(refused))
        else:
            meta["name"] = form.cleaned_data["file"].name
            job = import_request(token=token, meta=meta, user=request.user)
            upload_note(request.session, token, check=job.pk)
            return redirect("excel:preview", token=token)
    return render(
        request, "excel/upload.html", {"form": form, "spec": spec, "kind": kind}
    )


def _upload(request: HttpRequest, token: str):
    """The session's upload ``token``: its meta and kind, the user still
    allowed to import it (``Http404`` / ``PermissionDenied`` otherwise)."""
    meta = upload_meta(request.session, token)
    if meta is None:
        raise Http404(ERROR_UPLOAD_GONE)
    spec = KINDS[meta["kind"]]
    organization = get_object_or_404(Organization, pk=meta["organization"])
    if not spec.rule(request.user, organization):
        raise PermissionDenied(spec.refused)
    return meta, spec


def _job(request: HttpRequest, meta: dict, step: str) -> TaskRecord:
    job = TaskRecord.objects.filter(
        pk=meta.get(step), user=request.user, organization_id=meta["organization"]
    ).first()
    if job is None:
        raise Http404(ERROR_UPLOAD_GONE)
    return job


def _waiting(request: HttpRequest, spec, meta, job, retry_url) -> HttpResponse | None:
    """The progress page (or its htmx partial) while ``job`` runs or when it
    failed (also when its worker died: :func:`core.services.task_record_expire`),
    with a button that posts to ``retry_url`` (:func:`retry`);
    ``None`` when it is done and its page can be shown."""
    job = task_record_expire(record=job)
    if job.state == TaskRecord.State.DONE:
        if request.htmx:  # the poll: load the whole page, now the result
            response = HttpResponse(status=204)
            response["HX-Refresh"] = "true"
            return response
        return None
    context = {
        "spec": spec,
        "meta": meta,
        "job": job,
        "url": request.path,
        "retry_url": retry_url,
    }
    template = (
        "excel/partials/import_job.html" if request.htmx else "excel/import_job.html"
    )
    return render(request, template, context)


@login_required
def preview(request: HttpRequest, token: str) -> HttpResponse:
    """GET: the check's progress, then its page (the diff against the
    database, every error and the envelope warnings). POST: start the
    confirm (past the warnings only with the override ticked) → its page.

    Templates: ``excel/import_job.html`` then ``excel/preview.html``.
    """
    meta, spec = _upload(request, token)
    if request.method == "POST":
        form = ConfirmForm(request.POST)
        override = form.is_valid() and form.cleaned_data["override_budget_rules"]
        job_override = bool(spec.overridable and override)
        job = import_request(
            token=token,
            meta=meta,
            user=request.user,
            confirm=True,
            override=job_override,
        )
        upload_note(request.session, token, confirm=job.pk, override=job_override)
        return redirect("excel:confirm", token=token)
    job = _job(request, meta, "check")
    waiting = _waiting(
        request, spec, meta, job, reverse("excel:retry_check", args=[token])
    )
    if waiting is not None:
        return waiting
    context = {
        "page": _stored_page(job),
        "result": ImportSummary.from_data(job.result.get("summary", {})),
        "meta": meta,
        "spec": spec,
        "token": token,
        "form": ConfirmForm(),
    }
    return render(request, "excel/preview.html", context)


def _stored_page(job: TaskRecord) -> dict:
    """The page the task stored: its ``html`` was rendered by our own template
    (``excel.services``, autoescaping on) when the task ran, so it is marked
    safe here, once, rather than by a ``|safe`` in the templates (which
    ``tests/security`` forbids)."""
    return {**job.result, "html": SafeString(job.result.get("html", ""))}


@login_required
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The confirm's progress, then the result page (the upload is removed
    then), or the preview again when the confirm was refused (errors, or
    envelope warnings without the override).

    Templates: ``excel/import_job.html`` then ``excel/result.html``.
    """
    meta, spec = _upload(request, token)
    job = _job(request, meta, "confirm")
    waiting = _waiting(
        request, spec, meta, job, reverse("excel:retry_confirm", args=[token])
    )
    if waiting is not None:
        return waiting
    context = {
        "page": _stored_page(job),
        "result": ImportSummary.from_data(job.result.get("summary", {})),
        "meta": meta,
        "spec": spec,
        "token": token,
        "form": ConfirmForm(),
    }
    if job.result.get("done"):
        upload_discard(request.session, token)
        return render(request, "excel/result.html", context)
    return render(request, "excel/preview.html", context)


@login_required
@require_POST
def retry(request: HttpRequest, token: str, step: str) -> HttpResponse:
    """POST from a failed (or dead) check's or confirm's page: the same
    stored upload is checked or confirmed again by a new task (a confirm
    with the override it was asked with), then its page. A task that still
    runs is left alone: the page again, nothing started."""
    meta, spec = _upload(request, token)
    job = task_record_expire(record=_job(request, meta, step))
    if job.state == TaskRecord.State.FAILED:
        job = import_request(
            token=token,
            meta=meta,
            user=request.user,
            confirm=step == "confirm",
            override=bool(meta.get("override")),
        )
        upload_note(request.session, token, **{step: job.pk})
    return redirect(
        "excel:preview" if step == "check" else "excel:confirm", token=token
    )
