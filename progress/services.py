"""Writes for progress reporting. Each function checks who may do it and in which
state, records the step in ``ReportEvent`` (or ``RoundReopening``), and refuses
with ``PermissionDenied`` or ``ValidationError`` carrying a Thai message below,
changing nothing."""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskContext, task

from core.history import set_change_reason
from core.locking import check_edit_version
from core.models import TaskRecord
from core.services import (
    task_record_create,
    task_record_enqueue,
    task_record_note,
    task_run,
)
from core.thai import fiscal_year_range, thai_date
from progress import rules, selectors
from progress.models import (
    ActivityProgress,
    Evidence,
    KeptEvidence,
    KPIActual,
    ProgressReport,
    ReportEvent,
    ReportingRound,
    RoundReopening,
)
from progress.signals import round_locked
from progress.validators import evidence_kind
from projects.models import Project

ERROR_NOT_REPORTER = (
    "ท่านไม่มีสิทธิ์รายงานความก้าวหน้าของโครงการนี้ "
    "เฉพาะผู้อำนวยการกลุ่มที่รับผิดชอบหรือผู้รับผิดชอบโครงการเท่านั้น"
)
ERROR_NOT_REVIEWER = "เฉพาะนักวิเคราะห์นโยบายและแผนของสำนักงานเท่านั้นที่ตรวจรายงานได้"
ERROR_NOT_PLANNER = "เฉพาะนักวิเคราะห์นโยบายและแผนของสำนักงานเท่านั้นที่จัดการรอบการรายงานได้"
ERROR_ROUND_LOCKED = "รอบการรายงานนี้ปิดแล้ว แก้ไขได้เมื่อนักวิเคราะห์นโยบายและแผนเปิดรอบอีกครั้งเท่านั้น"
ERROR_ROUND_OUTSIDE_YEAR = "ข้อมูล ณ วันที่ต้องอยู่ในปีงบประมาณ {year} (1 ต.ค. – 30 ก.ย.)"
ERROR_ROUND_HAS_REPORTS = (
    "รอบการรายงานนี้มีรายงานความก้าวหน้าแล้ว {count} รายงาน "
    "จึงเปลี่ยนสำนักงาน ปีงบประมาณ หรือรอบที่ไม่ได้"
)
ERROR_ROUND_NOT_LOCKED = "รอบการรายงานนี้ยังเปิดอยู่"
ERROR_ROUND_ALREADY_LOCKED = "รอบการรายงานนี้ปิดไปแล้ว"
ERROR_REASON_REQUIRED = "กรุณาระบุเหตุผลการเปิดรอบการรายงานอีกครั้ง"
ERROR_NOT_EDITABLE = "รายงานนี้ส่งแล้ว กลุ่มจะแก้ไขได้อีกเมื่อถูกส่งกลับแก้ไขเท่านั้น"
ERROR_NOT_SUBMITTED = "ตรวจได้เฉพาะรายงานที่ส่งแล้วและรอตรวจ"
ERROR_COMMENT_REQUIRED = "กรุณาระบุสิ่งที่ต้องแก้ไขเมื่อส่งรายงานกลับ"
ERROR_PROJECT_NOT_APPROVED = "โครงการนี้ยังไม่ได้รับอนุมัติ จึงยังรายงานความก้าวหน้าไม่ได้"
ERROR_PROJECT_NOT_IN_ROUND = (
    "โครงการนี้ไม่อยู่ในแผนปฏิบัติการของสำนักงานและปีงบประมาณของรอบการรายงานนี้"
)
ERROR_SUBMIT_NEEDS_OUTPUT = "กรุณากรอกความก้าวหน้าต่อเป้าหมายเชิงผลผลิตก่อนส่งรายงาน"
ERROR_FOREIGN_ACTIVITY = "กิจกรรมนี้ไม่ใช่กิจกรรมของโครงการ"
ERROR_FOREIGN_KPI = "ตัวชี้วัดนี้ไม่ใช่ตัวชี้วัดของโครงการ"

#: Fields of ``ProgressReport`` the group edits.
REPORT_FIELDS = (
    "status",
    "percent_complete",
    "output_progress",
    "outcome_progress",
    "problems",
    "suggestions",
)


# ------------------------------------------------------------------ rounds


def _require_planner(user, organization) -> None:
    if not rules.can_review(user, organization):
        raise PermissionDenied(ERROR_NOT_PLANNER)


@transaction.atomic
def round_create_for_year(*, organization, fiscal_year: int) -> list[ReportingRound]:
    """The four rounds of ``fiscal_year`` with default due dates; idempotent.

    Existing rounds are kept as they are (their due dates may have been edited).
    """
    rounds = []
    for number in (1, 2, 3, 4):
        reporting_round, _ = ReportingRound.objects.get_or_create(
            organization=organization,
            fiscal_year=fiscal_year,
            number=number,
            defaults={
                "period_end": ReportingRound.default_period_end(fiscal_year, number),
                "due_date": ReportingRound.default_due_date(fiscal_year, number),
            },
        )
        rounds.append(reporting_round)
    return rounds


def round_validate(*, reporting_round: ReportingRound) -> None:
    """The rules of a round's own fields, besides the model's (number 1–4,
    due date not before the period end, one round of a number per year):

    - a locked round changes only after ``round_reopen`` (its reports were
      judged on these dates);
    - its data date falls in its fiscal year;
    - once reports are filed in it, it stays the round of its office, year
      and number (the reports say which quarter they cover).
    """
    before = (
        ReportingRound.objects.filter(pk=reporting_round.pk).first()
        if reporting_round.pk
        else None
    )
    if before is not None and before.is_locked:
        raise ValidationError(ERROR_ROUND_LOCKED, code="locked")
    if reporting_round.period_end and reporting_round.fiscal_year:
        start, end = fiscal_year_range(reporting_round.fiscal_year)
        if not start <= reporting_round.period_end <= end:
            raise ValidationError(
                {
                    "period_end": ERROR_ROUND_OUTSIDE_YEAR.format(
                        year=reporting_round.fiscal_year
                    )
                },
                code="outside_year",
            )
    if before is not None:
        moved = any(
            getattr(before, field) != getattr(reporting_round, field)
            for field in ("organization_id", "fiscal_year", "number")
        )
        count = before.reports.count() if moved else 0
        if count:
            raise ValidationError(
                ERROR_ROUND_HAS_REPORTS.format(count=count), code="has_reports"
            )


@transaction.atomic
def round_save(*, reporting_round: ReportingRound, user) -> ReportingRound:
    """Save a round's dates (the admin's form instance) for a planner of its
    office (and of the office it had), with :func:`round_validate`; history
    records ``user``. Locking and reopening stay with :func:`round_lock` and
    :func:`round_reopen`."""
    if reporting_round.pk:
        stored = ReportingRound.objects.select_for_update().get(pk=reporting_round.pk)
        _require_planner(user, stored.organization_id)
    _require_planner(user, reporting_round.organization_id)
    reporting_round.full_clean()
    round_validate(reporting_round=reporting_round)
    reporting_round._history_user = user
    reporting_round.save()
    return reporting_round


@transaction.atomic
def round_delete(*, reporting_round: ReportingRound, user) -> None:
    """Delete a round that is open (a locked one holds judged reports); one
    with reports is refused by its ``PROTECT`` key. History records ``user``."""
    _require_planner(user, reporting_round.organization_id)
    stored = ReportingRound.objects.select_for_update().get(pk=reporting_round.pk)
    if stored.is_locked:
        raise ValidationError(ERROR_ROUND_LOCKED, code="locked")
    reporting_round._history_user = user
    reporting_round.delete()


@transaction.atomic
def round_lock(*, reporting_round: ReportingRound, user) -> ReportingRound:
    _require_planner(user, reporting_round.organization_id)
    if reporting_round.is_locked:
        raise ValidationError(ERROR_ROUND_ALREADY_LOCKED, code="locked")
    reporting_round.status = ReportingRound.Status.LOCKED
    reporting_round.locked_at = timezone.now()
    reporting_round.locked_by = user
    reporting_round.save(update_fields=["status", "locked_at", "locked_by"])
    round_locked.send(sender=ReportingRound, reporting_round=reporting_round, user=user)
    return reporting_round


@transaction.atomic
def round_reopen(
    *, reporting_round: ReportingRound, user, reason: str
) -> RoundReopening:
    """Open a locked round again, recording who, when and why.

    The reason is also written to the history of every report of the round.
    """
    _require_planner(user, reporting_round.organization_id)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(ERROR_REASON_REQUIRED, code="reason_required")
    if not reporting_round.is_locked:
        raise ValidationError(ERROR_ROUND_NOT_LOCKED, code="not_locked")
    reporting_round.status = ReportingRound.Status.OPEN
    reporting_round.locked_at = None
    reporting_round.locked_by = None
    set_change_reason(reporting_round, f"เปิดรอบอีกครั้ง: {reason}")
    reporting_round.save(update_fields=["status", "locked_at", "locked_by"])
    reopening = RoundReopening.objects.create(
        round=reporting_round, reopened_by=user, reason=reason
    )
    ReportEvent.objects.bulk_create(
        ReportEvent(
            report=report, action=ReportEvent.Action.REOPEN, actor=user, comment=reason
        )
        for report in reporting_round.reports.all()
    )
    return reopening


# ------------------------------------------------------------------ reports


def _check_can_edit(*, project: Project, reporting_round: ReportingRound, user) -> None:
    if not rules.can_report(user, project):
        raise PermissionDenied(ERROR_NOT_REPORTER)
    if (
        project.plan.organization_id != reporting_round.organization_id
        or project.plan.fiscal_year != reporting_round.fiscal_year
    ):
        raise ValidationError(ERROR_PROJECT_NOT_IN_ROUND, code="wrong_round")
    if project.status != Project.Status.APPROVED:
        raise ValidationError(ERROR_PROJECT_NOT_APPROVED, code="not_approved")
    if reporting_round.is_locked:
        raise ValidationError(ERROR_ROUND_LOCKED, code="round_locked")


def _copy_previous(report: ProgressReport) -> None:
    """Pre-fill a new report from the same project's report of the round before."""
    before = selectors.previous_round(report.round)
    previous = (
        ProgressReport.objects.filter(round=before, project_id=report.project_id)
        .prefetch_related("activity_progress", "kpi_actuals")
        .first()
        if before
        else None
    )
    if previous is None:
        return
    for name in REPORT_FIELDS:
        setattr(report, name, getattr(previous, name))
    report.save()
    ActivityProgress.objects.bulk_create(
        ActivityProgress(
            report=report,
            activity_id=item.activity_id,
            state=item.state,
            note=item.note,
            on_date=item.on_date,
        )
        for item in previous.activity_progress.all()
    )
    KPIActual.objects.bulk_create(
        KPIActual(
            report=report,
            kpi_id=item.kpi_id,
            actual_value=item.actual_value,
            actual_text=item.actual_text,
            achieved_verdict=item.achieved_verdict,
            level_evidence=item.level_evidence,
        )
        for item in previous.kpi_actuals.all()
    )


def report_edit_validate(
    *, project: Project, reporting_round: ReportingRound, user, report=None
) -> None:
    """Whether ``user`` may save ``project``'s report of ``reporting_round``
    now: the checks of the group's screen (who reports, the round's office
    and year, an approved project, an open round, a report not submitted).
    Raises like the services; the admin form shows them as form errors."""
    _check_can_edit(project=project, reporting_round=reporting_round, user=user)
    if report is not None and report.state not in ProgressReport.EDITABLE_STATES:
        raise ValidationError(ERROR_NOT_EDITABLE, code="not_editable")


@transaction.atomic
def report_start(
    *, project: Project, reporting_round: ReportingRound, user
) -> ProgressReport:
    """The project's report for the round, created (pre-filled) if missing."""
    _check_can_edit(project=project, reporting_round=reporting_round, user=user)
    report, created = ProgressReport.objects.get_or_create(
        project=project, round=reporting_round, defaults={"updated_by": user}
    )
    if created:
        _copy_previous(report)
    report._created_now = created
    return report


@transaction.atomic
def report_save_draft(
    *,
    project: Project,
    reporting_round: ReportingRound,
    user,
    fields: dict | None = None,
    activities: dict[int, dict] | None = None,
    kpis: dict[int, dict] | None = None,
    expected_version: int | None = None,
    comment: str = "",
) -> ProgressReport:
    """Save what the group typed, even partly: only the keys given change.

    ``fields`` holds report fields (see ``REPORT_FIELDS``); ``activities``
    maps activity id → ``state``/``note``/``on_date``; ``kpis`` maps KPI id →
    ``actual_value``/``actual_text``/``achieved_verdict`` (the recorded
    verdict of a text or level result)/``level_evidence``.
    ``expected_version`` is the report's
    ``edit_version`` when the screen was opened (-1: there was no report);
    if someone saved since, ``core.locking.EditConflict`` is raised.
    """
    report = report_start(project=project, reporting_round=reporting_round, user=user)
    if expected_version is not None and not report._created_now:
        check_edit_version(report, expected_version)
    if report.state not in ProgressReport.EDITABLE_STATES:
        raise ValidationError(ERROR_NOT_EDITABLE, code="not_editable")
    for name, value in (fields or {}).items():
        if name in REPORT_FIELDS:
            setattr(report, name, value)
    report.updated_by = user
    # Field validators only: the percent range and the choices.
    report.full_clean(
        exclude=["round", "project", "submitted_by", "updated_by"],
        validate_unique=False,
        validate_constraints=False,
    )
    report._history_user = user
    report.save()
    _save_lines(report, activities=activities, kpis=kpis)
    ReportEvent.objects.create(
        report=report, action=ReportEvent.Action.SAVE, actor=user, comment=comment
    )
    return report


def _save_lines(
    report: ProgressReport,
    *,
    activities=None,
    kpis=None,
    remove_activities=(),
    remove_kpis=(),
) -> None:
    """Write (or remove) the per-activity and per-KPI rows of ``report``;
    only the project's own activities and KPIs."""
    project = report.project
    activity_ids = set(project.activities.values_list("pk", flat=True))
    if remove_activities:
        ActivityProgress.objects.filter(
            report=report, activity_id__in=list(remove_activities)
        ).delete()
    for activity_id, values in (activities or {}).items():
        if activity_id not in activity_ids:
            raise ValidationError(ERROR_FOREIGN_ACTIVITY, code="foreign_activity")
        ActivityProgress.objects.update_or_create(
            report=report, activity_id=activity_id, defaults=values
        )
    kpi_ids = set(project.kpis.values_list("pk", flat=True))
    if remove_kpis:
        KPIActual.objects.filter(report=report, kpi_id__in=list(remove_kpis)).delete()
    for kpi_id, values in (kpis or {}).items():
        if kpi_id not in kpi_ids:
            raise ValidationError(ERROR_FOREIGN_KPI, code="foreign_kpi")
        KPIActual.objects.update_or_create(
            report=report, kpi_id=kpi_id, defaults=values
        )


@transaction.atomic
def report_save_lines(
    *,
    report: ProgressReport,
    user,
    activities: dict[int, dict] | None = None,
    kpis: dict[int, dict] | None = None,
    remove_activities=(),
    remove_kpis=(),
) -> ProgressReport:
    """The activity and KPI rows of a report on their own (the admin's
    inlines, saved after :func:`report_save_draft` has saved the report and
    recorded the save), with the same checks."""
    report_edit_validate(
        project=report.project,
        reporting_round=report.round,
        user=user,
        report=report,
    )
    _save_lines(
        report,
        activities=activities,
        kpis=kpis,
        remove_activities=remove_activities,
        remove_kpis=remove_kpis,
    )
    return report


@transaction.atomic
def report_submit(*, report: ProgressReport, user) -> ProgressReport:
    _check_can_edit(project=report.project, reporting_round=report.round, user=user)
    if report.state not in ProgressReport.EDITABLE_STATES:
        raise ValidationError(ERROR_NOT_EDITABLE, code="not_editable")
    # A project not started yet has no progress to describe: its report is
    # complete with the status alone (no percent, output or KPI results).
    not_started = report.status == ProgressReport.Status.NOT_STARTED
    if not not_started and not report.output_progress.strip():
        raise ValidationError(ERROR_SUBMIT_NEEDS_OUTPUT, code="incomplete")
    report.state = ProgressReport.State.SUBMITTED
    report.submitted_at = timezone.now()
    report.submitted_by = user
    report.save(update_fields=["state", "submitted_at", "submitted_by", "updated_at"])
    ReportEvent.objects.create(
        report=report, action=ReportEvent.Action.SUBMIT, actor=user
    )
    return report


@dataclass
class GroupEntry:
    """One project of a save on the group's screen: what to write, the files
    to attach, and whether to submit it."""

    project: Project
    values: dict
    files: list = field(default_factory=list)
    submit: bool = False
    #: Files kept from a refused save (:func:`evidence_keep`), attached too,
    #: and those the user removed from the list.
    kept: list = field(default_factory=list)
    kept_removed: list = field(default_factory=list)


@transaction.atomic
def group_reports_save(
    *, reporting_round: ReportingRound, user, entries: list[GroupEntry]
) -> list[ProgressReport]:
    """Save the group screen's projects all together or not at all.

    Each entry is saved as a draft (:func:`report_save_draft`, with its
    version check), its evidence files attached, and submitted if asked.
    The first refusal rolls every project back, so a failed save leaves no
    draft half written and no ``edit_version`` moved: the screen re-shows
    the versions it was opened at, and the user's corrected save is not
    mistaken for someone else's (issue 18). The refusal is re-raised with
    ``project_id`` set to the project it concerns.
    """
    reports = []
    for entry in entries:
        try:
            report = report_save_draft(
                project=entry.project,
                reporting_round=reporting_round,
                user=user,
                **entry.values,
            )
            for file in entry.files:
                evidence_add(report=report, user=user, file=file)
            for kept in entry.kept:
                _attach_kept(kept, report=report, user=user)
            kept_evidence_discard(kept=entry.kept_removed, user=user)
            if entry.submit:
                report = report_submit(report=report, user=user)
        except (ValidationError, PermissionDenied) as error:
            error.project_id = entry.project.pk
            raise
        reports.append(report)
    return reports


def _check_review(report: ProgressReport, user) -> None:
    if not rules.can_review(user, report.round.organization_id):
        raise PermissionDenied(ERROR_NOT_REVIEWER)
    if report.round.is_locked:
        raise ValidationError(ERROR_ROUND_LOCKED, code="round_locked")
    if report.state != ProgressReport.State.SUBMITTED:
        raise ValidationError(ERROR_NOT_SUBMITTED, code="not_submitted")


@transaction.atomic
def report_return(*, report: ProgressReport, user, comment: str) -> ProgressReport:
    comment = (comment or "").strip()
    _check_review(report, user)
    if not comment:
        raise ValidationError(ERROR_COMMENT_REQUIRED, code="comment_required")
    report.state = ProgressReport.State.RETURNED
    set_change_reason(report, f"ส่งกลับแก้ไข: {comment}")
    report.save(update_fields=["state", "updated_at"])
    ReportEvent.objects.create(
        report=report, action=ReportEvent.Action.RETURN, actor=user, comment=comment
    )
    return report


@transaction.atomic
def report_accept(*, report: ProgressReport, user, comment: str = "") -> ProgressReport:
    _check_review(report, user)
    report.state = ProgressReport.State.ACCEPTED
    report.save(update_fields=["state", "updated_at"])
    ReportEvent.objects.create(
        report=report,
        action=ReportEvent.Action.ACCEPT,
        actor=user,
        comment=(comment or "").strip(),
    )
    return report


@transaction.atomic
def evidence_add(*, report: ProgressReport, user, file, caption: str = "") -> Evidence:
    """Attach a checked photo, PDF, Word or Excel file to an editable report."""
    _check_can_edit(project=report.project, reporting_round=report.round, user=user)
    if report.state not in ProgressReport.EDITABLE_STATES:
        raise ValidationError(ERROR_NOT_EDITABLE, code="not_editable")
    kind = evidence_kind(file)
    return Evidence.objects.create(
        report=report,
        file=file,
        kind=kind,
        caption=caption.strip(),
        size=file.size,
        uploaded_by=user,
    )


# ------------------------------------------------------------------ kept files
#
# A save of the group's screen that is refused (a field to fix) writes
# nothing, and the re-shown page cannot refill its file inputs. The evidence
# files of that save are kept (``KeptEvidence``: the user's, for one round
# and project) and listed as "ไฟล์ที่แนบไว้แล้ว"; the corrected save
# attaches them as evidence through :func:`evidence_add`.

ERROR_KEPT_NOT_YOURS = "ไม่พบไฟล์ที่แนบไว้ (หมดอายุหรือไม่ใช่ของคุณ) กรุณาเลือกไฟล์อีกครั้ง"
#: A kept file nobody came back for is deleted after this (the scheduler).
KEPT_MAX_AGE = datetime.timedelta(days=1)


def kept_evidence_for(*, user, reporting_round: ReportingRound, project_ids):
    """The user's kept files of a round, for these projects only."""
    return KeptEvidence.objects.filter(
        user=user, round=reporting_round, project_id__in=list(project_ids)
    )


@transaction.atomic
def evidence_keep(
    *, user, reporting_round: ReportingRound, project: Project, files
) -> list[KeptEvidence]:
    """Keep the checked files of a refused save for the user's next save.

    Only a file the user could attach now is kept: the same permission and
    round checks and the same content check as :func:`evidence_add`.
    """
    _check_can_edit(project=project, reporting_round=reporting_round, user=user)
    kept = []
    for file in files:
        evidence_kind(file)
        file.seek(0)
        kept.append(
            KeptEvidence.objects.create(
                user=user,
                round=reporting_round,
                project=project,
                file=file,
                name=file.name.rsplit("/", 1)[-1][:255],
                size=file.size,
            )
        )
    return kept


def _check_kept(kept: KeptEvidence, *, user, report: ProgressReport) -> None:
    if (
        kept.user_id != user.pk
        or kept.round_id != report.round_id
        or kept.project_id != report.project_id
    ):
        raise PermissionDenied(ERROR_KEPT_NOT_YOURS)


def _attach_kept(kept: KeptEvidence, *, report: ProgressReport, user) -> Evidence:
    """A kept file becomes the report's evidence (stored again under the
    report, checked again); the kept copy goes once the save commits."""
    _check_kept(kept, user=user, report=report)
    with kept.file.open("rb") as stored:
        evidence = evidence_add(
            report=report, user=user, file=File(stored, name=kept.name)
        )
    kept_evidence_discard(kept=[kept], user=user)
    return evidence


@transaction.atomic
def kept_evidence_discard(*, kept, user) -> int:
    """Remove kept files (the user's own: "ลบ" on the list, or attached);
    their stored copies are deleted after the commit."""
    removed = 0
    for item in kept:
        if item.user_id != user.pk:
            raise PermissionDenied(ERROR_KEPT_NOT_YOURS)
        storage, name = item.file.storage, item.file.name
        item.delete()
        transaction.on_commit(lambda storage=storage, name=name: storage.delete(name))
        removed += 1
    return removed


def kept_evidence_prune(*, max_age: datetime.timedelta = KEPT_MAX_AGE) -> int:
    """Delete kept files nobody came back for (``run_scheduled_tasks``);
    returns how many."""
    removed = 0
    old = KeptEvidence.objects.filter(kept_at__lt=timezone.now() - max_age)
    for item in old:
        item.file.delete(save=False)
        item.delete()
        removed += 1
    return removed


@transaction.atomic
def evidence_update(*, evidence: Evidence, user, caption: str) -> Evidence:
    """Change the caption of a piece of evidence of an editable report."""
    report = evidence.report
    report_edit_validate(
        project=report.project, reporting_round=report.round, user=user, report=report
    )
    evidence.caption = (caption or "").strip()
    evidence._history_user = user
    evidence.save(update_fields=["caption"])
    return evidence


@transaction.atomic
def evidence_delete(*, evidence: Evidence, user) -> None:
    report = evidence.report
    _check_can_edit(project=report.project, reporting_round=report.round, user=user)
    if report.state not in ProgressReport.EDITABLE_STATES:
        raise ValidationError(ERROR_NOT_EDITABLE, code="not_editable")
    evidence.file.delete(save=False)
    evidence.delete()


# ------------------------------------------------------------------ reminders


@dataclass
class SentReminder:
    reminder: selectors.Reminder
    subject: str
    body: str
    sent: bool


def reminder_text(
    reminder: selectors.Reminder, reporting_round: ReportingRound
) -> tuple[str, str]:
    """Subject and body of the Thai reminder e-mail to one group."""
    subject = (
        f"แจ้งเตือนการรายงานความก้าวหน้าโครงการ {reporting_round.label} "
        f"ปีงบประมาณ พ.ศ. {reporting_round.fiscal_year} – {reminder.group.name}"
    )
    lines = [
        f"เรียน ผู้อำนวยการ{reminder.group.name} และผู้รับผิดชอบโครงการ",
        "",
        f"{reporting_round.organization.name} ขอแจ้งว่าโครงการของกลุ่มต่อไปนี้"
        f"ยังไม่ได้ส่งรายงานความก้าวหน้า{reporting_round.label} "
        f"(ข้อมูล ณ วันที่ {thai_date(reporting_round.period_end)}) "
        f"ซึ่งกำหนดส่งภายในวันที่ {thai_date(reporting_round.due_date)}",
        "",
    ]
    for number, row in enumerate(reminder.rows, start=1):
        lines.append(f"{number}. {row.project.name} ({row.state_label})")
    url = getattr(settings, "PHAEN_BASE_URL", "").rstrip("/") + reverse(
        "progress:group_round",
        kwargs={"round_id": reporting_round.pk, "group_id": reminder.group.pk},
    )
    lines += [
        "",
        f"กรุณารายงานได้ที่ {url}",
        "",
        "กลุ่มนโยบายและแผน",
        reporting_round.organization.name,
    ]
    return subject, "\n".join(lines)


def round_send_reminders(
    *,
    reporting_round: ReportingRound,
    user=None,
    dry_run: bool = False,
    today: datetime.date | None = None,
    already=frozenset(),
    sent_to=None,
) -> list[SentReminder]:
    """E-mail every group with missing, draft or returned reports.

    ``user`` (when given, e.g. from the board) must be a planner of the office;
    the management command passes none. With ``dry_run`` nothing is sent.
    The day's task passes the ids of the groups an earlier attempt reached
    (``already``: skipped, counted as sent) and ``sent_to(group_id)``, told
    after each e-mail, so a retry after a failure halfway through the groups
    never sends a group the same reminder twice.
    """
    if user is not None:
        _require_planner(user, reporting_round.organization_id)
    results = []
    for reminder in selectors.reminders(reporting_round, today):
        subject, body = reminder_text(reminder, reporting_round)
        sent = reminder.group.pk in already
        if reminder.recipients and not dry_run and not sent:
            EmailMessage(subject=subject, body=body, to=reminder.recipients).send()
            sent = True
            if sent_to is not None:
                sent_to(reminder.group.pk)
        results.append(SentReminder(reminder, subject, body, sent))
    return results


# ------------------------------------------------------------------ scheduled
#
# Reminders are sent by a task per round and day, enqueued by the scheduled
# command (``manage.py run_scheduled_tasks``, from cron or a systemd timer):
# the days come from each open round's due date and
# ``settings.PHAEN_REMINDER_DAYS``; the task record's key (round and day)
# makes a second run of the scheduler that day enqueue nothing.


def reminders_due(today: datetime.date) -> list[ReportingRound]:
    """Open rounds whose due date is one of ``PHAEN_REMINDER_DAYS`` days
    from ``today`` (0: the due date; negative: days after it)."""
    days = set(settings.PHAEN_REMINDER_DAYS)
    return [
        reporting_round
        for reporting_round in ReportingRound.objects.open()
        .select_related("organization")
        .order_by("organization_id", "number")
        if (reporting_round.due_date - today).days in days
    ]


def reminders_key(reporting_round: ReportingRound, today: datetime.date) -> str:
    return f"reminders:{reporting_round.pk}:{today.isoformat()}"


def reminders_schedule(*, today: datetime.date | None = None) -> list[TaskRecord]:
    """Enqueue one reminder task per round due today that has none yet
    (idempotent: the record's key is the round and the day); returns the
    records of the tasks enqueued now."""
    today = today or timezone.localdate()
    enqueued = []
    for reporting_round in reminders_due(today):
        record, created = task_record_create(
            kind=TaskRecord.Kind.REMINDERS,
            organization_id=reporting_round.organization_id,
            title=(
                f"แจ้งเตือนรายงานความก้าวหน้า{reporting_round.get_number_display()} "
                f"ปีงบประมาณ {reporting_round.fiscal_year} วันที่ {thai_date(today)}"
            ),
            key=reminders_key(reporting_round, today),
        )
        if created:
            args = (record.pk, reporting_round.pk, today.isoformat())
            enqueued.append(
                task_record_enqueue(record=record, task=send_round_reminders, args=args)
            )
    return enqueued


#: The result key of a reminder task's record: the groups its e-mail reached.
SENT_GROUPS = "sent_groups"


@task(takes_context=True)
def send_round_reminders(
    context: TaskContext, record_id: int, round_id: int, day: str
) -> dict | None:
    """E-mail one round's reminders (:func:`round_send_reminders`), counting
    groups on the record; an error is retried once, then kept in Thai.

    Each group reached is written on the record (its key is the round and
    the day) right after its e-mail, outside any transaction: the retry, or
    a run after a dead worker, skips those groups. A worker killed between
    an e-mail and its note sends that one group again: once too often beats
    never."""
    today = datetime.date.fromisoformat(day)

    def work(record):
        reporting_round = ReportingRound.objects.select_related("organization").get(
            pk=round_id
        )
        if reporting_round.status != ReportingRound.Status.OPEN:
            return {"sent": 0, "groups": 0, "locked": True}
        reached = list(record.result.get(SENT_GROUPS, []))

        def sent_to(group_id: int) -> None:
            reached.append(group_id)
            task_record_note(record=record, done=len(reached), **{SENT_GROUPS: reached})

        results = round_send_reminders(
            reporting_round=reporting_round,
            today=today,
            already=set(reached),
            sent_to=sent_to,
        )
        sent = sum(result.sent for result in results)
        record.rows_total = len(results)
        return {"sent": sent, "groups": len(results)}

    return task_run(
        context=context,
        task=send_round_reminders,
        record_id=record_id,
        args=(record_id, round_id, day),
        work=work,
    )
