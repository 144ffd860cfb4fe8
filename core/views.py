from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from core import rules, thai
from core.selectors import group_rows


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The landing page: this fiscal year and the office at a glance.

    Templates: ``core/home.html``.
    Context: ``fiscal_year``, ``fiscal_start``, ``fiscal_end``, ``quarter``,
    ``organization``, ``rows`` (groups with their current heads).
    """
    today = timezone.localdate()
    fiscal_year = thai.fiscal_year_of(today)
    start, end = thai.fiscal_year_range(fiscal_year)
    organization = rules.organization_of(request.user)
    context = {
        "today": today,
        "fiscal_year": fiscal_year,
        "fiscal_start": start,
        "fiscal_end": end,
        "quarter": thai.fiscal_quarter_of(today),
        "organization": organization,
        "rows": group_rows(organization, today) if organization else [],
    }
    return render(request, "core/home.html", context)


def login_locked_out(request: HttpRequest, credentials: dict, *args, **kwargs):
    """Shown by django-axes after too many failed logins (HTTP 429)."""
    return render(request, "registration/locked_out.html", status=429)
