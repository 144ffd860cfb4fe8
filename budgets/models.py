"""Money: sources and envelopes, expense categories, cost lines, quarterly
spending plans and disbursements. Amounts are ``Decimal`` baht with satang."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from core.models import Organization

MONEY = {"max_digits": 14, "decimal_places": 2}
NON_NEGATIVE = [MinValueValidator(Decimal("0"), message="จำนวนเงินต้องไม่ติดลบ")]


class BudgetSource(models.Model):
    """แหล่งงบประมาณ: reference data, shared by every office unless owned by one."""

    organization = models.ForeignKey(
        Organization,
        verbose_name="สำนักงาน",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="budget_sources",
        help_text="เว้นว่างสำหรับแหล่งงบประมาณมาตรฐานที่ทุกสำนักงานใช้",
    )
    code = models.SlugField("รหัส", max_length=40)
    name = models.CharField("แหล่งงบประมาณ", max_length=255)
    order = models.PositiveSmallIntegerField("ลำดับ", default=0)

    class Meta:
        verbose_name = "แหล่งงบประมาณ"
        verbose_name_plural = "แหล่งงบประมาณ"
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "code"], name="budgets_budgetsource_unique_code"
            )
        ]

    def __str__(self) -> str:
        return self.name


class ExpenseCategory(models.Model):
    """Thai budget classification (งบรายจ่าย), a two-level tree.

    งบบุคลากร; งบดำเนินงาน → ค่าตอบแทน, ค่าใช้สอย, ค่าวัสดุ, ค่าสาธารณูปโภค;
    งบลงทุน; งบเงินอุดหนุน; งบรายจ่ายอื่น.
    """

    code = models.SlugField("รหัส", max_length=40, unique=True)
    name = models.CharField("หมวดรายจ่าย", max_length=255)
    parent = models.ForeignKey(
        "self",
        verbose_name="งบรายจ่าย",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    order = models.PositiveSmallIntegerField("ลำดับ", default=0)

    class Meta:
        verbose_name = "หมวดรายจ่าย"
        verbose_name_plural = "หมวดรายจ่าย"
        ordering = ["order"]

    def __str__(self) -> str:
        return self.name


class Allocation(models.Model):
    """An envelope: money allocated to the office from one source, per round."""

    organization = models.ForeignKey(
        Organization,
        verbose_name="สำนักงาน",
        on_delete=models.CASCADE,
        related_name="allocations",
    )
    fiscal_year = models.PositiveSmallIntegerField("ปีงบประมาณ (พ.ศ.)")
    source = models.ForeignKey(
        BudgetSource,
        verbose_name="แหล่งงบประมาณ",
        on_delete=models.PROTECT,
        related_name="allocations",
    )
    round_number = models.PositiveSmallIntegerField("จัดสรรครั้งที่", default=1)
    amount = models.DecimalField("จำนวนเงิน (บาท)", validators=NON_NEGATIVE, **MONEY)
    allocated_on = models.DateField("วันที่ได้รับจัดสรร", null=True, blank=True)
    reference = models.CharField(
        "หนังสืออ้างอิง",
        max_length=255,
        blank=True,
        help_text="เช่น หนังสือ สพฐ. ที่ ศธ 04002/ว…",
    )
    note = models.TextField("หมายเหตุ", blank=True)

    class Meta:
        verbose_name = "การจัดสรรงบประมาณ"
        verbose_name_plural = "การจัดสรรงบประมาณ"
        ordering = ["organization", "-fiscal_year", "source", "round_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "fiscal_year", "source", "round_number"],
                name="budgets_allocation_unique_round",
                violation_error_message="มีการจัดสรรครั้งนี้ของแหล่งงบประมาณนี้แล้ว",
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="budgets_allocation_amount_non_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} ปี {self.fiscal_year} ครั้งที่ {self.round_number}"


class OperatingCost(models.Model):
    """A non-project line of the envelope, e.g. ค่าสาธารณูปโภค, ค่าจ้างลูกจ้างชั่วคราว."""

    organization = models.ForeignKey(
        Organization,
        verbose_name="สำนักงาน",
        on_delete=models.CASCADE,
        related_name="operating_costs",
    )
    fiscal_year = models.PositiveSmallIntegerField("ปีงบประมาณ (พ.ศ.)")
    source = models.ForeignKey(
        BudgetSource,
        verbose_name="แหล่งงบประมาณ",
        on_delete=models.PROTECT,
        related_name="operating_costs",
    )
    category = models.ForeignKey(
        ExpenseCategory,
        verbose_name="หมวดรายจ่าย",
        on_delete=models.PROTECT,
        related_name="operating_costs",
    )
    order = models.PositiveSmallIntegerField("ลำดับ", default=0)
    description = models.CharField("รายการ", max_length=500)
    amount = models.DecimalField("จำนวนเงิน (บาท)", validators=NON_NEGATIVE, **MONEY)

    class Meta:
        verbose_name = "ค่าใช้จ่ายดำเนินงานของสำนักงาน"
        verbose_name_plural = "ค่าใช้จ่ายดำเนินงานของสำนักงาน"
        ordering = ["organization", "-fiscal_year", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="budgets_operatingcost_amount_non_negative",
            )
        ]

    def __str__(self) -> str:
        return self.description


class CostLine(models.Model):
    """One budget line of an activity: "1 ครั้ง ๆ ละ 12 คน คนละ 200 บาท".

    ``amount`` is stored: factors × rate when factors are given, otherwise the
    amount typed directly.
    """

    activity = models.ForeignKey(
        "projects.Activity",
        verbose_name="กิจกรรม",
        on_delete=models.CASCADE,
        related_name="cost_lines",
    )
    category = models.ForeignKey(
        ExpenseCategory,
        verbose_name="หมวดรายจ่าย",
        on_delete=models.PROTECT,
        related_name="cost_lines",
    )
    order = models.PositiveSmallIntegerField("ลำดับ", default=0)
    description = models.CharField(
        "รายการ", max_length=500, help_text="เช่น ค่าอาหารกลางวัน"
    )
    times = models.DecimalField(
        "จำนวนครั้ง", max_digits=10, decimal_places=2, null=True, blank=True
    )
    times_unit = models.CharField(
        "หน่วย (ครั้ง)", max_length=30, blank=True, default="ครั้ง"
    )
    persons = models.DecimalField(
        "จำนวนคน/หน่วย", max_digits=10, decimal_places=2, null=True, blank=True
    )
    persons_unit = models.CharField("หน่วยนับ", max_length=30, blank=True, default="คน")
    days = models.DecimalField(
        "จำนวนวัน/มื้อ", max_digits=10, decimal_places=2, null=True, blank=True
    )
    days_unit = models.CharField(
        "หน่วย (วัน/มื้อ)", max_length=30, blank=True, default="วัน"
    )
    rate = models.DecimalField(
        "อัตรา (บาท)", max_digits=14, decimal_places=2, null=True, blank=True
    )
    amount = models.DecimalField("จำนวนเงิน (บาท)", validators=NON_NEGATIVE, **MONEY)
    note = models.CharField("หมายเหตุ", max_length=255, blank=True)

    class Meta:
        verbose_name = "รายการค่าใช้จ่าย"
        verbose_name_plural = "รายการค่าใช้จ่าย"
        ordering = ["activity", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0), name="budgets_costline_amount_non_negative"
            )
        ]

    def __str__(self) -> str:
        return self.description


class QuarterPlan(models.Model):
    """แผนการใช้จ่ายงบประมาณ of an activity for one fiscal quarter."""

    activity = models.ForeignKey(
        "projects.Activity",
        verbose_name="กิจกรรม",
        on_delete=models.CASCADE,
        related_name="quarter_plans",
    )
    quarter = models.PositiveSmallIntegerField(
        "ไตรมาส",
        choices=[(1, "ไตรมาส 1"), (2, "ไตรมาส 2"), (3, "ไตรมาส 3"), (4, "ไตรมาส 4")],
    )
    amount = models.DecimalField("จำนวนเงิน (บาท)", validators=NON_NEGATIVE, **MONEY)

    class Meta:
        verbose_name = "แผนการใช้จ่ายรายไตรมาส"
        verbose_name_plural = "แผนการใช้จ่ายรายไตรมาส"
        ordering = ["activity", "quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "quarter"],
                name="budgets_quarterplan_one_per_quarter",
            ),
            models.CheckConstraint(
                condition=Q(quarter__gte=1) & Q(quarter__lte=4),
                name="budgets_quarterplan_quarter_1_to_4",
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="budgets_quarterplan_amount_non_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.activity} ไตรมาส {self.quarter}"


class Disbursement(models.Model):
    """เบิกจ่าย: money actually paid out against an activity (and line)."""

    activity = models.ForeignKey(
        "projects.Activity",
        verbose_name="กิจกรรม",
        on_delete=models.PROTECT,
        related_name="disbursements",
    )
    cost_line = models.ForeignKey(
        CostLine,
        verbose_name="รายการค่าใช้จ่าย",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="disbursements",
    )
    paid_on = models.DateField("วันที่เบิกจ่าย")
    amount = models.DecimalField("จำนวนเงิน (บาท)", validators=NON_NEGATIVE, **MONEY)
    document_number = models.CharField("เลขที่เอกสาร", max_length=100, blank=True)
    note = models.CharField("หมายเหตุ", max_length=255, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="ผู้บันทึก",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField("บันทึกเมื่อ", auto_now_add=True)

    class Meta:
        verbose_name = "การเบิกจ่าย"
        verbose_name_plural = "การเบิกจ่าย"
        ordering = ["-paid_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="budgets_disbursement_amount_positive"
            )
        ]

    def __str__(self) -> str:
        return f"{self.paid_on} {self.amount}"


class DisbursementTarget(models.Model):
    """Government cumulative disbursement target per quarter (e.g. Q1 ร้อยละ 30)."""

    organization = models.ForeignKey(
        Organization,
        verbose_name="สำนักงาน",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="disbursement_targets",
        help_text="เว้นว่างเพื่อใช้เป็นค่าเริ่มต้นของทุกสำนักงาน",
    )
    fiscal_year = models.PositiveSmallIntegerField("ปีงบประมาณ (พ.ศ.)")
    quarter = models.PositiveSmallIntegerField("ไตรมาส")
    cumulative_percent = models.DecimalField(
        "เป้าหมายสะสม (ร้อยละ)", max_digits=5, decimal_places=2
    )

    class Meta:
        verbose_name = "เป้าหมายการเบิกจ่ายสะสม"
        verbose_name_plural = "เป้าหมายการเบิกจ่ายสะสม"
        ordering = ["fiscal_year", "quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "fiscal_year", "quarter"],
                name="budgets_disbursementtarget_unique_quarter",
            ),
            models.CheckConstraint(
                condition=Q(cumulative_percent__gte=0) & Q(cumulative_percent__lte=100),
                name="budgets_disbursementtarget_percent_0_100",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.fiscal_year} ไตรมาส {self.quarter}: {self.cumulative_percent}%"
