"""Editable text of the plan book: foreword, Part 1 context, Part 4, appendix."""

from django.core.exceptions import ValidationError
from django.db import models

from core.history import audit_history
from core.models import Heartbeat
from core.thai import format_number
from plans.indicators import reached_level_check
from plans.models import Plan


class BookSection(models.Model):
    """A section of the annual plan book that is written, not computed."""

    office_path = "plan__organization"

    class Part(models.TextChoices):
        FOREWORD = "foreword", "คำนำ"
        CONTEXT = "context", "ส่วนที่ 1 ข้อมูลพื้นฐาน"
        ADMINISTRATION = "administration", "ส่วนที่ 4 การบริหารแผนสู่การปฏิบัติ"
        APPENDIX = "appendix", "ภาคผนวก"

    plan = models.ForeignKey(
        Plan, verbose_name="แผน", on_delete=models.CASCADE, related_name="book_sections"
    )
    part = models.CharField("ส่วนของเล่มแผน", max_length=20, choices=Part.choices)
    order = models.PositiveSmallIntegerField("ลำดับ", default=0)
    title = models.CharField("หัวข้อ", max_length=255)
    body = models.TextField("เนื้อหา", blank=True, help_text="เว้นบรรทัดว่างเพื่อขึ้นย่อหน้าใหม่")
    table = models.TextField(
        "ตาราง",
        blank=True,
        help_text="บรรทัดละหนึ่งแถว คั่นช่องด้วย | แถวแรกเป็นหัวตาราง เช่น “ระดับ | จำนวนโรงเรียน”",
    )
    updated_at = models.DateTimeField("แก้ไขล่าสุด", auto_now=True)

    class Meta:
        verbose_name = "เนื้อหาเล่มแผน"
        verbose_name_plural = "เนื้อหาเล่มแผน"
        ordering = ["plan", "part", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.get_part_display()}: {self.title}"

    def paragraphs(self) -> list[str]:
        return [part.strip() for part in self.body.split("\n\n") if part.strip()]

    def table_rows(self) -> list[list[str]]:
        """The table as rows of cells; the first row is the header."""
        return [
            [cell.strip() for cell in line.split("|")]
            for line in self.table.splitlines()
            if line.strip()
        ]


class IndicatorResult(models.Model):
    """ผลการดำเนินงานตามตัวชี้วัดกลยุทธ์ของปีงบประมาณ (annual performance report).

    Numeric indicators are judged against the year's ``IndicatorTarget``;
    text indicators (ITA ระดับ AA, ผ่าน/ไม่ผ่าน) take the planner's verdict.
    """

    office_path = "indicator__strategy__plan__organization"

    indicator = models.ForeignKey(
        "plans.Indicator",
        verbose_name="ตัวชี้วัดกลยุทธ์",
        on_delete=models.CASCADE,
        related_name="results",
    )
    fiscal_year = models.PositiveSmallIntegerField("ปีงบประมาณ (พ.ศ.)")
    actual_value = models.DecimalField(
        "ผลการดำเนินงาน (ตัวเลข)", max_digits=14, decimal_places=2, null=True, blank=True
    )
    actual_text = models.CharField("ผลการดำเนินงาน (ข้อความ)", max_length=255, blank=True)
    achieved_override = models.BooleanField(
        "บรรลุเป้าหมาย (สำหรับตัวชี้วัดเชิงข้อความ)",
        null=True,
        blank=True,
        help_text="เว้นว่างเพื่อให้ระบบเทียบผลที่เป็นตัวเลขกับค่าเป้าหมายเอง",
    )
    note = models.TextField("หมายเหตุ", blank=True)
    updated_at = models.DateTimeField("แก้ไขล่าสุด", auto_now=True)

    # Who recorded which result, and when one was deleted: the network's
    # roll-up (``network.services.CHANGE_SOURCES``) sees a deleted result
    # only by its "-" history row.
    history = audit_history("ผลตามตัวชี้วัดกลยุทธ์")

    class Meta:
        verbose_name = "ผลตามตัวชี้วัดกลยุทธ์"
        verbose_name_plural = "ผลตามตัวชี้วัดกลยุทธ์"
        ordering = ["indicator", "fiscal_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "fiscal_year"],
                name="reports_indicatorresult_one_per_year",
                violation_error_message="ตัวชี้วัดนี้มีผลของปีนี้แล้ว",
            )
        ]

    def __str__(self) -> str:
        return f"{self.fiscal_year}: {self.display_value}"

    def clean(self) -> None:
        """A success-level indicator's result is the level reached, 0–5."""
        indicator = self.indicator if self.indicator_id else None
        if (
            indicator is not None
            and indicator.is_success_level
            and self.actual_value is not None
        ):
            try:
                reached_level_check(self.actual_value)
            except ValidationError as error:
                raise ValidationError({"actual_value": error.messages}) from error

    @property
    def display_value(self) -> str:
        if self.actual_value is None:
            return self.actual_text
        value = self.actual_value
        places = 0 if value == value.to_integral() else 2
        return format_number(value, places=places)

    def achieved(self, target) -> bool | None:
        """Met ``target`` (an ``IndicatorTarget`` or ``None``)? ``None`` = unknown."""
        if self.achieved_override is not None:
            return self.achieved_override
        if target is None:
            return None
        return target.is_achieved(self.actual_value)


class DocumentJob(Heartbeat, models.Model):
    """The progress record of one document render (a task of the Tasks API).

    The Tasks API's result tells a task's state, not how far it got, nor an
    error a user can read; the render task writes both here, and the download
    page shows them. One record per cache key (the document, its digits and
    the data stamp it prints), so a second click finds the first render
    instead of starting another.
    """

    office_path = "organization"
    #: A book's layout is one silent part of up to minutes: its own limit.
    stale_setting = "PHAEN_DOCUMENT_STALE_SECONDS"

    class State(models.TextChoices):
        QUEUED = "queued", "รอคิว"
        RUNNING = "running", "กำลังสร้าง"
        DONE = "done", "เสร็จแล้ว"
        FAILED = "failed", "ไม่สำเร็จ"

    key = models.CharField("คีย์เอกสาร", max_length=255, unique=True)
    kind = models.CharField("ชนิดเอกสาร", max_length=30)
    title = models.CharField("เอกสาร", max_length=255, blank=True)
    organization = models.ForeignKey(
        "core.Organization",
        verbose_name="สำนักงาน",
        on_delete=models.CASCADE,
        related_name="document_jobs",
    )
    state = models.CharField(
        "สถานะ", max_length=10, choices=State.choices, default=State.QUEUED
    )
    parts_done = models.PositiveSmallIntegerField("ส่วนที่เสร็จ", default=0)
    parts_total = models.PositiveSmallIntegerField("จำนวนส่วน", default=0)
    attempts = models.PositiveSmallIntegerField("จำนวนครั้งที่ลอง", default=0)
    error = models.TextField("ข้อผิดพลาด", blank=True)
    task_id = models.CharField("รหัสงานในคิว", max_length=64, blank=True)
    created_at = models.DateTimeField("สั่งเมื่อ", auto_now_add=True)
    updated_at = models.DateTimeField("ความคืบหน้าล่าสุด", auto_now=True)
    finished_at = models.DateTimeField("เสร็จเมื่อ", null=True, blank=True)

    class Meta:
        verbose_name = "งานสร้างเอกสาร"
        verbose_name_plural = "งานสร้างเอกสาร"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.title or self.kind}: {self.get_state_display()}"

    @property
    def percent(self) -> int:
        if not self.parts_total:
            return 0
        return round(100 * self.parts_done / self.parts_total)
