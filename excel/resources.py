"""django-import-export resources for the admin's "ส่งออก" button.

Thai column headers, Buddhist-era dates as text ("15/11/2568"), money and
quantities as real numbers, and :class:`ThaiXLSX`, an .xlsx format with baht
number format, a bold frozen header and sensible widths. The admins of the
other apps opt in with::

    from import_export.admin import ExportMixin
    from excel.resources import ProjectResource, ThaiXLSX

    class ProjectAdmin(ExportMixin, admin.ModelAdmin):
        resource_classes = [ProjectResource]
        export_formats = [ThaiXLSX]
"""

from import_export import fields, resources, widgets
from import_export.formats.base_formats import XLSX

from budgets.models import Allocation, CostLine, Disbursement, QuarterPlan
from core import thai
from excel.export import table_workbook, to_bytes
from projects.models import Activity, Project, ProjectKPI


class ThaiXLSX(XLSX):
    """.xlsx with '#,##0.00' money cells, bold frozen header and column widths."""

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


def be_date(value) -> str:
    return thai.thai_date(value, style="numeric") if value else ""


def be_month(value) -> str:
    return thai.thai_month_year(value) if value else ""


class ProjectResource(resources.ModelResource):
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

    class Meta:
        model = Project
        export_order = (
            "fiscal_year", "code", "name", "group", "kind", "start", "end",
            "source", "uses_budget", "status",
        )  # fmt: skip
        fields = export_order

    def get_queryset(self):
        return Project.objects.select_related("plan", "group", "budget_source")

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


class ActivityResource(resources.ModelResource):
    project_code = text("project__code", "รหัสโครงการ")
    project = text("project__name", "โครงการ")
    order = integer("order", "ลำดับ")
    name = text("name", "กิจกรรม")
    target = text("target", "เป้าหมาย")
    months = fields.Field(column_name="เดือนที่ดำเนินการ", readonly=True)

    class Meta:
        model = Activity
        export_order = ("project_code", "project", "order", "name", "target", "months")
        fields = export_order

    def get_queryset(self):
        return Activity.objects.select_related("project")

    def dehydrate_months(self, activity):
        return ", ".join(
            thai.thai_date(day, style="short").split(" ", 1)[1]
            for day in activity.month_dates()
        )


class CostLineResource(resources.ModelResource):
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

    def get_queryset(self):
        return CostLine.objects.select_related("activity__project", "category")


class QuarterPlanResource(resources.ModelResource):
    project_code = text("activity__project__code", "รหัสโครงการ")
    activity = text("activity__name", "กิจกรรม")
    quarter = integer("quarter", "ไตรมาส")
    amount = number("amount", "จำนวนเงิน (บาท)")

    class Meta:
        model = QuarterPlan
        export_order = ("project_code", "activity", "quarter", "amount")
        fields = export_order

    def get_queryset(self):
        return QuarterPlan.objects.select_related("activity__project")


class ProjectKPIResource(resources.ModelResource):
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

    def get_queryset(self):
        return ProjectKPI.objects.select_related("project")

    def dehydrate_result_kind(self, kpi):
        return kpi.get_result_kind_display()

    def dehydrate_target(self, kpi):
        return kpi.target_display(kpi.unit, kpi.unit_label)


class DisbursementResource(resources.ModelResource):
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

    def get_queryset(self):
        return Disbursement.objects.select_related("activity__project")

    def dehydrate_paid_on(self, disbursement):
        return be_date(disbursement.paid_on)


class AllocationResource(resources.ModelResource):
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

    def get_queryset(self):
        return Allocation.objects.select_related("source")

    def dehydrate_allocated_on(self, allocation):
        return be_date(allocation.allocated_on)
