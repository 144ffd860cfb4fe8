"""Writes of the plan book's own text and of the strategy indicators' results.

The book's written sections (foreword, Part 1, Part 4, appendix) and the
yearly results are the office's: its admins and planners write them
(``core.rules.can_manage_office``, as the admin screens already allowed).
A section is part of the plan it belongs to: once that plan is approved,
its book is the approved document, so the text changes only after the plan
is reopened for a revision (``plans.services.plan_start_revision``), like
its direction.
"""

import datetime
import logging
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.dispatch import receiver
from django.utils import timezone
from django_tasks import TaskContext, task

from core.services import require_office_manager
from plans.services import plan_ensure_editable
from plans.signals import plan_approved
from progress.signals import round_locked
from reports import documents
from reports.digits import chosen_digits
from reports.documents import DocumentSpec
from reports.models import BookSection, DocumentJob, IndicatorResult


def _stored(obj):
    if obj.pk is None:
        return None
    return type(obj)._default_manager.filter(pk=obj.pk).first()


def book_section_validate(*, section: BookSection) -> None:
    """The plan the section is in (and was in) is not approved."""
    before = _stored(section)
    if before is not None:
        plan_ensure_editable(before.plan)
    if section.plan_id:
        plan_ensure_editable(section.plan)


@transaction.atomic
def book_section_save(*, section: BookSection, user) -> BookSection:
    """Save a written section of the plan book of an office the user
    manages, in a plan that is not approved (:func:`book_section_validate`)."""
    before = _stored(section)
    offices = [section.plan.organization_id]
    if before is not None:
        offices.append(before.plan.organization_id)
    require_office_manager(user, *offices, what="เนื้อหาเล่มแผน")
    section.full_clean()
    book_section_validate(section=section)
    section.save()
    return section


@transaction.atomic
def book_section_delete(*, section: BookSection, user) -> None:
    require_office_manager(user, section.plan.organization_id, what="เนื้อหาเล่มแผน")
    plan_ensure_editable(section.plan)
    section.delete()


def _office_of(result: IndicatorResult):
    return result.indicator.strategy.plan.organization_id


@transaction.atomic
def indicator_result_save(*, result: IndicatorResult, user) -> IndicatorResult:
    """Save a year's result of an indicator of an office the user manages
    (and, when the indicator changes, managed the old one's office too).
    Results are recorded after the year, in an approved plan: no plan lock."""
    before = _stored(result)
    offices = [_office_of(result)]
    if before is not None:
        offices.append(_office_of(before))
    require_office_manager(user, *offices, what="ผลตามตัวชี้วัดกลยุทธ์")
    result.full_clean()
    result.save()
    return result


@transaction.atomic
def indicator_result_delete(*, result: IndicatorResult, user) -> None:
    require_office_manager(user, _office_of(result), what="ผลตามตัวชี้วัดกลยุทธ์")
    result.delete()


# ------------------------------------------------------------------ render jobs
#
# A document is laid out by a task of Django's Tasks API (the django-tasks
# backport; ``django.tasks`` from Django 6 on) in a worker (``manage.py
# db_worker``, or ``rqworker`` with Redis), not inside the web request that
# asked for it: the 60-project plan book takes 13-16 s. The task is here,
# beside the writes of its progress record (DocumentJob, one per cache key),
# so the record is written by this module only.

logger = logging.getLogger(__name__)

#: The task is tried this many times before its error is shown.
RENDER_ATTEMPTS = 2
#: Parts of a render: the data and HTML, the layout, the stored file.
RENDER_PARTS = 3
ERROR_RENDER_FAILED = (
    "สร้างเอกสารไม่สำเร็จ ระบบลองสร้าง {attempts} ครั้งแล้ว ({reason}) "
    "กรุณากด “ลองใหม่” หากยังไม่สำเร็จโปรดแจ้งผู้ดูแลระบบ"
)


ERROR_QUEUE_DOWN = (
    "สร้างเอกสารไม่สำเร็จ ระบบคิวงานเบื้องหลังไม่ตอบสนอง "
    "กรุณากด “ลองใหม่” ในอีกสักครู่ หากยังไม่สำเร็จโปรดแจ้งผู้ดูแลระบบ"
)


def _claim(job: DocumentJob) -> bool:
    """Set ``job`` back to queued if nobody did since it was read (two clicks
    at once start one render)."""
    claimed = DocumentJob.objects.filter(
        pk=job.pk, state=job.state, updated_at=job.updated_at
    ).update(
        state=DocumentJob.State.QUEUED,
        parts_done=0,
        attempts=0,
        error="",
        task_id="",
        finished_at=None,
        updated_at=timezone.now(),
    )
    return claimed == 1


def document_job_request(*, spec: DocumentSpec, retry: bool = False) -> DocumentJob:
    """The render of ``spec``: the running one, or a new task when there is
    none, the last one died (``job.stale``: :class:`core.models.Heartbeat`,
    the rule the import and reminder records share) or failed and ``retry``
    is asked.

    Not atomic on purpose: the record is committed before the task is
    enqueued, so a worker (another process) always finds it.
    """
    defaults = {
        "kind": spec.kind,
        "title": spec.title[:255],
        "organization_id": spec.organization_id,
        "parts_total": RENDER_PARTS,
    }
    try:
        job, created = DocumentJob.objects.get_or_create(
            key=spec.key, defaults=defaults
        )
    except IntegrityError:  # the other click created it first
        job, created = DocumentJob.objects.get(key=spec.key), False
    if not created:
        State = DocumentJob.State
        again = (
            (job.state == State.FAILED and retry)
            or job.stale
            or (job.state == State.DONE and spec.stored() is None)
        )
        if not (again and _claim(job)):
            return job
    _enqueue(job, spec)
    job.refresh_from_db()
    return job


def _enqueue(job: DocumentJob, spec: DocumentSpec) -> None:
    try:
        result = render_document.enqueue(
            job.pk, spec.kind, spec.pk, spec.digits, spec.params
        )
    except Exception:  # the queue is down (Redis stopped): a message, not a 500
        logger.exception("cannot enqueue the render of %s", spec.key)
        DocumentJob.objects.filter(pk=job.pk).update(
            state=DocumentJob.State.FAILED,
            error=ERROR_QUEUE_DOWN,
            finished_at=timezone.now(),
            updated_at=timezone.now(),
        )
        return
    # unless a worker (or the immediate backend) has already set it
    DocumentJob.objects.filter(pk=job.pk, task_id="").update(task_id=str(result.id))


def document_job_started(*, job_id: int, task_id: str) -> DocumentJob:
    """A worker took the task: one more attempt, no part done yet."""
    job = DocumentJob.objects.get(pk=job_id)
    job.state = DocumentJob.State.RUNNING
    job.attempts += 1
    job.parts_done = 0
    job.parts_total = RENDER_PARTS
    job.error = ""
    job.task_id = task_id
    job.save()
    return job


def document_job_progress(
    *, job: DocumentJob, parts_done: int, parts_total: int | None = None
) -> None:
    """One more part done (also the heartbeat ``job.stale`` reads);
    ``parts_total`` once a book knows how many parts it is laid out in."""
    job.parts_done = parts_done
    fields = ["parts_done", "updated_at"]
    if parts_total is not None:
        job.parts_total = parts_total
        fields.append("parts_total")
    job.save(update_fields=fields)


def document_job_done(*, job: DocumentJob) -> None:
    job.state = DocumentJob.State.DONE
    job.parts_done = job.parts_total
    job.finished_at = timezone.now()
    job.save()


def document_job_failed(*, job: DocumentJob, error: BaseException) -> bool:
    """Record a failed attempt; True when the task should run once more."""
    if job.attempts < RENDER_ATTEMPTS:
        job.state = DocumentJob.State.QUEUED
        job.save(update_fields=["state", "updated_at"])
        return True
    job.state = DocumentJob.State.FAILED
    job.error = ERROR_RENDER_FAILED.format(
        attempts=job.attempts, reason=type(error).__name__
    )
    job.finished_at = timezone.now()
    job.save()
    return False


# The two receivers below are connected when this module is imported, which
# django.setup() does in every process (web, commands, workers): the admin's
# autodiscovery imports reports.admin, which imports this module.


@receiver(plan_approved, dispatch_uid="reports.prerender_plan_book")
def prerender_plan_book(*, plan, **_signal) -> None:
    """Start the approved plan book's render once the approval is committed
    (``plans.signals.plan_approved``): the director's click finds it ready."""
    if settings.PHAEN_DOCUMENT_PRERENDER:
        spec = documents.plan_book_spec(plan, chosen_digits(None))
        transaction.on_commit(lambda: document_job_request(spec=spec))


@receiver(round_locked, dispatch_uid="reports.prerender_progress")
def prerender_progress(*, reporting_round, **_signal) -> None:
    """Start a locked round's progress report render on commit
    (``progress.signals.round_locked``)."""
    if settings.PHAEN_DOCUMENT_PRERENDER:
        spec = documents.progress_spec(reporting_round, chosen_digits(None))
        transaction.on_commit(lambda: document_job_request(spec=spec))


@task(takes_context=True)
def render_document(
    context: TaskContext, job_id: int, kind: str, pk: int, digits: str, params: dict
) -> str:
    """Render one document (:func:`reports.documents.spec_for`), store it
    atomically (:meth:`~reports.documents.DocumentSpec.store`) and return the
    file's name; on an error run once more, then keep the error for the user."""
    job = document_job_started(job_id=job_id, task_id=str(context.task_result.id))
    try:
        spec = documents.spec_for(kind, pk, digits, params)
        documents.warm_up(spec)
        document = spec.build()
        document_job_progress(job=job, parts_done=1)

        def laid_out(done: int, total: int) -> None:
            # a book in parts: the data, each part, then the stored file
            document_job_progress(job=job, parts_done=1 + done, parts_total=total + 2)

        content = document.render(progress=laid_out)
        document_job_progress(job=job, parts_done=job.parts_total - 1)
        path = spec.store(content)
    except Exception as error:
        logger.exception("render of %s %s failed (job %s)", kind, pk, job_id)
        if document_job_failed(job=job, error=error):
            render_document.enqueue(job_id, kind, pk, digits, params)
            return ""
        raise
    document_job_done(job=job)
    return path.name


def document_jobs_prune(*, days: int, now=None) -> tuple[int, int]:
    """Delete document records and rendered PDFs older than ``days`` (the
    scheduled command); returns (records, files). A document still asked for
    is rendered again on its next download."""
    now = now or timezone.now()
    oldest = now - datetime.timedelta(days=days)
    records, _ = DocumentJob.objects.filter(updated_at__lt=oldest).delete()
    files = 0
    folder = Path(settings.PHAEN_DOCUMENT_DIR)
    if folder.is_dir():
        for path in folder.rglob("*.pdf"):
            try:
                if path.stat().st_mtime < oldest.timestamp():
                    path.unlink()
                    files += 1
            except FileNotFoundError:  # removed by another process meanwhile
                continue
    return records, files
