from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse_lazy
from django.views.decorators.cache import never_cache

from core import services
from core.forms import OfficeSetupForm

ERROR_SUPERUSER_ONLY = "เฉพาะผู้ดูแลระบบสูงสุด (superuser) เท่านั้นที่สร้างสำนักงานใหม่ได้"


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


@never_cache
@login_required
def setup_office(request: HttpRequest) -> HttpResponse:
    """First run: a superuser creates an office, its groups and first logins.

    A fresh install has no office, so nobody but the superuser made by
    ``createsuperuser`` can do anything; the home page links here until an
    office exists. The work is ``core.services.office_create``, as for
    ``manage.py create_office``. Offices are shared by the whole install, so
    only superusers may create one (an office admin manages their own).

    Templates: ``core/setup_office.html`` (the form, errors beside what was
    typed) and, after saving, ``core/setup_office_done.html``, which shows
    the generated passwords this once (no redirect: they are kept nowhere).
    """
    if not request.user.is_superuser:
        raise PermissionDenied(ERROR_SUPERUSER_ONLY)
    form = OfficeSetupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.office_create(**form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            return render(request, "core/setup_office_done.html", {"created": created})
    return render(request, "core/setup_office.html", {"form": form})
