"""Admin screens for planners: plans, the direction per strategy, policy items.

Office scoping: non-superusers see only their own office's plans and direction;
only planners and admins of the office change them (``plans.rules``), and an
approved plan is shown read-only and refuses saves until a revision is recorded.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from core import rules as core_rules
from core.admin import (
    BadInputAdminMixin,
    OfficeScopedAdmin,
    ScopedHistoryAdmin,
    ThaiDateAdminMixin,
    ThaiNumberAdminMixin,
    save_rows,
)
from core.admin_choices import OfficeChoicesAdminMixin
from core.forms import ThaiDateField
from core.reference import ReferenceDataAdminMixin
from core.thai import current_fiscal_year
from plans import rules, services
from plans.forms import LevelCriteriaForm, LevelErrorsModelForm
from plans.models import (
    Goal,
    Guideline,
    Indicator,
    IndicatorTarget,
    Mission,
    Plan,
    PlanRevision,
    PolicyItem,
    Strategy,
)

ERROR_GOAL_OTHER_PLAN = "เลือกได้เฉพาะเป้าประสงค์ของแผนเดียวกับกลยุทธ์"
ERROR_SELECT_ONE = "กรุณาเลือกแผนทีละหนึ่งแผนเพื่อปรับปรุง"


def _error_text(error: ValidationError | PermissionDenied) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)


# ------------------------------------------------------------------ shared


class ThaiUniqueInlineFormSet(BaseInlineFormSet):
    """Duplicate rows inside one inline show the constraint's Thai message."""

    def get_unique_error_message(self, unique_check):
        for constraint in self.model._meta.total_unique_constraints:
            if set(constraint.fields) == set(unique_check):
                message = constraint.violation_error_message
                if message and message != constraint.default_violation_error_message:
                    return message
        return super().get_unique_error_message(unique_check)


class DirectionForm(forms.ModelForm):
    """Refuses to save a direction row whose plan is approved (locked)."""

    def plan_for_guard(self) -> Plan | None:
        """The plan whose lock guards this row; each direction form names it
        (``None``: a new plan, nothing to guard yet)."""
        return None

    def clean(self):
        cleaned = super().clean()
        plan = self.plan_for_guard()
        if plan is not None:
            try:
                services.plan_ensure_editable(plan)
            except ValidationError as error:
                raise ValidationError(error.messages) from error
        return cleaned


class DirectionAdmin(OfficeScopedAdmin, ScopedHistoryAdmin):
    """Rows of the user's office only (:class:`core.admin.OfficeScopedAdmin`);
    edits follow ``plans.rules``.

    ``plan_of`` returns the plan whose lock and office decide the object rules.
    """

    def plan_of(self, obj) -> Plan:
        return obj.plan

    def _user_manages_own_office(self, request) -> bool:
        user = request.user
        return user.is_superuser or core_rules.can_manage_office(
            user, core_rules.organization_of(user)
        )

    def has_add_permission(self, request):
        return super().has_add_permission(request) and self._user_manages_own_office(
            request
        )

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        if obj is None:
            return self._user_manages_own_office(request)
        plan = self.plan_of(obj)
        return rules.can_edit_direction(request.user, plan) and not plan.is_locked

    def has_delete_permission(self, request, obj=None):
        if not super().has_delete_permission(request, obj):
            return False
        if obj is None:
            return self._user_manages_own_office(request)
        plan = self.plan_of(obj)
        return rules.can_edit_direction(request.user, plan) and not plan.is_locked

    def save_model(self, request, obj, form, change):
        services.direction_save(obj=obj, plan=self.plan_of(obj), user=request.user)

    def save_formset(self, request, form, formset, change):
        """Inline rows (missions, goals, strategies, indicators, targets,
        guidelines) under the rules of the plan they belong to."""
        plan, user = self.plan_of(form.instance), request.user
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            services.direction_delete(obj=obj, plan=plan, user=user)
        for obj in instances:
            services.direction_save(obj=obj, plan=plan, user=user)
        formset.save_m2m()

    def delete_model(self, request, obj):
        services.direction_delete(obj=obj, plan=self.plan_of(obj), user=request.user)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        """An approved plan: warn on display, refuse a save with the Thai error."""
        if object_id is not None:
            obj = self.get_object(request, object_id)
            if obj is not None and self.plan_of(obj).is_locked:
                if request.method == "POST":
                    self.message_user(
                        request, services.ERROR_PLAN_LOCKED, messages.ERROR
                    )
                    return HttpResponseRedirect(request.path)
                self.message_user(request, services.ERROR_PLAN_LOCKED, messages.WARNING)
        return super().changeform_view(request, object_id, form_url, extra_context)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is Strategy:
            # A strategy's label names its plan; the choices mixin scopes it.
            kwargs.setdefault("queryset", Strategy.objects.select_related("plan"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class LockedPlanInline(ThaiNumberAdminMixin, OfficeChoicesAdminMixin):
    """Inline rows follow the parent's plan: read-only when it is approved."""

    extra = 0

    def parent_plan(self, obj) -> Plan | None:
        return obj

    def _editable(self, request, obj) -> bool:
        if obj is None:
            return True
        plan = self.parent_plan(obj)
        return rules.can_edit_direction(request.user, plan) and not plan.is_locked

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and self._editable(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._editable(
            request, obj
        )

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._editable(
            request, obj
        )


# ------------------------------------------------------------------ plan


class MissionInline(LockedPlanInline, admin.TabularInline):
    model = Mission
    formset = ThaiUniqueInlineFormSet
    fields = ["number", "text"]


class GoalInline(LockedPlanInline, admin.TabularInline):
    model = Goal
    formset = ThaiUniqueInlineFormSet
    fields = ["number", "text"]


class StrategyInline(LockedPlanInline, admin.TabularInline):
    model = Strategy
    formset = ThaiUniqueInlineFormSet
    fields = ["number", "title"]
    show_change_link = True


class PlanRevisionInline(ThaiDateAdminMixin, admin.TabularInline):
    model = PlanRevision
    extra = 0
    fields = ["version", "revised_on", "reason", "created_by", "created_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class PlanForm(DirectionForm):
    class Meta:
        model = Plan
        fields = ["organization", "fiscal_year", "title", "vision"]

    def plan_for_guard(self):
        return self.instance if self.instance.pk else None


class RevisionForm(forms.Form):
    reason = forms.CharField(
        label="เหตุผลการปรับปรุงแผน",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": services.ERROR_REVISION_REASON},
    )
    revised_on = ThaiDateField(label="วันที่ปรับปรุง")


@admin.register(Plan)
class PlanAdmin(DirectionAdmin):
    form = PlanForm
    change_form_template = "plans/admin/plan_change_form.html"
    list_display = [
        "display_title",
        "organization",
        "fiscal_year",
        "status",
        "version",
        "strategy_count",
    ]
    list_filter = ["fiscal_year", "status", "organization"]
    list_select_related = ["organization"]
    search_fields = ["title", "vision", "organization__short_name"]
    ordering = ["-fiscal_year", "organization"]
    readonly_fields = [
        "status",
        "version",
        "submitted_at",
        "approved_at",
        "approved_by",
        "override_reason",
        "override_blockers",
        "override_by",
        "override_at",
    ]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "organization",
                    "fiscal_year",
                    "title",
                    "edition_label",
                    "announced_on",
                    "signatory",
                ]
            },
        ),
        ("ทิศทาง", {"fields": ["preamble", "vision", "indicator_numbering"]}),
        (
            "สถานะ",
            {
                "fields": [
                    "status",
                    "version",
                    "submitted_at",
                    "approved_at",
                    "approved_by",
                    "override_reason",
                    "override_blockers",
                    "override_by",
                    "override_at",
                ]
            },
        ),
    ]
    inlines = [MissionInline, GoalInline, StrategyInline, PlanRevisionInline]
    actions = ["submit_plans", "approve_plans", "copy_to_next_year", "start_revision"]

    def plan_of(self, obj):
        return obj

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_strategies=Count("strategies"))

    @admin.display(description="ชื่อแผน", ordering="fiscal_year")
    def display_title(self, plan: Plan) -> str:
        return plan.display_title

    @admin.display(description="จำนวนกลยุทธ์", ordering="_strategies")
    def strategy_count(self, plan: Plan) -> int:
        return plan._strategies

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        organization = core_rules.organization_of(request.user)
        if organization is not None:
            initial.setdefault("organization", organization.pk)
        initial.setdefault("fiscal_year", current_fiscal_year())
        return initial

    def has_approve_permission(self, request):
        user = request.user
        return core_rules.can_approve(user, core_rules.organization_of(user))

    # -------------------------------------------------------------- actions

    def _run(self, request, queryset, service, done: str) -> None:
        count = 0
        for plan in queryset:
            try:
                service(plan=plan, user=request.user)
            except (ValidationError, PermissionDenied) as error:
                self.message_user(
                    request,
                    f"{plan.display_title}: {_error_text(error)}",
                    messages.ERROR,
                )
            else:
                count += 1
        if count:
            self.message_user(request, done.format(count=count), messages.SUCCESS)

    @admin.action(description="เสนออนุมัติแผนที่เลือก", permissions=["change"])
    def submit_plans(self, request, queryset):
        self._run(request, queryset, services.plan_submit, "เสนออนุมัติแล้ว {count} แผน")

    @admin.action(description="อนุมัติแผนที่เลือก (ผู้บริหาร)", permissions=["approve"])
    def approve_plans(self, request, queryset):
        self._run(request, queryset, services.plan_approve, "อนุมัติแล้ว {count} แผน")

    @admin.action(description="คัดลอกทิศทางไปปีงบประมาณถัดไป", permissions=["change"])
    def copy_to_next_year(self, request, queryset):
        for plan in queryset:
            try:
                report = services.plan_copy_to_fiscal_year(
                    plan=plan, fiscal_year=plan.fiscal_year + 1, user=request.user
                )
            except (ValidationError, PermissionDenied) as error:
                self.message_user(
                    request,
                    f"{plan.display_title}: {_error_text(error)}",
                    messages.ERROR,
                )
            else:
                self.message_user(request, report.summary(), messages.SUCCESS)

    @admin.action(description="ปรับปรุงแผนที่อนุมัติแล้ว (ฉบับปรับปรุง)", permissions=["change"])
    def start_revision(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, ERROR_SELECT_ONE, messages.ERROR)
            return None
        plan = queryset.get()
        return HttpResponseRedirect(reverse("admin:plans_plan_revise", args=[plan.pk]))

    # -------------------------------------------------------------- revision page

    def get_urls(self):
        urls = [
            path(
                "<int:object_id>/revise/",
                self.admin_site.admin_view(self.revise_view),
                name="plans_plan_revise",
            )
        ]
        return urls + super().get_urls()

    def revise_view(self, request, object_id: int):
        """A small form for the reason and date, then ``plan_start_revision``."""
        plan = get_object_or_404(self.get_queryset(request), pk=object_id)
        if not rules.can_edit_direction(request.user, plan):
            raise PermissionDenied(services.ERROR_CANNOT_MANAGE)
        form = RevisionForm(
            request.POST or None, initial={"revised_on": timezone.localdate()}
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.plan_start_revision(
                    plan=plan, user=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                plan.refresh_from_db()
                self.message_user(
                    request,
                    f"เริ่ม{plan.version_label}แล้ว แผนกลับเป็นสถานะร่าง แก้ไขแล้วเสนออนุมัติใหม่",
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(
                    reverse("admin:plans_plan_change", args=[plan.pk])
                )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "plan": plan,
            "form": form,
            "title": f"ปรับปรุงแผน: {plan.display_title}",
        }
        return TemplateResponse(request, "plans/admin/revise.html", context)


# ------------------------------------------------------------------ strategy


class IndicatorInline(LockedPlanInline, admin.TabularInline):
    model = Indicator
    form = LevelErrorsModelForm
    formset = ThaiUniqueInlineFormSet
    fields = [
        "number",
        "name",
        "unit",
        "unit_label",
        "direction",
        "baseline_value",
        "goal",
        "tags",
        "targets_summary",
    ]
    readonly_fields = ["targets_summary"]
    show_change_link = True

    def parent_plan(self, obj):
        return obj.plan

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("targets")

    @admin.display(description="ค่าเป้าหมายรายปี")
    def targets_summary(self, indicator: Indicator) -> str:
        if indicator.pk is None:
            return "–"
        parts = [
            f"{t.fiscal_year}: {t.target_display(indicator.unit, indicator.unit_label)}"
            for t in indicator.targets.all()
        ]
        url = reverse("admin:plans_indicator_change", args=[indicator.pk])
        return format_html(
            '{} <a href="{}">แก้ไขค่าเป้าหมาย</a>', "; ".join(parts) or "ยังไม่กำหนด", url
        )


class GuidelineInline(LockedPlanInline, admin.TabularInline):
    model = Guideline
    formset = ThaiUniqueInlineFormSet
    fields = ["number", "text"]

    def parent_plan(self, obj):
        return obj.plan


class StrategyForm(DirectionForm):
    class Meta:
        model = Strategy
        fields = [
            "plan",
            "number",
            "title",
            "description",
            "characteristics",
            "goals",
            "policy_items",
        ]

    def plan_for_guard(self):
        if self.instance.pk:
            return self.instance.plan
        return self.cleaned_data.get("plan")

    def clean(self):
        cleaned = super().clean()
        plan = cleaned.get("plan")
        goals = cleaned.get("goals")
        if plan is not None and goals and any(g.plan_id != plan.pk for g in goals):
            self.add_error("goals", ERROR_GOAL_OTHER_PLAN)
        return cleaned


@admin.register(Strategy)
class StrategyAdmin(DirectionAdmin):
    form = StrategyForm
    list_display = [
        "number",
        "title",
        "plan",
        "fiscal_year",
        "indicator_count",
        "guideline_count",
    ]
    list_display_links = ["number", "title"]
    list_filter = ["plan__fiscal_year", "plan__status", "plan__organization"]
    list_select_related = ["plan__organization"]
    search_fields = ["title", "description", "indicators__name", "guidelines__text"]
    ordering = ["-plan__fiscal_year", "plan__organization", "number"]
    autocomplete_fields = ["policy_items"]
    filter_horizontal = ["goals"]
    inlines = [IndicatorInline, GuidelineInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                _indicators=Count("indicators", distinct=True),
                _guidelines=Count("guidelines", distinct=True),
            )
        )

    @admin.display(description="ปีงบประมาณ", ordering="plan__fiscal_year")
    def fiscal_year(self, strategy: Strategy) -> int:
        return strategy.plan.fiscal_year

    @admin.display(description="ตัวชี้วัด", ordering="_indicators")
    def indicator_count(self, strategy: Strategy) -> int:
        return strategy._indicators

    @admin.display(description="แนวทาง", ordering="_guidelines")
    def guideline_count(self, strategy: Strategy) -> int:
        return strategy._guidelines


# ------------------------------------------------------------------ indicator


class IndicatorTargetInline(LockedPlanInline, admin.TabularInline):
    model = IndicatorTarget
    formset = ThaiUniqueInlineFormSet
    fields = ["fiscal_year", "comparison", "target_value", "target_text"]

    def parent_plan(self, obj):
        return obj.strategy.plan


class IndicatorForm(LevelCriteriaForm, DirectionForm):
    """A strategy indicator; a success-level one takes its five criteria
    (issue 21 item 5) and its yearly targets are levels 1–5 (checked by
    ``IndicatorTarget.clean``)."""

    class Meta:
        model = Indicator
        fields = [
            "strategy",
            "number",
            "name",
            "unit",
            "unit_label",
            "direction",
            "baseline_value",
            "baseline_text",
            "goal",
            "tags",
            "states_target",
        ]

    def plan_for_guard(self):
        if self.instance.pk:
            return self.instance.strategy.plan
        strategy = self.cleaned_data.get("strategy")
        return strategy.plan if strategy else None

    def clean(self):
        cleaned = super().clean()
        strategy, goal = cleaned.get("strategy"), cleaned.get("goal")
        if (
            strategy is not None
            and goal is not None
            and goal.plan_id != strategy.plan_id
        ):
            self.add_error("goal", ERROR_GOAL_OTHER_PLAN)
        return cleaned


@admin.register(Indicator)
class IndicatorAdmin(DirectionAdmin):
    form = IndicatorForm
    list_display = ["code_display", "name", "unit", "strategy", "fiscal_year"]
    list_display_links = ["code_display", "name"]
    list_filter = [
        "strategy__plan__fiscal_year",
        "unit",
        "strategy__plan__organization",
    ]
    list_select_related = ["strategy__plan__organization"]
    search_fields = ["name", "tags", "strategy__title"]
    ordering = ["-strategy__plan__fiscal_year", "strategy__number", "number"]
    autocomplete_fields = ["strategy"]
    inlines = [IndicatorTargetInline]

    def plan_of(self, obj):
        return obj.strategy.plan

    def get_fields(self, request, obj=None):
        # The five criterion fields are form fields, not model fields: a
        # reader who may only view the page gets them as one Thai row.
        fields = super().get_fields(request, obj)
        if self.has_change_permission(request, obj):
            return fields
        kept = [name for name in fields if not name.startswith("criterion_")]
        return [*kept, "criteria_display"]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not self.has_change_permission(request, obj):
            fields.append("criteria_display")
        return fields

    @admin.display(description="เกณฑ์ระดับความสำเร็จ")
    def criteria_display(self, indicator: Indicator) -> str:
        criteria = indicator.level_criteria or []
        return (
            " / ".join(
                f"ระดับ {level}: {text}" for level, text in enumerate(criteria, start=1)
            )
            or "–"
        )

    @admin.display(description="ตัวชี้วัดที่", ordering="number")
    def code_display(self, indicator: Indicator) -> str:
        # as the plan numbers its indicators (straight through or per strategy)
        return indicator.strategy.plan.indicator_label(
            indicator.strategy.number, indicator.number
        )

    @admin.display(description="ปีงบประมาณ", ordering="strategy__plan__fiscal_year")
    def fiscal_year(self, indicator: Indicator) -> int:
        return indicator.strategy.plan.fiscal_year


# ------------------------------------------------------------------ policy items


class AdminsOnly(ReferenceDataAdminMixin):
    """Reference data shared by every office: every role may read it, only
    superusers change it (an office's admin changed every office's policy
    list), and an item in use is retired, not deleted."""


class PolicyItemAdminForm(forms.ModelForm):
    """Shows ``services.policy_item_validate`` as a form error; the save
    checks it again through ``services.policy_item_save``."""

    class Meta:
        model = PolicyItem
        fields = [
            "kind",
            "parent",
            "code",
            "title",
            "fiscal_year_start",
            "fiscal_year_end",
            "order",
            "is_active",
        ]

    def _post_clean(self):
        super()._post_clean()
        if not self.errors and self.instance.parent_id:
            try:
                services.policy_item_validate(item=self.instance)
            except ValidationError as error:
                self.add_error(None, error)


class PolicyItemChildInline(AdminsOnly, admin.TabularInline):
    model = PolicyItem
    form = PolicyItemAdminForm
    fk_name = "parent"
    extra = 0
    fields = ["order", "code", "kind", "title", "fiscal_year_start", "fiscal_year_end"]
    show_change_link = True


@admin.register(PolicyItem)
class PolicyItemAdmin(AdminsOnly, BadInputAdminMixin, ScopedHistoryAdmin):
    """Reference data shared by every office; only superusers change it."""

    list_display = [
        "short_title",
        "kind",
        "code",
        "parent",
        "fiscal_year_start",
        "fiscal_year_end",
        "order",
        "is_active",
    ]
    list_filter = ["kind", "is_active", "fiscal_year_start", "fiscal_year_end"]
    list_select_related = ["parent"]
    search_fields = ["title", "code"]
    ordering = ["kind", "order", "code"]
    autocomplete_fields = ["parent"]
    form = PolicyItemAdminForm
    inlines = [PolicyItemChildInline]
    fields = [
        "kind",
        "parent",
        "code",
        "title",
        "fiscal_year_start",
        "fiscal_year_end",
        "order",
        "is_active",
    ]

    def save_model(self, request, obj, form, change):
        services.policy_item_save(item=obj, user=request.user)

    def save_formset(self, request, form, formset, change):
        """The items under this one, each through ``policy_item_save``."""
        save_rows(
            formset,
            save=lambda item: services.policy_item_save(item=item, user=request.user),
            delete=lambda item: services.policy_item_delete(
                item=item, user=request.user
            ),
        )

    def delete_model(self, request, obj):
        services.policy_item_delete(item=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for item in queryset:
            self.delete_model(request, item)

    @admin.display(description="ชื่อ", ordering="title")
    def short_title(self, item: PolicyItem) -> str:
        return item.title if len(item.title) <= 80 else f"{item.title[:80]}…"
