"""django-import-export resources for the admin's "ส่งออก Excel" button.

Thai column headers, Buddhist-era dates as text ("15/11/2568"), money and
quantities as real numbers, and :class:`ThaiXLSX`, an .xlsx format with baht
number format, a bold frozen header and sensible widths. The admins opt in
through :class:`excel.admin.ThaiExportMixin`::

    class ProjectAdmin(ThaiExportMixin, admin.ModelAdmin):
        resource_classes = [ProjectResource]

The admin hands its own (office-scoped, filtered) changelist queryset to
``export``; each resource's :meth:`filter_export` adds the ``select_related``
and annotations its columns read, so an export runs a fixed number of queries
whatever the number of rows.
"""

from django.db.models import OuterRef
from django.utils import timezone
from import_export import fields, resources, widgets
from import_export.formats.base_formats import XLSX

from budgets.models import (
    Allocation,
    CostLine,
    Disbursement,
    QuarterPlan,
    money_subquery,
    project_money_subquery,
)
from core import thai
from excel.export import Month, table_workbook, to_bytes
from progress.models import ProgressReport
from projects.models import Activity, Project, ProjectKPI


class ThaiXLSX(XLSX):
    """.xlsx with '#,##0.00' money cells, bold frozen header and column widths.

    Written by :func:`excel.export.table_workbook`, whose cells go through
    :func:`excel.export.set_value`: text that looks like a formula stays the
    exact text. (import-export's own ``IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT``
    guards its stock formats only; it strips the "=" and turns numbers into
    text, so this format does not use it.)
    """

    def get_title(self):
        return "xlsx"

    def export_data(self, dataset, **kwargs):
        book = table_workbook(dataset.title or "ข้อมูล", list(dataset.headers), dataset)
        return to_bytes(book)


def text(attribute: str, header: str) -> fields.Field:
    return fields.Field(attribute=attribute, column_name=header, readonly=True)


def number(attribute: str, header: str) -> fields.Field:
    return fields.Field(
        attribute=attribute,
        column_name=header,
        widget=widgets.DecimalWidget(coerce_to_string=False),
        readonly=True,
    )


def integer(attribute: str, header: str) -> fields.Field:
    return fields.Field(
        attribute=attribute,
        column_name=header,
        widget=widgets.IntegerWidget(coerce_to_string=False),
        readonly=True,
    )


def be_date(value):
    """A date cell (shown with the BE year by :mod:`excel.export`), or blank."""
    return value or None


def be_month(value):
    """A month cell (``ต.ค. 2569``), or blank."""
    return Month.of(value) if value else None


def annotated(queryset, **expressions):
    """``queryset`` with the annotations it does not carry yet (the admin's
    queryset may already have them)."""
    missing = {
        name: expression
        for name, expression in expressions.items()
        if name not in queryset.query.annotations
    }
    return queryset.annotate(**missing) if missing else queryset


class ThaiResource(resources.ModelResource):
    """Names the sheet after the model ("โครงการ") and loads related rows once."""

    #: ``select_related`` paths the columns read.
    related: tuple[str, ...] = ()

    def filter_export(self, queryset, **kwargs):
        if self.related:
            queryset = queryset.select_related(*self.related)
        return queryset

    def export(self, queryset=None, **kwargs):
        dataset = super().export(queryset, **kwargs)
        dataset.title = str(self._meta.model._meta.verbose_name_plural)
        return dataset


class ProjectResource(ThaiResource):
    fiscal_year = integer("plan__fiscal_year", "ปีงบประมาณ")
    code = text("code", "รหัสโครงการ")
    name = text("name", "ชื่อโครงการ")
    group = text("group__name", "กลุ่มที่รับผิดชอบ")
    kind = fields.Field(column_name="ลักษณะโครงการ", readonly=True)
    start = fields.Field(column_name="เริ่มดำเนินการ", readonly=True)
    end = fields.Field(column_name="สิ้นสุด", readonly=True)
    source = text("budget_source__name", "แหล่งงบประมาณ")
    uses_budget = fields.Field(column_name="ใช้งบประมาณ", readonly=True)
    status = fields.Field(column_name="สถานะ", readonly=True)
    budget = number("budget_total", "งบประมาณ (บาท)")

    related = ("plan", "group", "budget_source")

    class Meta:
        model = Project
        export_order = (
            "fiscal_year", "code", "name", "group", "kind", "start", "end",
            "source", "uses_budget", "status", "budget",
        )  # fmt: skip
        fields = export_order

    def filter_export(self, queryset, **kwargs):
        queryset = super().filter_export(queryset, **kwargs)
        return annotated(
            queryset, budget_total=project_money_subquery(CostLine.objects.all())
        )

    def dehydrate_kind(self, project):
        return project.get_kind_display()

    def dehydrate_start(self, project):
        return be_month(project.start_month)

    def dehydrate_end(self, project):
        return be_month(project.end_month)

    def dehydrate_uses_budget(self, project):
        return "ใช้งบประมาณ" if project.uses_budget else "ไม่ใช้งบประมาณ"

    def dehydrate_status(self, project):
        return project.get_status_display()


class ActivityResource(ThaiResource):
    project_code = text("project__code", "รหัสโครงการ")
    project = text("project__name", "โครงการ")
    order = integer("order", "ลำดับ")
    name = text("name", "กิจกรรม")
    target = text("target", "เป้าหมาย")
    months = fields.Field(column_name="เดือนที่ดำเนินการ", readonly=True)
    budget = number("budget", "งบประมาณ (บาท)")

    related = ("project",)

    class Meta:
        model = Activity
        export_order = (
            "project_code", "project", "order", "name", "target", "months", "budget",
        )  # fmt: skip
        fields = export_order

    def filter_export(self, queryset, **kwargs):
        queryset = super().filter_export(queryset, **kwargs)
        lines = CostLine.objects.filter(activity=OuterRef("pk"))
        return annotated(queryset, budget=money_subquery(lines))

    def dehydrate_months(self, activity):
        return ", ".join(
            thai.thai_date(day, style="short").split(" ", 1)[1]
            for day in activity.month_dates()
        )


class CostLineResource(ThaiResource):
    project_code = text("activity__project__code", "รหัสโครงการ")
    activity = text("activity__name", "กิจกรรม")
    category = text("category__name", "หมวดรายจ่าย")
    description = text("description", "รายการ")
    times = number("times", "จำนวนครั้ง")
    persons = number("persons", "จำนวนคน/หน่วย")
    days = number("days", "จำนวนวัน/มื้อ")
    rate = number("rate", "อัตรา (บาท)")
    amount = number("amount", "จำนวนเงิน (บาท)")

    class Meta:
        model = CostLine
        export_order = (
            "project_code", "activity", "category", "description", "times",
            "persons", "days", "rate", "amount",
        )  # fmt: skip
        fields = export_order

    related = ("activity__project", "category")


class QuarterPlanResource(ThaiResource):
    project_code = text("activity__project__code", "รหัสโครงการ")
    activity = text("activity__name", "กิจกรรม")
    quarter = integer("quarter", "ไตรมาส")
    amount = number("amount", "จำนวนเงิน (บาท)")

    class Meta:
        model = QuarterPlan
        export_order = ("project_code", "activity", "quarter", "amount")
        fields = export_order

    related = ("activity__project",)


class ProjectKPIResource(ThaiResource):
    project_code = text("project__code", "รหัสโครงการ")
    result_kind = fields.Field(column_name="ประเภทผล", readonly=True)
    name = text("name", "ตัวชี้วัด")
    target = fields.Field(column_name="ค่าเป้าหมาย", readonly=True)
    target_value = number("target_value", "ค่าเป้าหมาย (ตัวเลข)")
    method = text("method", "วิธีการประเมิน")
    instrument = text("instrument", "เครื่องมือที่ใช้")

    class Meta:
        model = ProjectKPI
        export_order = (
            "project_code", "result_kind", "name", "target", "target_value",
            "method", "instrument",
        )  # fmt: skip
        fields = export_order

    related = ("project",)

    def dehydrate_result_kind(self, kpi):
        return kpi.get_result_kind_display()

    def dehydrate_target(self, kpi):
        return kpi.target_display(kpi.unit, kpi.unit_label)


class DisbursementResource(ThaiResource):
    paid_on = fields.Field(column_name="วันที่", readonly=True)
    document_number = text("document_number", "เลขที่เอกสาร")
    project_code = text("activity__project__code", "รหัสโครงการ")
    activity = text("activity__name", "กิจกรรม")
    amount = number("amount", "จำนวนเงิน (บาท)")
    note = text("note", "หมายเหตุ")

    class Meta:
        model = Disbursement
        export_order = (
            "paid_on", "document_number", "project_code", "activity", "amount", "note",
        )  # fmt: skip
        fields = export_order

    related = ("activity__project",)

    def dehydrate_paid_on(self, disbursement):
        return be_date(disbursement.paid_on)


class AllocationResource(ThaiResource):
    fiscal_year = integer("fiscal_year", "ปีงบประมาณ")
    source = text("source__name", "แหล่งงบประมาณ")
    round_number = integer("round_number", "จัดสรรครั้งที่")
    allocated_on = fields.Field(column_name="วันที่ได้รับจัดสรร", readonly=True)
    amount = number("amount", "จำนวนเงิน (บาท)")
    reference = text("reference", "หนังสืออ้างอิง")

    class Meta:
        model = Allocation
        export_order = (
            "fiscal_year", "source", "round_number", "allocated_on", "amount",
            "reference",
        )  # fmt: skip
        fields = export_order

    related = ("source",)

    def dehydrate_allocated_on(self, allocation):
        return be_date(allocation.allocated_on)


class ProgressReportResource(ThaiResource):
    project_code = text("project__code", "รหัสโครงการ")
    project = text("project__name", "โครงการ")
    group = text("project__group__name", "กลุ่ม")
    fiscal_year = integer("round__fiscal_year", "ปีงบประมาณ")
    round = fields.Field(column_name="รอบการรายงาน", readonly=True)
    status = fields.Field(column_name="สถานะการดำเนินงาน", readonly=True)
    percent_complete = number("percent_complete", "ความก้าวหน้า (ร้อยละ)")
    state = fields.Field(column_name="สถานะรายงาน", readonly=True)
    disbursed = number("disbursed", "เบิกจ่ายสะสม (บาท)")
    submitted = fields.Field(column_name="วันที่ส่งรายงาน", readonly=True)

    related = ("project__group", "round")

    class Meta:
        model = ProgressReport
        export_order = (
            "project_code", "project", "group", "fiscal_year", "round", "status",
            "percent_complete", "state", "disbursed", "submitted",
        )  # fmt: skip
        fields = export_order

    def filter_export(self, queryset, **kwargs):
        queryset = super().filter_export(queryset, **kwargs)
        if "disbursed" in queryset.query.annotations:
            return queryset
        return queryset.with_disbursed()

    def dehydrate_round(self, report):
        return report.round.label

    def dehydrate_status(self, report):
        return report.get_status_display()

    def dehydrate_state(self, report):
        return report.get_state_display()

    def dehydrate_submitted(self, report):
        if report.submitted_at is None:
            return ""
        return be_date(timezone.localtime(report.submitted_at).date())
