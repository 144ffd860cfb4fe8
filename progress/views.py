"""Screens for quarterly progress: the group's reporting page, the planners'
review list and the compliance board. Access rules are in :mod:`progress.rules`;
writes go through :mod:`progress.services`."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from core import rules as core_rules
from core.locking import EditConflict
from core.models import OfficeGroup
from core.roles import Role
from core.selectors import is_visible
from core.thai import current_fiscal_year, to_arabic_digits
from core.views import office_object_or_404, user_office
from progress import rules, selectors, services, tables
from progress.forms import (
    ERROR_FILES_AGAIN,
    EvidenceForm,
    ReturnForm,
    RoundCreateForm,
    build_bundle,
)
from progress.models import Evidence, ProgressReport, ReportingRound

ERROR_NO_ROUND = "ไม่พบรอบการรายงานนี้"
ERROR_NO_REPORT = "ไม่พบรายงานนี้"
ERROR_NOT_REVIEWER = "ไม่มีสิทธิ์จัดการรอบการรายงานของสำนักงานนี้"
ERROR_NO_BOARD = "ไม่มีสิทธิ์ดูกระดานติดตามความก้าวหน้าของสำนักงานนี้"


def _get_round(request: HttpRequest, round_id: int) -> ReportingRound:
    """The round, or 404 for users of another office."""
    return office_object_or_404(
        ReportingRound.objects.select_related("organization"),
        request.user,
        ERROR_NO_ROUND,
        pk=round_id,
    )


def _get_report(request: HttpRequest, report_id: int) -> ProgressReport:
    report = selectors.report_detail(report_id)
    if report is None or not is_visible(report, request.user):
        raise Http404(ERROR_NO_REPORT)
    if not rules.can_view_report(request.user, report):
        raise PermissionDenied
    return report


def _error_text(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)


def _landing(user, organization, reporting_round) -> str | None:
    """Heads go to their group's screen, board readers to the board, and
    project officers to their own group's screen (which lists their projects)."""
    headed = sorted(core_rules.headed_group_ids(user))
    if headed and core_rules.has_role(user, Role.GROUP_HEAD):
        return reverse("progress:group_round", args=[reporting_round.pk, headed[0]])
    if rules.can_view_board(user, organization):
        return reverse("progress:board")
    person = core_rules.person_of(user)
    if person and person.group_id and core_rules.has_role(user, Role.PROJECT_OFFICER):
        return reverse(
            "progress:group_round", args=[reporting_round.pk, person.group_id]
        )
    return None


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """Send the user to their open round: the group screen, or the board.

    Templates: ``progress/index.html`` when there is nowhere to go.
    """
    organization = core_rules.organization_of(request.user)
    reporting_round = (
        ReportingRound.objects.current_for(organization) if organization else None
    )
    target = (
        _landing(request.user, organization, reporting_round)
        if reporting_round
        else None
    )
    if target:
        return redirect(target)
    context = {
        "organization": organization,
        "round": reporting_round,
        "fiscal_year": current_fiscal_year(),
        "can_manage": organization is not None
        and rules.can_review(request.user, organization),
        "round_form": RoundCreateForm(),
    }
    return render(request, "progress/index.html", context)


@login_required
@require_POST
def round_create(request: HttpRequest) -> HttpResponse:
    """The four rounds of the chosen fiscal year (``fiscal_year``, this year
    when left out), past years included; idempotent (existing rounds kept)."""
    organization = user_office(request, rules.can_review, ERROR_NOT_REVIEWER)
    data = request.POST if "fiscal_year" in request.POST else None
    form = RoundCreateForm(data or {"fiscal_year": current_fiscal_year()})
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["fiscal_year"]))
        return redirect("progress:board")
    fiscal_year = form.cleaned_data["fiscal_year"]
    rounds = services.round_create_for_year(
        organization=organization, fiscal_year=fiscal_year
    )
    messages.success(request, f"สร้างรอบการรายงานของปีงบประมาณ {fiscal_year} แล้ว")
    if fiscal_year == current_fiscal_year():
        return redirect("progress:board")
    # The board shows this year unless a round is chosen: show the new year's.
    return redirect(f"{reverse('progress:board')}?round={rounds[0].pk}")


def _group_bundles(request, reporting_round, group):
    projects = selectors.group_round_projects(
        reporting_round=reporting_round, group=group
    )
    projects = [p for p in projects if rules.can_report(request.user, p)]
    if not projects and not rules.can_report_group(request.user, group):
        raise PermissionDenied
    ids = [p.pk for p in projects]
    reports = selectors.reports_by_project(reporting_round, ids)
    previous = selectors.reports_by_project(
        selectors.previous_round(reporting_round), ids
    )
    data = request.POST if request.method == "POST" else None
    files = request.FILES if request.method == "POST" else None
    bundles = []
    for project in projects:
        report = reports.get(project.pk)
        editable = not reporting_round.is_locked and (
            report is None or report.state in ProgressReport.EDITABLE_STATES
        )
        # Files kept from a refused save come back only with a POST (the
        # re-shown page lists them; a fresh page has none to attach).
        kept = (
            services.kept_evidence_for(
                user=request.user,
                reporting_round=reporting_round,
                project_ids=[project.pk],
            )
            if data is not None
            else None
        )
        bundles.append(
            build_bundle(
                project, report, previous.get(project.pk), editable, data, files, kept
            )
        )
    # Returned reports first, then the screen's usual order.
    bundles.sort(key=lambda bundle: not bundle.is_returned)
    return bundles


def _save_bundles(request, reporting_round, bundles) -> bool:
    """Check every project the user touched, then save them all or none.

    ``submit`` names one project, or ``all`` for every project on the page.
    Nothing is written unless everything validates, and the service rolls
    the whole save back on any refusal: a failed save leaves every report at
    the version the screen was opened with, so the corrected save that
    follows is not refused as an edit conflict with the user's own attempt.
    Errors are shown once, in the summary at the top and under each field;
    only a save that worked gets a message (issue 18).
    """
    submit_id = request.POST.get("submit", "")
    touched = []
    for bundle in (b for b in bundles if b.editable):
        # A project missing from the POST (e.g. approved after the page was
        # loaded) is left alone rather than saved with blanks.
        if f"{bundle.prefix}-status" not in request.POST:
            continue
        bundle.submit = submit_id in ("all", str(bundle.project.pk))
        if bundle.wants_saving():
            touched.append(bundle)
    results = [bundle.is_valid() for bundle in touched]  # every error at once
    if not all(results):
        return False
    entries = [
        services.GroupEntry(
            project=bundle.project,
            values=bundle.draft_values(),
            files=bundle.evidence_form.cleaned_data["evidence"],
            submit=bundle.submit,
            kept=bundle.evidence_form.kept_files(),
            kept_removed=list(bundle.evidence_form.cleaned_data["kept_remove"]),
        )
        for bundle in touched
    ]
    try:
        services.group_reports_save(
            reporting_round=reporting_round, user=request.user, entries=entries
        )
    except (ValidationError, PermissionDenied) as error:
        bundle = next(b for b in touched if b.project.pk == error.project_id)
        if isinstance(error, EditConflict):
            # Someone else saved: keep what the user typed, and carry the
            # current version so a second save overwrites deliberately.
            bundle.form.data = bundle.form.data.copy()
            bundle.form.data[f"{bundle.prefix}-opened_version"] = error.current_version
        incomplete = getattr(error, "code", "") == "incomplete"
        field = "output_progress" if incomplete else None
        bundle.form.add_error(field, _error_text(error))
        return False
    messages.success(request, _saved_message(touched))
    return True


def _saved_message(saved) -> str:
    """One message for one save: what was submitted, then the drafts."""
    submitted = [bundle.project.name for bundle in saved if bundle.submit]
    drafts = len(saved) - len(submitted)
    files = sum(
        len(b.evidence_form.cleaned_data["evidence"])
        + len(b.evidence_form.kept_files())
        for b in saved
    )
    parts = []
    if submitted:
        names = ", ".join(f"“{name}”" for name in submitted)
        parts.append(f"ส่งรายงาน {names} แล้ว")
    if drafts or not saved:
        parts.append(f"บันทึกร่างแล้ว {drafts} โครงการ")
    if files:
        parts.append(f"แนบหลักฐาน {files} ไฟล์")
    return " · ".join(parts)


def _keep_files(request, reporting_round, bundles) -> int:
    """After a refused save: keep the checked files each project's picker
    sent (and drop the kept ones ticked "ลบ"), so the re-shown page lists
    them as ไฟล์ที่แนบไว้แล้ว and the corrected save attaches them.
    Returns how many files were kept now."""
    count = 0
    for bundle in bundles:
        form = bundle.evidence_form
        if not bundle.chosen_files and not form["kept_remove"].value():
            continue
        if not form.is_valid():  # a refused file: its message asks again
            continue
        try:
            services.kept_evidence_discard(
                kept=form.cleaned_data["kept_remove"], user=request.user
            )
            count += len(
                services.evidence_keep(
                    user=request.user,
                    reporting_round=reporting_round,
                    project=bundle.project,
                    files=form.cleaned_data["evidence"],
                )
            )
        except (ValidationError, PermissionDenied):
            continue  # not attachable now: the page says to choose again
    return count


@login_required
def group_round(request: HttpRequest, round_id: int, group_id: int) -> HttpResponse:
    """All of a group's projects for one round on one page.

    Templates: ``progress/group_round.html``.
    Context: ``round``, ``group``, ``bundles`` (see ``progress.forms.ProjectBundle``).
    """
    reporting_round = _get_round(request, round_id)
    group = get_object_or_404(
        OfficeGroup, pk=group_id, organization_id=reporting_round.organization_id
    )
    bundles = _group_bundles(request, reporting_round, group)
    if request.method == "POST" and not reporting_round.is_locked:
        if _save_bundles(request, reporting_round, bundles):
            return redirect(request.path)
        editable = [bundle for bundle in bundles if bundle.form]
        kept = _keep_files(request, reporting_round, editable)
        errors = [error for bundle in editable for error in bundle.errors()]
        files = sum(len(bundle.chosen_files) for bundle in editable) - kept
        context = {
            "round": reporting_round,
            "group": group,
            "bundles": bundles,
            "errors": errors,
            "files_again": ERROR_FILES_AGAIN.format(count=files) if files else "",
        }
        return render(request, "progress/group_round.html", context)
    context = {"round": reporting_round, "group": group, "bundles": bundles}
    return render(request, "progress/group_round.html", context)


@login_required
def report_detail(request: HttpRequest, report_id: int) -> HttpResponse:
    """One report in full, with evidence upload and its history.

    Templates: ``progress/report_detail.html``.
    """
    report = _get_report(request, report_id)
    context = {
        "report": report,
        "can_edit": report.is_editable
        and rules.can_report(request.user, report.project),
        "can_review": rules.can_review(request.user, report.round.organization_id)
        and report.state == ProgressReport.State.SUBMITTED
        and not report.round.is_locked,
        "evidence_form": EvidenceForm(),
        "return_form": ReturnForm(),
    }
    return render(request, "progress/report_detail.html", context)


@login_required
@require_POST
def evidence_upload(request: HttpRequest, report_id: int) -> HttpResponse:
    report = _get_report(request, report_id)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.evidence_add(
                report=report,
                user=request.user,
                file=form.cleaned_data["file"],
                caption=form.cleaned_data["caption"],
            )
            messages.success(request, "แนบหลักฐานแล้ว")
            return redirect("progress:report_detail", report.pk)
        except ValidationError as error:
            form.add_error("file", error)
        except PermissionDenied as error:
            messages.error(request, _error_text(error))
            return redirect("progress:report_detail", report.pk)
    context = {
        "report": report,
        "can_edit": True,
        "evidence_form": form,
        "return_form": ReturnForm(),
    }
    return render(request, "progress/report_detail.html", context, status=400)


@login_required
def evidence_file(request: HttpRequest, evidence_id: int) -> HttpResponse:
    evidence = get_object_or_404(Evidence, pk=evidence_id)
    _get_report(request, evidence.report_id)
    return FileResponse(evidence.file.open("rb"), filename=evidence.filename)


@login_required
@require_POST
def evidence_delete(request: HttpRequest, evidence_id: int) -> HttpResponse:
    evidence = get_object_or_404(Evidence, pk=evidence_id)
    _get_report(request, evidence.report_id)
    report = evidence.report
    try:
        services.evidence_delete(evidence=evidence, user=request.user)
        messages.success(request, "ลบหลักฐานแล้ว")
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _error_text(error))
    if request.GET.get("back") == "group":  # the button inside the group screen
        url = reverse(
            "progress:group_round", args=[report.round_id, report.project.group_id]
        )
        return redirect(f"{url}#project-{report.project_id}")
    return redirect("progress:report_detail", evidence.report_id)


@login_required
def review(request: HttpRequest, round_id: int) -> HttpResponse:
    """Submitted reports of a round, for planners to accept or return.

    Templates: ``progress/review.html``. Context: ``round``, ``reports``.
    """
    reporting_round = _get_round(request, round_id)
    if not rules.can_review(request.user, reporting_round.organization_id):
        raise PermissionDenied
    context = {
        "round": reporting_round,
        "reports": selectors.review_reports(reporting_round),
        "return_form": ReturnForm(),
    }
    return render(request, "progress/review.html", context)


def _review_action(request, report_id: int, action) -> HttpResponse:
    report = office_object_or_404(
        ProgressReport.objects.select_related("round", "project"),
        request.user,
        ERROR_NO_REPORT,
        pk=report_id,
    )
    try:
        action(report)
    except PermissionDenied:
        raise
    except ValidationError as error:
        messages.error(request, f"“{report.project.name}”: {_error_text(error)}")
    next_url = request.POST.get("next", "")
    if next_url != reverse("progress:report_detail", args=[report.pk]):
        next_url = reverse("progress:review", args=[report.round_id])
    return redirect(next_url)


@login_required
@require_POST
def report_accept(request: HttpRequest, report_id: int) -> HttpResponse:
    def accept(report):
        services.report_accept(
            report=report, user=request.user, comment=request.POST.get("comment", "")
        )
        messages.success(request, f"ตรวจรับ “{report.project.name}” แล้ว")

    return _review_action(request, report_id, accept)


@login_required
@require_POST
def report_return(request: HttpRequest, report_id: int) -> HttpResponse:
    def send_back(report):
        services.report_return(
            report=report, user=request.user, comment=request.POST.get("comment", "")
        )
        messages.success(request, f"ส่ง “{report.project.name}” กลับให้กลุ่มแก้ไขแล้ว")

    return _review_action(request, report_id, send_back)


ERROR_UNKNOWN_ROUND = "ไม่พบรอบรายงานที่เลือก (“{value}”) จึงแสดงรอบปัจจุบันแทน"
ERROR_NO_SUCH_ROUND = "ไม่พบรอบรายงานที่เลือกของสำนักงานนี้"


class UnknownRound(Exception):
    """``?round=`` names no round of the user's office."""


def _board_round(request: HttpRequest):
    """The office, all its rounds, the chosen round's year's and the chosen one.

    ``?round=<id>`` chooses any round of the user's office, of any fiscal year
    (the board's Excel link of a past round must give that round). Without
    it: this year's first open round. A value that is no round of the office
    raises :class:`UnknownRound`; 403 for users who may not read the board.
    """
    organization = user_office(request, rules.can_view_board, ERROR_NO_BOARD)
    chosen = request.GET.get("round", "").strip()
    selected = None
    if chosen:
        text = to_arabic_digits(chosen)
        if text.isascii() and text.isdigit() and len(text) < 10:  # not "²"
            selected = ReportingRound.objects.filter(
                organization=organization, pk=int(text)
            ).first()
        if selected is None:
            raise UnknownRound(chosen)
    fiscal_year = selected.fiscal_year if selected else current_fiscal_year()
    # Every year's rounds in one query: the board links the other years too.
    every_round = list(
        ReportingRound.objects.filter(organization=organization).order_by(
            "-fiscal_year", "number"
        )
    )
    rounds = [r for r in every_round if r.fiscal_year == fiscal_year]
    selected = selected or next((r for r in rounds if not r.is_locked), None)
    return organization, every_round, rounds, selected, fiscal_year


@login_required
def board(request: HttpRequest) -> HttpResponse:
    """Compliance board: who has reported for the round, who is late.

    Templates: ``progress/board.html``.
    Context: ``board`` (``progress.selectors.Board``), ``summary`` (its
    summary by group, the workbook's table), ``rounds``, ``can_remind``.
    """
    try:
        organization, every_round, rounds, selected, fiscal_year = _board_round(request)
    except UnknownRound as unknown:
        messages.warning(request, ERROR_UNKNOWN_ROUND.format(value=unknown.args[0]))
        return redirect("progress:board")
    board = selectors.board(selected) if selected else None
    context = {
        "rounds": rounds,
        "board": board,
        "summary": tables.board_summary_table(board),
        "can_remind": rules.can_review(request.user, organization),
        "fiscal_year": fiscal_year,
        "years": selectors.round_years(every_round),
        "round_form": RoundCreateForm(initial={"fiscal_year": fiscal_year}),
    }
    return render(request, "progress/board.html", context)


@login_required
def board_xlsx(request: HttpRequest) -> HttpResponse:
    """The board's tables as .xlsx, for the round the page shows (``?round=``);
    404 for a round that is not the office's (never another round silently)."""
    try:
        _, _, _, selected, fiscal_year = _board_round(request)
    except UnknownRound:
        raise Http404(ERROR_NO_SUCH_ROUND) from None
    board = selectors.board(selected) if selected else None
    return tables.board_response(board, fiscal_year)


@login_required
@require_POST
def remind(request: HttpRequest, round_id: int) -> HttpResponse:
    reporting_round = _get_round(request, round_id)
    results = services.round_send_reminders(
        reporting_round=reporting_round, user=request.user
    )
    sent = [result for result in results if result.sent]
    messages.success(request, f"ส่งอีเมลแจ้งเตือนแล้ว {len(sent)} กลุ่ม")
    for result in results:
        if result.reminder.without_email:
            names = ", ".join(result.reminder.without_email)
            messages.warning(
                request, f"{result.reminder.group.name}: ไม่มีอีเมลของ {names}"
            )
    return redirect(f"{reverse('progress:board')}?round={reporting_round.pk}")
