"""Offices, their groups and people: who owns what in every other app."""

import datetime

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone

from core.history import audit_history

ERROR_DIRECTOR_OTHER_OFFICE = "ผู้อำนวยการต้องเป็นบุคลากรของสำนักงานนี้"
ERROR_GROUP_OTHER_OFFICE = "เลือกได้เฉพาะกลุ่มของสำนักงานเดียวกับบุคลากร"
ERROR_HEAD_OTHER_OFFICE = "ผู้อำนวยการกลุ่มต้องเป็นบุคลากรของสำนักงานเดียวกับกลุ่ม"
ERROR_PARENT_CYCLE = "หน่วยงานกำกับต้องไม่ใช่หน่วยงานนี้เองหรือหน่วยงานที่อยู่ภายใต้"
ERROR_PARENT_NOT_NODE = "หน่วยงานกำกับต้องเป็น สพฐ. หรือศึกษาธิการภาค/จังหวัด"
#: Shown under ``is_active`` of shared reference data.
RETIRE_HELP = (
    "ไม่ติ๊กเพื่อเลิกใช้: ไม่แสดงเป็นตัวเลือกใหม่ แต่ข้อมูลเดิมที่อ้างถึงยังอยู่ครบ (รายการที่มีข้อมูลอ้างถึงลบไม่ได้)"
)


def _related(obj, name: str):
    """``obj.<name>`` or ``None`` when unset (also for a required link that
    an unsaved form has not filled in yet)."""
    try:
        return getattr(obj, name)
    except ObjectDoesNotExist:
        return None


class OrganizationQuerySet(models.QuerySet):
    def offices(self):
        """Offices that plan a year, not the network's overseeing nodes."""
        return self.exclude(kind__in=Organization.NODE_KINDS)

    def under(self, node):
        """Every organisation at or below ``node`` in the network: one
        ``LIKE 'path%'`` on the indexed materialised path, usable as a
        subquery of any office-owned table (``organization__path__startswith``).
        A node without a path (never saved) has nothing under it, not all."""
        if not node.path:
            return self.none()
        return self.filter(path__startswith=node.path)


class Organization(models.Model):
    """An Educational Service Area Office (สำนักงานเขตพื้นที่การศึกษา), or a
    node of the national network above offices (OBEC, a region/province).

    The network is a tree (``parent``). Overseers read every office under
    their node, so "the offices under a node" is asked on every network page
    and joined into aggregate queries; it is answered from ``path``, a
    materialised path of primary keys (``/1/7/42/``) kept by :meth:`save`.
    A recursive CTE would need raw SQL in every aggregate; a path prefix is a
    plain ORM filter and an index range scan. The tree is three levels deep
    and re-parented rarely (by a superuser), so rewriting a subtree's paths
    on a move (one ``UPDATE``) costs nothing that matters.
    """

    office_path = "pk"

    class Kind(models.TextChoices):
        PRIMARY = "spp", "สพป. (ประถมศึกษา)"
        SECONDARY = "spm", "สพม. (มัธยมศึกษา)"
        OTHER = "other", "หน่วยงานอื่น"
        OBEC = "obec", "สพฐ. (ส่วนกลาง)"
        REGION = "region", "ศึกษาธิการภาค/จังหวัด"

    #: Kinds that oversee offices instead of planning a year of their own.
    NODE_KINDS = (Kind.OBEC, Kind.REGION)

    name = models.CharField(
        "ชื่อเต็ม",
        max_length=255,
        help_text="เช่น สำนักงานเขตพื้นที่การศึกษาประถมศึกษายโสธร เขต 2",
    )
    short_name = models.CharField(
        "ชื่อย่อ", max_length=100, help_text="เช่น สพป.ยโสธร เขต 2"
    )
    kind = models.CharField(
        "ประเภท", max_length=10, choices=Kind.choices, default=Kind.PRIMARY
    )
    address = models.TextField("ที่อยู่", blank=True)
    phone = models.CharField("โทรศัพท์", max_length=100, blank=True)
    email = models.EmailField("อีเมล", blank=True)
    website = models.URLField("เว็บไซต์", blank=True)
    emblem = models.ImageField(
        "ตราสัญลักษณ์",
        upload_to="emblems/",
        blank=True,
        help_text="พิมพ์บนปกแผน (PNG หรือ JPEG); เว้นว่างเพื่อใช้ตราเริ่มต้น",
    )
    director = models.ForeignKey(
        "Person",
        verbose_name="ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษา",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="ผู้อนุมัติแผนและโครงการ พิมพ์ในช่องลงนาม",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="สังกัด (หน่วยงานกำกับ)",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text="หน่วยงานที่กำกับติดตามสำนักงานนี้ เช่น ศึกษาธิการภาค หรือ สพฐ.",
    )
    #: ``/<root pk>/…/<own pk>/``; written by :meth:`save`, never by hand.
    path = models.CharField(
        "ตำแหน่งในเครือข่าย", max_length=255, blank=True, editable=False, db_index=True
    )

    objects = OrganizationQuerySet.as_manager()

    history = audit_history("สำนักงานเขตพื้นที่การศึกษา")

    class Meta:
        verbose_name = "สำนักงานเขตพื้นที่การศึกษา"
        verbose_name_plural = "สำนักงานเขตพื้นที่การศึกษา"
        ordering = ["short_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["short_name"], name="core_organization_unique_short_name"
            )
        ]

    def __str__(self) -> str:
        return self.short_name

    def save(self, *args, **kwargs) -> None:
        """Keep ``path`` (and every descendant's) in step with ``parent``."""
        super().save(*args, **kwargs)
        old, new = self.path, self._own_path()
        if old == new:
            return
        type(self).objects.filter(pk=self.pk).update(path=new)
        self.path = new
        if old:
            # A move: the subtree's paths change their common prefix.
            type(self).objects.filter(path__startswith=old).exclude(pk=self.pk).update(
                path=Concat(Value(new), Substr("path", len(old) + 1))
            )

    def clean(self) -> None:
        director = _related(self, "director")
        if director is not None and director.organization_id != self.pk:
            raise ValidationError({"director": ERROR_DIRECTOR_OTHER_OFFICE})
        parent = _related(self, "parent")
        if parent is not None and self.pk is not None:
            if parent.pk == self.pk or parent.path.startswith(self.path or "-"):
                raise ValidationError({"parent": ERROR_PARENT_CYCLE})
        if parent is not None and parent.kind not in self.NODE_KINDS:
            raise ValidationError({"parent": ERROR_PARENT_NOT_NODE})

    @property
    def is_node(self) -> bool:
        return self.kind in self.NODE_KINDS

    def _own_path(self) -> str:
        parent = _related(self, "parent")
        return f"{parent.path if parent else '/'}{self.pk}/"


class StandardGroup(models.Model):
    """The standard set of groups of an office (reference data, editable)."""

    code = models.SlugField("รหัส", max_length=30, unique=True)
    name = models.CharField("ชื่อกลุ่ม", max_length=255)
    short_name = models.CharField(
        "ชื่อย่อ", max_length=100, blank=True, help_text="เช่น กลุ่มนิเทศติดตามฯ"
    )
    order = models.PositiveSmallIntegerField("ลำดับ", default=0)
    is_active = models.BooleanField("ใช้งาน", default=True, help_text=RETIRE_HELP)

    class Meta:
        verbose_name = "กลุ่มมาตรฐาน"
        verbose_name_plural = "กลุ่มมาตรฐาน"
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class OfficeGroup(models.Model):
    """A group (กลุ่ม) or unit (หน่วย) of one office."""

    office_path = "organization"

    organization = models.ForeignKey(
        Organization,
        verbose_name="สำนักงาน",
        on_delete=models.CASCADE,
        related_name="groups",
    )
    standard = models.ForeignKey(
        StandardGroup,
        verbose_name="กลุ่มมาตรฐาน",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text="ใช้เทียบกลุ่มเดียวกันระหว่างสำนักงาน",
    )
    name = models.CharField("ชื่อกลุ่ม", max_length=255)
    short_name = models.CharField("ชื่อย่อ", max_length=100, blank=True)
    order = models.PositiveSmallIntegerField("ลำดับ", default=0)
    is_active = models.BooleanField("ใช้งาน", default=True)

    history = audit_history("กลุ่ม")

    class Meta:
        verbose_name = "กลุ่ม"
        verbose_name_plural = "กลุ่ม"
        ordering = ["organization", "order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "name"], name="core_officegroup_unique_name"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    def current_head_assignment(self, on: datetime.date | None = None):
        """The head assignment in force on ``on`` (today by default).

        A permanent head wins over an acting one. Note: this runs a query.
        """
        return (
            self.head_assignments.in_force(on)
            .select_related("person")
            .order_by("kind", "-start_date")
            .first()
        )


class Person(models.Model):
    """Staff of an office: named on projects, signatures and head assignments."""

    office_path = "organization"

    organization = models.ForeignKey(
        Organization,
        verbose_name="สำนักงาน",
        on_delete=models.CASCADE,
        related_name="people",
    )
    title = models.CharField(
        "คำนำหน้า",
        max_length=50,
        blank=True,
        help_text="เช่น นาย นาง นางสาว ว่าที่ร้อยตรี ดร.",
    )
    first_name = models.CharField("ชื่อ", max_length=100)
    last_name = models.CharField("นามสกุล", max_length=100, blank=True)
    position = models.CharField(
        "ตำแหน่ง", max_length=255, blank=True, help_text="เช่น นักวิเคราะห์นโยบายและแผน"
    )
    group = models.ForeignKey(
        OfficeGroup,
        verbose_name="กลุ่ม",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="บัญชีผู้ใช้",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
        help_text="เว้นว่างได้ถ้าบุคคลนี้ไม่ได้เข้าใช้ระบบ",
    )
    email = models.EmailField("อีเมล", blank=True)
    phone = models.CharField("โทรศัพท์", max_length=50, blank=True)
    is_active = models.BooleanField("ยังปฏิบัติงาน", default=True)

    history = audit_history("บุคลากร")

    class Meta:
        verbose_name = "บุคลากร"
        verbose_name_plural = "บุคลากร"
        ordering = ["organization", "first_name", "last_name"]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        """ "นางสาวเพ็ญประภา มีเพียร", "ดร.พิมพ์ชนก …", "ว่าที่ร้อยตรี สมชาย …".

        นาย/นาง/นางสาว and abbreviated titles join the name; longer
        titles such as ranks are followed by a space.
        """
        joined = self.title in {"นาย", "นาง", "นางสาว", "เด็กชาย", "เด็กหญิง"}
        separator = "" if joined or self.title.endswith(".") else " "
        name = f"{self.first_name} {self.last_name}".strip()
        return f"{self.title}{separator}{name}" if self.title else name

    def clean(self) -> None:
        group = _related(self, "group")
        if (
            group is not None
            and self.organization_id is not None
            and group.organization_id != self.organization_id
        ):
            raise ValidationError({"group": ERROR_GROUP_OTHER_OFFICE})


class HeadAssignmentQuerySet(models.QuerySet):
    def in_force(self, on: datetime.date | None = None):
        day = on or timezone.localdate()
        return self.filter(start_date__lte=day).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=day)
        )


class GroupHeadAssignment(models.Model):
    """Who heads a group, including acting heads (รักษาการ / ปฏิบัติหน้าที่)."""

    office_path = "group__organization"

    class Kind(models.TextChoices):
        # Ordered so that sorting by kind puts the permanent head first.
        HEAD = "1_head", "ผู้อำนวยการกลุ่ม"
        ACTING = "2_acting", "รักษาการในตำแหน่ง"
        PERFORMING = "3_performing", "ปฏิบัติหน้าที่"

    group = models.ForeignKey(
        OfficeGroup,
        verbose_name="กลุ่ม",
        on_delete=models.CASCADE,
        related_name="head_assignments",
    )
    person = models.ForeignKey(
        Person,
        verbose_name="บุคคล",
        on_delete=models.CASCADE,
        related_name="head_assignments",
    )
    kind = models.CharField(
        "ลักษณะ", max_length=20, choices=Kind.choices, default=Kind.HEAD
    )
    start_date = models.DateField("ตั้งแต่วันที่")
    end_date = models.DateField(
        "ถึงวันที่", null=True, blank=True, help_text="เว้นว่างถ้ายังดำรงตำแหน่งอยู่"
    )
    order_reference = models.CharField(
        "คำสั่งที่", max_length=255, blank=True, help_text="เช่น คำสั่ง สพป.ยส.2 ที่ 12/2566"
    )

    objects = HeadAssignmentQuerySet.as_manager()

    history = audit_history("การแต่งตั้งผู้อำนวยการกลุ่ม")

    class Meta:
        verbose_name = "การแต่งตั้งผู้อำนวยการกลุ่ม"
        verbose_name_plural = "การแต่งตั้งผู้อำนวยการกลุ่ม"
        ordering = ["group", "kind", "-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="core_groupheadassignment_end_after_start",
                violation_error_message="วันที่สิ้นสุดต้องไม่ก่อนวันที่เริ่ม",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.get_kind_display()} {self.group}"

    def clean(self) -> None:
        group, person = _related(self, "group"), _related(self, "person")
        if (
            group is not None
            and person is not None
            and person.organization_id != group.organization_id
        ):
            raise ValidationError({"person": ERROR_HEAD_OTHER_OFFICE})

    @property
    def signature_position(self) -> str:
        """Position as printed under a signature, e.g. "รักษาการในตำแหน่ง…"."""
        head_title = f"ผู้อำนวยการ{self.group.name}"
        if self.kind == self.Kind.HEAD:
            return head_title
        return f"{self.get_kind_display()}{head_title}"


class DeletedObject(models.Model):
    """Trash: a deleted project or report with every child row, restorable.

    ``data`` holds the rows as ``django.core.serializers`` JSON (many-to-many
    links included), written just before the real delete; see
    :mod:`core.trash`.
    """

    office_path = "organization"

    class Kind(models.TextChoices):
        PROJECT = "project", "โครงการ"
        PROGRESS_REPORT = "progress_report", "รายงานความก้าวหน้า"

    kind = models.CharField("ประเภท", max_length=20, choices=Kind.choices)
    organization = models.ForeignKey(
        Organization,
        verbose_name="สำนักงาน",
        on_delete=models.CASCADE,
        related_name="trash",
    )
    object_id = models.PositiveIntegerField("รหัสเดิม")
    label = models.CharField("รายการ", max_length=600)
    data = models.JSONField("ข้อมูลที่ลบ", default=list)
    row_count = models.PositiveIntegerField("จำนวนแถวข้อมูล", default=0)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="ผู้ลบ",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    deleted_at = models.DateTimeField("ลบเมื่อ", default=timezone.now)
    restored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="ผู้กู้คืน",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    restored_at = models.DateTimeField("กู้คืนเมื่อ", null=True, blank=True)

    class Meta:
        verbose_name = "ถังขยะ (รายการที่ลบ)"
        verbose_name_plural = "ถังขยะ (รายการที่ลบ)"
        ordering = ["-deleted_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.label}"

    @property
    def is_restored(self) -> bool:
        return self.restored_at is not None


class Heartbeat:
    """The one staleness rule of a background task's progress record
    (:class:`TaskRecord`, :class:`reports.models.DocumentJob`): a record that
    waits for its worker (queued) or is being worked on (running) but has not
    moved for the seconds of the setting named by ``stale_setting`` is taken
    for dead. A worker killed mid-task (out of memory, a restart, a deploy)
    writes nothing more, so its record would say "running" forever and its
    page poll forever; the task writes its record as it goes (the heartbeat:
    rows or parts done), so a live task never looks stale unless it is
    silent for that long.

    A plain mixin, not an abstract model: the two records keep their own
    fields (and migrations); they share ``state``, ``updated_at`` (auto_now)
    and the queued/running values."""

    #: The setting holding the seconds after which a silent record is dead.
    stale_setting = "PHAEN_TASK_STALE_SECONDS"
    LIVE_STATES = ("queued", "running")

    @classmethod
    def stale_limit(cls) -> datetime.timedelta:
        return datetime.timedelta(seconds=getattr(settings, cls.stale_setting))

    @classmethod
    def stale_q(cls, now=None) -> Q:
        """The stale records, as a filter (the scheduled command's sweep)."""
        now = now or timezone.now()
        return Q(state__in=cls.LIVE_STATES, updated_at__lte=now - cls.stale_limit())

    @property
    def stale(self) -> bool:
        return (
            self.state in self.LIVE_STATES
            and timezone.now() - self.updated_at >= self.stale_limit()
        )


class TaskRecord(Heartbeat, models.Model):
    """The progress record of one background task that is not a document
    (those keep :class:`reports.models.DocumentJob`): a workbook import's
    check and confirm, a round's reminders.

    The Tasks API's result tells a task's state, not how far it got nor an
    error a user can read; the task writes both here, the waiting page polls
    it and the task admin lists it. ``key`` makes a task once-only where it
    must be (one reminder per round and day); ``result`` holds what the page
    shows when the task is done (the import's rendered preview).
    """

    office_path = "organization"

    class Kind(models.TextChoices):
        IMPORT_CHECK = "import_check", "ตรวจไฟล์นำเข้า"
        IMPORT_CONFIRM = "import_confirm", "นำเข้าข้อมูลจากไฟล์"
        REMINDERS = "reminders", "ส่งอีเมลแจ้งเตือน"

    class State(models.TextChoices):
        QUEUED = "queued", "รอคิว"
        RUNNING = "running", "กำลังทำงาน"
        DONE = "done", "เสร็จแล้ว"
        FAILED = "failed", "ไม่สำเร็จ"

    kind = models.CharField("ชนิดงาน", max_length=20, choices=Kind.choices)
    title = models.CharField("งาน", max_length=255, blank=True)
    key = models.CharField(
        "คีย์งาน", max_length=255, unique=True, null=True, blank=True, default=None
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name="สำนักงาน",
        on_delete=models.CASCADE,
        related_name="task_records",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="ผู้สั่ง",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    state = models.CharField(
        "สถานะ", max_length=10, choices=State.choices, default=State.QUEUED
    )
    rows_done = models.PositiveIntegerField("ทำแล้ว (แถว)", default=0)
    rows_total = models.PositiveIntegerField("ทั้งหมด (แถว)", default=0)
    attempts = models.PositiveSmallIntegerField("จำนวนครั้งที่ลอง", default=0)
    error = models.TextField("ข้อผิดพลาด", blank=True)
    result = models.JSONField("ผลลัพธ์", default=dict, blank=True)
    task_id = models.CharField("รหัสงานในคิว", max_length=64, blank=True)
    created_at = models.DateTimeField("สั่งเมื่อ", auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField("ความคืบหน้าล่าสุด", auto_now=True)
    finished_at = models.DateTimeField("เสร็จเมื่อ", null=True, blank=True)

    class Meta:
        verbose_name = "งานเบื้องหลัง"
        verbose_name_plural = "งานเบื้องหลัง"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.title or self.get_kind_display()}: {self.get_state_display()}"

    @property
    def percent(self) -> int:
        if not self.rows_total:
            return 0
        return min(100, round(100 * self.rows_done / self.rows_total))

    @property
    def finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)
