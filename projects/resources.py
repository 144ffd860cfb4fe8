"""The admin export resource of project KPIs (see :mod:`core.admin_export`)."""

from import_export import fields

from core.admin_export import ThaiResource, number, text
from projects.models import ProjectKPI


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
