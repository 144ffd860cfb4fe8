"""Money pages: the budget summary and the disbursement progress, each also as
.xlsx (``*_xlsx``, built by :mod:`budgets.tables` from the same selector)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from budgets import tables
from budgets.approvals import approval_queue
from budgets.checker import plan_findings
from budgets.forms import ApprovalDecisionForm, FiscalYearForm
from budgets.selectors import budget_summary, disbursement_progress
from core import rules as core_rules
from core import thai
from core.views import user_office
from plans import services as plan_services
from plans.models import Plan
from projects import services as project_services
from projects.forms import ProjectFilterForm
from projects.models import Project
from projects.views import ERROR_NO_OFFICE

ERROR_NO_ACCESS = "ไม่มีสิทธิ์ดูข้อมูลงบประมาณของสำนักงานนี้"


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
DONE = {"approve": "อนุมัติแล้ว {count} โครงการ", "return": "ส่งกลับแก้ไขแล้ว {count} โครงการ"}
REFUSED = "“{project}” ไม่ได้{action}: {reason}"
NEXT_PROJECT = "โครงการถัดไปที่รออนุมัติ: {project}"
NEXT_PLAN = "ไม่มีโครงการรออนุมัติแล้ว ต่อไป: อนุมัติแผน"
PLAN_APPROVED = "อนุมัติแผนแล้ว"


@login_required
def approvals(request: HttpRequest) -> HttpResponse:
    """The director's approvals queue (``projects:approvals``, issue 18 item 3):
    waiting projects with the checker's findings, approved or returned in
    place, several at once, then the plan behind its gate.

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
