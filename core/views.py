from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import (
    ObjectDoesNotExist,
    PermissionDenied,
    ValidationError,
)
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse_lazy
from django.views.decorators.cache import never_cache

from core import rules, services
from core.forms import OfficeSetupForm
from core.models import Organization
from core.selectors import visible_to

ERROR_SUPERUSER_ONLY = "เฉพาะผู้ดูแลระบบสูงสุด (superuser) เท่านั้นที่สร้างสำนักงานใหม่ได้"

ERROR_NO_OFFICE = "ไม่มีสิทธิ์ดูข้อมูลของสำนักงานนี้"
ERROR_NOT_FOUND = "ไม่พบข้อมูลนี้"


def user_office(
    request: HttpRequest, rule=rules.can_view, message: str = ERROR_NO_OFFICE
) -> Organization:
    """The user's office when ``rule(user, office)`` allows (by default: any
    role of the office may read it), else 403 with the Thai ``message``.

    The pages of "my office" (lists, summaries, boards) start here instead of
    each writing its own "office or 403".
    """
    organization = rules.organization_of(request.user)
    if organization is None or not rule(request.user, organization):
        raise PermissionDenied(message)
    return organization


def office_object_or_404(rows, user, message: str = ERROR_NOT_FOUND, **lookup):
    """The row of ``rows`` (a queryset or a model) matching ``lookup`` among
    those ``user`` may see (:func:`core.selectors.visible_to`), else 404.

    Another office's row answers exactly like a missing one, so its
    existence is not revealed (the URL sweep expects 404 there).
    """
    try:
        return visible_to(rows, user).get(**lookup)
    except (ObjectDoesNotExist, ValueError, TypeError, ValidationError):
        raise Http404(message) from None


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
