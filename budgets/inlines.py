"""Admin inlines for money under an activity; the Activity admin (projects app)
includes them so cost lines and the quarterly plan are entered in one place.

Numbers accept Thai digits and separators ("๑๒,๕๐๐.๕๐"); the amount of a line
with a formula is computed on save and its printed formula is shown; the
quarters, when entered, must add up to the activity's cost as posted.
"""

from django.contrib import admin

from budgets.forms import (
    CostLineForm,
    CostLineFormSet,
    QuarterPlanForm,
    QuarterPlanFormSet,
)
from budgets.models import CostLine, QuarterPlan
from core.admin import ReadOnlyWithoutVersionMixin, ThaiNumberAdminMixin
from core.admin_choices import OfficeChoicesAdminMixin
from core.thai import format_baht


class CostLineInline(
    ReadOnlyWithoutVersionMixin,
    ThaiNumberAdminMixin,
    OfficeChoicesAdminMixin,
    admin.TabularInline,
):
    model = CostLine
    form = CostLineForm
    formset = CostLineFormSet
    extra = 0
    fields = [
        "order",
        "category",
        "description",
        "times",
        "times_unit",
        "persons",
        "persons_unit",
        "days",
        "days_unit",
        "rate",
        "amount",
        "formula_preview",
        "note",
        "opened_version",
    ]
    readonly_fields = ["formula_preview"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("category")

    @admin.display(description="สูตรที่พิมพ์ (คำนวณเมื่อบันทึก)")
    def formula_preview(self, line: CostLine) -> str:
        if line.pk is None:
            return "–"
        formula = line.formula_text()
        amount = format_baht(line.amount)
        return f"{formula} = {amount} บาท" if formula else f"{amount} บาท"


class QuarterPlanInline(ThaiNumberAdminMixin, admin.TabularInline):
    model = QuarterPlan
    form = QuarterPlanForm
    formset = QuarterPlanFormSet
    extra = 0
    max_num = 4
    fields = ["quarter", "amount"]
