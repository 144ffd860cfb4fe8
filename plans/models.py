"""The annual plan of an office and its strategy framework.

Chain: external ``PolicyItem`` tree (ยุทธศาสตร์ชาติ → … → OBEC strategies) ←
office ``Plan`` per fiscal year with its direction: vision (on the plan),
``Mission``, ``Goal``, ``Strategy`` (with ``Indicator`` + ``IndicatorTarget`` and
``Guideline``).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from core.history import audit_history
from core.models import RETIRE_HELP, Organization
from core.selectors import OfficeQuerySet
from plans.indicators import IndicatorFields, TargetFields

ERROR_POLICY_PARENT_CYCLE = "ไม่สามารถเลือกรายการนี้หรือรายการย่อยของรายการนี้เป็นรายการแม่ได้"
ERROR_POLICY_YEARS = "ปีงบประมาณที่สิ้นสุดต้องไม่ก่อนปีที่เริ่มใช้"


class PlanQuerySet(OfficeQuerySet):
    def with_counts(self) -> "PlanQuerySet":
        return self.annotate(
            strategy_count=models.Count("strategies", distinct=True),
            indicator_count=models.Count("strategies__indicators", distinct=True),
        )


class Plan(models.Model):
    """แผนปฏิบัติการประจำปีงบประมาณ of one office for one fiscal year."""

    office_path = "organization"

    class Status(models.TextChoices):
        DRAFT = "draft", "ร่าง"
        SUBMITTED = "submitted", "เสนออนุมัติ"
        APPROVED = "approved", "อนุมัติแล้ว"

    class IndicatorNumbering(models.TextChoices):
        #: "1.3": the strategy's number, then the indicator's (most offices)
        BY_STRATEGY = "by_strategy", "ตามกลยุทธ์ (เช่น 1.3)"
        #: "17": one run 1..N across the strategies (seed 003 numbers 1–80)
        STRAIGHT = "straight", "เรียงต่อเนื่องทั้งแผน (เช่น 1–80)"

    organization = models.ForeignKey(
        Organization,
        verbose_name="สำนักงาน",
        on_delete=models.CASCADE,
        related_name="plans",
    )
    fiscal_year = models.PositiveSmallIntegerField(
        "ปีงบประมาณ (พ.ศ.)", help_text="ปีพุทธศักราช เช่น 2568"
    )
    title = models.CharField(
        "ชื่อแผน",
        max_length=255,
        blank=True,
        help_text="เว้นว่างเพื่อใช้ “แผนปฏิบัติการประจำปีงบประมาณ พ.ศ. ….”",
    )
    status = models.CharField(
        "สถานะ", max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    version = models.PositiveSmallIntegerField(
        "ฉบับที่", default=1, help_text="1 = ฉบับแรก; เพิ่มขึ้นเมื่อปรับปรุงแผน"
    )
    vision = models.TextField("วิสัยทัศน์", blank=True)
    # The announcement's opening paragraph ("เพื่อให้บรรลุวิสัยทัศน์ … ดังนี้",
    # seed 003): the office's own words, printed before the vision; it is not
    # the plan book's คำนำ (reports.DocumentText), which prefaces the book.
    preamble = models.TextField(
        "ความนำของทิศทาง",
        blank=True,
        help_text="ข้อความนำก่อนวิสัยทัศน์ในประกาศทิศทาง เช่น “เพื่อให้บรรลุวิสัยทัศน์ … ดังนี้”",
    )
    announced_on = models.DateField(
        "วันที่ประกาศใช้", null=True, blank=True, help_text="วันที่ในประกาศใช้แผน"
    )
    signatory = models.CharField(
        "ผู้ลงนามประกาศ",
        max_length=255,
        blank=True,
        help_text="ชื่อและตำแหน่ง เช่น ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษา…",
    )
    edition_label = models.CharField(
        "ฉบับ (ตามเอกสาร)",
        max_length=100,
        blank=True,
        help_text="ข้อความบนปกเอกสาร เช่น ฉบับทบทวน เมษายน 2566",
    )
    indicator_numbering = models.CharField(
        "การนับเลขตัวชี้วัด",
        max_length=20,
        choices=IndicatorNumbering.choices,
        default=IndicatorNumbering.BY_STRATEGY,
        help_text="เลขตัวชี้วัดที่พิมพ์ในเล่มแผนและหน้าจอ ตามที่สำนักงานเขียน",
    )
    submitted_at = models.DateTimeField("วันที่เสนออนุมัติ", null=True, blank=True)
    approved_at = models.DateTimeField("วันที่อนุมัติ", null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="ผู้อนุมัติ",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    #: An approval past the gate (projects not approved, blocking checker
    #: findings) says so: who, when and why stay on the plan and its history.
    override_reason = models.TextField("เหตุผลการอนุมัติโดยไม่รอเงื่อนไข", blank=True)
    override_blockers = models.TextField("รายการที่ยังค้างเมื่ออนุมัติ", blank=True)
    override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="ผู้อนุมัติโดยไม่รอเงื่อนไข",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    override_at = models.DateTimeField("วันที่อนุมัติโดยไม่รอเงื่อนไข", null=True, blank=True)
    created_at = models.DateTimeField("สร้างเมื่อ", auto_now_add=True)
    updated_at = models.DateTimeField("แก้ไขล่าสุด", auto_now=True)

    objects = PlanQuerySet.as_manager()

    history = audit_history("แผนปฏิบัติการประจำปี")

    class Meta:
        verbose_name = "แผนปฏิบัติการประจำปี"
        verbose_name_plural = "แผนปฏิบัติการประจำปี"
        ordering = ["organization", "-fiscal_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "fiscal_year"],
                name="plans_plan_one_per_office_and_year",
                violation_error_message="สำนักงานนี้มีแผนของปีงบประมาณนี้แล้ว",
            ),
            models.CheckConstraint(
                condition=Q(fiscal_year__gte=2500) & Q(fiscal_year__lte=2700),
                name="plans_plan_fiscal_year_is_buddhist_era",
                violation_error_message="ปีงบประมาณต้องเป็นปีพุทธศักราช เช่น 2568",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.display_title} ({self.organization})"

    @property
    def display_title(self) -> str:
        return self.title or f"แผนปฏิบัติการประจำปีงบประมาณ พ.ศ. {self.fiscal_year}"

    @property
    def is_locked(self) -> bool:
        """An approved plan changes only through a recorded revision."""
        return self.status == self.Status.APPROVED

    @property
    def version_label(self) -> str:
        """ "ฉบับแรก" or "ฉบับปรับปรุงครั้งที่ 2"."""
        if self.version <= 1:
            return "ฉบับแรก"
        return f"ฉบับปรับปรุงครั้งที่ {self.version - 1}"

    def indicator_label(self, strategy_number: int, number: int) -> str:
        """The number an indicator is printed with, as this office writes it.

        Seed 003 numbers its 80 indicators 1–80 straight through the
        strategies; other offices restart at each strategy and print "1.3".
        The stored number is the office's own in both cases, so this only
        chooses whether the strategy's number goes in front. (``Indicator.code``
        stays "strategy.number": it is the key the workbook links projects by.)
        """
        if self.indicator_numbering == self.IndicatorNumbering.STRAIGHT:
            return str(number)
        return f"{strategy_number}.{number}"


class PlanRevision(models.Model):
    """A recorded revision (ฉบับปรับปรุง) of an approved plan."""

    office_path = "plan__organization"

    plan = models.ForeignKey(
        Plan, verbose_name="แผน", on_delete=models.CASCADE, related_name="revisions"
    )
    version = models.PositiveSmallIntegerField("ฉบับที่")
    reason = models.TextField("เหตุผลการปรับปรุง")
    revised_on = models.DateField("วันที่ปรับปรุง")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="ผู้บันทึก",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField("บันทึกเมื่อ", auto_now_add=True)

    class Meta:
        verbose_name = "การปรับปรุงแผน"
        verbose_name_plural = "การปรับปรุงแผน"
        ordering = ["plan", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "version"],
                name="plans_planrevision_unique_version",
                violation_error_message="แผนนี้มีการปรับปรุงฉบับที่นี้แล้ว",
            )
        ]

    def __str__(self) -> str:
        return f"{self.plan.display_title} ฉบับปรับปรุงครั้งที่ {self.version - 1}"


class PolicyItem(models.Model):
    """One item of the external policy chain (reference data, a typed tree)."""

    class Kind(models.TextChoices):
        NATIONAL_STRATEGY = "national_strategy", "ยุทธศาสตร์ชาติ"
        MASTER_PLAN = "master_plan", "แผนแม่บทภายใต้ยุทธศาสตร์ชาติ"
        REFORM_PLAN = "reform_plan", "แผนการปฏิรูปประเทศ"
        #: eMENSCR's third level-2 plan beside the master and reform plans;
        #: its children are the หมุดหมาย (milestones).
        DEVELOPMENT_PLAN = "development_plan", "แผนพัฒนาเศรษฐกิจและสังคมแห่งชาติ"
        NATIONAL_EDUCATION_PLAN = "education_plan", "แผนการศึกษาแห่งชาติ"
        MOE_POLICY = "moe_policy", "นโยบายกระทรวงศึกษาธิการ"
        OBEC_POLICY = "obec_policy", "นโยบาย สพฐ."
        OBEC_STRATEGY = "obec_strategy", "ยุทธศาสตร์ สพฐ."
        OTHER = "other", "อื่น ๆ"

    kind = models.CharField("ประเภท", max_length=30, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="อยู่ภายใต้",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    code = models.CharField(
        "หมายเลข", max_length=30, blank=True, help_text="เช่น 3, 3.1, (๒)"
    )
    title = models.TextField("ชื่อ")
    fiscal_year_start = models.PositiveSmallIntegerField(
        "ใช้ตั้งแต่ปีงบประมาณ", null=True, blank=True
    )
    fiscal_year_end = models.PositiveSmallIntegerField(
        "ใช้ถึงปีงบประมาณ", null=True, blank=True, help_text="เว้นว่างถ้ายังใช้อยู่"
    )
    order = models.PositiveSmallIntegerField("ลำดับ", default=0)
    is_active = models.BooleanField("ใช้งาน", default=True, help_text=RETIRE_HELP)

    history = audit_history("นโยบายและยุทธศาสตร์ระดับชาติ")

    class Meta:
        verbose_name = "นโยบายและยุทธศาสตร์ระดับชาติ"
        verbose_name_plural = "นโยบายและยุทธศาสตร์ระดับชาติ"
        ordering = ["kind", "order", "code"]

    def __str__(self) -> str:
        prefix = f"{self.code} " if self.code else ""
        return f"{self.get_kind_display()} {prefix}{self.title}"[:200]

    def clean(self) -> None:
        errors = {}
        if (
            self.fiscal_year_start
            and self.fiscal_year_end
            and self.fiscal_year_end < self.fiscal_year_start
        ):
            errors["fiscal_year_end"] = ERROR_POLICY_YEARS
        if self.parent_id and self._parent_would_cycle():
            errors["parent"] = ERROR_POLICY_PARENT_CYCLE
        if errors:
            raise ValidationError(errors)

    def _parent_would_cycle(self) -> bool:
        """True when the chosen parent is this item or one of its descendants."""
        if self.pk is None:
            return False
        seen = set()
        current = self.parent_id
        while current is not None and current not in seen:
            if current == self.pk:
                return True
            seen.add(current)
            current = (
                PolicyItem.objects.filter(pk=current)
                .values_list("parent_id", flat=True)
                .first()
            )
        return False

    def in_force(self, fiscal_year: int) -> bool:
        start_ok = (
            self.fiscal_year_start is None or self.fiscal_year_start <= fiscal_year
        )
        end_ok = self.fiscal_year_end is None or fiscal_year <= self.fiscal_year_end
        return start_ok and end_ok


class Mission(models.Model):
    office_path = "plan__organization"
    plan = models.ForeignKey(
        Plan, verbose_name="แผน", on_delete=models.CASCADE, related_name="missions"
    )
    number = models.PositiveSmallIntegerField("ข้อที่")
    text = models.TextField("พันธกิจ")

    history = audit_history("พันธกิจ")

    class Meta:
        verbose_name = "พันธกิจ"
        verbose_name_plural = "พันธกิจ"
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "number"],
                name="plans_mission_unique_number",
                violation_error_message="ข้อพันธกิจนี้ซ้ำกับพันธกิจอื่นในแผนเดียวกัน",
            )
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text}"[:120]


class Goal(models.Model):
    office_path = "plan__organization"
    plan = models.ForeignKey(
        Plan, verbose_name="แผน", on_delete=models.CASCADE, related_name="goals"
    )
    number = models.PositiveSmallIntegerField("ข้อที่")
    text = models.TextField("เป้าประสงค์")

    history = audit_history("เป้าประสงค์")

    class Meta:
        verbose_name = "เป้าประสงค์"
        verbose_name_plural = "เป้าประสงค์"
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "number"],
                name="plans_goal_unique_number",
                violation_error_message="ข้อเป้าประสงค์นี้ซ้ำกับเป้าประสงค์อื่นในแผนเดียวกัน",
            )
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text}"[:120]


class Strategy(models.Model):
    """กลยุทธ์ of the office for the plan's fiscal year."""

    office_path = "plan__organization"

    plan = models.ForeignKey(
        Plan, verbose_name="แผน", on_delete=models.CASCADE, related_name="strategies"
    )
    number = models.PositiveSmallIntegerField("กลยุทธ์ที่")
    title = models.TextField("ชื่อกลยุทธ์")
    description = models.TextField("คำอธิบาย", blank=True)
    # Seed 003 follows each strategy's indicator table with the meaning of its
    # S/M/A/R/T columns ("หมายเหตุ : คุณลักษณะของผู้เรียน (SMART Students) ได้แก่
    # S ; Skills หมายถึง …"); the tags on the indicators mean nothing without it.
    characteristics = models.TextField(
        "คำอธิบายคุณลักษณะของตัวชี้วัด",
        blank=True,
        help_text="ความหมายของแท็กคุณลักษณะ หนึ่งบรรทัดต่อหนึ่งข้อ "
        "เช่น S ; Skills หมายถึง การมีทักษะวิชาการ …",
    )
    goals = models.ManyToManyField(
        Goal, verbose_name="เป้าประสงค์ที่เกี่ยวข้อง", blank=True, related_name="strategies"
    )
    policy_items = models.ManyToManyField(
        PolicyItem,
        verbose_name="ความสอดคล้องกับนโยบายระดับชาติ",
        blank=True,
        related_name="strategies",
    )

    history = audit_history("กลยุทธ์", m2m_fields=["goals", "policy_items"])

    class Meta:
        verbose_name = "กลยุทธ์"
        verbose_name_plural = "กลยุทธ์"
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "number"],
                name="plans_strategy_unique_number",
                violation_error_message="หมายเลขกลยุทธ์นี้มีอยู่แล้วในแผนนี้",
            )
        ]

    def __str__(self) -> str:
        return f"กลยุทธ์ที่ {self.number} {self.title}"[:150]


class Indicator(IndicatorFields):
    """ตัวชี้วัด of a strategy; targets per fiscal year in ``IndicatorTarget``."""

    office_path = "strategy__plan__organization"

    strategy = models.ForeignKey(
        Strategy,
        verbose_name="กลยุทธ์",
        on_delete=models.CASCADE,
        related_name="indicators",
    )
    goal = models.ForeignKey(
        Goal,
        verbose_name="เป้าประสงค์",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="indicators",
    )
    number = models.PositiveSmallIntegerField(
        "ลำดับที่", help_text="พิมพ์เป็น กลยุทธ์.ลำดับ เช่น ๑.๓"
    )
    tags = models.CharField(
        "คุณลักษณะ",
        max_length=100,
        blank=True,
        help_text="แท็กของสำนักงาน คั่นด้วยจุลภาค เช่น S,T (SMART Students/Teachers)",
    )
    # Seed 003 prints "ร้อยละ ๘๐ ของผู้เรียน …": the indicator's own text
    # already states the year's target, which is also kept as a number (to
    # judge results). Printing the number again beside it said it twice.
    states_target = models.BooleanField(
        "ข้อความตัวชี้วัดระบุค่าเป้าหมายแล้ว",
        default=False,
        help_text="เลือกเมื่อชื่อตัวชี้วัดมีค่าเป้าหมายของปีแผนอยู่แล้ว เช่น “ร้อยละ ๘๐ ของผู้เรียน …” "
        "เล่มแผนจะไม่พิมพ์ค่าเป้าหมายของปีนั้นซ้ำ",
    )

    history = audit_history("ตัวชี้วัดกลยุทธ์")

    class Meta:
        verbose_name = "ตัวชี้วัดกลยุทธ์"
        verbose_name_plural = "ตัวชี้วัดกลยุทธ์"
        ordering = ["strategy", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["strategy", "number"],
                name="plans_indicator_unique_number",
                violation_error_message="ลำดับตัวชี้วัดนี้ซ้ำกับตัวชี้วัดอื่นในกลยุทธ์เดียวกัน",
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"[:150]

    def clean(self) -> None:
        self.clean_levels()

    @property
    def code(self) -> str:
        """ "1.3": strategy number, then indicator number. Note: reads strategy."""
        return f"{self.strategy.number}.{self.number}"


class IndicatorTarget(TargetFields):
    """ค่าเป้าหมาย of a strategy indicator for one fiscal year."""

    office_path = "indicator__strategy__plan__organization"

    indicator = models.ForeignKey(
        Indicator,
        verbose_name="ตัวชี้วัด",
        on_delete=models.CASCADE,
        related_name="targets",
    )
    fiscal_year = models.PositiveSmallIntegerField("ปีงบประมาณ (พ.ศ.)")

    history = audit_history("ค่าเป้าหมายรายปี")

    class Meta:
        verbose_name = "ค่าเป้าหมายรายปี"
        verbose_name_plural = "ค่าเป้าหมายรายปี"
        ordering = ["indicator", "fiscal_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "fiscal_year"],
                name="plans_indicatortarget_one_per_year",
                violation_error_message="ตัวชี้วัดนี้มีค่าเป้าหมายของปีนี้แล้ว",
            )
        ]

    def __str__(self) -> str:
        return f"{self.fiscal_year}: {self.target_value or self.target_text}"

    def clean(self) -> None:
        # The parent may still be unsaved (an admin inline on the add page), so
        # read the related object rather than relying on ``indicator_id``.
        try:
            indicator = self.indicator
        except Indicator.DoesNotExist:
            return
        self.clean_target(indicator.unit)

    def display(self) -> str:
        """ "ไม่น้อยกว่าร้อยละ 80"; reads the indicator (select it with the target)."""
        return self.target_display(self.indicator.unit, self.indicator.unit_label)


class Guideline(models.Model):
    """แนวทางการพัฒนา of a strategy."""

    office_path = "strategy__plan__organization"

    strategy = models.ForeignKey(
        Strategy,
        verbose_name="กลยุทธ์",
        on_delete=models.CASCADE,
        related_name="guidelines",
    )
    number = models.PositiveSmallIntegerField("ข้อที่")
    text = models.TextField("แนวทางการพัฒนา")

    history = audit_history("แนวทางการพัฒนา")

    class Meta:
        verbose_name = "แนวทางการพัฒนา"
        verbose_name_plural = "แนวทางการพัฒนา"
        ordering = ["strategy", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["strategy", "number"],
                name="plans_guideline_unique_number",
                violation_error_message="ลำดับแนวทางนี้ซ้ำในกลยุทธ์เดียวกัน",
            )
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text}"[:120]
