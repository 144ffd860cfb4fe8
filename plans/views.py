from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from core import rules as core_rules
from core.forms import FiscalYearChoiceField
from core.views import office_object_or_404, user_office
from plans import rules, services
from plans.approval import approval_blockers
from plans.models import Plan
from plans.selectors import direction_for_plan

ERROR_NO_OFFICE = "ไม่มีสิทธิ์ดูข้อมูลของสำนักงานนี้"


class PlanCreateForm(forms.Form):
    """The fiscal year of a new plan: this year, next or a past one."""

    fiscal_year = FiscalYearChoiceField()


def _readable_plan(request: HttpRequest, pk: int) -> Plan:
    """The plan, or 404 for plans of other offices (their existence stays hidden)."""
    return office_object_or_404(
        Plan.objects.select_related("organization"),
        request.user,
        "ไม่พบแผนนี้",
        pk=pk,
    )


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The user's office plans by fiscal year. Template: ``plans/index.html``."""
    organization = user_office(request, message=ERROR_NO_OFFICE)
    plans = (
        Plan.objects.filter(organization=organization)
        .with_counts()
        .order_by("-fiscal_year")
    )
    context = {
        "organization": organization,
        "plans": plans,
        "can_manage": core_rules.can_manage_office(request.user, organization),
        "create_form": PlanCreateForm(),
    }
    return render(request, "plans/index.html", context)


@login_required
@require_POST
def create(request: HttpRequest) -> HttpResponse:
    """A new draft plan of the chosen fiscal year (``plans.services.plan_create``),
    then its direction page, which links to the editor."""
    organization = user_office(
        request, core_rules.can_manage_office, services.ERROR_CANNOT_MANAGE
    )
    form = PlanCreateForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["fiscal_year"]))
        return redirect("plans:index")
    try:
        plan = services.plan_create(
            organization=organization,
            fiscal_year=form.cleaned_data["fiscal_year"],
            user=request.user,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("plans:index")
    messages.success(request, f"สร้าง{plan.display_title}แล้ว")
    return redirect("plans:direction", pk=plan.pk)


@login_required
def direction(request: HttpRequest, pk: int) -> HttpResponse:
    """The direction as printed in the plan book (read-only).

    Templates: ``plans/direction.html`` including ``plans/partials/direction.html``.
    """
    plan = _readable_plan(request, pk)
    can_approve = rules.can_approve_plan(request.user, plan)
    waiting = can_approve and plan.status == Plan.Status.SUBMITTED
    context = {
        "plan": plan,
        "direction": direction_for_plan(plan),
        "can_edit": rules.can_edit_direction(request.user, plan),
        "can_approve": can_approve,
        # What stops the director's approval, listed where the button is.
        "blockers": approval_blockers(plan) if waiting else [],
    }
    return render(request, "plans/direction.html", context)


def _transition(request: HttpRequest, pk: int, service, done: str) -> HttpResponse:
    plan = _readable_plan(request, pk)
    try:
        service(plan=plan, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect("plans:direction", pk=plan.pk)


@login_required
@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(request, pk, services.plan_submit, "เสนออนุมัติแผนแล้ว")


@login_required
@require_POST
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    """Approve, or approve past the gate when the form gives a reason
    (``override_reason``); a refusal is shown with the blockers listed on
    the plan page it redirects to."""
    reason = request.POST.get("override_reason", "")

    def approve_plan(*, plan, user):
        return services.plan_approve(plan=plan, user=user, override_reason=reason)

    return _transition(request, pk, approve_plan, "อนุมัติแผนแล้ว")
