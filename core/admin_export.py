"""The admin's "ส่งออก Excel" button and the "นำเข้าจาก Excel" link.

:class:`ThaiExportMixin` is django-import-export's ``ExportMixin`` (export
only; imports go through the purpose-built upload → preview → confirm screens
of :mod:`excel.views`) set up for Phaen:

- one format, :class:`excel.resources.ThaiXLSX`, and no intermediate form
  page: the button downloads the changelist as it is filtered and searched;
- the rows are the admin's own ``get_queryset`` (the user's office, the
  user's projects) through import-export's ``get_export_queryset``;
- exporting needs the model's view permission, like the changelist;
- Thai labels from ``templates/admin/excel/change_list.html``, which extends
  import-export's changelist template (itself extending any
  ``change_list_template`` the admin already had);
- a Thai file name, ``โครงการ-2568-11-15.xlsx`` (Buddhist-era date);
- a filter value the changelist cannot use (``?fiscal_year=abc``, a NUL)
  sends the user back to the list with a Thai notice, as the changelist
  itself does, instead of failing the download.
"""

from urllib.parse import quote

from django.contrib import messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from import_export.admin import ExportMixin

from core import rules
from excel.resources import ThaiXLSX

ERROR_BAD_FILTER = (
    "ตัวกรองในลิงก์ไม่ถูกต้อง จึงส่งออกไม่ได้ กรุณาเลือกตัวกรองจากรายการแล้วกดส่งออกอีกครั้ง"
)


class ThaiExportMixin(ExportMixin):
    export_formats = [ThaiXLSX]
    skip_export_form = True
    import_export_change_list_template = "admin/excel/change_list.html"
    #: URL name of the Excel import screen linked from the changelist ...
    excel_import_url: str | None = None
    #: ... and the rule (``rule(user, organization)``) that lets a user use it.
    excel_import_rule = None

    def has_export_permission(self, request) -> bool:
        return self.has_view_permission(request)

    def excel_import_link(self, request) -> str | None:
        """The import screen's URL when the user may import into their office."""
        if self.excel_import_url is None or self.excel_import_rule is None:
            return None
        organization = rules.organization_of(request.user)
        if organization is None or not self.excel_import_rule(
            request.user, organization
        ):
            return None
        return reverse(self.excel_import_url)

    def changelist_view(self, request, extra_context=None):
        extra_context = dict(extra_context or {})
        extra_context["excel_import_link"] = self.excel_import_link(request)
        return super().changelist_view(request, extra_context)

    def export_filename(self) -> str:
        today = timezone.localdate()
        name = self.model._meta.verbose_name_plural
        return f"{name}-{today.year + 543}-{today.month:02d}-{today.day:02d}.xlsx"

    def export_action(self, request):
        try:
            response = super().export_action(request)
        except (IncorrectLookupParameters, ValidationError, ValueError):
            messages.error(request, ERROR_BAD_FILTER)
            opts = self.model._meta
            return redirect(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        if response.has_header("Content-Disposition"):
            response["Content-Disposition"] = (
                f"attachment; filename*=UTF-8''{quote(self.export_filename())}"
            )
        return response
