"""The admin export resource of progress reports (see :mod:`core.admin_export`)."""

from import_export import fields

from core.admin_export import ThaiResource, be_date, integer, number, text
from core.thai import bangkok_date
from progress.models import ProgressReport


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
        return be_date(bangkok_date(report.submitted_at))
