"""The indicator and target fields shared by strategy indicators and project KPIs.

``plans.Indicator`` (an office strategy's ตัวชี้วัด, with a target per fiscal year in
``plans.IndicatorTarget``) and ``projects.ProjectKPI`` (ตัวชี้วัดความสำเร็จ, with one
target) are built from these two abstract models, so units, comparisons, the 0–100
rule for percentages and "is this actual value achieved?" are written once.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models

from core.thai import format_number

ERROR_PERCENT_RANGE = "ค่าเป้าหมายที่เป็นร้อยละต้องอยู่ระหว่าง 0 ถึง 100"
ERROR_TARGET_MISSING = "กรุณากรอกค่าเป้าหมายเป็นตัวเลขหรือข้อความอย่างใดอย่างหนึ่ง"
ERROR_TEXT_NEEDS_TEXT = "ตัวชี้วัดเชิงข้อความต้องกรอกค่าเป้าหมายเป็นข้อความ"


class Unit(models.TextChoices):
    PERCENT = "percent", "ร้อยละ"
    COUNT = "count", "จำนวน"
    LEVEL = "level", "ระดับ"
    SCORE = "score", "คะแนน"
    TEXT = "text", "ข้อความ"


class Direction(models.TextChoices):
    HIGHER = "higher", "ยิ่งสูงยิ่งดี"
    LOWER = "lower", "ยิ่งต่ำยิ่งดี"


class Comparison(models.TextChoices):
    AT_LEAST = "gte", "ไม่น้อยกว่า"
    AT_MOST = "lte", "ไม่เกิน"
    EQUAL = "eq", "เท่ากับ"


class IndicatorFields(models.Model):
    """What is measured: the name, its unit and which way is better."""

    name = models.TextField(
        "ตัวชี้วัด", help_text="เช่น ร้อยละของนักเรียนที่มีผลสัมฤทธิ์ทางการเรียนระดับดีขึ้นไป"
    )
    unit = models.CharField(
        "หน่วยวัด", max_length=10, choices=Unit.choices, default=Unit.PERCENT
    )
    unit_label = models.CharField(
        "หน่วยนับ",
        max_length=50,
        blank=True,
        help_text="สำหรับตัวชี้วัดเชิงจำนวน เช่น คน โรงเรียน ครั้ง",
    )
    direction = models.CharField(
        "ทิศทาง", max_length=10, choices=Direction.choices, default=Direction.HIGHER
    )
    baseline_value = models.DecimalField(
        "ค่าฐาน", max_digits=14, decimal_places=2, null=True, blank=True
    )
    baseline_text = models.CharField("ค่าฐาน (ข้อความ)", max_length=255, blank=True)

    class Meta:
        abstract = True

    @property
    def is_numeric(self) -> bool:
        return self.unit != Unit.TEXT


class TargetFields(models.Model):
    """A target: a number with a comparison ("ไม่น้อยกว่า ร้อยละ 80") or a text."""

    comparison = models.CharField(
        "เงื่อนไข", max_length=3, choices=Comparison.choices, default=Comparison.AT_LEAST
    )
    target_value = models.DecimalField(
        "ค่าเป้าหมาย", max_digits=14, decimal_places=2, null=True, blank=True
    )
    target_text = models.CharField(
        "ค่าเป้าหมาย (ข้อความ)",
        max_length=255,
        blank=True,
        help_text="เช่น ระดับดีขึ้นไป, ITA ระดับ AA; ใช้เมื่อเป้าหมายไม่ใช่ตัวเลข",
    )

    class Meta:
        abstract = True

    def clean_target(self, unit: str) -> None:
        """Validate the target against ``unit``; raises ``ValidationError``."""
        if self.target_value is None and not self.target_text:
            raise ValidationError(
                {"target_value": ERROR_TARGET_MISSING}, code="missing"
            )
        if unit == Unit.TEXT and not self.target_text:
            raise ValidationError({"target_text": ERROR_TEXT_NEEDS_TEXT}, code="text")
        if (
            unit == Unit.PERCENT
            and self.target_value is not None
            and not Decimal(0) <= self.target_value <= Decimal(100)
        ):
            raise ValidationError(
                {"target_value": ERROR_PERCENT_RANGE}, code="percent_range"
            )

    def target_display(self, unit: str, unit_label: str = "") -> str:
        """ "ไม่น้อยกว่าร้อยละ 80", "ไม่น้อยกว่า 300 คน", or the target text."""
        if self.target_value is None:
            return self.target_text
        places = 0 if self.target_value == self.target_value.to_integral() else 2
        number = format_number(self.target_value, places=places)
        comparison = Comparison(self.comparison).label
        if unit == Unit.PERCENT:
            text = f"{comparison}ร้อยละ {number}"
        else:
            text = f"{comparison} {number} {unit_label}".strip()
        return f"{text} ({self.target_text})" if self.target_text else text

    def is_achieved(self, actual: Decimal | None) -> bool | None:
        """True/False for a numeric target and actual value; None when unknowable."""
        if actual is None or self.target_value is None:
            return None
        if self.comparison == Comparison.AT_MOST:
            return actual <= self.target_value
        if self.comparison == Comparison.EQUAL:
            return actual == self.target_value
        return actual >= self.target_value
