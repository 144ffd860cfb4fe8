"""Project pages: the office list, the sheet as it will print, workflow
buttons and revision snapshots. The plan checker's page reads money, so it is
``budgets.views.plan_checker`` (mounted as ``projects:checker``)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from core import thai
from core.views import office_object_or_404, user_office
from projects import rules, selectors, services, tables
from projects.forms import CommentForm, ProjectFilterForm
from projects.models import Project

ERROR_NO_OFFICE = "บัญชีนี้ยังไม่ผูกกับสำนักงาน จึงไม่มีสิทธิ์ดูข้อมูลโครงการ"
SUCCESS = {
    "submit": "เสนอโครงการแล้ว",
    "check": "บันทึกว่าตรวจแล้ว",
    "approve": "อนุมัติโครงการแล้ว",
    "return": "ส่งกลับแก้ไขแล้ว",
    "revise": "เริ่มปรับแผนแล้ว แก้ไขแบบเสนอโครงการแล้วเสนอขออนุมัติการปรับแผน ฉบับเดิมยังเปิดดูได้",
    "revise_submit": "เสนอขออนุมัติการปรับแผนแล้ว",
    "revise_approve": "อนุมัติการปรับแผนแล้ว",
    "revise_return": "ส่งกลับการปรับแผนแล้ว",
}


def _office_for(request: HttpRequest):
    return user_office(request, message=ERROR_NO_OFFICE)


def _get_project_for_user(request: HttpRequest, pk: int) -> Project:
    """The project if it belongs to the user's office, else 404."""
    return office_object_or_404(
        Project.objects.select_related("plan", "group"),
        request.user,
        "ไม่พบโครงการ",
        pk=pk,
    )


def _listed(request: HttpRequest):
    """The filter form, its valid choices, the fiscal year and the projects."""
    organization = _office_for(request)
    form = ProjectFilterForm(
        request.GET or None,
        organization=organization,
        initial={"fiscal_year": thai.current_fiscal_year()},
    )
    filters = form.cleaned_data if form.is_valid() else {}
    fiscal_year = filters.get("fiscal_year") or thai.current_fiscal_year()
    projects = selectors.project_list(
        organization=organization,
        fiscal_year=fiscal_year,
        group=filters.get("group"),
        status=filters.get("status", ""),
    )
    return form, filters, fiscal_year, projects


@login_required
def project_list(request: HttpRequest) -> HttpResponse:
    """Templates: ``projects/list.html``. Context: ``form``, ``projects``,
    ``fiscal_year``, ``status_counts``, ``table`` (the workbook's table)."""
    form, _, fiscal_year, projects = _listed(request)
    context = {
        "form": form,
        "projects": projects,
        "fiscal_year": fiscal_year,
        "status_counts": selectors.status_counts(projects),
        "table": tables.project_list_table(projects),
        "can_add": rules.can_add_project(request.user),
    }
    return render(request, "projects/list.html", context)


@login_required
def project_list_xlsx(request: HttpRequest) -> HttpResponse:
    """The project list as .xlsx, with the page's filters (query string)."""
    _, filters, fiscal_year, projects = _listed(request)
    return tables.project_list_response(
        projects, fiscal_year, filters, selectors.status_counts(projects)
    )


@login_required
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The sheet "as it will print", its history and the allowed actions.

    Templates: ``projects/detail.html`` with ``projects/partials/sheet.html``.
    """
    project = _get_project_for_user(request, pk)
    context = {
        "project": project,
        "sheet": selectors.project_sheet(project),
        "history": selectors.project_history(project),
        "actions": rules.allowed_actions(request.user, project),
        "comment_form": CommentForm(),
        "review": selectors.review_comment(project),
    }
    return render(request, "projects/detail.html", context)


ACTIONS = {
    "submit": lambda project, user, comment: services.project_submit(
        project=project, user=user
    ),
    "check": lambda project, user, comment: services.project_check(
        project=project, user=user, comment=comment
    ),
    "approve": lambda project, user, comment: services.project_approve(
        project=project, user=user, comment=comment
    ),
    "return": lambda project, user, comment: services.project_return(
        project=project, user=user, comment=comment
    ),
    "revise": lambda project, user, comment: services.project_start_revision(
        project=project, user=user, reason=comment
    ),
    "revise_submit": lambda project, user, comment: services.project_request_revision(
        project=project, user=user
    ),
    "revise_approve": lambda project, user, comment: services.project_approve_revision(
        project=project, user=user, comment=comment
    ),
    "revise_return": lambda project, user, comment: services.project_return_revision(
        project=project, user=user, comment=comment
    ),
}


@login_required
@require_POST
def project_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Run one workflow step; refusals come back as Thai messages."""
    project = _get_project_for_user(request, pk)
    if action not in ACTIONS:
        raise Http404("ไม่มีคำสั่งนี้")
    try:
        ACTIONS[action](project, request.user, request.POST.get("comment", ""))
    except (ValidationError, PermissionDenied) as error:
        for text in getattr(error, "messages", None) or [str(error)]:
            messages.error(request, text)
    else:
        messages.success(request, SUCCESS[action])
    return redirect("projects:detail", pk=project.pk)


@login_required
def revision_detail(request: HttpRequest, pk: int, version: int) -> HttpResponse:
    """A previous version of the sheet, rendered from its snapshot."""
    project = _get_project_for_user(request, pk)
    revision = get_object_or_404(project.revisions, version=version)
    context = {
        "project": project,
        "revision": revision,
        "sheet": selectors.revision_sheet(revision.snapshot),
    }
    return render(request, "projects/revision.html", context)
