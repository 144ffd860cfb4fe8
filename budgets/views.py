"""Money pages: the budget summary and the disbursement progress, each also as
.xlsx (``*_xlsx``, built by :mod:`budgets.tables` from the same selector)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from budgets import tables
from budgets.checker import plan_findings
from budgets.forms import FiscalYearForm
from budgets.selectors import budget_summary, disbursement_progress
from core import thai
from core.views import user_office
from plans.models import Plan
from projects.forms import ProjectFilterForm
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
