"""The project sheet's and the activity's admin pages (registered here).

They are the main data-entry screens of a project, built from the forms and
inlines of :mod:`projects.admin`; they live in ``budgets`` because both show
money: a project's completeness counts its cost lines and its export carries
budgets, and the Activity page holds the activity's cost lines and quarterly
plan (``budgets.inlines``) and the quarter actions. Querysets are limited to
the user's office and object permissions come from :mod:`projects.rules`.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from budgets import services as budget_services
from budgets.inlines import CostLineInline, QuarterPlanInline
from budgets.resources import ActivityResource, ProjectResource
from budgets.rollups import activity_total_budget_subquery, with_section_counts
from core import rules as core_rules
from core.admin import OfficeScopedAdmin, ScopedHistoryAdmin
from core.admin_export import ThaiExportMixin
from core.models import OfficeGroup, Person
from core.selectors import visible_to
from core.thai import format_baht
from core.trash import TrashAdminMixin
from plans.models import Goal, Indicator, PolicyItem, Strategy
from projects import rules, services
from projects.admin import (
    SMALL_TEXT,
    ActivityForm,
    ActivityInline,
    ActivityPermissionMixin,
    ExpectedResultInline,
    KPIInline,
    ObjectiveInline,
    ProjectAdminForm,
    ResponsibleInline,
    SubActivityInline,
    TargetInline,
)
from projects.forms import CommentForm
from projects.models import Activity, Project
from projects.selectors import months_label


@admin.register(Project)
class ProjectAdmin(
    OfficeScopedAdmin, ThaiExportMixin, TrashAdminMixin, ScopedHistoryAdmin
):
    form = ProjectAdminForm
    resource_classes = [ProjectResource]
    excel_import_url = "excel:import_plan"
    excel_import_rule = staticmethod(core_rules.can_manage_office)
    list_display = [
        "sequence",
        "code",
        "name",
        "group",
        "fiscal_year",
        "status",
        "completeness",
    ]
    list_display_links = ["code", "name"]
    list_filter = [
        "plan__fiscal_year",
        ("group", admin.RelatedOnlyFieldListFilter),
        "status",
        "kind",
    ]
    search_fields = ["name", "code", "budget_plan"]
    list_select_related = ["group", "plan"]
    autocomplete_fields = []
    filter_horizontal = ["strategies", "goals", "indicators", "policy_items"]
    readonly_fields = ["status", "version", "completeness_detail", "sheet_link"]
    inlines = [
        ResponsibleInline,
        ObjectiveInline,
        TargetInline,
        ActivityInline,
        KPIInline,
        ExpectedResultInline,
    ]
    fieldsets = [
        (
            "โครงการ",
            {
                "fields": [
                    ("plan", "group"),
                    ("code", "sequence"),
                    "name",
                    "budget_plan",
                    "kind",
                    "responsible_note",
                    ("start_month", "end_month"),
                    ("status", "version"),
                    "sheet_link",
                    "opened_version",
                ]
            },
        ),
        ("ความครบถ้วนของแบบเสนอโครงการ", {"fields": ["completeness_detail"]}),
        (
            "ความสอดคล้อง (ต้องมีกลยุทธ์อย่างน้อย 1 กลยุทธ์)",
            {"fields": ["strategies", "goals", "indicators", "policy_items"]},
        ),
        ("1. หลักการและเหตุผล", {"fields": ["rationale"]}),
        (
            "4. งบประมาณ",
            {
                "fields": [
                    "uses_budget",
                    "virement_allowed",
                    "virement_wording",
                    "budget_source",
                ]
            },
        ),
        (
            "ผลผลิตและผลลัพธ์",
            {"fields": ["output_statement", "outcome_statement"]},
        ),
        (
            "ข้อมูลเพิ่มเติม",
            {"classes": ["collapse"], "fields": ["location", "target_group"]},
        ),
    ]
    actions = [
        "submit_projects",
        "check_projects",
        "approve_projects",
        "return_projects",
        "revise_projects",
    ]

    # -------------------------------------------------------------- queries

    def get_queryset(self, request):
        return with_section_counts(super().get_queryset(request))

    def get_form(self, request, obj=None, change=False, **kwargs):
        request._phaen_project = obj
        return super().get_form(request, obj, change, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        """Plans and budget sources: the choices mixin's office scoping; a
        group: only those the user may put work in."""
        if db_field.name == "group":
            kwargs["queryset"] = self._editable_groups(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def _editable_groups(self, request):
        groups = visible_to(OfficeGroup.objects.filter(is_active=True), request.user)
        if request.user.is_superuser:
            return groups
        office = core_rules.organization_of(request.user)
        if core_rules.can_manage_office(request.user, office):
            return groups
        # An officer named on a sheet keeps its group (it is not his to move).
        project = getattr(request, "_phaen_project", None)
        keep = Q(pk=project.group_id) if project is not None else Q(pk__in=[])
        return groups.filter(keep | Q(pk__in=core_rules.headed_group_ids(request.user)))

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        project = getattr(request, "_phaen_project", None)
        querysets = {
            "strategies": (Strategy.objects.all(), "plan"),
            "goals": (Goal.objects.all(), "plan"),
            "indicators": (
                Indicator.objects.select_related("strategy"),
                "strategy__plan",
            ),
        }
        if db_field.name in querysets:
            queryset, link = querysets[db_field.name]
            if project is not None:
                queryset = queryset.filter(**{link: project.plan})
            kwargs["queryset"] = queryset  # the choices mixin keeps the office
        elif db_field.name == "policy_items" and project is not None:
            year = project.plan.fiscal_year
            kwargs["queryset"] = PolicyItem.objects.filter(
                Q(fiscal_year_start=None) | Q(fiscal_year_start__lte=year),
                Q(fiscal_year_end=None) | Q(fiscal_year_end__gte=year),
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    # -------------------------------------------------------------- permissions

    def has_view_permission(self, request, obj=None):
        allowed = super().has_view_permission(request, obj)
        return allowed and (obj is None or rules.can_view_project(request.user, obj))

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or rules.can_edit_project(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        if obj is None:
            return allowed
        return (
            allowed
            and obj.status == Project.Status.DRAFT
            and rules.can_edit_project(request.user, obj)
        )

    def has_add_permission(self, request):
        return super().has_add_permission(request) and (
            request.user.is_superuser or rules.can_add_project(request.user)
        )

    def save_model(self, request, obj, form, change):
        services.project_save(project=obj, user=request.user, created=not change)

    def save_formset(self, request, form, formset, change):
        """Each row of the sheet's parts through ``projects.services``, with
        the project's approval lock and history naming the user: activities
        through ``activity_save``/``activity_delete``, the other parts
        (responsibles, objectives, targets, KPIs, expected results) through
        ``sheet_part_save``/``sheet_part_delete``."""
        user = request.user
        instances = formset.save(commit=False)
        for deleted in formset.deleted_objects:
            if isinstance(deleted, Activity):
                services.activity_delete(activity=deleted, user=user)
            else:
                services.sheet_part_delete(part=deleted, user=user)
        for instance in instances:
            if isinstance(instance, Activity):
                services.activity_save(activity=instance, user=user)
            else:
                services.sheet_part_save(part=instance, user=user)
        formset.save_m2m()

    # -------------------------------------------------------------- columns

    @admin.display(description="ปีงบประมาณ", ordering="plan__fiscal_year")
    def fiscal_year(self, project: Project) -> int:
        return project.plan.fiscal_year

    @admin.display(description="ความครบถ้วน")
    def completeness(self, project: Project) -> str:
        sections = project.sections()
        missing = [str(section.number) for section in sections if not section.complete]
        done = len(sections) - len(missing)
        if not missing:
            return f"ครบ {done}/{len(sections)}"
        return f"{done}/{len(sections)} (ขาดข้อ {', '.join(missing)})"

    @admin.display(description="ส่วนของแบบเสนอโครงการ")
    def completeness_detail(self, project: Project):
        if project.pk is None:
            return "บันทึกโครงการก่อน แล้วระบบจะแสดงความครบถ้วนของแต่ละส่วน"
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                "<li>{} ข้อ {} {}</li>",
                (
                    ("✓" if section.complete else "✗", section.number, section.title)
                    for section in project.sections()
                ),
            ),
        )

    @admin.display(description="ตัวอย่างแบบเสนอโครงการ")
    def sheet_link(self, project: Project):
        if project.pk is None:
            return "–"
        url = reverse("projects:detail", args=[project.pk])
        return format_html('<a href="{}">ดูแบบเสนอโครงการ (ตามที่จะพิมพ์)</a>', url)

    # -------------------------------------------------------------- actions

    def _run(self, request, queryset, service, **kwargs) -> None:
        done = 0
        for project in queryset:
            try:
                service(project=project, user=request.user, **kwargs)
            except (ValidationError, PermissionDenied) as error:
                text = " ".join(getattr(error, "messages", None) or [str(error)])
                self.message_user(request, f"{project}: {text}", messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(request, f"ดำเนินการแล้ว {done} โครงการ", messages.SUCCESS)

    @admin.action(description="เสนอโครงการที่เลือก")
    def submit_projects(self, request, queryset):
        self._run(request, queryset, services.project_submit)

    @admin.action(description="บันทึกว่าตรวจแล้ว (นโยบายและแผน)")
    def check_projects(self, request, queryset):
        self._run(request, queryset, services.project_check)

    @admin.action(description="อนุมัติโครงการที่เลือก (ผู้บริหาร)")
    def approve_projects(self, request, queryset):
        self._run(request, queryset, services.project_approve)

    @admin.action(description="ส่งกลับแก้ไข (ระบุความเห็น)")
    def return_projects(self, request, queryset):
        return self._with_comment(
            request, queryset, "return_projects", "ส่งกลับแก้ไข", services.project_return
        )

    @admin.action(description="เริ่มปรับแผนโครงการที่อนุมัติแล้ว (ระบุเหตุผล)")
    def revise_projects(self, request, queryset):
        def revise(*, project, user, comment):
            services.project_start_revision(project=project, user=user, reason=comment)

        return self._with_comment(
            request, queryset, "revise_projects", "ปรับแผนโครงการ", revise
        )

    def _with_comment(self, request, queryset, action, title, service):
        """An intermediate page asking for the comment, then the service."""
        form = CommentForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            self._run(request, queryset, service, comment=form.cleaned_data["comment"])
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "opts": self.model._meta,
            "projects": queryset,
            "action": action,
            "form": form,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "projects/admin/comment_form.html", context)


# ------------------------------------------------------------------ activity


class ActivityCostLineInline(ActivityPermissionMixin, CostLineInline):
    pass


class ActivityQuarterPlanInline(ActivityPermissionMixin, QuarterPlanInline):
    pass


def _plan_quarters(model_admin, request, activities, plan) -> None:
    """Fill the quarterly plan of each chosen activity with ``plan`` (a
    ``budgets.services`` helper); a refusal names the activity and changes
    only that one."""
    done, refused = 0, []
    for activity in activities.select_related("project"):
        if not rules.can_edit_project(request.user, activity.project):
            refused.append(f"{activity.name[:60]}: {services.ERROR_NOT_ALLOWED}")
            continue
        try:
            plan(activity=activity)
            done += 1
        except ValidationError as error:
            refused.append(f"{activity.name[:60]}: {' '.join(error.messages)}")
    if done:
        model_admin.message_user(
            request, f"จัดแผนรายไตรมาสแล้ว {done} กิจกรรม", messages.SUCCESS
        )
    for text in refused:
        model_admin.message_user(request, text, messages.ERROR)


@admin.register(Activity)
class ActivityAdmin(OfficeScopedAdmin, ThaiExportMixin, ScopedHistoryAdmin):
    form = ActivityForm
    resource_classes = [ActivityResource]
    list_display = ["name_short", "project", "order", "months_display", "budget"]
    list_filter = [
        "project__plan__fiscal_year",
        ("project__group", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["name", "project__name", "project__code"]
    list_select_related = ["project", "parent"]
    autocomplete_fields = ["project", "parent", "responsible"]
    formfield_overrides = SMALL_TEXT
    inlines = [SubActivityInline, ActivityCostLineInline, ActivityQuarterPlanInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "project",
                    "parent",
                    "order",
                    "name",
                    "target",
                    "months",
                    "opened_version",
                ]
            },
        ),
        ("ผู้รับผิดชอบ", {"fields": ["responsible", "responsible_text"]}),
        ("ข้อมูลเพิ่มเติม", {"classes": ["collapse"], "fields": ["notes"]}),
    ]

    def get_queryset(self, request):
        activities = super().get_queryset(request)
        return activities.annotate(
            budget=activity_total_budget_subquery()
        ).select_related("project__plan", "parent")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "responsible":
            # Active staff; the choices mixin keeps the user's office.
            kwargs["queryset"] = Person.objects.filter(is_active=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_view_permission(self, request, obj=None):
        allowed = super().has_view_permission(request, obj)
        return allowed and (
            obj is None or rules.can_view_project(request.user, obj.project)
        )

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (
            obj is None or rules.can_edit_project(request.user, obj.project)
        )

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (
            obj is None or rules.can_edit_project(request.user, obj.project)
        )

    def save_model(self, request, obj, form, change):
        services.activity_save(activity=obj, user=request.user)

    def delete_model(self, request, obj):
        services.activity_delete(activity=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for activity in queryset:
            self.delete_model(request, activity)

    def save_formset(self, request, form, formset, change):
        """Each row through its app's service: sub-activities through
        ``activity_save`` (in the parent's project), cost lines through
        ``cost_line_save`` (the formset has checked the envelope for all of
        them together), quarters through ``quarter_plan_save``."""
        user = request.user
        instances = formset.save(commit=False)
        for deleted in formset.deleted_objects:
            if isinstance(deleted, Activity):
                services.activity_delete(activity=deleted, user=user)
            elif isinstance(deleted, CostLineInline.model):
                budget_services.cost_line_delete(line=deleted, user=user)
            else:
                budget_services.quarter_plan_delete(row=deleted, user=user)
        for instance in instances:
            if isinstance(instance, Activity):
                instance.project = form.instance.project
                services.activity_save(activity=instance, user=user)
            elif isinstance(instance, CostLineInline.model):
                budget_services.cost_line_save(
                    line=instance, user=user, check_envelope=False
                )
            else:
                budget_services.quarter_plan_save(row=instance, user=user)
        formset.save_m2m()

    actions = ["plan_quarters_by_months", "plan_quarters_evenly"]

    @admin.action(description="จัดแผนรายไตรมาสตามเดือนที่ดำเนินการ")
    def plan_quarters_by_months(self, request, queryset):
        _plan_quarters(
            self, request, queryset, budget_services.activity_plan_quarters_by_months
        )

    @admin.action(description="จัดแผนรายไตรมาสเท่ากันทั้ง 4 ไตรมาส")
    def plan_quarters_evenly(self, request, queryset):
        _plan_quarters(
            self, request, queryset, budget_services.activity_plan_quarters_even
        )

    @admin.display(description="กิจกรรม", ordering="name")
    def name_short(self, activity: Activity) -> str:
        return activity.name[:80]

    @admin.display(description="เดือนที่ดำเนินการ")
    def months_display(self, activity: Activity) -> str:
        return months_label(activity.month_dates()) or "–"

    @admin.display(description="งบประมาณ (บาท)", ordering="budget")
    def budget(self, activity: Activity) -> str:
        return format_baht(activity.budget)
