from django.contrib.auth import views as auth_views
from django.core.exceptions import (
    ObjectDoesNotExist,
    PermissionDenied,
    ValidationError,
)
from django.http import Http404, HttpRequest
from django.shortcuts import render
from django.urls import reverse_lazy

from core import rules
from core.models import Organization
from core.selectors import visible_to

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
