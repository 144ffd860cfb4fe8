"""Admin for reporting rounds and progress reports, limited to the user's office
(and, for group heads and officers, to the projects they report on)."""

from decimal import Decimal

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.template.response import TemplateResponse

from core import rules as core_rules
from core.admin import (
    OfficeScopedAdmin,
    ScopedHistoryAdmin,
    ThaiDateAdminMixin,
    ThaiNumberAdminMixin,
    with_delete_refusals,
)
from core.admin_choices import OfficeChoicesAdminMixin
from core.admin_export import ThaiExportMixin
from core.locking import VersionedModelForm
from core.roles import Role
from core.thai import format_baht
from core.trash import TrashAdminMixin
from progress import rules, services
from progress.forms import ERROR_PERCENT_REQUIRED
from progress.models import (
    ActivityProgress,
    Evidence,
    KPIActual,
    ProgressReport,
    ReportEvent,
    ReportingRound,
    RoundReopening,
)
from progress.resources import ProgressReportResource

ADMIN_SAVE_COMMENT = "แก้ไขผ่านหน้าจัดการข้อมูล"


def _error_text(error: Exception) -> str:
    return (
        " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
    )


class RoundReopeningInline(admin.TabularInline):
    """Read-only: a reopening is written by ``services.round_reopen`` alone."""

    model = RoundReopening
    extra = 0
    max_num = 0
    fields = ["reopened_at", "reopened_by", "reason"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class ReportingRoundAdminForm(forms.ModelForm):
    """Shows the round's rules (``services.round_validate``) as form errors;
    the save checks them again through ``services.round_save``."""

    class Meta:
        model = ReportingRound
        fields = ["organization", "fiscal_year", "number", "period_end", "due_date"]

    def _post_clean(self):
        super()._post_clean()
        if not self.errors:
            try:
                services.round_validate(reporting_round=self.instance)
            except ValidationError as error:
                self.add_error(None, error)


@admin.register(ReportingRound)
class ReportingRoundAdmin(OfficeScopedAdmin, ThaiDateAdminMixin, ScopedHistoryAdmin):
    form = ReportingRoundAdminForm
    list_display = [
        "__str__",
        "fiscal_year",
        "number",
        "period_end",
        "due_date",
        "status",
        "organization",
    ]
    list_filter = ["fiscal_year", "status", "number"]
    list_select_related = ["organization"]
    search_fields = ["organization__short_name", "organization__name"]
    autocomplete_fields = ["organization"]
    readonly_fields = ["status", "locked_at", "locked_by"]
    inlines = [RoundReopeningInline]
    actions = ["lock_rounds", "reopen_rounds"]
    fieldsets = [
        (None, {"fields": ["organization", "fiscal_year", "number"]}),
        (None, {"fields": ["period_end", "due_date"]}),
        (
            "ข้อมูลเพิ่มเติม",
            {"classes": ["collapse"], "fields": ["status", "locked_at", "locked_by"]},
        ),
    ]

    def has_change_permission(self, request, obj=None) -> bool:
        if obj is not None and not rules.can_review(request.user, obj.organization_id):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        if obj is not None and not rules.can_review(request.user, obj.organization_id):
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        """Through the service that holds the fiscal year and lock rules."""
        services.round_save(reporting_round=obj, user=request.user)

    def delete_model(self, request, obj):
        services.round_delete(reporting_round=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for reporting_round in queryset:
            self.delete_model(request, reporting_round)

    def get_deleted_objects(self, objs, request):
        """A locked round is refused on the delete page, not by an error."""
        return with_delete_refusals(
            super().get_deleted_objects(objs, request),
            objs,
            lambda reporting_round: services.round_delete(
                reporting_round=reporting_round, user=request.user
            ),
        )

    @admin.action(description="ปิดรอบการรายงานที่เลือก")
    def lock_rounds(self, request, queryset):
        for reporting_round in queryset:
            try:
                services.round_lock(reporting_round=reporting_round, user=request.user)
                self.message_user(request, f"ปิด{reporting_round}แล้ว", messages.SUCCESS)
            except (ValidationError, PermissionDenied) as error:
                self.message_user(
                    request, f"{reporting_round}: {_error_text(error)}", messages.ERROR
                )

    @admin.action(description="เปิดรอบการรายงานอีกครั้ง (ต้องระบุเหตุผล)")
    def reopen_rounds(self, request, queryset):
        reason = request.POST.get("reason", "").strip()
        if "apply" in request.POST and reason:
            for reporting_round in queryset:
                try:
                    services.round_reopen(
                        reporting_round=reporting_round,
                        user=request.user,
                        reason=reason,
                    )
                    self.message_user(
                        request, f"เปิด{reporting_round}อีกครั้งแล้ว", messages.SUCCESS
                    )
                except (ValidationError, PermissionDenied) as error:
                    self.message_user(
                        request,
                        f"{reporting_round}: {_error_text(error)}",
                        messages.ERROR,
                    )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": "เปิดรอบการรายงานอีกครั้ง",
            "opts": self.model._meta,
            "queryset": queryset,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "reason": reason,
            "reason_error": services.ERROR_REASON_REQUIRED
            if "apply" in request.POST
            else "",
        }
        return TemplateResponse(
            request, "admin/progress/reportinground/reopen.html", context
        )


class ActivityProgressInline(
    OfficeChoicesAdminMixin, ThaiDateAdminMixin, admin.TabularInline
):
    model = ActivityProgress
    extra = 0
    fields = ["activity", "state", "note", "on_date"]
    raw_id_fields = ["activity"]


class KPIActualInline(
    ThaiNumberAdminMixin, OfficeChoicesAdminMixin, admin.TabularInline
):
    model = KPIActual
    extra = 0
    fields = [
        "kpi",
        "target",
        "actual_value",
        "actual_text",
        "achieved_verdict",
        "achieved_display",
    ]
    readonly_fields = ["target", "achieved_display"]
    raw_id_fields = ["kpi"]

    @admin.display(description="ค่าเป้าหมาย")
    def target(self, actual: KPIActual) -> str:
        return actual.target_label if actual.kpi_id else "–"

    @admin.display(description="บรรลุ")
    def achieved_display(self, actual: KPIActual) -> str:
        achieved = actual.achieved if actual.kpi_id else None
        return {True: "บรรลุ", False: "ไม่บรรลุ"}.get(achieved, "–")


class EvidenceForm(forms.ModelForm):
    """A stored file is replaced by deleting its row and adding another
    (``services.evidence_delete`` / ``evidence_add``); its caption changes."""

    class Meta:
        model = Evidence
        fields = ["file", "caption"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["file"].disabled = True


class EvidenceInline(admin.TabularInline):
    model = Evidence
    form = EvidenceForm
    extra = 0
    fields = ["file", "kind", "caption", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = ["kind", "size", "uploaded_by", "uploaded_at"]


class ReportEventInline(admin.TabularInline):
    model = ReportEvent
    extra = 0
    fields = ["created_at", "action", "actor", "comment"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class ProgressReportAdminForm(VersionedModelForm):
    """Refuses, as form errors, what the group's screen refuses: the checks
    of ``services.report_edit_validate`` for the user of the request (set on
    the class by the admin's ``get_form``)."""

    request_user = None

    class Meta:
        model = ProgressReport
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # As on the group's screen: a project not started has no percent to
        # give, so the box may stay empty for it (stored as 0, "nothing yet").
        if "percent_complete" in self.fields:
            self.fields["percent_complete"].required = False

    def clean(self):
        cleaned = super().clean()
        if "percent_complete" in cleaned and cleaned["percent_complete"] is None:
            if cleaned.get("status") == ProgressReport.Status.NOT_STARTED:
                cleaned["percent_complete"] = Decimal("0.00")
            else:
                self.add_error("percent_complete", ERROR_PERCENT_REQUIRED)
        instance = self.instance
        project = cleaned.get("project") or (
            instance.project if instance.project_id else None
        )
        reporting_round = cleaned.get("round") or (
            instance.round if instance.round_id else None
        )
        if project is None or reporting_round is None:
            return cleaned
        try:
            services.report_edit_validate(
                project=project,
                reporting_round=reporting_round,
                user=self.request_user,
                report=self.instance if self.instance.pk else None,
            )
        except (ValidationError, PermissionDenied) as error:
            raise ValidationError(_error_text(error)) from error
        return cleaned


@admin.register(ProgressReport)
class ProgressReportAdmin(
    OfficeScopedAdmin, ThaiExportMixin, TrashAdminMixin, ScopedHistoryAdmin
):
    form = ProgressReportAdminForm
    resource_classes = [ProgressReportResource]
    list_display = [
        "project",
        "group",
        "round_label",
        "status",
        "percent_complete",
        "state",
        "disbursed_display",
        "submitted_at",
    ]
    list_filter = ["round__fiscal_year", "round__number", "state", "status"]
    list_select_related = ["project__group", "round"]
    search_fields = ["project__name", "project__code"]
    raw_id_fields = ["project", "round"]
    readonly_fields = [
        "state",
        "submitted_at",
        "submitted_by",
        "updated_by",
        "disbursed_display",
    ]
    inlines = [
        ActivityProgressInline,
        KPIActualInline,
        EvidenceInline,
        ReportEventInline,
    ]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "round",
                    "project",
                    "status",
                    "percent_complete",
                    "opened_version",
                ]
            },
        ),
        (
            None,
            {
                "fields": [
                    "output_progress",
                    "outcome_progress",
                    "problems",
                    "suggestions",
                    "disbursed_display",
                ]
            },
        ),
        (
            "ข้อมูลเพิ่มเติม",
            {
                "classes": ["collapse"],
                "fields": ["state", "submitted_at", "submitted_by", "updated_by"],
            },
        ),
    ]

    def get_queryset(self, request):
        """The office's reports (:class:`core.admin.OfficeScopedAdmin`); group
        heads and officers list only the reports they write."""
        queryset = super().get_queryset(request).with_disbursed()
        user = request.user
        if user.is_superuser:
            return queryset
        if core_rules.has_role(
            user, Role.ADMIN, Role.PLANNER, Role.DIRECTOR, Role.VIEWER
        ):
            return queryset
        person = core_rules.person_of(user)
        return queryset.filter(
            Q(project__group_id__in=core_rules.headed_group_ids(user))
            | Q(project__responsibles__person=person)
        ).distinct()

    def has_change_permission(self, request, obj=None) -> bool:
        """Who reports, while the report is editable: the group's screen's
        rule. Planners review (return, accept) on the review screen; here
        they read."""
        if obj is not None and not (
            obj.is_editable and rules.can_report(request.user, obj.project)
        ):
            return False
        return super().has_change_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        """A report stays the report of its project and round."""
        fields = list(super().get_readonly_fields(request, obj))
        return fields + ["round", "project"] if obj is not None else fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.request_user = request.user
        return form

    def save_model(self, request, obj, form, change):
        """Through ``services.report_save_draft``, like the group's screen
        (its checks, history with the user, the "saved" event)."""
        report = services.report_save_draft(
            project=obj.project,
            reporting_round=obj.round,
            user=request.user,
            fields={
                name: form.cleaned_data[name]
                for name in services.REPORT_FIELDS
                if name in form.cleaned_data
            },
            comment=ADMIN_SAVE_COMMENT,
        )
        # The inlines and the admin's log refer to ``obj``: make it the row
        # the service wrote.
        for model_field in report._meta.concrete_fields:
            setattr(obj, model_field.attname, getattr(report, model_field.attname))
        obj._state.adding = False
        obj._state.db = report._state.db

    def save_formset(self, request, form, formset, change):
        """Activity and KPI rows through ``services.report_save_lines``,
        evidence through ``evidence_add`` / ``evidence_update`` /
        ``evidence_delete``; the events are read-only."""
        report, user = form.instance, request.user
        instances = formset.save(commit=False)
        if formset.model is Evidence:
            for evidence in formset.deleted_objects:
                services.evidence_delete(evidence=evidence, user=user)
            for evidence in instances:
                if evidence.pk:
                    services.evidence_update(
                        evidence=evidence, user=user, caption=evidence.caption
                    )
                else:
                    services.evidence_add(
                        report=report,
                        user=user,
                        file=evidence.file,
                        caption=evidence.caption,
                    )
            return
        if formset.model not in (ActivityProgress, KPIActual):
            return
        key = "activity" if formset.model is ActivityProgress else "kpi"
        names = (
            ["state", "note", "on_date"]
            if key == "activity"
            else ["actual_value", "actual_text", "achieved_verdict"]
        )
        rows, removed = {}, set()
        for row_form in formset.forms:
            was = row_form.initial.get(key)
            if row_form in formset.deleted_forms:
                removed.add(was)
            elif row_form.has_changed() and row_form.cleaned_data:
                instance = row_form.instance
                rows[getattr(instance, f"{key}_id")] = {
                    name: getattr(instance, name) for name in names
                }
                if was is not None and was != getattr(instance, f"{key}_id"):
                    removed.add(was)
        removed.discard(None)
        if not rows and not removed:
            return
        services.report_save_lines(
            report=report,
            user=user,
            **(
                {"activities": rows, "remove_activities": removed}
                if key == "activity"
                else {"kpis": rows, "remove_kpis": removed}
            ),
        )

    @admin.display(description="กลุ่ม", ordering="project__group__order")
    def group(self, report: ProgressReport) -> str:
        return report.project.group.display_name

    @admin.display(description="รอบ", ordering="round__number")
    def round_label(self, report: ProgressReport) -> str:
        return f"{report.round.label} / {report.round.fiscal_year}"

    @admin.display(description="เบิกจ่ายสะสม (บาท)")
    def disbursed_display(self, report: ProgressReport) -> str:
        value = getattr(report, "disbursed", None)
        return format_baht(value) if value is not None else "–"
