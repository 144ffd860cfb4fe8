"""Money admin: reference data, envelopes, running costs, targets and the
finance clerk's disbursement screen. Office data is limited to the user's
office; shared reference rows (no office) are changed by superusers only.

The project and activity pages, which show money too, are registered by
:mod:`budgets.admin_projects`, imported here so the admin finds them."""

from django.contrib import admin, messages
from django.db import transaction

import budgets.admin_projects  # noqa: F401 (registers the Project and Activity admin)
from budgets import services
from budgets.forms import (
    AllocationAdminForm,
    BudgetSourceAdminForm,
    DisbursementAdminForm,
    DisbursementTargetAdminForm,
    ExpenseCategoryAdminForm,
    OperatingCostAdminForm,
)
from budgets.models import (
    Allocation,
    BudgetSource,
    CostLine,
    Disbursement,
    DisbursementTarget,
    ExpenseCategory,
    OperatingCost,
    RateLimit,
    RateTable,
)
from budgets.resources import (
    AllocationResource,
    CostLineResource,
    DisbursementResource,
)
from budgets.rules import can_record_disbursement_for, disbursement_activities
from core import rules
from core.admin import (
    BadInputAdminMixin,
    OfficeScopedAdmin,
    ScopedHistoryAdmin,
    ThaiDateAdminMixin,
    with_delete_refusals,
)
from core.admin_choices import office_rows
from core.admin_export import ThaiExportMixin
from core.models import OfficeGroup
from core.selectors import visible_to
from core.thai import format_baht, thai_date
from projects.models import Activity
from projects.rules import can_edit_project


class MoneyAdmin(OfficeScopedAdmin):
    """Office-scoped money rows (:class:`core.admin.OfficeScopedAdmin`: the
    user's office, shared rows changed by superusers only). Amounts are read
    by the app's one parser like every admin's
    (:class:`core.admin.ThaiNumberAdminMixin`)."""


class OfficeManagerAdminMixin:
    """Envelopes and targets are the office's set-up: its admins and planners
    (``core.rules.can_manage_office``), as the services require; finance and
    the groups only read them. Shared rows stay with superusers
    (:class:`core.admin.OfficeScopedAdmin`)."""

    def _manages(self, request, obj) -> bool:
        office = (
            rules.organization_of(request.user)
            if obj is None
            else getattr(obj, "organization_id", None)
        )
        if obj is not None and office is None:
            return request.user.is_superuser
        return rules.can_manage_office(request.user, office)

    def has_add_permission(self, request):
        return super().has_add_permission(request) and self._manages(request, None)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._manages(
            request, obj
        )

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._manages(
            request, obj
        )


@admin.register(BudgetSource)
class BudgetSourceAdmin(OfficeManagerAdminMixin, MoneyAdmin, admin.ModelAdmin):
    form = BudgetSourceAdminForm
    list_display = [
        "name",
        "code",
        "funding_group",
        "organization",
        "order",
        "is_active",
    ]
    list_filter = [
        ("organization", admin.EmptyFieldListFilter),
        "funding_group",
        "is_active",
    ]
    list_select_related = ["organization"]
    search_fields = ["name", "code"]
    fields = ["organization", "code", "name", "funding_group", "order", "is_active"]

    def save_model(self, request, obj, form, change):
        services.budget_source_save(source=obj, user=request.user)

    def delete_model(self, request, obj):
        services.budget_source_delete(source=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for source in queryset:
            self.delete_model(request, source)

    def get_deleted_objects(self, objs, request):
        """A source in use is refused (``core.reference``): said on the page."""
        return with_delete_refusals(
            super().get_deleted_objects(objs, request),
            objs,
            lambda source: services.budget_source_delete(
                source=source, user=request.user
            ),
        )


@admin.register(ExpenseCategory)
class ExpenseCategoryAdmin(BadInputAdminMixin, admin.ModelAdmin):
    """The Thai budget classification is shared reference data."""

    form = ExpenseCategoryAdminForm
    list_display = ["name", "parent", "code", "order", "is_active"]
    list_filter = [("parent", admin.EmptyFieldListFilter), "is_active"]
    list_select_related = ["parent"]
    search_fields = ["name", "code"]
    fields = ["parent", "code", "name", "order", "is_active"]

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def save_model(self, request, obj, form, change):
        services.expense_category_save(category=obj, user=request.user)

    def delete_model(self, request, obj):
        services.expense_category_delete(category=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for category in queryset:
            self.delete_model(request, category)

    def get_deleted_objects(self, objs, request):
        """A category in use is refused (``core.reference``): said on the page."""
        return with_delete_refusals(
            super().get_deleted_objects(objs, request),
            objs,
            lambda category: services.expense_category_delete(
                category=category, user=request.user
            ),
        )


@admin.register(Allocation)
class AllocationAdmin(
    OfficeManagerAdminMixin,
    ThaiExportMixin,
    ThaiDateAdminMixin,
    MoneyAdmin,
    ScopedHistoryAdmin,
):
    form = AllocationAdminForm
    resource_classes = [AllocationResource]
    list_display = [
        "source",
        "fiscal_year",
        "round_number",
        "amount_display",
        "allocated_on_display",
        "organization",
    ]
    list_filter = ["fiscal_year", "source"]
    list_select_related = ["source", "organization"]
    search_fields = ["source__name", "reference", "note"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "organization",
                    "fiscal_year",
                    "source",
                    "round_number",
                    "amount",
                ]
            },
        ),
        (
            "ข้อมูลเพิ่มเติม",
            {"classes": ["collapse"], "fields": ["allocated_on", "reference", "note"]},
        ),
    ]

    @admin.display(description="จำนวนเงิน (บาท)", ordering="amount")
    def amount_display(self, allocation: Allocation) -> str:
        return format_baht(allocation.amount)

    @admin.display(description="วันที่ได้รับจัดสรร", ordering="allocated_on")
    def allocated_on_display(self, allocation: Allocation) -> str:
        return (
            thai_date(allocation.allocated_on, "medium")
            if allocation.allocated_on
            else "–"
        )

    def save_model(self, request, obj, form, change):
        """Through the service that holds the envelope and source rules."""
        services.allocation_save(allocation=obj, user=request.user)

    def delete_model(self, request, obj):
        services.allocation_delete(allocation=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for allocation in queryset:
            self.delete_model(request, allocation)

    def get_deleted_objects(self, objs, request):
        """The last rounds of an envelope that still pays for running costs
        and projects are refused on the delete page, not half-way."""
        return with_delete_refusals(
            super().get_deleted_objects(objs, request),
            objs,
            lambda allocation: services.allocation_delete(
                allocation=allocation, user=request.user
            ),
        )


@admin.register(OperatingCost)
class OperatingCostAdmin(MoneyAdmin, ScopedHistoryAdmin):
    form = OperatingCostAdminForm
    list_display = [
        "description",
        "fiscal_year",
        "source",
        "category",
        "amount_display",
        "organization",
    ]
    list_filter = ["fiscal_year", "source", "category"]
    list_select_related = ["source", "category", "organization"]
    search_fields = ["description"]
    # The fields and their order are the form's (OperatingCostAdminForm.Meta).

    @admin.display(description="จำนวนเงิน (บาท)", ordering="amount")
    def amount_display(self, cost: OperatingCost) -> str:
        return format_baht(cost.amount)

    def save_model(self, request, obj, form, change):
        """Through the service that holds the envelope rule."""
        services.operating_cost_save(cost=obj, user=request.user)

    def delete_model(self, request, obj):
        services.operating_cost_delete(cost=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for cost in queryset:
            self.delete_model(request, cost)


@admin.register(DisbursementTarget)
class DisbursementTargetAdmin(OfficeManagerAdminMixin, MoneyAdmin, ScopedHistoryAdmin):
    form = DisbursementTargetAdminForm
    list_display = ["fiscal_year", "quarter", "cumulative_percent", "organization"]
    list_filter = ["fiscal_year", ("organization", admin.EmptyFieldListFilter)]
    list_select_related = ["organization"]
    fields = ["organization", "fiscal_year", "quarter", "cumulative_percent"]

    def save_model(self, request, obj, form, change):
        services.disbursement_target_save(target=obj, user=request.user)

    def delete_model(self, request, obj):
        services.disbursement_target_delete(target=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for target in queryset:
            self.delete_model(request, target)


class RateKeeperAdminMixin:
    """Rate tables are kept by the office's finance staff and
    administrators (``core.rules.can_edit_rates``), as the services
    require; the others read them. The shared table stays with superusers
    (:class:`core.admin.OfficeScopedAdmin`)."""

    def _office_of(self, obj):
        return (
            obj.organization_id
            if isinstance(obj, RateTable)
            else obj.table.organization_id
        )

    def _keeps(self, request, obj) -> bool:
        if obj is None:
            return (
                rules.can_edit_rates(request.user, rules.organization_of(request.user))
                or request.user.is_superuser
            )
        office = self._office_of(obj)
        if office is None:
            return request.user.is_superuser
        return request.user.is_superuser or rules.can_edit_rates(request.user, office)

    def has_add_permission(self, request):
        return super().has_add_permission(request) and self._keeps(request, None)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._keeps(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._keeps(request, obj)


@admin.register(RateTable)
class RateTableAdmin(RateKeeperAdminMixin, MoneyAdmin, ScopedHistoryAdmin):
    list_display = ["name", "fiscal_year", "organization"]
    list_filter = ["fiscal_year", ("organization", admin.EmptyFieldListFilter)]
    list_select_related = ["organization"]
    fields = ["organization", "fiscal_year", "name", "description"]

    def save_model(self, request, obj, form, change):
        services.rate_table_save(table=obj, user=request.user)

    def delete_model(self, request, obj):
        services.rate_table_delete(table=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for table in queryset:
            self.delete_model(request, table)


@admin.register(RateLimit)
class RateLimitAdmin(RateKeeperAdminMixin, MoneyAdmin, ScopedHistoryAdmin):
    list_display = ["label", "kind", "max_rate", "unit", "table"]
    list_filter = ["kind", "table__fiscal_year"]
    list_select_related = ["table__organization"]
    search_fields = ["label", "match_words"]
    fields = [
        "table",
        "order",
        "kind",
        "label",
        "unit",
        "max_rate",
        "match_words",
        "reference",
    ]

    def save_model(self, request, obj, form, change):
        services.rate_limit_save(limit=obj, user=request.user)

    def delete_model(self, request, obj):
        services.rate_limit_delete(limit=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for limit in queryset:
            self.delete_model(request, limit)


@admin.register(CostLine)
class CostLineAdmin(OfficeScopedAdmin, ThaiExportMixin, ScopedHistoryAdmin):
    """Read-mostly list of every cost line (entered under the activity)."""

    resource_classes = [CostLineResource]
    list_display = ["description", "activity", "category", "formula", "amount_display"]
    list_filter = ["category", "activity__project__plan__fiscal_year"]
    list_select_related = ["activity__project", "category"]
    search_fields = ["description", "activity__name", "activity__project__name"]

    def has_add_permission(self, request):
        return False  # lines are entered under their activity

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        """Who may edit the line's project sheet (never an approved one)."""
        return super().has_delete_permission(request, obj) and (
            obj is None or can_edit_project(request.user, obj.activity.project)
        )

    def delete_model(self, request, obj):
        services.cost_line_delete(line=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for line in queryset:
            self.delete_model(request, line)

    @admin.display(description="สูตร")
    def formula(self, line: CostLine) -> str:
        return line.formula_text() or "–"

    @admin.display(description="จำนวนเงิน (บาท)", ordering="amount")
    def amount_display(self, line: CostLine) -> str:
        return format_baht(line.amount)


ERROR_BAD_GROUP = "ไม่พบกลุ่ม “{value}” ที่ใช้กรอง กรุณาเลือกกลุ่มจากรายการ"


class OfficeGroupFilter(admin.SimpleListFilter):
    title = "กลุ่ม"
    parameter_name = "group"

    def lookups(self, request, model_admin):
        groups = visible_to(OfficeGroup, request.user)
        return [(group.pk, group.display_name) for group in groups]

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        if not value.isascii() or not value.isdigit() or len(value) > 9:
            # ?group=abc: no group, said in Thai, rather than a ValueError (500).
            messages.warning(request, ERROR_BAD_GROUP.format(value=value))
            return queryset.none()
        return queryset.filter(activity__project__group=int(value))


@admin.register(Disbursement)
class DisbursementAdmin(
    OfficeScopedAdmin, ThaiExportMixin, ThaiDateAdminMixin, ScopedHistoryAdmin
):
    """The finance screen: disbursements of the user's office, BE dates."""

    resource_classes = [DisbursementResource]
    excel_import_url = "excel:import_disbursements"
    excel_import_rule = staticmethod(rules.can_record_disbursement)
    form = DisbursementAdminForm
    list_display = [
        "paid_on_display",
        "document_number",
        "project",
        "activity_short",
        "cost_line",
        "category",
        "amount_display",
        "recorded_by",
    ]
    list_filter = [OfficeGroupFilter, "activity__project__plan__fiscal_year"]
    list_select_related = ["activity__project", "cost_line", "category", "recorded_by"]
    search_fields = [
        "document_number",
        "activity__name",
        "activity__project__name",
        "note",
    ]
    autocomplete_fields = ["activity"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "activity",
                    "cost_line",
                    "category",
                    "paid_on",
                    "amount",
                    "document_number",
                ]
            },
        ),
        ("ข้อมูลเพิ่มเติม", {"classes": ["collapse"], "fields": ["note"]}),
    ]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "activity":
            kwargs["queryset"] = disbursement_activities(
                request.user, Activity.objects.all()
            )
        elif db_field.name == "cost_line":
            kwargs["queryset"] = self._cost_line_choices(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def _cost_line_choices(self, request):
        """The cost lines the form offers and accepts: those of the activities
        the user may pay, in the user's office (``office_rows``, the admin's
        one scoping rule, which lets a superuser see every office), and of
        the disbursement's project once it is known, from the posted activity
        or else the row being edited. A superuser was offered every office's
        lines and a clerk every project's of the office, one name among
        hundreds that look alike ("ค่าอาหารกลางวัน")."""
        activities = disbursement_activities(request.user, Activity.objects.all())
        lines = office_rows(
            CostLine.objects.filter(activity__in=activities), request.user
        )
        posted = request.POST.get("activity", "") if request.method == "POST" else ""
        if posted.isdigit():
            project = activities.filter(pk=int(posted)).values("project_id")
            return lines.filter(activity__project_id__in=project).select_related(
                "activity"
            )
        edited = getattr(request, "_phaen_form_object", None)
        if isinstance(edited, Disbursement) and edited.activity_id:
            lines = lines.filter(activity__project_id=edited.activity.project_id)
        return lines.select_related("activity")

    def _may_record(self, request, obj) -> bool:
        return obj is None or can_record_disbursement_for(
            request.user, obj.activity.project
        )

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._may_record(
            request, obj
        )

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._may_record(
            request, obj
        )

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        """One transaction for the whole POST, stated here rather than left to
        Django's own: the form locks the project in ``clean()`` and the lock
        must last until ``save_model`` has written (see the form's docstring).
        """
        with transaction.atomic():
            return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        """Write through the locking service, never ``obj.save()``."""
        obj._history_user = request.user
        if change:
            services.disbursement_update(user=request.user, disbursement=obj)
        else:
            obj.recorded_by = request.user
            services.disbursement_create(user=request.user, disbursement=obj)
        for warning in (
            services.disbursement_overdrawn_warning(obj),
            services.disbursement_period_warning(obj),
        ):
            if warning:
                messages.warning(request, warning)

    def delete_model(self, request, obj):
        obj._history_user = request.user
        services.disbursement_delete(user=request.user, disbursement=obj)

    def delete_queryset(self, request, queryset):
        """The bulk "delete selected" action, one service call per row."""
        for disbursement in queryset:
            self.delete_model(request, disbursement)

    @admin.display(description="วันที่เบิกจ่าย", ordering="paid_on")
    def paid_on_display(self, disbursement: Disbursement) -> str:
        return thai_date(disbursement.paid_on, "medium")

    @admin.display(description="โครงการ", ordering="activity__project__name")
    def project(self, disbursement: Disbursement) -> str:
        return str(disbursement.activity.project)[:80]

    @admin.display(description="กิจกรรม")
    def activity_short(self, disbursement: Disbursement) -> str:
        return str(disbursement.activity)[:60]

    @admin.display(description="จำนวนเงิน (บาท)", ordering="amount")
    def amount_display(self, disbursement: Disbursement) -> str:
        return format_baht(disbursement.amount)
