from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from core import rules, thai
from core.selectors import group_rows, needs_first_office
from home import dashboard


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The landing page: the role dashboards of the chosen fiscal year.

    Models: read through :mod:`home.dashboard` (the reports' own selectors).
    Templates: ``home/home.html`` with ``home/partials/<panel>.html``.
    Context: ``fiscal_year`` (``?fiscal_year=``, default this year),
    ``fiscal_start``, ``fiscal_end``, ``quarter``, ``organization``,
    ``dashboard`` (panels by role), ``rows`` (groups with their heads),
    ``needs_first_office`` (a superuser on an install without an office:
    link to the first-run page).
    """
    today = timezone.localdate()
    fiscal_year = thai.parse_fiscal_year(request.GET.get("fiscal_year"))
    start, end = thai.fiscal_year_range(fiscal_year)
    organization = rules.organization_of(request.user)
    context = {
        "today": today,
        "fiscal_year": fiscal_year,
        "fiscal_start": start,
        "fiscal_end": end,
        "quarter": thai.fiscal_quarter_of(today),
        "organization": organization,
        "dashboard": (
            dashboard.dashboard_for(request.user, organization, fiscal_year, today)
            if organization
            else None
        ),
        "rows": group_rows(organization, today) if organization else [],
        "needs_first_office": needs_first_office(request.user),
    }
    return render(request, "home/home.html", context)
