"""Admin for the written parts of the plan book and strategy indicator results."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django_tasks_db.models import DBTaskResult

from core import rules as core_rules
from core.admin import OfficeScopedAdmin, with_delete_refusals
from plans.models import Indicator
from reports import services
from reports.models import BookSection, DocumentJob, IndicatorResult


class BookSectionAdminForm(forms.ModelForm):
    """An approved plan's book is refused on the form (the plan lock of
    ``services.book_section_validate``), not by an error page on save."""

    class Meta:
        model = BookSection
        fields = ["plan", "part", "order", "title", "body", "table"]

    def _post_clean(self):
        super()._post_clean()
        if not self.errors:
            try:
                services.book_section_validate(section=self.instance)
            except ValidationError as error:
                self.add_error(None, error)


class PlanBookAdmin(OfficeScopedAdmin, admin.ModelAdmin):
    """Rows of the user's office only (:class:`core.admin.OfficeScopedAdmin`);
    planners and admins of that office edit."""

    def _manages(self, request) -> bool:
        user = request.user
        return user.is_superuser or core_rules.can_manage_office(
            user, core_rules.organization_of(user)
        )

    def has_add_permission(self, request):
        return super().has_add_permission(request) and self._manages(request)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._manages(request)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._manages(request)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is Indicator:
            # An indicator's label names its strategy; the choices mixin scopes it.
            kwargs.setdefault("queryset", Indicator.objects.select_related("strategy"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(BookSection)
class BookSectionAdmin(PlanBookAdmin):
    list_display = ["title", "part", "order", "plan"]
    list_display_links = ["title"]
    list_filter = ["part", "plan__fiscal_year", "plan__organization"]
    list_select_related = ["plan__organization"]
    search_fields = ["title", "body"]
    ordering = ["-plan__fiscal_year", "part", "order"]
    form = BookSectionAdminForm
    fieldsets = [
        (None, {"fields": ["plan", "part", "order", "title"]}),
        ("เนื้อหา", {"fields": ["body", "table"]}),
    ]

    def save_model(self, request, obj, form, change):
        services.book_section_save(section=obj, user=request.user)

    def delete_model(self, request, obj):
        services.book_section_delete(section=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for section in queryset:
            self.delete_model(request, section)

    def get_deleted_objects(self, objs, request):
        """A section of an approved plan is refused on the delete page."""
        return with_delete_refusals(
            super().get_deleted_objects(objs, request),
            objs,
            lambda section: services.book_section_delete(
                section=section, user=request.user
            ),
        )


@admin.register(IndicatorResult)
class IndicatorResultAdmin(PlanBookAdmin):
    list_display = ["indicator", "fiscal_year", "display_value", "achieved_override"]
    list_filter = ["fiscal_year", "indicator__strategy__plan__organization"]
    list_select_related = ["indicator__strategy"]
    search_fields = ["indicator__name", "actual_text", "note"]
    raw_id_fields = ["indicator"]
    fieldsets = [
        (None, {"fields": ["indicator", "fiscal_year"]}),
        ("ผลการดำเนินงาน", {"fields": ["actual_value", "actual_text"]}),
        ("การประเมิน", {"fields": ["achieved_override", "note"]}),
    ]

    def save_model(self, request, obj, form, change):
        services.indicator_result_save(result=obj, user=request.user)

    def delete_model(self, request, obj):
        services.indicator_result_delete(result=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for result in queryset:
            self.delete_model(request, result)

    @admin.display(description="ผลการดำเนินงาน")
    def display_value(self, result: IndicatorResult) -> str:
        return result.display_value


@admin.register(DocumentJob)
class DocumentJobAdmin(OfficeScopedAdmin, admin.ModelAdmin):
    """งานสร้างเอกสาร: the recent document renders of the user's office with
    their state, progress and error, to see what a user waits for or why a
    document failed. Read-only: the render task writes these records
    (:mod:`reports.services`); a failed one is started again from its
    download page (ลองใหม่). The Tasks API's own results (the database
    backend) are in django_tasks_db's admin beside it."""

    list_display = [
        "title",
        "organization",
        "state",
        "progress",
        "attempts",
        "created_at",
        "updated_at",
        "finished_at",
    ]
    list_filter = ["state"]
    list_select_related = ["organization"]
    search_fields = ["title", "key", "task_id"]
    date_hierarchy = "created_at"
    # The cache key and the kind are the program's names (plan_book:…): the
    # title says the same in Thai.
    fields = readonly_fields = [
        "title",
        "organization",
        "state",
        "parts_done",
        "parts_total",
        "attempts",
        "error",
        "task_id",
        "created_at",
        "updated_at",
        "finished_at",
    ]

    @admin.display(description="ความคืบหน้า")
    def progress(self, job: DocumentJob) -> str:
        return f"{job.parts_done}/{job.parts_total} ({job.percent}%)"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# The database backend's own admin lists every task of every office (its
# arguments, its traceback), in English; the office's renders are the
# DocumentJob admin above, which carries each render's task id.
if admin.site.is_registered(DBTaskResult):
    admin.site.unregister(DBTaskResult)
