from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from core import rules
from core.selectors import group_rows
from reports.pdf import PDFResponse


def _office_directory_context(request: HttpRequest) -> dict:
    organization = rules.organization_of(request.user)
    if organization is None or not rules.can_view(request.user, organization):
        raise PermissionDenied("ไม่มีสิทธิ์ดูข้อมูลของสำนักงานนี้")
    today = timezone.localdate()
    return {
        "organization": organization,
        "today": today,
        "rows": group_rows(organization, today),
        "digits": request.GET.get("digits", "thai"),
    }


@login_required
def office_directory(request: HttpRequest) -> HttpResponse:
    """Groups of the user's office with their current heads.

    Templates: ``reports/office_directory.html`` (screen) and
    ``reports/pdf/office_directory.html`` (PDF), both including
    ``reports/partials/office_directory_table.html``.
    """
    return render(
        request, "reports/office_directory.html", _office_directory_context(request)
    )


@login_required
def office_directory_pdf(request: HttpRequest) -> HttpResponse:
    return PDFResponse(
        request,
        "reports/pdf/office_directory.html",
        _office_directory_context(request),
        filename="ทำเนียบกลุ่ม.pdf",
    )
