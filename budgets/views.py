"""Money pages: the budget summary and the disbursement progress, each also as
.xlsx (``*_xlsx``, built by :mod:`budgets.tables` from the same selector)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from budgets import services, tables
from budgets.checker import plan_findings
from budgets.desk import finance_desk
from budgets.forms import (
    DESK_MAX_ROWS,
    FiscalYearForm,
    desk_rows_from_query,
    disbursement_row_formset,
)
from budgets.rules import can_open_finance_desk
from budgets.selectors import budget_summary, disbursement_progress
from core import thai
from core.views import user_office
from plans.models import Plan
from projects.forms import ProjectFilterForm
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
                    request, services.disbursement_recorded_message(disbursement)
                )
                for warning in (
                    services.disbursement_overdrawn_warning(disbursement),
                    services.disbursement_period_warning(disbursement),
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
        return services.disbursements_record(
            user=request.user, rows=[form.cleaned_data["row"] for form in filled]
        )
    except services.DisbursementBatchRefused as refused:
        for index, texts in refused.rows.items():
            for text in texts:
                filled[index].add_error(None, text)
        messages.error(request, ERROR_DESK_REFUSED.format(count=len(refused.rows)))
        return []
