from django.contrib.auth import views as auth_views
from django.http import HttpRequest
from django.shortcuts import render
from django.urls import reverse_lazy


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
