"""Money pages: the budget summary and the disbursement progress, each also as
.xlsx (``*_xlsx``, built by :mod:`budgets.tables` from the same selector)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from budgets import rates, tables
from budgets import services as budget_services
from budgets.approvals import approval_queue
from budgets.checker import plan_findings
from budgets.desk import finance_desk
from budgets.editor_forms import SheetEditor, editable_groups
from budgets.forms import (
    DESK_MAX_ROWS,
    ApprovalDecisionForm,
    FiscalYearForm,
    desk_rows_from_query,
    disbursement_row_formset,
)
from budgets.models import CostLine
from budgets.rules import can_open_finance_desk
from budgets.selectors import budget_summary, disbursement_progress
from core import rules as core_rules
from core import thai
from core.rules import person_of
from core.views import office_object_or_404, user_office
from plans import services as plan_services
from plans.models import Plan
from projects import rules as project_rules
from projects import selectors as project_selectors
from projects import services as project_services
from projects.forms import ProjectFilterForm
from projects.models import Project
from projects.views import ERROR_NO_OFFICE

ERROR_NO_ACCESS = "ไม่มีสิทธิ์ดูข้อมูลงบประมาณของสำนักงานนี้"
ERROR_DESK_FORBIDDEN = (
    "หน้าบันทึกการเบิกจ่ายสำหรับเจ้าหน้าที่การเงิน นักวิเคราะห์นโยบายและแผน "
    "ผู้ดูแลระบบ และหัวหน้ากลุ่มของสำนักงานเท่านั้น"
)
ERROR_DESK_EMPTY = (
    "ยังไม่ได้กรอกรายการเบิกจ่าย กรุณาเลือกโครงการและกรอกจำนวนเงินอย่างน้อยหนึ่งรายการ"
)
ERROR_DESK_REFUSED = (
    "ยังไม่ได้บันทึกรายการใดเลย: {count} รายการบันทึกไม่ได้ตามที่แจ้งไว้ที่รายการนั้น "
    "แก้ไขแล้วกดบันทึกอีกครั้ง (บันทึกพร้อมกันทั้งชุด)"
)
#: Rows on a fresh desk, and how many "เพิ่มแถว" adds.
DESK_ROWS = 5
DESK_PREFIX = "row"


def _office_and_year(request: HttpRequest):
    """The user's office (or 403) and the fiscal year chosen with ?fiscal_year=."""
    organization = user_office(request, message=ERROR_NO_ACCESS)
    form = FiscalYearForm(request.GET or None)
    return organization, form, form.chosen_year()


def _digits(request: HttpRequest) -> str:
    """Arabic digits on screen unless ?digits=thai (official books use Thai)."""
    return "thai" if request.GET.get("digits") == "thai" else "arabic"


@login_required
def summary(request: HttpRequest) -> HttpResponse:
    """Envelopes and budgets of the office for a fiscal year, reconciled.

    Models: BudgetSource, Allocation, OperatingCost, CostLine, QuarterPlan,
    Disbursement, DisbursementTarget (through ``budgets.selectors``).
    Templates: ``budgets/summary.html`` including
    ``budgets/partials/summary_tables.html``.
    Context: ``form``, ``digits``, ``summary`` (a ``BudgetSummary``).
    """
    organization, form, fiscal_year = _office_and_year(request)
    context = {
        "form": form,
        "digits": _digits(request),
        "summary": budget_summary(organization=organization, fiscal_year=fiscal_year),
    }
    return render(request, "budgets/summary.html", context)


@login_required
def summary_xlsx(request: HttpRequest) -> HttpResponse:
    """The budget summary's tables as .xlsx (``?fiscal_year=`` as the page)."""
    organization, _, fiscal_year = _office_and_year(request)
    summary = budget_summary(organization=organization, fiscal_year=fiscal_year)
    return tables.budget_summary_response(summary)


@login_required
def disbursement(request: HttpRequest) -> HttpResponse:
    """Cumulative disbursement vs plan vs government target per quarter.

    Templates: ``budgets/disbursement.html`` including
    ``budgets/partials/disbursement_tables.html``.
    Context: ``form``, ``digits``, ``progress`` (a ``DisbursementProgress``).
    """
    organization, form, fiscal_year = _office_and_year(request)
    context = {
        "form": form,
        "digits": _digits(request),
        "progress": disbursement_progress(
            organization=organization, fiscal_year=fiscal_year
        ),
    }
    return render(request, "budgets/disbursement.html", context)


@login_required
def disbursement_xlsx(request: HttpRequest) -> HttpResponse:
    """The disbursement progress tables as .xlsx (``?fiscal_year=`` as the page)."""
    organization, _, fiscal_year = _office_and_year(request)
    progress = disbursement_progress(organization=organization, fiscal_year=fiscal_year)
    return tables.disbursement_response(progress)


@login_required
def plan_checker(request: HttpRequest) -> HttpResponse:
    """The plan checker of the user's office for a year (``projects:checker``).

    A project page by its address, but here because the checker reads money
    (see :mod:`budgets.checker`). Templates: ``projects/checker.html``.
    Context: ``plan``, ``findings``.
    """
    organization = user_office(request, message=ERROR_NO_OFFICE)
    form = ProjectFilterForm(request.GET or None, organization=organization)
    fiscal_year = (
        form.cleaned_data.get("fiscal_year") if form.is_valid() else None
    ) or thai.current_fiscal_year()
    plan = Plan.objects.filter(
        organization=organization, fiscal_year=fiscal_year
    ).first()
    findings = plan_findings(plan) if plan else []
    context = {
        "form": form,
        "plan": plan,
        "fiscal_year": fiscal_year,
        "findings": findings,
        "project_count": len({f.project.pk for f in findings if f.project}),
    }
    return render(request, "projects/checker.html", context)


ERROR_NO_PLAN = "ยังไม่มีแผนปฏิบัติการของปีงบประมาณนี้"
ERROR_NOT_APPROVER = "หน้านี้สำหรับผู้อำนวยการสำนักงานเขตพื้นที่การศึกษา (ผู้อนุมัติ) เท่านั้น"
DONE = {
    "approve": "อนุมัติแล้ว {count} โครงการ",
    "return": "ส่งกลับแก้ไขแล้ว {count} โครงการ",
    "revise_approve": "อนุมัติการปรับแผนแล้ว {count} โครงการ",
    "revise_return": "ส่งกลับการปรับแผนแล้ว {count} โครงการ",
}
REFUSED = "“{project}” ไม่ได้{action}: {reason}"
NEXT_PROJECT = "โครงการถัดไปที่รออนุมัติ: {project}"
NEXT_PLAN = "ไม่มีโครงการรออนุมัติแล้ว ต่อไป: อนุมัติแผน"
PLAN_APPROVED = "อนุมัติแผนแล้ว"


@login_required
def approvals(request: HttpRequest) -> HttpResponse:
    """The director's approvals queue (``projects:approvals``, issue 18 item 3):
    waiting projects with the checker's findings, approved or returned in
    place, several at once, the plan changes waiting (ขอปรับแผน, approved or
    returned one at a time through the revision services), then the plan
    behind its gate.

    GET ``?fiscal_year=``. POST: :class:`ApprovalDecisionForm`, then back to
    the queue at the next waiting project (``#project-<id>``) or the plan.
    Templates: ``projects/approvals.html``. Context: ``queue``
    (:class:`budgets.approvals.ApprovalQueue`), ``fiscal_year``.
    """
    organization = user_office(request, core_rules.can_approve, ERROR_NOT_APPROVER)
    fiscal_year = thai.parse_fiscal_year(
        request.POST.get("fiscal_year") or request.GET.get("fiscal_year")
    )
    if request.method == "POST":
        form = ApprovalDecisionForm(
            request.POST,
            projects=Project.objects.filter(plan__organization=organization),
        )
        decided = _decide(request, form, organization, fiscal_year)
        queue = approval_queue(organization=organization, fiscal_year=fiscal_year)
        upcoming = queue.next_after(decided)
        anchor = ""
        if upcoming is not None:
            messages.info(request, NEXT_PROJECT.format(project=upcoming.name))
            anchor = f"#project-{upcoming.pk}"
        elif queue.plan_waiting:
            if decided:
                messages.info(request, NEXT_PLAN)
            anchor = "#plan"
        url = reverse("projects:approvals")
        return redirect(f"{url}?fiscal_year={fiscal_year}{anchor}")
    context = {
        "fiscal_year": fiscal_year,
        "queue": approval_queue(organization=organization, fiscal_year=fiscal_year),
    }
    return render(request, "projects/approvals.html", context)


def _decide(request, form, organization, fiscal_year) -> set[int]:
    """Run the decision through the services; report in Thai messages.
    Returns the ids of the projects decided (none when refused)."""
    if not form.is_valid():
        for errors in form.errors.values():
            for text in errors:
                messages.error(request, text)
        return set()
    action = form.cleaned_data["action"]
    if action == "plan":
        plan = Plan.objects.filter(
            organization=organization, fiscal_year=fiscal_year
        ).first()
        try:
            if plan is None:
                raise ValidationError(ERROR_NO_PLAN)
            plan_services.plan_approve(
                plan=plan,
                user=request.user,
                override_reason=form.cleaned_data["override_reason"],
            )
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(request, PLAN_APPROVED)
        return set()
    try:
        result = project_services.projects_decide(
            projects=form.cleaned_data["projects"],
            action=action,
            user=request.user,
            comment=form.cleaned_data["comment"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return set()
    if result.done:
        messages.success(request, DONE[action].format(count=len(result.done)))
    for project, reason in result.refused:
        label = project_services.ACTION_LABELS[action]
        messages.error(
            request, REFUSED.format(project=project.name, action=label, reason=reason)
        )
    return {project.pk for project in result.done}


# ------------------------------------------------------------------ sheet editor

ERROR_NO_PLAN = (
    "สำนักงานยังไม่มีแผนปฏิบัติการ จึงยังสร้างโครงการไม่ได้ "
    "กรุณาให้กลุ่มนโยบายและแผนสร้างแผนของปีงบประมาณก่อน"
)
ERROR_CANNOT_ADD = "คุณไม่มีสิทธิ์สร้างโครงการ"
ERROR_FIX_BELOW = "ยังบันทึกไม่ได้ กรุณาแก้ไขรายการที่มีข้อความแจ้งด้านล่าง (ข้อมูลที่พิมพ์ไว้ยังอยู่ครบ)"
SAVED = "บันทึกโครงการแล้ว"
SAVED_AND_SUBMITTED = "บันทึกและเสนอโครงการแล้ว"
SAVED_NOT_SUBMITTED = "บันทึกร่างแล้ว แต่ยังเสนอไม่ได้: {problems}"


@login_required
def project_new(request: HttpRequest) -> HttpResponse:
    """The project-sheet editor for a new project (planners and group heads).

    The plan is the office's plan of the current fiscal year (``?plan=`` to
    choose another), the group the user's own when they may use it.
    """
    organization = user_office(request, message=ERROR_CANNOT_ADD)
    if not project_rules.can_add_project(request.user):
        raise PermissionDenied(ERROR_CANNOT_ADD)
    plans = Plan.objects.filter(organization=organization).order_by("-fiscal_year")
    chosen = request.GET.get("plan", "")
    plan = (
        (plans.filter(pk=chosen).first() if chosen.isdigit() else None)
        or plans.filter(fiscal_year=thai.current_fiscal_year()).first()
        or plans.first()
    )
    if plan is None:
        raise PermissionDenied(ERROR_NO_PLAN)
    initial = {"plan": plan.pk}
    person = person_of(request.user)
    groups = editable_groups(request.user, organization)
    if person is not None and groups.filter(pk=person.group_id).exists():
        initial["group"] = person.group_id
    elif groups.count() == 1:
        initial["group"] = groups.get().pk
    return _sheet_editor(request, Project(plan=plan), organization, initial)


@login_required
def project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The project-sheet editor of a project the user may edit (403 otherwise:
    another group's, an approved one; 404 for another office's)."""
    project = office_object_or_404(
        Project.objects.select_related("plan__organization", "group"),
        request.user,
        "ไม่พบโครงการ",
        pk=pk,
    )
    if not project_rules.can_edit_project(request.user, project):
        raise PermissionDenied(project_services.ERROR_NOT_ALLOWED)
    return _sheet_editor(request, project, project.plan.organization, {})


def _sheet_editor(request, project, organization, initial) -> HttpResponse:
    """GET shows the sheet; POST saves it through ``project_sheet_save`` (in
    one transaction with the forms' edit-version checks, as the admin does)
    and returns to the project page, or with "บันทึกและเสนอ" also submits it.
    A refusal keeps everything typed on the page with the Thai reasons.

    Autosave (htmx, ``autosave=1``) saves a draft the same way and answers
    the form as now stored, which htmx swaps in (new rows get their ids and
    every row its new edit version, so the next save is no conflict); a
    sheet that cannot be saved yet answers 204 and nothing changes on the
    page. Only drafts autosave: a submitted sheet is saved by its button.
    """
    autosave = bool(request.htmx) and request.POST.get("autosave") == "1"
    if autosave and not _autosaves(project):
        return HttpResponse(status=204)
    data = request.POST if request.method == "POST" else None
    editor = SheetEditor(
        data=data,
        project=project,
        user=request.user,
        organization=organization,
        initial=initial,
    )
    if data is not None:
        saved = None
        try:
            with transaction.atomic():
                if editor.is_valid():
                    saved = budget_services.project_sheet_save(
                        user=request.user, **editor.rows()
                    )
        except ValidationError as error:
            saved = None
            editor.rolled_back()
            editor.form.add_error(None, error.messages)
        if autosave:
            return _autosaved(request, saved, organization)
        if saved is not None:
            return _after_save(request, saved)
        messages.error(request, ERROR_FIX_BELOW)
    return _editor_page(request, editor, project)


def _rate_warnings(project) -> list:
    """The saved sheet's cost lines above the rate table (warnings only:
    the sheet is saved; :mod:`budgets.rates`). Two or three queries."""
    if project.pk is None:
        return []
    lines = CostLine.objects.filter(
        activity__project=project, rate__isnull=False
    ).order_by("activity__order", "activity", "order", "pk")
    return rates.check(lines, project.plan.fiscal_year, project.plan.organization_id)


def _editor_page(request, editor, project, *, autosaved: bool = False):
    context = {
        "rate_warnings": _rate_warnings(project),
        "editor": editor,
        "project": project,
        "review": project_selectors.review_comment(project),
        "can_submit": project.pk is None
        or project_rules.can_submit_project(request.user, project),
        "autosaves": _autosaves(project),
        "autosaved": autosaved,
    }
    return render(request, "budgets/editor/sheet.html", context)


def _autosaves(project) -> bool:
    return project.status in (Project.Status.DRAFT, Project.Status.RETURNED)


def _autosaved(request, saved, organization) -> HttpResponse:
    """The answer to an autosave: the stored sheet's form, or 204."""
    if saved is None:
        return HttpResponse(status=204)
    project = Project.objects.select_related("plan", "group").get(pk=saved.pk)
    editor = SheetEditor(project=project, user=request.user, organization=organization)
    response = _editor_page(request, editor, project, autosaved=True)
    response["HX-Replace-Url"] = reverse("projects:edit", args=[project.pk])
    return response


def _after_save(request, project) -> HttpResponse:
    for warning in _rate_warnings(project):
        messages.warning(request, warning.message)
    if "submit" not in request.POST:
        messages.success(request, SAVED)
        return redirect("projects:detail", pk=project.pk)
    try:
        project_services.project_submit(project=project, user=request.user)
    except (ValidationError, PermissionDenied) as error:
        problems = " ".join(getattr(error, "messages", None) or [str(error)])
        messages.error(request, SAVED_NOT_SUBMITTED.format(problems=problems))
        return redirect("projects:edit", pk=project.pk)
    messages.success(request, SAVED_AND_SUBMITTED)
    return redirect("projects:detail", pk=project.pk)


def _desk_rows(request: HttpRequest) -> int:
    """Rows asked for (``?rows=``, else the reloaded page's count), 1–30."""
    for raw in (request.GET.get("rows"), request.GET.get(f"{DESK_PREFIX}-TOTAL_FORMS")):
        if raw and raw.isascii() and raw.isdigit() and len(raw) < 4:
            return max(1, min(int(raw), DESK_MAX_ROWS))
    return DESK_ROWS


def _index(raw: str) -> int | None:
    """A row number from the query string, ``None`` when it is not one."""
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 4 else None


def _default_date(fiscal_year: int):
    """Today when it falls in the desk's year, else that year's last day
    already past (a payment is never dated ahead), else nothing."""
    today = timezone.localdate()
    start, end = thai.fiscal_year_range(fiscal_year)
    if start <= today <= end:
        return today
    return end if end < today else None


@login_required
def desk(request: HttpRequest) -> HttpResponse:
    """The finance desk: record several disbursements at once.

    Each row cascades project → activity → cost line (or category), each
    option showing what is left; without JavaScript a row's "แสดงตัวเลือก"
    button reloads the page with the typed values as GET parameters; with
    JavaScript (``static/js/desk.js``) the row alone is re-rendered: an
    ``HX-Request`` (``request.htmx``) with ``?row=<n>`` is answered with
    ``budgets/partials/desk_row.html``. A POST saves every filled row
    through :func:`budgets.services.disbursements_record`, all or nothing.

    Templates: ``budgets/desk.html``. Context: ``formset``, ``fiscal_year``,
    ``rows``, ``year_form``.
    """
    organization = user_office(request, message=ERROR_NO_ACCESS)
    if not can_open_finance_desk(request.user, organization):
        raise PermissionDenied(ERROR_DESK_FORBIDDEN)
    year_form = FiscalYearForm(request.GET or None)
    fiscal_year = year_form.chosen_year()
    finance = finance_desk(
        user=request.user, organization=organization, fiscal_year=fiscal_year
    )
    rows = _desk_rows(request)
    form_kwargs = {"desk": finance, "default_date": _default_date(fiscal_year)}
    FormSet = disbursement_row_formset(rows)
    if request.method == "POST":
        formset = FormSet(request.POST, prefix=DESK_PREFIX, form_kwargs=form_kwargs)
        saved = _desk_save(request, formset)
        if not formset.management_form.is_valid():
            # not the desk's own form (a stale page, a hand-made body): its
            # message above a fresh desk rather than a desk of no rows
            formset = FormSet(prefix=DESK_PREFIX, form_kwargs=form_kwargs)
        if saved:
            for disbursement in saved:
                messages.success(
                    request, budget_services.disbursement_recorded_message(disbursement)
                )
                for warning in (
                    budget_services.disbursement_overdrawn_warning(disbursement),
                    budget_services.disbursement_period_warning(disbursement),
                ):
                    if warning:
                        messages.warning(request, warning)
            return redirect(f"{reverse('budgets:desk')}?fiscal_year={fiscal_year}")
    else:
        formset = FormSet(
            prefix=DESK_PREFIX,
            form_kwargs=form_kwargs,
            row_initial=desk_rows_from_query(request.GET, rows, prefix=DESK_PREFIX),
        )
        row = request.GET.get("row", "")
        if request.htmx and _index(row) is not None and _index(row) < rows:
            return render(
                request,
                "budgets/partials/desk_row.html",
                {"form": formset.forms[int(row)], "index": int(row)},
            )
    context = {
        "formset": formset,
        "fiscal_year": fiscal_year,
        "year_form": year_form,
        "rows": len(formset.forms),
        "more_rows": min(len(formset.forms) + DESK_ROWS, DESK_MAX_ROWS),
        "max_rows": DESK_MAX_ROWS,
    }
    return render(request, "budgets/desk.html", context)


def _desk_save(request: HttpRequest, formset) -> list:
    """Save the filled rows of a posted desk, or leave every row's message
    on its form (and one message above them) and save nothing."""
    if not formset.is_valid():
        if formset.non_form_errors():  # shown above the rows, by the template
            if not formset.management_form.is_valid():
                messages.error(request, " ".join(formset.non_form_errors()))
        else:
            count = sum(1 for errors in formset.errors if errors)
            messages.error(request, ERROR_DESK_REFUSED.format(count=count))
        return []
    filled = [form for form in formset.forms if form.has_changed()]
    if not filled:
        messages.error(request, ERROR_DESK_EMPTY)
        return []
    try:
        return budget_services.disbursements_record(
            user=request.user, rows=[form.cleaned_data["row"] for form in filled]
        )
    except budget_services.DisbursementBatchRefused as refused:
        for index, texts in refused.rows.items():
            for text in texts:
                filled[index].add_error(None, text)
        messages.error(request, ERROR_DESK_REFUSED.format(count=len(refused.rows)))
        return []
