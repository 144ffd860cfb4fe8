"""Filters of the budget and KPI reports."""

from django import forms
from django.db.models import Q

from budgets.models import BudgetSource
from core.forms import FiscalYearField
from core.models import OfficeGroup
from core.thai import current_fiscal_year, parse_fiscal_year
from plans.models import Strategy


class ReportFilterForm(forms.Form):
    """Fiscal year, group, strategy and source of one office's reports."""

    fiscal_year = FiscalYearField(required=False)
    group = forms.ModelChoiceField(
        label="กลุ่ม",
        queryset=OfficeGroup.objects.none(),
        required=False,
        empty_label="ทุกกลุ่ม",
    )
    strategy = forms.ModelChoiceField(
        label="กลยุทธ์",
        queryset=Strategy.objects.none(),
        required=False,
        empty_label="ทุกกลยุทธ์",
    )
    source = forms.ModelChoiceField(
        label="แหล่งงบประมาณ",
        queryset=BudgetSource.objects.none(),
        required=False,
        empty_label="ทุกแหล่ง",
    )

    def __init__(self, data=None, *, organization, **kwargs):
        super().__init__(data, **kwargs)
        self.organization = organization
        self.fields["group"].queryset = OfficeGroup.objects.filter(
            organization=organization
        )
        year = self.chosen_year_raw(data)
        self.fields["strategy"].queryset = Strategy.objects.filter(
            plan__organization=organization, plan__fiscal_year=year
        )
        self.fields["source"].queryset = BudgetSource.objects.filter(
            Q(organization__isnull=True) | Q(organization=organization)
        )

    @staticmethod
    def chosen_year_raw(data) -> int:
        return parse_fiscal_year((data or {}).get("fiscal_year"))

    def filters(self) -> dict:
        """The valid choices (``None`` = all); the current year by default."""
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "fiscal_year": data.get("fiscal_year") or current_fiscal_year(),
            "group": data.get("group"),
            "strategy": data.get("strategy"),
            "source": data.get("source"),
        }

    def labels(self) -> list[str]:
        chosen = self.filters()
        names = {"group": "กลุ่ม", "strategy": "กลยุทธ์", "source": "แหล่งงบประมาณ"}
        return [f"{names[key]}: {chosen[key]}" for key in names if chosen[key]]
