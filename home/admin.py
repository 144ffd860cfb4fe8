"""The task admin: งานเบื้องหลัง, the recent background tasks of every kind.

Imports and reminders keep a :class:`core.models.TaskRecord`, documents a
:class:`reports.models.DocumentJob`; this one page lists the first and,
under them, the recent document renders, each with its state, progress,
error and times, so an office administrator sees what a user waits for and
why a task failed. Office-scoped (:class:`core.admin.OfficeScopedAdmin`,
:func:`core.selectors.visible_to`): an office's administrator sees the
office's tasks, superusers all. Read-only: the tasks write their records.
It lives in ``home``, the top layer, because it reads every app's records.
"""

from django.contrib import admin

from core.admin import OfficeScopedAdmin
from core.models import TaskRecord
from core.selectors import visible_to
from reports.models import DocumentJob

#: Document renders listed under the tasks.
RECENT_DOCUMENTS = 50


@admin.register(TaskRecord)
class TaskRecordAdmin(OfficeScopedAdmin, admin.ModelAdmin):
    change_list_template = "admin/core/taskrecord/change_list.html"
    list_display = [
        "title",
        "kind",
        "organization",
        "user",
        "state",
        "progress",
        "attempts",
        "short_error",
        "created_at",
        "finished_at",
    ]
    list_filter = ["kind", "state"]
    list_select_related = ["organization", "user"]
    search_fields = ["title", "error", "task_id"]
    date_hierarchy = "created_at"
    fields = readonly_fields = [
        "title",
        "kind",
        "organization",
        "user",
        "state",
        "rows_done",
        "rows_total",
        "attempts",
        "error",
        "task_id",
        "created_at",
        "updated_at",
        "finished_at",
    ]

    @admin.display(description="ความคืบหน้า")
    def progress(self, record: TaskRecord) -> str:
        return f"{record.rows_done}/{record.rows_total} ({record.percent}%)"

    @admin.display(description="ข้อผิดพลาด")
    def short_error(self, record: TaskRecord) -> str:
        return record.error[:120]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        documents = visible_to(
            DocumentJob.objects.select_related("organization"), request.user
        )[:RECENT_DOCUMENTS]
        context = {**(extra_context or {}), "documents": documents}
        return super().changelist_view(request, extra_context=context)
