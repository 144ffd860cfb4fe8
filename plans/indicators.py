"""The indicator and target fields shared by strategy indicators and project KPIs.

``plans.Indicator`` (an office strategy's ตัวชี้วัด, with a target per fiscal year in
``plans.IndicatorTarget``) and ``projects.ProjectKPI`` (ตัวชี้วัดความสำเร็จ, with one
target) are built from these two abstract models, so units, comparisons, the 0–100
rule for percentages and "is this actual value achieved?" are written once.

A success-level indicator (ตัวชี้วัดระดับความสำเร็จ, issue 21 item 5) is one more
unit, ``Unit.SUCCESS``: its five criterion texts live on the indicator
(``level_criteria``), its target is a level 1–5 kept in ``target_value`` with
"ไม่น้อยกว่า", and a result is the level reached (0–5) kept as a number. So
"met when reached ≥ target" is the same ``is_achieved`` comparison every
numeric indicator already goes through, and every count of attainment picks
it up without a second rule.

The criteria are a JSON list of five texts rather than a ``SuccessLevel``
model: they are always exactly five, are written and read together (entry
row, workbook row, printed table), and both indicator models share them
through this abstract class without two child tables, two admin inlines and
two import paths.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models

from core.thai import format_number

ERROR_PERCENT_RANGE = "ค่าเป้าหมายที่เป็นร้อยละต้องอยู่ระหว่าง 0 ถึง 100"
ERROR_TARGET_MISSING = "กรุณากรอกค่าเป้าหมายเป็นตัวเลขหรือข้อความอย่างใดอย่างหนึ่ง"
ERROR_TEXT_NEEDS_TEXT = "ตัวชี้วัดเชิงข้อความต้องกรอกค่าเป้าหมายเป็นข้อความ"
ERROR_LEVEL_TARGET = "ค่าเป้าหมายของตัวชี้วัดระดับความสำเร็จต้องเป็นระดับ 1 ถึง 5 (จำนวนเต็ม)"
ERROR_LEVEL_REACHED = (
    "ผลของตัวชี้วัดระดับความสำเร็จต้องเป็นระดับ 0 ถึง 5 (จำนวนเต็ม) เช่น 4 หรือ ระดับ 4"
)
ERROR_LEVEL_CRITERIA = "กรุณากรอกเกณฑ์ของตัวชี้วัดระดับความสำเร็จให้ครบทั้ง 5 ระดับ"
ERROR_LEVEL_CRITERIA_UNUSED = (
    "เกณฑ์ 5 ระดับใช้กับตัวชี้วัดที่มีหน่วยวัดเป็น “ระดับความสำเร็จ” เท่านั้น กรุณาเลือกหน่วยวัดนี้หรือลบเกณฑ์ออก"
)

#: The levels of a success-level indicator, 1 to 5.
LEVELS = (1, 2, 3, 4, 5)


class Unit(models.TextChoices):
    PERCENT = "percent", "ร้อยละ"
    COUNT = "count", "จำนวน"
    LEVEL = "level", "ระดับ"
    SCORE = "score", "คะแนน"
    TEXT = "text", "ข้อความ"
    SUCCESS = "success", "ระดับความสำเร็จ (5 ระดับ)"


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
    level_criteria = models.JSONField(
        "เกณฑ์ระดับความสำเร็จ",
        default=list,
        blank=True,
        help_text="สำหรับตัวชี้วัดระดับความสำเร็จ: เกณฑ์ของระดับ 1 ถึง 5 ตามลำดับ",
    )

    class Meta:
        abstract = True

    @property
    def is_numeric(self) -> bool:
        return self.unit != Unit.TEXT

    @property
    def is_success_level(self) -> bool:
        return self.unit == Unit.SUCCESS

    def clean_levels(self) -> None:
        """Five non-empty criteria for a success-level indicator, none for any
        other (a criterion table printed under a percentage would be noise)."""
        criteria = self.level_criteria or []
        if not isinstance(criteria, list):
            raise ValidationError({"level_criteria": ERROR_LEVEL_CRITERIA})
        criteria = [str(text or "").strip() for text in criteria]
        if self.unit == Unit.SUCCESS:
            if len(criteria) != len(LEVELS) or not all(criteria):
                raise ValidationError(
                    {"level_criteria": ERROR_LEVEL_CRITERIA}, code="level_criteria"
                )
        elif any(criteria):
            raise ValidationError(
                {"level_criteria": ERROR_LEVEL_CRITERIA_UNUSED}, code="level_unused"
            )
        else:
            criteria = []
        self.level_criteria = criteria

    def level_rows(self, target=None, reached=None) -> list[dict]:
        """The printed level table: ``level``, ``criterion`` and whether the
        row is the ``target`` level and/or the ``reached`` one."""
        target = int(target) if target is not None else None
        reached = int(reached) if reached is not None else None
        return [
            {
                "level": level,
                "criterion": criterion,
                "is_target": level == target,
                "is_reached": level == reached,
            }
            for level, criterion in zip(LEVELS, self.level_criteria or [], strict=False)
        ]


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
        if unit == Unit.SUCCESS:
            value = self.target_value
            value = Decimal(str(value)) if value is not None else None
            whole = value is not None and value == value.to_integral()
            if not whole or int(value) not in LEVELS:
                raise ValidationError(
                    {"target_value": ERROR_LEVEL_TARGET}, code="level_target"
                )
            # A level target is always "this level or higher".
            self.comparison = Comparison.AT_LEAST
            return
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
        if unit == Unit.SUCCESS:
            return level_label(self.target_value)
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


def reached_level_check(value) -> None:
    """A level reached is a whole 0 (no criterion met yet) to 5; raises
    ``ValidationError`` (code ``level``) otherwise."""
    number = Decimal(str(value))
    if number != number.to_integral() or not 0 <= number <= LEVELS[-1]:
        raise ValidationError(ERROR_LEVEL_REACHED, code="level")


def level_label(value) -> str:
    """ "ระดับ 4" for a level kept as a number (``Decimal("4.00")``)."""
    return f"ระดับ {format_number(value, places=0)}"
