"""Small request/response guards of the web hardening (security issue).

Each class is one concern; ``config/settings.py`` places them in
``MIDDLEWARE`` (block "Web hardening").
"""

import logging

from csp.middleware import CSPMiddleware as _BaseCSPMiddleware
from csp.middleware import PolicyParts
from django.conf import settings
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from core import uploads

logger = logging.getLogger(__name__)


class UploadLimitMiddleware:
    """Answers an oversized upload with the Thai 413 page, before any view.

    It sits before ``CsrfViewMiddleware`` (which would otherwise be first to
    parse the body): a multipart POST is parsed here, through
    :class:`core.uploads.LimitedUploadHandler`, which refuses a body over
    ``PHAEN_MAX_UPLOAD_BYTES`` without reading it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method != "POST" or request.content_type != "multipart/form-data":
            return None
        # Parses the body through the handlers. A malformed body raises here
        # and gets Django's 400 answer (the Thai templates/400.html).
        request.FILES  # noqa: B018
        if uploads.was_refused(request):
            limit_mb = uploads.max_upload_bytes() / (1024 * 1024)
            return render(
                request,
                "413.html",
                {"limit_mb": f"{limit_mb:g}"},
                status=413,
            )
        return None


class DatabaseBusyMiddleware:
    """SQLite's "database is locked" under parallel writes → the Thai 503 page.

    The SQLite settings make writers queue for up to 20 seconds; a write that
    still cannot get the lock rolls back, and the user is asked to try again
    rather than shown a server error. Other database errors stay 500s.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError):
            return None
        if "database is locked" not in str(exception).lower():
            return None
        logger.warning("Database busy on %s %s", request.method, request.path)
        response = render(request, "503.html", status=503)
        response["Retry-After"] = "5"
        return response


class SlidingSessionMiddleware:
    """Keeps an active user's session alive; an idle one expires.

    ``SESSION_COOKIE_AGE`` (8 hours) then counts from the last activity
    rather than the login. ``SESSION_SAVE_EVERY_REQUEST`` would write the
    session on every page (a database write per request, which SQLite
    serialises); this saves it at most every
    ``PHAEN_SESSION_REFRESH_SECONDS``, so the idle limit is exact to within
    that interval.
    """

    KEY = "_phaen_refreshed_at"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            last = request.session.get(self.KEY, 0)
            if _now() - last >= settings.PHAEN_SESSION_REFRESH_SECONDS:
                # Marks the session modified: SessionMiddleware saves it with
                # a new expiry and sends the cookie again.
                self.stamp(request.session)
        return self.get_response(request)

    @classmethod
    def stamp(cls, session) -> None:
        session[cls.KEY] = _now()


def stamp_session_at_login(sender, request, user, **kwargs) -> None:
    """A login has just saved the session: the first pages need no refresh
    (connected to ``user_logged_in`` in :class:`core.apps.CoreConfig`)."""
    if request is not None and hasattr(request, "session"):
        SlidingSessionMiddleware.stamp(request.session)


def _now() -> int:
    return int(timezone.now().timestamp())


DOWNLOAD_TYPES = (
    "application/pdf",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.ms-excel",
    "text/csv",
)


def is_download(response: HttpResponse) -> bool:
    content_type = response.get("Content-Type", "").split(";")[0].strip().lower()
    return response.has_header("Content-Disposition") or content_type in (
        DOWNLOAD_TYPES
    )


class DownloadNoStoreMiddleware:
    """``Cache-Control: no-store, private`` on every PDF, workbook and file.

    Plans, budgets and evidence are office-internal: a shared computer's
    browser cache or a proxy must not keep a copy. One place for every
    download (the report PDFs, the Excel exports, the admin's exports and the
    evidence files) rather than one line per view.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if is_download(response):
            response["Cache-Control"] = "no-store, private"
        return response


class StripNulFromQueryMiddleware:
    """Drop NUL characters (``%00``) from the query string before any view reads it.

    PostgreSQL refuses NUL in text, so ``?status__exact=%00`` on an admin
    changelist (or any ``?q=%00``) failed with a 500 when the filter value
    reached the database; no legitimate link carries one. The value is read
    without it, so a filter becomes "no such value" and the page shows its
    usual empty list or notice.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.META.get("QUERY_STRING", "")
        if "%00" in query or "\x00" in query:
            request.META["QUERY_STRING"] = query.replace("%00", "").replace("\x00", "")
        return self.get_response(request)


class CSPMiddleware(_BaseCSPMiddleware):
    """django-csp's middleware, with the admin's relaxed style rule in one place.

    The site sends ``style-src 'self'``: no template carries an inline style.
    Django's own admin templates and widgets still write some (a ``<style>``
    block in ``admin/change_list.html``), and we do not fork them, so only
    URLs under ``PHAEN_ADMIN_CSP_PREFIX`` get ``PHAEN_ADMIN_CSP_REPLACE``
    (``'unsafe-inline'`` for styles, never for scripts). Anything a view
    replaces itself with ``@csp_replace`` still wins.
    """

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponse, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and request.path_info.startswith(
            settings.PHAEN_ADMIN_CSP_PREFIX
        ):
            parts.replace = {
                **settings.PHAEN_ADMIN_CSP_REPLACE,
                **(parts.replace or {}),
            }
        return parts
