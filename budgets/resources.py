"""The admin export resources of budget rows, and of projects and activities
with their budgets (the "ส่งออก Excel" button; see :mod:`core.admin_export`)."""

from import_export import fields

from budgets.models import Allocation, CostLine, Disbursement, QuarterPlan
from budgets.rollups import activity_total_budget_subquery, total_budget_subquery
from core import thai
from core.admin_export import (
    ThaiResource,
    annotated,
    be_date,
    be_month,
    integer,
    number,
    text,
)
from projects.models import Activity, Project


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
    budget = number("total_budget", "งบประมาณ (บาท)")

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
        return annotated(queryset, total_budget=total_budget_subquery())

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
        return annotated(queryset, budget=activity_total_budget_subquery())

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
