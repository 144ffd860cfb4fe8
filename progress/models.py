"""Quarterly progress reporting: rounds, one report per project per round, and
everything that hangs off a report (activity progress, KPI actuals, evidence,
history).

Money disbursed so far is never stored here: it is read from
``budgets.Disbursement`` (see :mod:`progress.selectors`).
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from budgets.rollups import disbursed_subquery
from core.history import audit_history
from core.locking import VersionedModel
from core.models import Organization
from core.thai import (
    current_fiscal_year,
    fiscal_quarter_range,
    parse_percent,
    to_thai_digits,
)
from plans.indicators import (
    ERROR_LEVEL_REACHED,
    LEVELS,
    Unit,
    level_label,
    reached_level_check,
)
from progress.validators import HELP_TEXT as EVIDENCE_HELP_TEXT
from progress.validators import validate_evidence_file

#: Default number of days after the end of a quarter a round is due.
DEFAULT_DUE_DAYS = 15

ERROR_PERCENT_RANGE = "ร้อยละความก้าวหน้าต้องอยู่ระหว่าง 0 ถึง 100"
PERCENT_VALIDATORS = [
    MinValueValidator(Decimal("0"), message=ERROR_PERCENT_RANGE),
    MaxValueValidator(Decimal("100"), message=ERROR_PERCENT_RANGE),
]


def due_days() -> int:
    """Days after the quarter a round is due; ``PROGRESS_DUE_DAYS`` overrides."""
    return int(getattr(settings, "PROGRESS_DUE_DAYS", DEFAULT_DUE_DAYS))


class RoundQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=ReportingRound.Status.OPEN)

    def current_for(self, organization, fiscal_year: int | None = None):
        """The round people report on now: the earliest open round of the year.

        Planners lock a round once it is closed, so late reports of an earlier
        round stay in view until then.
        """
        year = fiscal_year or current_fiscal_year()
        return (
            self.open()
            .filter(organization=organization, fiscal_year=year)
            .order_by("number")
            .first()
        )


class ReportingRound(models.Model):
    """รอบการรายงาน: 3, 6, 9 or 12 months of one office's fiscal year."""

    office_path = "organization"

    class Status(models.TextChoices):
        OPEN = "open", "เปิดรับรายงาน"
        LOCKED = "locked", "ปิดรอบแล้ว"

    NUMBER_CHOICES = [
        (1, "รอบ 3 เดือน"),
        (2, "รอบ 6 เดือน"),
        (3, "รอบ 9 เดือน"),
        (4, "รอบ 12 เดือน"),
    ]

    organization = models.ForeignKey(
        Organization,
        verbose_name="สำนักงาน",
        on_delete=models.CASCADE,
        related_name="reporting_rounds",
    )
    fiscal_year = models.PositiveSmallIntegerField(
        "ปีงบประมาณ (พ.ศ.)", help_text="ปีพุทธศักราช เช่น 2570"
    )
    number = models.PositiveSmallIntegerField(
        "รอบที่", choices=NUMBER_CHOICES, help_text="1 = รอบ 3 เดือน … 4 = รอบ 12 เดือน"
    )
    period_end = models.DateField(
        "ข้อมูล ณ วันที่", help_text="วันสิ้นไตรมาสของรอบ; รายงานเป็นผลสะสมถึงวันนี้"
    )
    due_date = models.DateField("กำหนดส่ง", help_text="ค่าเริ่มต้น 15 วันหลังสิ้นไตรมาส แก้ไขได้")
    status = models.CharField(
        "สถานะรอบ", max_length=10, choices=Status.choices, default=Status.OPEN
    )
    locked_at = models.DateTimeField("ปิดรอบเมื่อ", null=True, blank=True)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="ผู้ปิดรอบ",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = RoundQuerySet.as_manager()

    history = audit_history("รอบการรายงานความก้าวหน้า")

    class Meta:
        verbose_name = "รอบการรายงานความก้าวหน้า"
        verbose_name_plural = "รอบการรายงานความก้าวหน้า"
        ordering = ["organization", "-fiscal_year", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "fiscal_year", "number"],
                name="progress_reportinground_unique_number",
                violation_error_message="สำนักงานนี้มีรอบการรายงานนี้แล้ว",
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1) & Q(number__lte=4),
                name="progress_reportinground_number_1_to_4",
                violation_error_message="รอบการรายงานต้องเป็น 1 ถึง 4",
            ),
            models.CheckConstraint(
                condition=Q(due_date__gte=models.F("period_end")),
                name="progress_reportinground_due_after_period",
                violation_error_message="กำหนดส่งต้องไม่ก่อนวันสิ้นไตรมาส",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} ปีงบประมาณ {self.fiscal_year} ({self.organization})"

    @staticmethod
    def default_period_end(fiscal_year: int, number: int) -> datetime.date:
        return fiscal_quarter_range(fiscal_year, number)[1]

    @classmethod
    def default_due_date(cls, fiscal_year: int, number: int) -> datetime.date:
        end = cls.default_period_end(fiscal_year, number)
        return end + datetime.timedelta(days=due_days())

    @property
    def months(self) -> int:
        return self.number * 3

    @property
    def label(self) -> str:
        """ "รอบ 3 เดือน"."""
        return f"รอบ {self.months} เดือน"

    @property
    def label_thai_digits(self) -> str:
        """ "รอบ ๓ เดือน", as printed in official reports."""
        return to_thai_digits(self.label)

    @property
    def is_locked(self) -> bool:
        return self.status == self.Status.LOCKED

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        return (today or timezone.localdate()) > self.due_date


class RoundReopening(models.Model):
    """A recorded reopening of a locked round: who, when and why."""

    office_path = "round__organization"

    round = models.ForeignKey(
        ReportingRound,
        verbose_name="รอบการรายงาน",
        on_delete=models.CASCADE,
        related_name="reopenings",
    )
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="ผู้เปิดรอบ",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    reopened_at = models.DateTimeField("เปิดรอบเมื่อ", auto_now_add=True)
    reason = models.TextField("เหตุผลการเปิดรอบ")

    class Meta:
        verbose_name = "การเปิดรอบการรายงานอีกครั้ง"
        verbose_name_plural = "การเปิดรอบการรายงานอีกครั้ง"
        ordering = ["round", "reopened_at", "pk"]

    def __str__(self) -> str:
        return f"{self.round}: {self.reason[:60]}"


class ProgressReportQuerySet(models.QuerySet):
    def with_disbursed(self):
        """Annotate ``disbursed`` (paid up to the round's period end).

        One subquery; see :func:`budgets.rollups.disbursed_subquery`.
        """
        return self.annotate(
            disbursed=disbursed_subquery(
                project_ref="project_id", until_ref="round__period_end"
            )
        )


class ProgressReport(VersionedModel):
    """รายงานความก้าวหน้าของโครงการ, cumulative up to the round's period end."""

    office_path = "round__organization"

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "ยังไม่ดำเนินการ"
        IN_PROGRESS = "in_progress", "อยู่ระหว่างดำเนินการ"
        COMPLETED = "completed", "ดำเนินการเสร็จสิ้นแล้ว"
        CANCELLED = "cancelled", "ยกเลิก"
        POSTPONED = "postponed", "เลื่อน"

    class State(models.TextChoices):
        DRAFT = "draft", "ร่าง"
        SUBMITTED = "submitted", "ส่งแล้ว รอตรวจ"
        RETURNED = "returned", "ส่งกลับแก้ไข"
        ACCEPTED = "accepted", "ตรวจรับแล้ว"

    #: States in which the group may still edit the report.
    EDITABLE_STATES = (State.DRAFT, State.RETURNED)

    round = models.ForeignKey(
        ReportingRound,
        verbose_name="รอบการรายงาน",
        on_delete=models.PROTECT,
        related_name="reports",
    )
    project = models.ForeignKey(
        "projects.Project",
        verbose_name="โครงการ",
        on_delete=models.CASCADE,
        related_name="progress_reports",
    )
    status = models.CharField(
        "สถานะการดำเนินงาน",
        max_length=20,
        choices=Status.choices,
        default=Status.NOT_STARTED,
    )
    percent_complete = models.DecimalField(
        "ร้อยละความก้าวหน้า",
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        validators=PERCENT_VALIDATORS,
        help_text="ความก้าวหน้าสะสมของโครงการ 0–100",
    )
    output_progress = models.TextField(
        "ความก้าวหน้าต่อเป้าหมายเชิงผลผลิต (Output)", blank=True
    )
    outcome_progress = models.TextField(
        "ความก้าวหน้าต่อเป้าหมายเชิงผลลัพธ์ (Outcome)", blank=True
    )
    problems = models.TextField("ปัญหาอุปสรรค", blank=True)
    suggestions = models.TextField("ข้อเสนอแนะ", blank=True)
    state = models.CharField(
        "สถานะรายงาน", max_length=20, choices=State.choices, default=State.DRAFT
    )
    submitted_at = models.DateTimeField("ส่งรายงานเมื่อ", null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="ผู้ส่งรายงาน",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="ผู้แก้ไขล่าสุด",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField("สร้างเมื่อ", auto_now_add=True)
    updated_at = models.DateTimeField("แก้ไขล่าสุด", auto_now=True)

    objects = ProgressReportQuerySet.as_manager()

    history = audit_history("รายงานความก้าวหน้าโครงการ")

    class Meta:
        verbose_name = "รายงานความก้าวหน้าโครงการ"
        verbose_name_plural = "รายงานความก้าวหน้าโครงการ"
        ordering = ["round", "project__group__order", "project__sequence", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "round"],
                name="progress_progressreport_one_per_round",
                violation_error_message="โครงการนี้มีรายงานของรอบนี้แล้ว",
            ),
            models.CheckConstraint(
                condition=Q(percent_complete__gte=0) & Q(percent_complete__lte=100),
                name="progress_progressreport_percent_0_100",
                violation_error_message=ERROR_PERCENT_RANGE,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} – {self.round.label}"

    @property
    def is_editable(self) -> bool:
        """The group may still change it (round open, not yet submitted)."""
        return self.state in self.EDITABLE_STATES and not self.round.is_locked


class ActivityProgress(models.Model):
    """What was done for one activity of the project, as of the round."""

    office_path = "report__round__organization"

    class State(models.TextChoices):
        NOT_STARTED = "not_started", "ยังไม่ดำเนินการ"
        IN_PROGRESS = "in_progress", "อยู่ระหว่างดำเนินการ"
        DONE = "done", "ดำเนินการแล้ว"

    report = models.ForeignKey(
        ProgressReport,
        verbose_name="รายงาน",
        on_delete=models.CASCADE,
        related_name="activity_progress",
    )
    activity = models.ForeignKey(
        "projects.Activity",
        verbose_name="กิจกรรม",
        on_delete=models.CASCADE,
        related_name="progress",
    )
    state = models.CharField(
        "ผลการดำเนินงาน",
        max_length=20,
        choices=State.choices,
        default=State.NOT_STARTED,
    )
    note = models.CharField("รายละเอียดโดยย่อ", max_length=500, blank=True)
    on_date = models.DateField(
        "วันที่ดำเนินการ", null=True, blank=True, help_text="เช่น 15/12/2569"
    )

    history = audit_history("ความก้าวหน้ารายกิจกรรม")

    class Meta:
        verbose_name = "ความก้าวหน้ารายกิจกรรม"
        verbose_name_plural = "ความก้าวหน้ารายกิจกรรม"
        ordering = ["report", "activity__order", "activity_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "activity"],
                name="progress_activityprogress_one_per_activity",
            )
        ]

    def __str__(self) -> str:
        return f"{self.activity}: {self.get_state_display()}"


class KPIActual(models.Model):
    """The actual value of one project KPI, as of the round."""

    office_path = "report__round__organization"

    report = models.ForeignKey(
        ProgressReport,
        verbose_name="รายงาน",
        on_delete=models.CASCADE,
        related_name="kpi_actuals",
    )
    kpi = models.ForeignKey(
        "projects.ProjectKPI",
        verbose_name="ตัวชี้วัด",
        on_delete=models.CASCADE,
        related_name="actuals",
    )
    actual_value = models.DecimalField(
        "ผลการดำเนินงาน (ตัวเลข)", max_digits=14, decimal_places=2, null=True, blank=True
    )
    actual_text = models.CharField("ผลการดำเนินงาน (ข้อความ)", max_length=500, blank=True)
    achieved_verdict = models.BooleanField(
        "บรรลุเป้าหมาย (สำหรับผลเชิงข้อความหรือระดับ)",
        null=True,
        blank=True,
        help_text="ผลที่เป็นข้อความหรือระดับ (เช่น ผ่าน, ระดับ AA) ระบบเทียบกับค่าเป้าหมายเองไม่ได้ "
        "จึงนับว่าบรรลุเมื่อบันทึกว่า “บรรลุ” เท่านั้น",
    )

    # Per level 1–5, what shows the level was reached (a note, or the name of
    # an attached evidence file): a success-level result is only as good as
    # the evidence for each step, so the report keeps which supports which.
    level_evidence = models.JSONField(
        "หลักฐานรายระดับ",
        default=list,
        blank=True,
        help_text="สำหรับตัวชี้วัดระดับความสำเร็จ: หลักฐานของระดับ 1 ถึง 5 ตามลำดับ",
    )

    history = audit_history("ผลตามตัวชี้วัด")

    class Meta:
        verbose_name = "ผลตามตัวชี้วัด"
        verbose_name_plural = "ผลตามตัวชี้วัด"
        ordering = ["report", "kpi__result_kind", "kpi__order", "kpi_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "kpi"], name="progress_kpiactual_one_per_kpi"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kpi}: {self.display_value}"

    @property
    def judged_by_numbers(self) -> bool:
        """Whether the numbers decide: a numeric KPI with a numeric target and
        a numeric result. Note: reads ``self.kpi``."""
        return (
            self.kpi.is_numeric
            and self.kpi.target_value is not None
            and self.actual_value is not None
        )

    @property
    def achieved(self) -> bool | None:
        """Met the KPI target? Numbers are compared with the target; a text or
        level result (issue 17 item 3) is met only when its recorded verdict
        says so, because nothing can compare "ระดับ AA" with "ผ่าน". ``None``
        = unknown (no number, no verdict), which never counts as met.

        Note: reads ``self.kpi``.
        """
        if self.judged_by_numbers:
            return self.kpi.is_achieved(self.actual_value)
        return self.achieved_verdict

    @property
    def target_label(self) -> str:
        """ "ไม่น้อยกว่าร้อยละ 80". Note: reads ``self.kpi``."""
        return self.kpi.target_display(self.kpi.unit, self.kpi.unit_label)

    @property
    def display_value(self) -> str:
        if self.actual_value is None:
            return self.actual_text
        value = self.actual_value
        return str(
            value.quantize(Decimal(1)) if value == value.to_integral() else value
        )

    @property
    def reached_label(self) -> str:
        """ "ระดับ 4" for a success-level KPI, else the value as typed.
        Note: reads ``self.kpi``."""
        if self.kpi.is_success_level and self.actual_value is not None:
            return level_label(self.actual_value)
        return self.display_value

    def level_rows(self) -> list[dict]:
        """The KPI's level table with the target and the reached level marked
        and each level's evidence. Note: reads ``self.kpi``."""
        evidence = list(self.level_evidence or [])
        rows = self.kpi.level_rows(self.kpi.target_value, self.actual_value)
        for row in rows:
            index = row["level"] - 1
            row["evidence"] = evidence[index] if index < len(evidence) else ""
        return rows


def evidence_upload_to(instance: "Evidence", filename: str) -> str:
    report = instance.report
    return (
        f"progress/{report.round.fiscal_year}/round-{report.round.number}/"
        f"report-{report.pk}/{filename}"
    )


class Evidence(models.Model):
    """หลักฐาน: a photo (JPEG/PNG), a PDF, or a Word or Excel document
    (.docx/.xlsx, the offices' own files), checked by content and size."""

    office_path = "report__round__organization"

    class Kind(models.TextChoices):
        PHOTO = "photo", "ภาพถ่าย"
        PDF = "pdf", "เอกสาร PDF"
        WORD = "word", "เอกสาร Word"
        EXCEL = "excel", "แฟ้ม Excel"

    report = models.ForeignKey(
        ProgressReport,
        verbose_name="รายงาน",
        on_delete=models.CASCADE,
        related_name="evidence",
    )
    file = models.FileField(
        "ไฟล์",
        upload_to=evidence_upload_to,
        validators=[validate_evidence_file],
        help_text=EVIDENCE_HELP_TEXT,
    )
    kind = models.CharField("ประเภท", max_length=10, choices=Kind.choices)
    caption = models.CharField("คำบรรยาย", max_length=500, blank=True)
    size = models.PositiveIntegerField("ขนาด (ไบต์)", default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="ผู้แนบ",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField("แนบเมื่อ", auto_now_add=True)

    history = audit_history("หลักฐานประกอบรายงาน")

    class Meta:
        verbose_name = "หลักฐานประกอบรายงาน"
        verbose_name_plural = "หลักฐานประกอบรายงาน"
        ordering = ["report", "uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.caption or self.file.name.rsplit("/", 1)[-1]

    @property
    def filename(self) -> str:
        return self.file.name.rsplit("/", 1)[-1]


class ReportEvent(models.Model):
    """One recorded step of a report: saved, submitted, returned, accepted…"""

    office_path = "report__round__organization"

    class Action(models.TextChoices):
        SAVE = "save", "บันทึกร่าง"
        SUBMIT = "submit", "ส่งรายงาน"
        RETURN = "return", "ส่งกลับแก้ไข"
        ACCEPT = "accept", "ตรวจรับ"
        REOPEN = "reopen", "เปิดรอบให้แก้ไข"

    report = models.ForeignKey(
        ProgressReport,
        verbose_name="รายงาน",
        on_delete=models.CASCADE,
        related_name="events",
    )
    action = models.CharField("การดำเนินการ", max_length=10, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="ผู้ดำเนินการ",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    comment = models.TextField("ความเห็น", blank=True)
    created_at = models.DateTimeField("เมื่อ", default=timezone.now)

    class Meta:
        verbose_name = "ประวัติรายงาน"
        verbose_name_plural = "ประวัติรายงาน"
        ordering = ["report", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.report}: {self.get_action_display()}"


ERROR_KPI_NUMBER = "ตัวชี้วัดนี้ต้องกรอกผลเป็นตัวเลข เช่น 85 หรือ 85.50"
ERROR_KPI_PERCENT = "ผลที่เป็นร้อยละต้องอยู่ระหว่าง 0 ถึง 100"
ERROR_KPI_LEVEL = ERROR_LEVEL_REACHED
ERROR_LEVEL_EVIDENCE_ABOVE = (
    "ระดับ {level} ยังสูงกว่าระดับที่ทำได้ จึงยังไม่มีหลักฐานของระดับนี้ กรุณาลบหลักฐานหรือแก้ระดับที่ทำได้"
)


def parse_level(text: str) -> Decimal:
    """ "4", "๔" or "ระดับ 4" → ``Decimal(4)``: the level reached, 0 (none of
    the criteria met yet) to 5. Raises ``ValidationError`` (code ``level``)."""
    from django.core.exceptions import ValidationError

    bare = text.strip().removeprefix("ระดับ").strip()
    try:
        value = parse_percent(bare)
    except ValueError as error:
        raise ValidationError(ERROR_KPI_LEVEL, code="level") from error
    reached_level_check(value)
    return value.quantize(Decimal(1))


def clean_level_evidence(kpi, reached: Decimal | None, texts: list[str]) -> list[str]:
    """The evidence per level, five texts (blank allowed); evidence for a level
    above the one reached is refused, since that level was not reached.
    Empty list for a KPI that is not a success level."""
    from django.core.exceptions import ValidationError

    if kpi.unit != Unit.SUCCESS:
        return []
    texts = [str(text or "").strip() for text in texts][: len(LEVELS)]
    texts += [""] * (len(LEVELS) - len(texts))
    top = int(reached) if reached is not None else 0
    for level, text in zip(LEVELS, texts, strict=True):
        if text and level > top:
            raise ValidationError(
                ERROR_LEVEL_EVIDENCE_ABOVE.format(level=level), code="level_evidence"
            )
    return texts if any(texts) else []


def parse_kpi_actual(kpi, raw: str) -> tuple[Decimal | None, str]:
    """What the user typed for ``kpi`` → ``(actual_value, actual_text)``.

    Numeric KPIs take a number (Thai digits allowed); text KPIs keep the text.
    Raises ``ValidationError`` (codes ``number``, ``percent_range``).
    """
    from django.core.exceptions import ValidationError

    text = (raw or "").strip()
    if not text:
        return None, ""
    if not kpi.is_numeric:
        return None, text
    if kpi.unit == Unit.SUCCESS:
        return parse_level(text), ""
    try:
        value = parse_percent(text)
    except ValueError as error:
        raise ValidationError(ERROR_KPI_NUMBER, code="number") from error
    if kpi.unit == Unit.PERCENT and not Decimal(0) <= value <= Decimal(100):
        raise ValidationError(ERROR_KPI_PERCENT, code="percent_range")
    return value, ""


def kept_evidence_upload_to(instance: "KeptEvidence", filename: str) -> str:
    return (
        f"progress/kept/{instance.round.fiscal_year}/round-{instance.round.number}/"
        f"user-{instance.user_id}/{filename}"
    )


class KeptEvidence(models.Model):
    """ไฟล์ที่แนบไว้แล้ว: an evidence file chosen on the group's reporting
    screen in a save that was refused (a field to fix), kept here so the
    corrected save attaches it without choosing it again (a browser cannot
    refill a file input).

    It belongs to the user who chose it and to one report: the round and the
    project (the report itself may not exist yet: a first save that fails
    creates none). It is checked as evidence when kept and again when
    attached (:func:`progress.services.evidence_add`), and one left behind
    is deleted by ``manage.py run_scheduled_tasks`` after a day, as the
    abandoned workbook uploads are.
    """

    office_path = "round__organization"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="ผู้แนบ",
        on_delete=models.CASCADE,
        related_name="+",
    )
    round = models.ForeignKey(
        ReportingRound,
        verbose_name="รอบการรายงาน",
        on_delete=models.CASCADE,
        related_name="+",
    )
    project = models.ForeignKey(
        "projects.Project",
        verbose_name="โครงการ",
        on_delete=models.CASCADE,
        related_name="+",
    )
    file = models.FileField("ไฟล์", upload_to=kept_evidence_upload_to)
    name = models.CharField("ชื่อไฟล์", max_length=255)
    size = models.PositiveIntegerField("ขนาด (ไบต์)", default=0)
    kept_at = models.DateTimeField("แนบไว้เมื่อ", auto_now_add=True)

    class Meta:
        verbose_name = "ไฟล์หลักฐานที่แนบไว้ (ยังไม่ได้บันทึก)"
        verbose_name_plural = "ไฟล์หลักฐานที่แนบไว้ (ยังไม่ได้บันทึก)"
        ordering = ["kept_at", "pk"]

    def __str__(self) -> str:
        return self.name
