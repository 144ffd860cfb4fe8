"""The admin's "ส่งออก Excel" button and the "นำเข้าจาก Excel" link.

:class:`ThaiExportMixin` is django-import-export's ``ExportMixin`` (export
only; imports go through the purpose-built upload → preview → confirm screens
of :mod:`excel.views`) set up for Phaen:

- one format, :class:`ThaiXLSX`, and no intermediate form
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

Each app's resources (``budgets.resources``, ``projects.resources``,
``progress.resources``) build on :class:`ThaiResource` and its column helpers:
Thai column headers, dates as date cells showing the Buddhist-era year, money and
quantities as real numbers, and :class:`ThaiXLSX`, an .xlsx format with baht
number format, a bold frozen header and sensible widths. The admins opt in
through :class:`ThaiExportMixin`::

    class ProjectAdmin(ThaiExportMixin, admin.ModelAdmin):
        resource_classes = [ProjectResource]

The admin hands its own (office-scoped, filtered) changelist queryset to
``export``; each resource's :meth:`filter_export` adds the ``select_related``
and annotations its columns read, so an export runs a fixed number of queries
whatever the number of rows.
"""

from urllib.parse import quote

from django.contrib import messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from import_export import fields, resources, widgets
from import_export.admin import ExportMixin
from import_export.formats.base_formats import XLSX

from core import rules, thai
from core.xlsx import Month, table_workbook, to_bytes


class ThaiXLSX(XLSX):
    """.xlsx with '#,##0.00' money cells, bold frozen header and column widths.

    Written by :func:`core.xlsx.table_workbook`, whose cells go through
    :func:`core.xlsx.set_value`: text that looks like a formula stays the
    exact text. (import-export's own ``IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT``
    guards its stock formats only; it strips the "=" and turns numbers into
    text, so this format does not use it.)
    """

    def get_title(self):
        return "xlsx"

    def export_data(self, dataset, **kwargs):
        book = table_workbook(dataset.title or "ข้อมูล", list(dataset.headers), dataset)
        return to_bytes(book)


def text(attribute: str, header: str) -> fields.Field:
    return fields.Field(attribute=attribute, column_name=header, readonly=True)


def number(attribute: str, header: str) -> fields.Field:
    return fields.Field(
        attribute=attribute,
        column_name=header,
        widget=widgets.DecimalWidget(coerce_to_string=False),
        readonly=True,
    )


def integer(attribute: str, header: str) -> fields.Field:
    return fields.Field(
        attribute=attribute,
        column_name=header,
        widget=widgets.IntegerWidget(coerce_to_string=False),
        readonly=True,
    )


def be_date(value):
    """A date cell (shown with the BE year by :mod:`core.xlsx`), or blank."""
    return value or None


def be_month(value):
    """A month cell (``ต.ค. 2569``), or blank."""
    return Month.of(value) if value else None


def annotated(queryset, **expressions):
    """``queryset`` with the annotations it does not carry yet (the admin's
    queryset may already have them)."""
    missing = {
        name: expression
        for name, expression in expressions.items()
        if name not in queryset.query.annotations
    }
    return queryset.annotate(**missing) if missing else queryset


class ThaiResource(resources.ModelResource):
    """Names the sheet after the model ("โครงการ") and loads related rows once."""

    #: ``select_related`` paths the columns read.
    related: tuple[str, ...] = ()

    def filter_export(self, queryset, **kwargs):
        if self.related:
            queryset = queryset.select_related(*self.related)
        return queryset

    def export(self, queryset=None, **kwargs):
        dataset = super().export(queryset, **kwargs)
        dataset.title = str(self._meta.model._meta.verbose_name_plural)
        return dataset


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
        year = thai.be_year(today.year)
        return f"{name}-{year}-{today.month:02d}-{today.day:02d}.xlsx"

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
