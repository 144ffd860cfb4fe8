"""Forms for money: inline cost lines and quarters, disbursements, filters."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.models import BaseInlineFormSet

from budgets import services
from budgets.models import (
    Allocation,
    BudgetSource,
    CostLine,
    Disbursement,
    DisbursementTarget,
    ExpenseCategory,
    OperatingCost,
    QuarterPlan,
)
from budgets.rollups import activity_total_budget
from core.forms import (
    FiscalYearField,
    ThaiDateField,
    ThaiDateInput,
    ThaiDecimalField,
    ThaiDecimalInput,
)
from core.locking import VersionedModelForm
from core.thai import ZERO, current_fiscal_year, parse_decimal

ERROR_PROJECT_WITHOUT_BUDGET = "โครงการนี้กำหนดว่า “ไม่ใช้งบประมาณ” จึงบันทึกรายการค่าใช้จ่ายไม่ได้"

_NUMBER = {"size": 7, "inputmode": "decimal"}
_MONEY = {"size": 12, "inputmode": "decimal"}


def _decimal(label: str, *, attrs: dict, required: bool = False) -> ThaiDecimalField:
    """A number box accepting "๑๒,๕๐๐.๕๐"; two decimals like the model; a
    box in baht refuses with the money examples."""
    return ThaiDecimalField(
        label=label,
        money="บาท" in label,
        required=required,
        max_digits=14,
        decimal_places=2,
        widget=forms.TextInput(attrs=attrs),
    )


class CostLineForm(VersionedModelForm):
    times = _decimal("จำนวนครั้ง", attrs=_NUMBER)
    persons = _decimal("จำนวนคน/หน่วย", attrs=_NUMBER)
    days = _decimal("จำนวนวัน/มื้อ", attrs=_NUMBER)
    rate = _decimal("อัตรา (บาท)", attrs=_MONEY)
    amount = _decimal("จำนวนเงิน (บาท)", attrs=_MONEY)

    class Meta:
        model = CostLine
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
        widgets = {
            "times_unit": forms.TextInput(attrs={"size": 6}),
            "persons_unit": forms.TextInput(attrs={"size": 6}),
            "days_unit": forms.TextInput(attrs={"size": 6}),
            "description": forms.TextInput(attrs={"size": 30}),
            "note": forms.TextInput(attrs={"size": 12}),
        }

    def clean(self):
        cleaned = super().clean()
        # The formula decides the amount; an amount left as it was (or blank)
        # follows the formula, one the user changed must agree with it.
        if cleaned.get("rate") is not None and "amount" not in self.changed_data:
            cleaned["amount"] = None
        return cleaned


class CostLineFormSet(BaseInlineFormSet):
    """The envelope is checked here once for all the activity's lines
    together; the admin then saves each with
    ``services.cost_line_save(check_envelope=False)``."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        activity = self.instance
        if not activity.project_id:
            return
        forms_kept = [
            form
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        if not forms_kept:
            return
        if not activity.project.uses_budget:
            raise ValidationError(ERROR_PROJECT_WITHOUT_BUDGET, code="no_budget")
        total = sum((form.instance.amount or ZERO for form in forms_kept), ZERO)
        services.envelope_validate(
            project=activity.project,
            adding=total,
            excluding=CostLine.objects.filter(activity=activity)
            if activity.pk
            else None,
        )


class OperatingCostAdminForm(forms.ModelForm):
    """Shows the envelope rule of running costs as a form error: the rule is
    ``services.operating_cost_validate``, no longer the model's clean()."""

    class Meta:
        model = OperatingCost
        fields = [
            "organization",
            "fiscal_year",
            "source",
            "category",
            "order",
            "description",
            "amount",
        ]

    def _post_clean(self):
        super()._post_clean()
        if not self.errors:
            try:
                services.operating_cost_validate(cost=self.instance)
            except ValidationError as error:
                self.add_error(None, error)


class ServiceRulesForm(forms.ModelForm):
    """An admin form that shows its service's rules as form errors.

    The admin's ``save_model`` saves through the service, which checks the
    same rules again (inside its transaction); checking them here as well
    gives the user a Thai message next to the field, and the typed values
    stay, instead of an error page. ``rule`` is the service's validator.
    """

    rule = None

    def _post_clean(self):
        super()._post_clean()
        if self.errors or type(self).rule is None:
            return
        try:
            type(self).rule(self.instance)
        except ValidationError as error:
            self.add_error(None, error)


class AllocationAdminForm(ServiceRulesForm):
    rule = staticmethod(
        lambda allocation: services.allocation_validate(allocation=allocation)
    )

    class Meta:
        model = Allocation
        fields = [
            "organization",
            "fiscal_year",
            "source",
            "round_number",
            "amount",
            "allocated_on",
            "reference",
            "note",
        ]


class DisbursementTargetAdminForm(ServiceRulesForm):
    rule = staticmethod(
        lambda target: services.disbursement_target_validate(target=target)
    )

    class Meta:
        model = DisbursementTarget
        fields = ["organization", "fiscal_year", "quarter", "cumulative_percent"]


class BudgetSourceAdminForm(ServiceRulesForm):
    rule = staticmethod(lambda source: services.budget_source_validate(source=source))

    class Meta:
        model = BudgetSource
        fields = ["organization", "code", "name", "funding_group", "order", "is_active"]


class ExpenseCategoryAdminForm(ServiceRulesForm):
    rule = staticmethod(
        lambda category: services.expense_category_validate(category=category)
    )

    class Meta:
        model = ExpenseCategory
        fields = ["parent", "code", "name", "order", "is_active"]


class QuarterPlanForm(forms.ModelForm):
    amount = _decimal("จำนวนเงิน (บาท)", attrs=_MONEY, required=True)

    class Meta:
        model = QuarterPlan
        fields = ["quarter", "amount"]


class QuarterPlanFormSet(BaseInlineFormSet):
    """The quarters, when entered, must add up to the activity's cost as it
    will be after this save (the cost lines posted on the same page)."""

    cost_line_prefix = "cost_lines"

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        amounts = {}
        for form in self.forms:
            data = form.cleaned_data
            if not data or data.get("DELETE"):
                continue
            amounts[data["quarter"]] = amounts.get(data["quarter"], ZERO) + (
                data["amount"] or ZERO
            )
        if not amounts:
            return  # no plan yet
        cost = self._posted_cost()
        if cost is None:
            cost = activity_total_budget(self.instance) if self.instance.pk else ZERO
        services.quarter_plan_validate(cost=cost, amounts=amounts)

    def _posted_cost(self) -> Decimal | None:
        """The cost of the lines posted with this page; ``None`` when the page
        has no cost lines or a number cannot be read (that formset reports it)."""
        prefix = self.cost_line_prefix
        try:
            count = int(self.data[f"{prefix}-TOTAL_FORMS"])
        except (KeyError, ValueError):
            return None
        total = ZERO
        for index in range(count):
            field = f"{prefix}-{index}-"
            if self.data.get(field + "DELETE"):
                continue
            try:
                values = {
                    name: parse_decimal(raw)
                    if (raw := self.data.get(field + name))
                    else None
                    for name in ("times", "persons", "days", "rate", "amount")
                }
                if values["rate"] is not None:
                    values["amount"] = None
                cost = CostLine(**values).compute_amount()
            except ValueError:  # not a number, or too many digits
                return None
            total += cost or ZERO
        return total


class DisbursementAdminForm(forms.ModelForm):
    """The finance clerk's disbursement form.

    Why the lock is taken here, in ``clean()``: the admin reports a refusal
    as a form error only while it validates; once it calls ``save_model`` an
    exception is a 500. So the form locks the project row
    (:func:`budgets.services.disbursement_lock`) and runs the service's own
    checks while validating; the admin view is one transaction (Django's
    ``changeform_view`` and our override both wrap it in
    ``transaction.atomic``), so the lock is held until ``save_model`` has
    written the row through :func:`~budgets.services.disbursement_record` /
    :func:`~budgets.services.disbursement_update`, which lock and check again
    and then find exactly what the form saw. A second save of the same money
    waits in its own ``clean()`` and is refused there with the Thai message.
    Outside a transaction (a form built on its own) nothing is locked and the
    checks are only a preview; the service still decides.
    """

    amount = _decimal("จำนวนเงิน (บาท)", attrs=_MONEY, required=True)

    class Meta:
        model = Disbursement
        fields = [
            "activity",
            "cost_line",
            "category",
            "paid_on",
            "amount",
            "document_number",
            "note",
        ]

    def clean(self):
        cleaned = super().clean()
        activity = cleaned.get("activity")
        amount = cleaned.get("amount")
        if activity is None or amount is None or self.errors:
            return cleaned
        if transaction.get_connection().in_atomic_block:
            services.disbursement_lock(activity.project_id, self.instance.project_id)
        activity.project.refresh_from_db()
        services.disbursement_validate(
            activity=activity,
            amount=amount,
            paid_on=cleaned.get("paid_on"),
            cost_line=cleaned.get("cost_line"),
            category=cleaned.get("category"),
            exclude_pk=self.instance.pk,
            document_number=cleaned.get("document_number") or "",
        )
        return cleaned


class FiscalYearForm(forms.Form):
    """The ?fiscal_year= filter of the money pages (BE year)."""

    fiscal_year = FiscalYearField(required=False)

    def chosen_year(self) -> int:
        """The chosen year, or the current fiscal year when blank or invalid."""
        if self.is_valid() and self.cleaned_data["fiscal_year"]:
            return self.cleaned_data["fiscal_year"]
        return current_fiscal_year()


ERROR_UNKNOWN_DECISION = "ไม่พบคำสั่งนี้ กรุณาเปิดหน้ารายการรออนุมัติใหม่"
ERROR_UNKNOWN_PROJECT = "ไม่พบโครงการที่เลือกในสำนักงานของคุณ"


class ApprovalDecisionForm(forms.Form):
    """One post of the director's approvals queue (``projects:approvals``).

    ``decide`` is the button pressed: ``approve-selected`` /
    ``return-selected`` (the ticked ``project`` boxes, with ``comment``),
    ``approve-<id>`` / ``return-<id>`` (one project's own buttons, with its
    own ``comment-<id>``), ``revise_approve-<id>`` / ``revise_return-<id>``
    (a plan change's buttons, likewise), or ``plan`` (approve the plan, with
    ``override_reason`` when the gate still lists something). Projects are
    looked up among the office's only; another office's id is refused like a
    missing one.
    """

    decide = forms.RegexField(
        regex=r"^(?:(?:approve|return)-(?:selected|\d{1,12})"
        r"|revise_(?:approve|return)-\d{1,12}|plan)$",
        error_messages={"invalid": ERROR_UNKNOWN_DECISION},
    )
    project = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        error_messages={
            "invalid_choice": ERROR_UNKNOWN_PROJECT,
            "invalid_pk_value": ERROR_UNKNOWN_PROJECT,
        },
    )
    comment = forms.CharField(required=False, max_length=2000)
    override_reason = forms.CharField(required=False, max_length=2000)

    def __init__(self, *args, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects
        self._projects = projects

    def clean(self):
        """Sets ``action`` (approve / return / plan), ``projects`` and the
        ``comment`` that goes with them."""
        data = super().clean()
        decide = data.get("decide")
        if not decide:
            return data
        if decide == "plan":
            data["action"] = "plan"
            return data
        action, which = decide.split("-", 1)
        data["action"] = action
        if which == "selected":
            data["projects"] = list(data.get("project") or [])
            return data
        project = self._projects.filter(pk=int(which)).first()
        if project is None:
            raise ValidationError(ERROR_UNKNOWN_PROJECT)
        data["projects"] = [project]
        data["comment"] = self.data.get(f"comment-{which}", "")[:2000]
        return data


# ------------------------------------------------------------------ finance desk

ERROR_DESK_PROJECT = "กรุณาเลือกโครงการ"
ERROR_DESK_PROJECT_UNKNOWN = "ไม่พบโครงการที่เลือกในปีงบประมาณ {year} ที่คุณบันทึกการเบิกจ่ายได้"
ERROR_DESK_ACTIVITY = "กรุณาเลือกกิจกรรม"
ERROR_DESK_ACTIVITY_ELSEWHERE = "กิจกรรมที่เลือกไม่ได้อยู่ในโครงการนี้"
ERROR_DESK_TARGET = "กรุณาเลือกรายการค่าใช้จ่าย หรือหมวดรายจ่ายเมื่อไม่ทราบรายการ"
ERROR_DESK_CATEGORY_ELSEWHERE = "กิจกรรมนี้ไม่มีรายการค่าใช้จ่ายในหมวดที่เลือก"
ERROR_DESK_AMOUNT = "กรุณากรอกจำนวนเงินที่เบิกจ่าย"
ERROR_DESK_DATE = "กรุณากรอกวันที่เบิกจ่าย"

#: The most rows one batch takes (a pile of vouchers, not a workbook: the
#: Excel import is for more).
DESK_MAX_ROWS = 30


class DisbursementRowForm(forms.Form):
    """One payment of the finance desk: project → activity → cost line (or
    category), date, amount, voucher number.

    The three choices are plain text fields with a select widget: their
    options come from the request's :class:`budgets.desk.FinanceDesk` (read
    once for all rows), and a posted value is looked up there, never with a
    query per row. A posted project that is not offered (not approved, no
    budget) is still taken when the user may pay it, so that the service
    refuses it with its own message naming why.
    """

    project = forms.CharField(
        label="โครงการ",
        widget=forms.Select,
        error_messages={"required": ERROR_DESK_PROJECT},
    )
    activity = forms.CharField(
        label="กิจกรรม",
        widget=forms.Select,
        error_messages={"required": ERROR_DESK_ACTIVITY},
    )
    target = forms.CharField(
        label="รายการค่าใช้จ่าย / หมวดรายจ่าย",
        widget=forms.Select,
        error_messages={"required": ERROR_DESK_TARGET},
    )
    paid_on = ThaiDateField(
        label="วันที่เบิกจ่าย (พ.ศ.)",
        error_messages={"required": ERROR_DESK_DATE},
        widget=ThaiDateInput(attrs={"data-thai-date": "", "size": 11}),
    )
    amount = ThaiDecimalField(
        label="จำนวนเงิน (บาท)",
        money=True,
        max_digits=14,
        decimal_places=2,
        error_messages={"required": ERROR_DESK_AMOUNT},
        widget=ThaiDecimalInput(attrs={"size": 12}),
    )
    document_number = forms.CharField(
        label="เลขที่เอกสาร", max_length=100, required=False
    )

    def __init__(self, *args, desk, default_date=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.desk = desk
        self.fields["paid_on"].initial = default_date
        project = desk.project(self._raw("project"))
        activity = project.activity(self._raw("activity")) if project else None
        if not self.is_bound and project and activity is None:
            if len(project.activities) == 1:  # nothing to choose: chosen
                activity = project.activities[0]
                self.initial["activity"] = str(activity.activity.pk)
        if not self.is_bound and activity and not self._raw("target"):
            if len(activity.lines) == 1 and not activity.categories[1:]:
                self.initial["target"] = activity.lines[0].key
        self.fields["project"].widget.choices = [
            ("", "— เลือกโครงการ —"),
            *desk.project_choices(),
        ]
        self.fields["activity"].widget.choices = [
            ("", "— เลือกกิจกรรม —" if project else "— เลือกโครงการก่อน —"),
            *(
                [(str(a.activity.pk), a.choice_label) for a in project.activities]
                if project
                else []
            ),
        ]
        for name in ("project", "activity"):
            # static/js/desk.js re-renders the row when these change.
            self.fields[name].widget.attrs["data-cascade"] = ""
        self.fields["target"].widget.choices = [
            ("", "— เลือกรายการหรือหมวด —" if activity else "— เลือกกิจกรรมก่อน —"),
            *(activity.target_choices() if activity else []),
        ]

    def _raw(self, name: str) -> str:
        """What the row holds for ``name``: posted (or reloaded) text."""
        if self.is_bound:
            value = self.data.get(self.add_prefix(name))
        else:
            value = self.initial.get(name)
        return "" if value is None else str(value)

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        project = self.desk.project(cleaned["project"])
        if project is None:
            self.add_error(
                "project",
                ERROR_DESK_PROJECT_UNKNOWN.format(year=self.desk.fiscal_year),
            )
            return cleaned
        activity = project.activity(cleaned["activity"])
        if activity is None:
            self.add_error("activity", ERROR_DESK_ACTIVITY_ELSEWHERE)
            return cleaned
        target = activity.target(cleaned["target"])
        if target is None:
            self.add_error(
                "target",
                ERROR_DESK_CATEGORY_ELSEWHERE
                if cleaned["target"].startswith("category-")
                else services.ERROR_DISBURSE_LINE_ELSEWHERE,
            )
            return cleaned
        cleaned["row"] = {
            "activity": activity.activity,
            "cost_line": target.line,
            "category": target.category,
            "paid_on": cleaned["paid_on"],
            "amount": cleaned["amount"],
            "document_number": cleaned.get("document_number") or "",
        }
        return cleaned


class BaseDisbursementRowFormSet(forms.BaseFormSet):
    """The desk's rows. Every row is an *extra* form, so a row left blank is
    skipped rather than refused; a page reloaded to cascade (GET) gives each
    row what it held through ``row_initial`` instead of ``initial``, which
    would make the rows "initial forms" that may not be left blank."""

    row_initial: list[dict] = []
    default_error_messages = {
        "missing_management_form": (
            "ข้อมูลแบบฟอร์มไม่ครบ กรุณาเปิดหน้าบันทึกการเบิกจ่ายใหม่แล้วกรอกอีกครั้ง"
        ),
        "too_many_forms": "บันทึกได้ครั้งละไม่เกิน %(num)d รายการ",
        "too_few_forms": "กรุณากรอกอย่างน้อย %(num)d รายการ",
    }

    def __init__(self, *args, row_initial=None, **kwargs):
        self.row_initial = row_initial or []
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        if index is not None and index < len(self.row_initial):
            kwargs["initial"] = self.row_initial[index]
        return kwargs


def desk_rows_from_query(query, rows: int, *, prefix: str) -> list[dict]:
    """What each row held when the desk was reloaded to cascade (its GET
    parameters), as the rows' initial values; boxes left empty keep the
    form's own defaults (today's date)."""
    names = ("project", "activity", "target", "paid_on", "amount", "document_number")
    return [
        {
            name: value
            for name in names
            if (value := query.get(f"{prefix}-{index}-{name}", ""))
        }
        for index in range(rows)
    ]


def disbursement_row_formset(rows: int):
    """The formset class for a desk of ``rows`` rows (at most
    :data:`DESK_MAX_ROWS`; a posted page brings its own count)."""
    return forms.formset_factory(
        DisbursementRowForm,
        formset=BaseDisbursementRowFormSet,
        extra=max(1, min(rows, DESK_MAX_ROWS)),
        max_num=DESK_MAX_ROWS,
        absolute_max=DESK_MAX_ROWS,
        validate_max=True,
    )
