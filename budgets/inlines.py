"""Admin inlines for money under an activity; the Activity admin (projects app)
includes them so cost lines and the quarterly plan are entered in one place."""

from django.contrib import admin

from budgets.models import CostLine, QuarterPlan


class CostLineInline(admin.TabularInline):
    model = CostLine
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
        "note",
    ]


class QuarterPlanInline(admin.TabularInline):
    model = QuarterPlan
    extra = 0
    max_num = 4
    fields = ["quarter", "amount"]
