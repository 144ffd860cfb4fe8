"""The workbook imports as background tasks (Django's Tasks API).

An upload is parsed in the request (a file that cannot be read is refused on
the form at once), then its check (the dry run: every error, the diff, the
envelope warnings) and its confirm (the real run, all or nothing in one
transaction) each run as a task in a worker, not in the web request: a
large plan workbook takes longer than a browser should wait. Each task writes
its progress record (:class:`core.models.TaskRecord`, rows done of rows
total) as the importer goes and, when done, the page it shows (the preview or
the result, rendered here from the importer's result, which holds model
objects and so is not kept as data). The waiting page polls the record.
"""

from dataclasses import asdict, dataclass, field

from django.contrib.auth import get_user_model
from django.template.loader import render_to_string
from django_tasks import TaskContext, task

from core import rules
from core.models import Organization, TaskRecord
from core.services import (
    task_record_create,
    task_record_enqueue,
    task_record_progress,
    task_run,
)
from excel import layout
from excel.disbursements import disbursement_import
from excel.importer import plan_import
from excel.uploads import upload_read

ERROR_NOT_PLANNER = "เฉพาะนโยบายและแผนหรือผู้ดูแลระบบของสำนักงานเท่านั้นที่นำเข้าแผนได้"
ERROR_NOT_FINANCE = "เฉพาะการเงิน นโยบายและแผน หรือผู้ดูแลระบบเท่านั้นที่นำเข้าการเบิกจ่ายได้"
ERROR_UPLOAD_GONE = "ไม่พบไฟล์ที่อัปโหลด กรุณาอัปโหลดใหม่"


@dataclass(frozen=True)
class ImportKind:
    title: str
    rule: object
    refused: str
    run: object
    #: The sheets the upload is parsed into (see :func:`excel.workbook.parse`).
    sheets: tuple
    first_sheet: bool = False
    #: Sheets of ``sheets`` a file may lack (the office's own sheets).
    optional: tuple = ()
    #: The import has budget rules a planner may confirm past (the plan).
    overridable: bool = False


KINDS = {
    "plan": ImportKind(
        "นำเข้าแผนปฏิบัติการจาก Excel",
        rules.can_manage_office,
        ERROR_NOT_PLANNER,
        plan_import,
        layout.ALL_SHEETS,
        optional=layout.OPTIONAL_SHEETS,
        overridable=True,
    ),
    "disbursements": ImportKind(
        "นำเข้าการเบิกจ่ายจาก Excel",
        rules.can_record_disbursement,
        ERROR_NOT_FINANCE,
        disbursement_import,
        (layout.DISBURSEMENTS,),
        first_sheet=True,
    ),
}


@dataclass
class SheetSummary:
    """A sheet's counts (:class:`excel.diff.SheetCounts` without its rows)."""

    sheet: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    kept: int = 0


@dataclass
class ImportSummary:
    """What an import task found, as plain data kept on its record: the
    errors, warnings and notices as the page words them, the counts of each
    sheet and the outcome (the task admin and the tests read it)."""

    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    notices: list = field(default_factory=list)
    counts: list = field(default_factory=list)
    has_changes: bool = False
    written: bool = False
    unchanged: bool = False
    overridden: bool = False
    budget_refused: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def count(self, sheet: str) -> SheetSummary:
        return next(c for c in self.counts if c.sheet == sheet)

    @classmethod
    def of(cls, result) -> "ImportSummary":
        return cls(
            errors=[str(issue) for issue in result.errors],
            warnings=[str(issue) for issue in result.warnings],
            notices=[str(notice) for notice in result.notices],
            counts=[
                SheetSummary(
                    c.sheet, c.created, c.updated, c.unchanged, c.deleted, c.kept
                )
                for c in result.counts
            ],
            has_changes=result.has_changes,
            written=result.written,
            unchanged=result.unchanged,
            overridden=result.overridden,
            budget_refused=result.budget_refused,
        )

    def to_data(self) -> dict:
        return asdict(self)

    @classmethod
    def from_data(cls, data: dict) -> "ImportSummary":
        counts = [SheetSummary(**c) for c in data.get("counts", [])]
        return cls(**{**data, "counts": counts})


class UploadGone(Exception):
    """The parsed upload is no longer on the server (cleaned or confirmed)."""


def import_request(
    *, token: str, meta: dict, user, confirm: bool = False, override: bool = False
) -> TaskRecord:
    """Start the check (or, with ``confirm``, the confirm) of the upload
    ``token`` as a task; the caller has checked the user may import."""
    spec = KINDS[meta["kind"]]
    kind = TaskRecord.Kind.IMPORT_CONFIRM if confirm else TaskRecord.Kind.IMPORT_CHECK
    record, _ = task_record_create(
        kind=kind,
        organization_id=meta["organization"],
        title=f"{spec.title}: {meta.get('name', '')}",
        user=user,
    )
    return task_record_enqueue(
        record=record,
        task=run_import,
        args=(record.pk, token, user.pk, meta, confirm, override),
    )


def _result_page(spec, meta, result, confirm: bool) -> dict:
    """What the page shows once the task is done: the preview's or the
    result's body, rendered now, and the flags the page needs."""
    done = confirm and result.done
    context = {"result": result, "spec": spec, "meta": meta}
    template = (
        "excel/partials/result_body.html" if done else "excel/partials/check_body.html"
    )
    return {
        "html": render_to_string(template, context),
        "done": done,
        "confirmable": not (result.errors and not result.budget_refused),
        "warnings": bool(result.warnings),
        "summary": ImportSummary.of(result).to_data(),
    }


@task(takes_context=True)
def run_import(
    context: TaskContext,
    record_id: int,
    token: str,
    user_id: int,
    meta: dict,
    confirm: bool,
    override: bool,
) -> dict | None:
    """Check or confirm one upload, counting rows as the importer goes;
    a confirm writes all or nothing (the importer's one transaction), so a
    failed attempt leaves nothing behind and the retry starts clean."""
    args = (record_id, token, user_id, meta, confirm, override)

    def work(record):
        user = get_user_model().objects.get(pk=user_id)
        parsed = upload_read(token, user)
        if parsed is None:
            raise UploadGone(ERROR_UPLOAD_GONE)
        spec = KINDS[meta["kind"]]
        options = {"override_budget_rules": override} if spec.overridable else {}

        def progress(done: int, total: int) -> None:
            task_record_progress(record=record, done=done, total=total)

        result = spec.run(
            source=parsed,
            organization=Organization.objects.get(pk=meta["organization"]),
            fiscal_year=meta["fiscal_year"],
            user=user,
            dry_run=not confirm,
            progress=progress,
            **options,
        )
        return _result_page(spec, meta, result, confirm)

    return task_run(
        context=context, task=run_import, record_id=record_id, args=args, work=work
    )
