"""Excel screens: downloads (template, plan export) and the two imports, each
upload (parsed once; a file that cannot be read is refused on the form) →
preview (a dry run) → confirm (the real run), both from the stored parse."""

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from core import rules, thai, xlsx
from core.models import Organization
from core.views import user_office
from excel import emenscr, export, layout
from excel.disbursements import disbursement_import
from excel.forms import ConfirmForm, FiscalYearForm, UploadForm
from excel.importer import plan_import
from excel.uploads import upload_discard, upload_get, upload_save
from excel.workbook import FileRefused
from plans.models import Plan

ERROR_NO_OFFICE = "บัญชีของท่านยังไม่ได้ผูกกับสำนักงาน"
ERROR_NOT_PLANNER = "เฉพาะนโยบายและแผนหรือผู้ดูแลระบบของสำนักงานเท่านั้นที่นำเข้าแผนได้"
ERROR_NOT_YOUR_PLAN = "ท่านไม่มีสิทธิ์ดูแผนของสำนักงานอื่น"
ERROR_NOT_FINANCE = "เฉพาะการเงิน นโยบายและแผน หรือผู้ดูแลระบบเท่านั้นที่นำเข้าการเบิกจ่ายได้"


@dataclass(frozen=True)
class ImportKind:
    title: str
    rule: object
    refused: str
    run: object
    #: The sheets the upload is parsed into (see :func:`excel.workbook.parse`).
    sheets: tuple
    first_sheet: bool = False
    #: Sheets of ``sheets`` a file may lack (the office's own sheets).
    optional: tuple = ()
    #: The import has budget rules a planner may confirm past (the plan).
    overridable: bool = False


KINDS = {
    "plan": ImportKind(
        "นำเข้าแผนปฏิบัติการจาก Excel",
        rules.can_manage_office,
        ERROR_NOT_PLANNER,
        plan_import,
        layout.ALL_SHEETS,
        optional=layout.OPTIONAL_SHEETS,
        overridable=True,
    ),
    "disbursements": ImportKind(
        "นำเข้าการเบิกจ่ายจาก Excel",
        rules.can_record_disbursement,
        ERROR_NOT_FINANCE,
        disbursement_import,
        (layout.DISBURSEMENTS,),
        first_sheet=True,
    ),
}


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
    """Templates: ``excel/upload.html``; on success → the preview."""
    spec = KINDS[kind]
    organization = _office(request, spec.rule, spec.refused)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            token = upload_save(
                session=request.session,
                user=request.user,
                uploaded=form.cleaned_data["file"],
                sheets=spec.sheets,
                first_sheet=spec.first_sheet,
                optional=spec.optional,
                kind=kind,
                organization=organization.pk,
                fiscal_year=form.cleaned_data["fiscal_year"],
            )
        except FileRefused as refused:
            form.add_error("file", str(refused))
        else:
            return redirect("excel:preview", token=token)
    return render(
        request, "excel/upload.html", {"form": form, "spec": spec, "kind": kind}
    )


@login_required
def preview(request: HttpRequest, token: str) -> HttpResponse:
    """GET: a dry run: the diff against the database, every error and the
    envelope warnings. POST: confirm (past the warnings only with the
    override ticked).

    Templates: ``excel/preview.html`` then ``excel/result.html``.
    """
    stored = upload_get(request.session, request.user, token)
    if stored is None:
        raise Http404("ไม่พบไฟล์ที่อัปโหลด กรุณาอัปโหลดใหม่")
    parsed, meta = stored
    spec = KINDS[meta["kind"]]
    organization = get_object_or_404(Organization, pk=meta["organization"])
    if not spec.rule(request.user, organization):
        raise PermissionDenied(spec.refused)
    confirm = request.method == "POST"
    form = ConfirmForm(request.POST if confirm else None)
    options = {}
    if spec.overridable:
        override = form.is_valid() and form.cleaned_data["override_budget_rules"]
        options["override_budget_rules"] = bool(confirm and override)
    result = spec.run(
        source=parsed,
        organization=organization,
        fiscal_year=meta["fiscal_year"],
        user=request.user,
        dry_run=not confirm,
        **options,
    )
    context = {
        "result": result,
        "meta": meta,
        "spec": spec,
        "token": token,
        "form": ConfirmForm(),
    }
    if confirm and result.done:
        upload_discard(request.session, token)
        return render(request, "excel/result.html", context)
    return render(request, "excel/preview.html", context)
