from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils import timezone

from core import dashboard, rules, thai
from core.selectors import group_rows


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The landing page: the role dashboards of the chosen fiscal year.

    Models: read through :mod:`core.dashboard` (the reports' own selectors).
    Templates: ``core/home.html`` with ``core/partials/<panel>.html``.
    Context: ``fiscal_year`` (``?fiscal_year=``, default this year),
    ``fiscal_start``, ``fiscal_end``, ``quarter``, ``organization``,
    ``dashboard`` (panels by role), ``rows`` (groups with their heads).
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
    }
    return render(request, "core/home.html", context)


def login_locked_out(request: HttpRequest, credentials: dict, *args, **kwargs):
    """Shown by django-axes after too many failed logins (HTTP 429)."""
    return render(request, "registration/locked_out.html", status=429)


class PasswordChangeView(auth_views.PasswordChangeView):
    """Every logged-in user changes their own password here.

    Viewers and directors have no admin login, so the admin's password page
    is out of their reach; this is Django's own view (old password checked,
    the password validators applied, the session kept) in the site's Thai
    pages. Its own template names leave the admin's
    ``registration/password_change_*.html`` untouched.
    """

    template_name = "core/password_change_form.html"
    success_url = reverse_lazy("core:password_change_done")


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "core/password_change_done.html"
