"""The parts of the project sheet's admin: its forms and section inlines.

The admin is the main data-entry screen for a project sheet, but both of its
pages show money (the project's completeness counts cost lines, its export
carries budgets, the Activity page holds cost lines and the quarterly plan),
so the ``ProjectAdmin`` and ``ActivityAdmin`` are registered by
:mod:`budgets.admin_projects`, one layer up, from the pieces defined here.
Object permissions come from :mod:`projects.rules`: a group head may open
another group's project read-only but not change it.
"""

from django import forms
from django.contrib import admin
from django.db import models

from core.admin import BadInputAdminMixin, ReadOnlyWithoutVersionMixin
from core.locking import VersionedModelForm
from core.models import Person
from plans.forms import LevelErrorsModelForm
from projects import rules
from projects.forms import ThaiMonthField, ThaiMonthsField
from projects.models import (
    Activity,
    ExpectedResult,
    Objective,
    Project,
    ProjectKPI,
    ProjectResponsible,
    ProjectTarget,
)

SMALL_TEXT = {
    models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 50})}
}


# ------------------------------------------------------------------ inlines


class ProjectPartInline(BadInputAdminMixin, admin.TabularInline):
    """Edits a part of the sheet; allowed exactly when the project is editable."""

    extra = 0
    formfield_overrides = SMALL_TEXT

    def _may_edit(self, request, obj) -> bool:
        project = obj.project if isinstance(obj, Activity) else obj
        return project is None or rules.can_edit_project(request.user, project)

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and self._may_edit(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._may_edit(
            request, obj
        )

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._may_edit(
            request, obj
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is Person:
            # Active staff; the choices mixin keeps the user's office.
            kwargs["queryset"] = Person.objects.filter(is_active=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ResponsibleInline(ProjectPartInline):
    model = ProjectResponsible
    fields = ["order", "person", "name_text"]
    autocomplete_fields = ["person"]
    verbose_name_plural = "ผู้รับผิดชอบโครงการ (คนแรกคือผู้รับผิดชอบหลัก)"


class ObjectiveInline(ProjectPartInline):
    model = Objective
    fields = ["order", "text"]
    verbose_name_plural = "2. วัตถุประสงค์"


class TargetInline(ProjectPartInline):
    model = ProjectTarget
    fields = ["kind", "order", "text", "quantity", "unit"]
    verbose_name_plural = "3. เป้าหมาย (เชิงปริมาณ / เชิงคุณภาพ)"


class ActivityForm(VersionedModelForm):
    months = ThaiMonthsField(
        label="เดือนที่ดำเนินการ",
        required=False,
        help_text="พิมพ์เป็น พ.ศ. เช่น ต.ค. – ธ.ค. 2567, ก.พ. 2568",
    )

    class Meta:
        model = Activity
        fields = [
            "project",
            "parent",
            "order",
            "name",
            "target",
            "months",
            "responsible",
            "responsible_text",
            "notes",
        ]


class ActivityInline(ProjectPartInline):
    model = Activity
    form = ActivityForm
    fk_name = "project"
    fields = [
        "order",
        "name",
        "target",
        "months",
        "responsible",
        "responsible_text",
        "opened_version",
    ]
    autocomplete_fields = ["responsible"]
    show_change_link = True
    verbose_name_plural = "5–6. กิจกรรมหลักและปฏิทิน (งบประมาณรายกิจกรรม: กดลิงก์แก้ไขกิจกรรม)"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("responsible")


class KPIInline(ProjectPartInline):
    model = ProjectKPI
    form = LevelErrorsModelForm
    fields = [
        "order",
        "result_kind",
        "nature",
        "name",
        "unit",
        "unit_label",
        "comparison",
        "target_value",
        "target_text",
        "method",
        "instrument",
    ]
    verbose_name_plural = "7. ตัวชี้วัดความสำเร็จ"


class ExpectedResultInline(ProjectPartInline):
    model = ExpectedResult
    fields = ["order", "text"]
    verbose_name_plural = "8. ผลที่คาดว่าจะได้รับ"


# ------------------------------------------------------------------ project


class ProjectAdminForm(VersionedModelForm):
    start_month = ThaiMonthField(
        label="เริ่มดำเนินการ (เดือน)",
        required=False,
        help_text="เช่น ต.ค. 2567 เว้นว่างทั้งคู่ได้เมื่อไม่ระบุระยะเวลา",
    )
    end_month = ThaiMonthField(
        label="สิ้นสุด (เดือน)", required=False, help_text="เช่น ก.ย. 2568"
    )

    class Meta:
        model = Project
        fields = [
            "plan",
            "group",
            "code",
            "sequence",
            "name",
            "budget_plan",
            "kind",
            "responsible_note",
            "start_month",
            "end_month",
            "strategies",
            "goals",
            "indicators",
            "policy_items",
            "rationale",
            "uses_budget",
            "virement_allowed",
            "virement_wording",
            "budget_source",
            "funding_agency",
            "output_statement",
            "outcome_statement",
            "location",
            "target_group",
        ]

    def clean(self):
        cleaned = super().clean()
        plan = cleaned.get("plan")
        if plan is None:
            return cleaned
        checks = {
            "strategies": lambda item: item.plan_id == plan.pk,
            "goals": lambda item: item.plan_id == plan.pk,
            "indicators": lambda item: item.strategy.plan_id == plan.pk,
        }
        for field, belongs in checks.items():
            if any(not belongs(item) for item in cleaned.get(field) or []):
                self.add_error(field, "เลือกได้เฉพาะรายการในแผนปฏิบัติการเดียวกับโครงการ")
        return cleaned


# ------------------------------------------------------------------ activity


class ActivityPermissionMixin:
    """Inlines under an activity follow the rule of the activity's project."""

    def _may_edit(self, request, obj) -> bool:
        return obj is None or rules.can_edit_project(request.user, obj.project)

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and self._may_edit(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._may_edit(
            request, obj
        )

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._may_edit(
            request, obj
        )


class SubActivityInline(
    ReadOnlyWithoutVersionMixin, ActivityPermissionMixin, admin.TabularInline
):
    model = Activity
    form = ActivityForm
    fk_name = "parent"
    extra = 0
    fields = ["order", "name", "target", "months", "responsible_text", "opened_version"]
    formfield_overrides = SMALL_TEXT
    verbose_name = "กิจกรรมย่อย"
    verbose_name_plural = "กิจกรรมย่อย"
    show_change_link = True
