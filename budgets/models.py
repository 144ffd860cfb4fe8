"""Money: sources and envelopes, expense categories, cost lines, quarterly
spending plans and disbursements. Amounts are ``Decimal`` baht with satang."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Func, OuterRef, Q, Sum, Value
from django.db.models.functions import Cast, Coalesce

from core.history import audit_history
from core.locking import VersionedModel
from core.models import RETIRE_HELP, Organization
from core.thai import ZERO, format_baht, format_percent, quantize_baht, thai_date
from projects.models import Activity

MONEY = {"max_digits": 14, "decimal_places": 2}
#: The largest amount ``MONEY`` holds.
MONEY_MAX = Decimal("999999999999.99")
NON_NEGATIVE = [MinValueValidator(Decimal("0"), message="จำนวนเงินต้องไม่ติดลบ")]

#: Shipped sources printed outside the annual budget table's total (set by
#: migration 0012; a superuser may change the flag of any source).
OUTSIDE_TOTAL_CODES = ("central-fund", "other-agency", "external-support", "non-budget")

#: How money without a category (a cost line or an office running cost the
#: source left unclassified) is listed wherever categories are: the one label,
#: on screens, in documents and in workbooks.
UNCLASSIFIED = "ไม่ระบุหมวด"
ERROR_FACTOR_NOT_POSITIVE = "จำนวนต้องมากกว่าศูนย์"
ERROR_RATE_NEGATIVE = "อัตราต้องไม่ติดลบ"
ERROR_RATE_MISSING = "กรุณากรอกอัตรา (บาท) เพื่อคำนวณจำนวนเงินจากสูตร"
ERROR_FACTORS_MISSING = "กรุณากรอกจำนวน (ครั้ง คน/หน่วย หรือวัน/มื้อ) อย่างน้อยหนึ่งช่องคู่กับอัตรา"
ERROR_AMOUNT_TOO_LARGE = (
    "จำนวนเงินตามสูตรเกิน 999,999,999,999.99 บาท กรุณาตรวจสอบจำนวนและอัตรา"
)
ERROR_AMOUNT_MISSING = "กรุณากรอกจำนวนเงิน หรือกรอกจำนวนและอัตราเพื่อให้ระบบคำนวณ"
ERROR_AMOUNT_MISMATCH = (
    "จำนวนเงิน {amount} บาท ไม่ตรงกับสูตรคำนวณ ({formula} = {computed} บาท)"
)
ERROR_PROJECT_WITHOUT_BUDGET = "โครงการนี้กำหนดว่า “ไม่ใช้งบประมาณ” จึงบันทึกรายการค่าใช้จ่ายไม่ได้"
ERROR_DOCUMENT_RECORDED = "เอกสารเลขที่นี้ของโครงการนี้บันทึกการเบิกจ่ายไว้แล้ว"
ERROR_RUNNING_DOCUMENT_RECORDED = "เอกสารเลขที่นี้ของค่าใช้จ่ายรายการนี้บันทึกการเบิกจ่ายไว้แล้ว"


def money_sum(field: str = "amount"):
    """``SUM(field)`` as money, 0 when there are no rows."""
    return Coalesce(Sum(field), Value(ZERO), output_field=models.DecimalField(**MONEY))


def money_subquery(queryset, field: str = "amount"):
    """A correlated subquery summing ``field`` over ``queryset`` (0 when empty).

    ``SUM`` is written as a plain function so no GROUP BY is added: the
    subquery returns exactly one row whatever the outer query is.
    """
    summed = (
        queryset.order_by()
        .annotate(_total=Func(F(field), function="SUM"))
        .values("_total")
    )
    return Coalesce(
        models.Subquery(summed, output_field=models.DecimalField(**MONEY)),
        Value(ZERO),
        output_field=models.DecimalField(**MONEY),
    )


def _activity_rollup(queryset, function: str, field: str, project):
    """``function(field)`` of ``queryset`` for each activity of ``project``,
    added up over the project's activities (one correlated subquery).

    Correlating the inner subquery on ``activity_id`` lets the database read a
    few rows per activity through that column's index. Filtering a join on
    ``activity.project_id`` instead made PostgreSQL scan the whole table once
    per outer project, so a list of projects cost projects × cost lines.
    """
    per_activity = (
        queryset.filter(activity=OuterRef("pk"))
        .order_by()
        .annotate(_value=Func(F(field), function=function))
        .values("_value")
    )
    return (
        Activity.objects.filter(project=project)
        .order_by()
        .annotate(
            _total=Func(
                models.Subquery(per_activity, output_field=models.DecimalField()),
                function="SUM",
            )
        )
        .values("_total")
    )


def project_money_subquery(queryset, field: str = "amount", project=None):
    """Sum of ``field`` over ``queryset`` (rows with an ``activity``: cost lines,
    quarter plans, disbursements) for the outer project, 0 when empty.

    ``project`` is the outer project's id expression (``OuterRef("pk")``).
    """
    money = models.DecimalField(**MONEY)
    summed = _activity_rollup(queryset, "SUM", field, project or OuterRef("pk"))
    return Coalesce(
        models.Subquery(summed, output_field=money), Value(ZERO), output_field=money
    )


def project_count_subquery(queryset, project=None):
    """How many rows of ``queryset`` belong to the outer project's activities."""
    counted = _activity_rollup(queryset, "COUNT", "pk", project or OuterRef("pk"))
    return Cast(
        Coalesce(models.Subquery(counted, output_field=models.IntegerField()), 0),
        models.IntegerField(),
    )


def _format_quantity(value: Decimal) -> str:
    """``1234`` → "1,234"; ``1.50`` → "1.5" (no ".00" on whole numbers)."""
    if value == value.to_integral_value():
        return f"{int(value):,}"
    return f"{value.normalize():,f}"


def _format_rate(value: Decimal) -> str:
    """``200`` → "200"; ``35.5`` → "35.50" (money keeps its satang)."""
    if value == value.to_integral_value():
        return f"{int(value):,}"
    return f"{value:,.2f}"


def payment_label(amount, paid_on) -> str:
    """A payment as a Thai clerk reads it: "2,400.00 บาท วันที่ 5 ธ.ค. 2569".

    The admin's "added …" message and history pages print ``str()`` of a
    disbursement, which used to be "2026-12-05 2400"."""
    try:
        money = format_baht(amount)
    except ValueError:  # not yet a number (an admin form being refused)
        money = str(amount or "-")
    day = thai_date(paid_on, "medium") if isinstance(paid_on, datetime.date) else "-"
    return f"{money} บาท วันที่ {day}"


class AmountQuerySet(models.QuerySet):
    def total(self) -> Decimal:
        """Sum of ``amount`` (one query)."""
        return self.aggregate(total=money_sum())["total"]


class BudgetSource(models.Model):
    """แหล่งงบประมาณ: reference data, shared by every office unless owned by one."""

    office_path = "organization"
    office_shared_when_empty = True

    organization = models.ForeignKey(
        Organization,
        verbose_name="สำนักงาน",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="budget_sources",
        help_text="เว้นว่างสำหรับแหล่งงบประมาณมาตรฐานที่ทุกสำนักงานใช้",
    )

    class FundingGroup(models.TextChoices):
        """How progress summaries group projects (as seed 002 prints them)."""

        PLAN = "plan", "โครงการตามแผนปฏิบัติการประจำปี"
        OBEC = "obec", "โครงการที่ได้รับจัดสรรงบประมาณจาก สพฐ."
        OTHER = "other", "โครงการที่ได้รับงบประมาณจากหน่วยงานอื่น"

    code = models.SlugField("รหัส", max_length=40)
    name = models.CharField("แหล่งงบประมาณ", max_length=255)
    order = models.PositiveSmallIntegerField("ลำดับ", default=0)
    is_active = models.BooleanField("ใช้งาน", default=True, help_text=RETIRE_HELP)
    funding_group = models.CharField(
        "กลุ่มโครงการในรายงานความก้าวหน้า",
        max_length=10,
        choices=FundingGroup.choices,
        default=FundingGroup.PLAN,
        help_text="รายงานความก้าวหน้าสรุปสถานะโครงการแยกตามกลุ่มนี้",
    )
    # Seed 004's Table 13 totals the office's own budget by expense group and
    # prints the central fund (งบกลาง) on its own row below the total: money
    # the office did not plan, added to its figures, would hide how it spent
    # its own. Not in the fixture (like ``is_active``): a superuser's choice
    # stays, and migrations that sync older fixtures need not know the field.
    outside_total = models.BooleanField(
        "แสดงแยกนอกยอดรวม",
        default=False,
        help_text="รายงานผลการบริหารงบประมาณแสดงแหล่งนี้เป็นแถวแยกใต้ยอดรวม เช่น งบกลาง",
    )

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
    is_active = models.BooleanField("ใช้งาน", default=True, help_text=RETIRE_HELP)

    class Meta:
        verbose_name = "หมวดรายจ่าย"
        verbose_name_plural = "หมวดรายจ่าย"
        ordering = ["order"]

    def __str__(self) -> str:
        return self.name


class Allocation(models.Model):
    """An envelope: money allocated to the office from one source, per round."""

    office_path = "organization"

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

    objects = AmountQuerySet.as_manager()

    history = audit_history("การจัดสรรงบประมาณ")

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

    office_path = "organization"

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
    # Optional for the same reason as CostLine.category: seed 000 leaves
    # 145,000 baht of running costs unclassified, listed as UNCLASSIFIED.
    category = models.ForeignKey(
        ExpenseCategory,
        verbose_name="หมวดรายจ่าย",
        on_delete=models.PROTECT,
        related_name="operating_costs",
        null=True,
        blank=True,
        help_text="เว้นว่างได้เมื่อแหล่งข้อมูลไม่ระบุหมวด",
    )
    order = models.PositiveSmallIntegerField("ลำดับ", default=0)
    description = models.CharField("รายการ", max_length=500)
    amount = models.DecimalField("จำนวนเงิน (บาท)", validators=NON_NEGATIVE, **MONEY)

    objects = AmountQuerySet.as_manager()

    history = audit_history("ค่าใช้จ่ายดำเนินงานของสำนักงาน")

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

    # The envelope rule (operating costs and projects together stay within
    # the allocations) is budgets.services.operating_cost_validate, run by the
    # services and the admin form: a model's clean() never calls a service.


class OperatingDisbursement(models.Model):
    """เบิกจ่าย of a running cost: money the office paid that is no project's
    (salaries, utilities, subsidies passed on to schools). The annual report's
    budget table counts it with the projects' disbursements; the finance
    import records it from a row naming the running cost's number."""

    office_path = "operating_cost__organization"

    operating_cost = models.ForeignKey(
        OperatingCost,
        verbose_name="ค่าใช้จ่ายดำเนินงาน",
        on_delete=models.PROTECT,
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

    objects = AmountQuerySet.as_manager()

    history = audit_history("การเบิกจ่ายค่าใช้จ่ายดำเนินงาน")

    class Meta:
        verbose_name = "การเบิกจ่ายค่าใช้จ่ายดำเนินงาน"
        verbose_name_plural = "การเบิกจ่ายค่าใช้จ่ายดำเนินงาน"
        ordering = ["-paid_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="budgets_operatingdisbursement_amount_positive",
            ),
            models.UniqueConstraint(
                fields=["operating_cost", "document_number"],
                condition=~Q(document_number=""),
                name="budgets_operatingdisbursement_unique_document",
                violation_error_message=ERROR_RUNNING_DOCUMENT_RECORDED,
            ),
        ]

    def __str__(self) -> str:
        return payment_label(self.amount, self.paid_on)


class CostLineQuerySet(AmountQuerySet):
    def for_office_year(self, organization, fiscal_year: int):
        return self.filter(
            activity__project__plan__organization=organization,
            activity__project__plan__fiscal_year=fiscal_year,
        )

    # The three correlated subqueries behind an activity's and a project's
    # budget, written once: budgets.rollups uses them, and so does the project
    # sheet, which gets them through projects.sheet_money (budgets.apps).

    def activity_sum(self):
        """These lines' amounts for the outer activity (``OuterRef("pk")``)."""
        return money_subquery(self.filter(activity=OuterRef("pk")))

    def project_sum(self, project=None):
        """These lines' amounts over the outer project's activities."""
        return project_money_subquery(self, project=project)

    def project_count(self):
        """How many of these lines the outer project's activities have."""
        return project_count_subquery(self)

    def snapshot_rows(self, project) -> list[dict]:
        """``project``'s lines as the JSON a revision freezes (one query):
        money as a decimal string, the category by code and name, so the
        memo still names a category retired since."""
        rows = (
            self.filter(activity__project=project)
            .select_related("category")
            .order_by("activity__order", "activity_id", "order", "pk")
        )
        return [
            {
                "id": line.pk,
                "activity_id": line.activity_id,
                "category_code": line.category.code if line.category_id else "",
                "category": line.category.name if line.category_id else "",
                "category_order": line.category.order if line.category_id else 0,
                "description": line.description,
                "amount": str(line.amount),
            }
            for line in rows
        ]


class CostLine(VersionedModel):
    """One budget line of an activity: "1 ครั้ง ๆ ละ 12 คน คนละ 200 บาท".

    ``amount`` is stored: factors × rate when factors are given, otherwise the
    amount typed directly.
    """

    office_path = "activity__project__plan__organization"

    activity = models.ForeignKey(
        "projects.Activity",
        verbose_name="กิจกรรม",
        on_delete=models.CASCADE,
        related_name="cost_lines",
    )
    # Optional: a source may leave part of a budget unclassified, and filing
    # it under a guessed category would print invented data as if it were the
    # source's. A line without one is listed as "ไม่ระบุหมวด" (UNCLASSIFIED).
    category = models.ForeignKey(
        ExpenseCategory,
        verbose_name="หมวดรายจ่าย",
        on_delete=models.PROTECT,
        related_name="cost_lines",
        null=True,
        blank=True,
        help_text="เว้นว่างได้เมื่อแหล่งข้อมูลไม่ระบุหมวด",
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
    amount = models.DecimalField(
        "จำนวนเงิน (บาท)",
        validators=NON_NEGATIVE,
        blank=True,
        help_text="คำนวณจากจำนวน × อัตรา เมื่อกรอกสูตร; กรอกเองได้เมื่อไม่มีสูตร",
        **MONEY,
    )
    note = models.CharField("หมายเหตุ", max_length=255, blank=True)

    objects = CostLineQuerySet.as_manager()

    history = audit_history("รายการค่าใช้จ่าย")

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

    # ------------------------------------------------------------ arithmetic

    def factors(self) -> list[tuple[str, Decimal, str]]:
        """The given factors in printed order: (field name, value, unit)."""
        given = [
            ("times", self.times, self.times_unit or "ครั้ง"),
            ("persons", self.persons, self.persons_unit or "คน"),
            ("days", self.days, self.days_unit or "วัน"),
        ]
        return [(name, value, unit) for name, value, unit in given if value is not None]

    def has_formula(self) -> bool:
        return self.rate is not None and bool(self.factors())

    def compute_amount(self) -> Decimal | None:
        """Factors × rate rounded half up to satang; the typed amount otherwise.

        ``times=1 persons=12 rate=200`` → ``Decimal("2400.00")``.
        """
        if not self.has_formula():
            return None if self.amount is None else quantize_baht(self.amount)
        product = Decimal(self.rate)
        for _, value, _ in self.factors():
            product *= Decimal(value)
        return quantize_baht(product)

    def formula_text(self) -> str:
        """The printed formula, "1 ครั้ง ๆ ละ 12 คน คนละ 200 บาท"; "" without one.

        Rule: each factor is "<number> <unit>"; the word linking it to the
        next number is "ๆ ละ" (repeat the unit), except after a count of
        persons/units that follows or precedes another factor, which reads
        "<unit>ละ" ("12 คน คนละ 200 บาท", "30 คน คนละ 2 มื้อ ๆ ละ 35 บาท").
        A single count reads "20 เล่ม ๆ ละ 50 บาท".
        """
        if not self.has_formula():
            return ""
        factors = self.factors()
        words: list[str] = []
        for index, (_name, value, unit) in enumerate(factors):
            if index:
                words.append(self._link_after(factors[index - 1], len(factors)))
            words.append(f"{_format_quantity(Decimal(value))} {unit}")
        words.append(self._link_after(factors[-1], len(factors)))
        words.append(f"{_format_rate(Decimal(self.rate))} บาท")
        return " ".join(words)

    @staticmethod
    def _link_after(factor: tuple[str, Decimal, str], count: int) -> str:
        name, _, unit = factor
        if name == "persons" and count > 1:
            return f"{unit}ละ"
        return "ๆ ละ"

    def clean(self) -> None:
        """Refuse bad numbers, set or check the amount, refuse a line of a
        project "ไม่ใช้งบประมาณ".

        The envelope control sums other rows and belongs to the write side:
        :func:`budgets.services.cost_line_validate` runs this and then it
        (a model's clean() never calls a service). Reads the activity's project
        (one query).
        """
        numbers = (self.times, self.persons, self.days, self.rate, self.amount)
        if any(not isinstance(v, (Decimal, int, type(None))) for v in numbers):
            return  # clean_fields() has already reported the non-numeric value
        errors: dict[str, str] = {}
        for name in ("times", "persons", "days"):
            value = getattr(self, name)
            if value is not None and value <= 0:
                errors[name] = ERROR_FACTOR_NOT_POSITIVE
        if self.rate is not None and self.rate < 0:
            errors["rate"] = ERROR_RATE_NEGATIVE
        if self.factors() and self.rate is None:
            errors["rate"] = ERROR_RATE_MISSING
        elif self.rate is not None and not self.factors():
            errors["persons"] = ERROR_FACTORS_MISSING
        if errors:
            raise ValidationError(errors)
        if self.has_formula():
            try:
                computed = self.compute_amount()
            except ValueError:  # more digits than a Decimal holds
                computed = None
            if computed is None or abs(computed) > MONEY_MAX:
                raise ValidationError(
                    {
                        "amount": ValidationError(
                            ERROR_AMOUNT_TOO_LARGE, code="too_large"
                        )
                    }
                )
            if self.amount is None:
                self.amount = computed
            elif quantize_baht(self.amount) != computed:
                message = ERROR_AMOUNT_MISMATCH.format(
                    amount=f"{self.amount:,.2f}",
                    formula=self.formula_text(),
                    computed=f"{computed:,.2f}",
                )
                raise ValidationError(
                    {"amount": ValidationError(message, code="amount_mismatch")}
                )
        if self.amount is None:
            raise ValidationError(
                {"amount": ValidationError(ERROR_AMOUNT_MISSING, code="required")}
            )
        if self.activity_id:
            project = self.activity.project
            if not project.uses_budget:
                raise ValidationError(ERROR_PROJECT_WITHOUT_BUDGET, code="no_budget")


class QuarterPlanQuerySet(AmountQuerySet):
    def snapshot_rows(self, project) -> list[dict]:
        """``project``'s quarterly plans as the JSON a revision freezes (one
        query), money as a decimal string: the approved plan's book prints
        them as last approved while the project is being revised."""
        rows = (
            self.filter(activity__project=project)
            .order_by("activity__order", "activity_id", "quarter")
            .values_list("activity_id", "quarter", "amount")
        )
        return [
            {"activity_id": activity_id, "quarter": quarter, "amount": str(amount)}
            for activity_id, quarter, amount in rows
        ]


class QuarterPlan(models.Model):
    """แผนการใช้จ่ายงบประมาณ of an activity for one fiscal quarter."""

    office_path = "activity__project__plan__organization"

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

    objects = QuarterPlanQuerySet.as_manager()

    history = audit_history("แผนการใช้จ่ายรายไตรมาส")

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

    office_path = "activity__project__plan__organization"

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
    #: The expense category paid under when finance knows no cost line (a
    #: voucher says "ค่าวัสดุ", not which line): it must be a category of
    #: the activity's cost lines (``budgets.services.disbursement_validate``).
    #: Empty with a cost line, whose own category counts
    #: (:func:`spent_category`), so a line re-classified later moves its
    #: payments with it.
    category = models.ForeignKey(
        ExpenseCategory,
        verbose_name="หมวดรายจ่าย",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="disbursements",
        help_text=(
            "เลือกเมื่อไม่ระบุรายการค่าใช้จ่าย: หมวดที่เบิกจ่าย "
            "(ต้องเป็นหมวดของรายการค่าใช้จ่ายในกิจกรรมนี้)"
        ),
    )
    #: The activity's project, copied on every save (see :meth:`save`): a
    #: unique constraint cannot reach through a join, and a voucher number
    #: is unique per project, not per activity.
    project = models.ForeignKey(
        "projects.Project",
        verbose_name="โครงการ",
        on_delete=models.PROTECT,
        editable=False,
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

    objects = AmountQuerySet.as_manager()

    history = audit_history("การเบิกจ่าย")

    class Meta:
        verbose_name = "การเบิกจ่าย"
        verbose_name_plural = "การเบิกจ่าย"
        ordering = ["-paid_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="budgets_disbursement_amount_positive"
            ),
            # The database's own guard against entering one voucher twice
            # (a double-click, two clerks): the service checks first under the
            # project lock for a friendly message; this catches any other path.
            models.UniqueConstraint(
                fields=["project", "document_number"],
                condition=~Q(document_number=""),
                name="budgets_disbursement_unique_document",
                violation_error_message=ERROR_DOCUMENT_RECORDED,
            ),
        ]

    def __str__(self) -> str:
        return payment_label(self.amount, self.paid_on)

    def save(self, *args, **kwargs):
        """Copy the activity's project, whoever saves (services, fixtures)."""
        if self.activity_id:
            self.project_id = self.activity.project_id
        super().save(*args, **kwargs)


def spent_category():
    """The category a disbursement counts under: its cost line's, else its
    own (a category-only payment), else none ("ไม่ระบุหมวด"). One
    expression for every roll-up that groups payments by category."""
    return Coalesce("cost_line__category", "category")


class DisbursementTarget(models.Model):
    """Government cumulative disbursement target per quarter (e.g. Q1 ร้อยละ 30)."""

    office_path = "organization"
    office_shared_when_empty = True

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

    history = audit_history("เป้าหมายการเบิกจ่ายสะสม")

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
        percent = format_percent(self.cumulative_percent)
        return f"{self.fiscal_year} ไตรมาส {self.quarter}: {percent}"


# ------------------------------------------------------------------ rate tables


class RateTable(models.Model):
    """The highest rates an office may budget for common costs (meals,
    snacks, speakers, per-diem, lodging) in one fiscal year, by the Finance
    Ministry's rules.

    A shared table (no office) is shipped in ``fixtures/rate_tables.json``;
    an office's own table of a year overrides the shared one kind by kind
    (its finance staff enter it when the office's rules are stricter, or
    when the ministry's figures change before a new shared table is
    shipped). A table holds from its year until a later table: the rules
    change every few years, not every year (:func:`budgets.rates.limits_for`).
    """

    office_path = "organization"

    organization = models.ForeignKey(
        Organization,
        verbose_name="สำนักงาน",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="rate_tables",
        help_text="เว้นว่าง = อัตรากลางที่ใช้ทุกสำนักงาน (ผู้ดูแลระบบกลางแก้ไข)",
    )
    fiscal_year = models.PositiveSmallIntegerField(
        "ใช้ตั้งแต่ปีงบประมาณ (พ.ศ.)",
        help_text="ใช้กับปีนี้และปีถัดไปจนกว่าจะมีตารางของปีที่ใหม่กว่า",
    )
    name = models.CharField("ชื่อตาราง", max_length=255)
    description = models.TextField("คำอธิบาย", blank=True)

    history = audit_history("ตารางอัตราค่าใช้จ่าย")

    class Meta:
        verbose_name = "ตารางอัตราค่าใช้จ่าย"
        verbose_name_plural = "ตารางอัตราค่าใช้จ่าย"
        ordering = ["organization", "-fiscal_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "fiscal_year"],
                name="budgets_ratetable_one_per_office_and_year",
                violation_error_message="สำนักงานนี้มีตารางอัตราของปีนี้แล้ว",
            ),
            models.UniqueConstraint(
                fields=["fiscal_year"],
                condition=Q(organization__isnull=True),
                name="budgets_ratetable_one_shared_per_year",
                violation_error_message="มีตารางอัตรากลางของปีนี้แล้ว",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} (ปีงบประมาณ {self.fiscal_year})"


class RateLimit(models.Model):
    """One highest rate of a :class:`RateTable` and the words that recognise
    a cost line it applies to (``budgets.rates``)."""

    office_path = "table__organization"

    class Kind(models.TextChoices):
        MEAL = "meal", "ค่าอาหาร"
        SNACK = "snack", "ค่าอาหารว่างและเครื่องดื่ม"
        SPEAKER_GOVERNMENT = "speaker_gov", "ค่าตอบแทนวิทยากร (ภาครัฐ)"
        SPEAKER_PRIVATE = "speaker_private", "ค่าตอบแทนวิทยากร (ภาคเอกชน)"
        PER_DIEM = "per_diem", "ค่าเบี้ยเลี้ยง"
        LODGING = "lodging", "ค่าที่พัก"
        OTHER = "other", "อื่น ๆ"

    table = models.ForeignKey(
        RateTable, verbose_name="ตาราง", on_delete=models.CASCADE, related_name="limits"
    )
    kind = models.CharField("ประเภท", max_length=20, choices=Kind.choices)
    label = models.CharField(
        "รายการ", max_length=255, help_text="เช่น ค่าอาหารกลางวัน การฝึกอบรมประเภท ก"
    )
    unit = models.CharField("หน่วย", max_length=60, help_text="เช่น บาท/คน/วัน")
    max_rate = models.DecimalField("อัตราสูงสุด (บาท)", validators=NON_NEGATIVE, **MONEY)
    match_words = models.CharField(
        "คำที่ใช้จับคู่รายการ",
        max_length=500,
        help_text="คั่นด้วยจุลภาค เช่น ค่าอาหารกลางวัน, ค่าอาหาร "
        "รายการค่าใช้จ่ายที่มีคำเหล่านี้จะถูกเทียบกับอัตรานี้ (คำที่ยาวที่สุดที่ตรงกันชนะ)",
    )
    reference = models.CharField(
        "ระเบียบที่อ้างอิง",
        max_length=500,
        blank=True,
        help_text="เช่น ระเบียบกระทรวงการคลังว่าด้วยค่าใช้จ่ายในการฝึกอบรม …",
    )
    order = models.PositiveSmallIntegerField("ลำดับ", default=0)

    history = audit_history("อัตราค่าใช้จ่ายสูงสุด")

    class Meta:
        verbose_name = "อัตราค่าใช้จ่ายสูงสุด"
        verbose_name_plural = "อัตราค่าใช้จ่ายสูงสุด"
        ordering = ["table", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["table", "kind", "label"],
                name="budgets_ratelimit_unique_label",
                violation_error_message="ตารางนี้มีรายการนี้แล้ว",
            )
        ]

    def __str__(self) -> str:
        return f"{self.label} ไม่เกิน {format_baht(self.max_rate)} {self.unit}"

    @property
    def words(self) -> list[str]:
        return [w.strip() for w in self.match_words.split(",") if w.strip()]
