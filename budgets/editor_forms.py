"""Forms of the in-app project-sheet editor (``/projects/new/``, ``<id>/edit/``).

One page holds the whole แบบเสนอโครงการ: the sheet's own fields, its parts as
row formsets, and the activities, each with its months (a grid of checkboxes
for the plan's fiscal year, extendable into the next) and its cost lines (a
formset nested in the activity's form). They live in ``budgets`` because the
page writes cost lines. :class:`SheetEditor` binds them all, validates them
together and hands the rows (:meth:`SheetEditor.rows`) to
:func:`budgets.services.project_sheet_save`.

Rows number themselves: a row's ``order`` is its place on the page, so the
user never types a number. Blank extra rows are ignored, which is what lets
the page work without JavaScript (one spare row of each kind is rendered; the
small script in ``static/js/sheet_editor.js`` adds more and sums the money).
"""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.forms import BaseInlineFormSet, inlineformset_factory

from budgets import services
from budgets.forms import CostLineForm
from budgets.models import CostLine, ExpenseCategory
from core import rules as core_rules
from core import thai
from core.forms import ThaiDecimalField
from core.locking import VersionedModelForm
from core.models import OfficeGroup, Person
from core.selectors import visible_to
from plans.forms import LevelCriteriaForm
from plans.models import Goal, Indicator, Plan, PolicyItem, Strategy
from projects.admin import ProjectAdminForm
from projects.models import (
    Activity,
    ExpectedResult,
    Objective,
    Project,
    ProjectKPI,
    ProjectResponsible,
    ProjectTarget,
)

ERROR_ACTIVITY_NAME = "กรุณากรอกชื่อกิจกรรมของรายการค่าใช้จ่ายนี้"

TEXT_ROW = {"rows": 2}


class PlanChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, plan: Plan) -> str:
        return f"แผนปฏิบัติการ ปีงบประมาณ พ.ศ. {plan.fiscal_year}"


class StrategyChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, item) -> str:
        return f"{item.number}. {item.title}" if hasattr(item, "title") else str(item)


class ProjectEditorForm(ProjectAdminForm):
    """The sheet's own fields; the alignment pickers list only the chosen
    plan's year (the admin listed both years with identical labels)."""

    plan = PlanChoiceField(label="แผนปฏิบัติการ", queryset=Plan.objects.none())
    strategies = StrategyChoiceField(
        label="กลยุทธ์ของสำนักงาน",
        queryset=Strategy.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    goals = forms.ModelMultipleChoiceField(
        label="เป้าประสงค์",
        queryset=Goal.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    indicators = forms.ModelMultipleChoiceField(
        label="ตัวชี้วัดกลยุทธ์",
        queryset=Indicator.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    policy_items = forms.ModelMultipleChoiceField(
        label="ความสอดคล้องกับนโยบายระดับชาติ",
        queryset=PolicyItem.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta(ProjectAdminForm.Meta):
        widgets = {
            "rationale": forms.Textarea(attrs={"rows": 5}),
            "output_statement": forms.Textarea(attrs={"rows": 2}),
            "outcome_statement": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, user, organization, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("code", "sequence"):
            del self.fields[name]
        plans = Plan.objects.filter(organization=organization).order_by("-fiscal_year")
        self.fields["plan"].queryset = plans
        self.fields["plan"].empty_label = None
        self.fields["group"].queryset = editable_groups(
            user, organization, self.instance
        )
        self.fields["budget_source"].queryset = self.fields[
            "budget_source"
        ].queryset.filter(organization=organization)
        plan = self._chosen_plan(plans)
        if plan is not None:
            year = plan.fiscal_year
            self.fields["strategies"].queryset = Strategy.objects.filter(plan=plan)
            self.fields["goals"].queryset = Goal.objects.filter(plan=plan)
            self.fields["indicators"].queryset = Indicator.objects.filter(
                strategy__plan=plan
            )
            self.fields["policy_items"].queryset = PolicyItem.objects.filter(
                Q(fiscal_year_start=None) | Q(fiscal_year_start__lte=year),
                Q(fiscal_year_end=None) | Q(fiscal_year_end__gte=year),
            )
        self.plan = plan

    def _chosen_plan(self, plans):
        """The plan posted, else the project's, else the initial one."""
        raw = self.data.get(self.add_prefix("plan")) if self.is_bound else None
        raw = raw or self.initial.get("plan") or self.instance.plan_id
        try:
            return plans.filter(pk=int(getattr(raw, "pk", raw))).first()
        except (TypeError, ValueError):
            return None


def editable_groups(user, organization, project=None):
    """Planners: every active group of the office; a group head: the groups
    they head (and a sheet keeps its own group)."""
    groups = visible_to(
        OfficeGroup.objects.filter(organization=organization, is_active=True), user
    )
    if core_rules.can_manage_office(user, organization):
        return groups
    keep = Q(pk=project.group_id) if project and project.group_id else Q(pk__in=[])
    return groups.filter(keep | Q(pk__in=core_rules.headed_group_ids(user)))


# ------------------------------------------------------------------ parts


class RowFormSet(BaseInlineFormSet):
    """Rows that number themselves: ``order`` is the row's place on the page.

    ``rows`` hands the formset its stored rows already read (a list): the
    sub-activities of every activity and their cost lines are read in one
    query each for the whole page, so the page's query count does not grow
    with them (each formset would otherwise ask for its own).
    """

    def __init__(self, *args, rows=None, **kwargs):
        self._rows = rows
        super().__init__(*args, **kwargs)

    def get_queryset(self):
        if self._rows is None:
            return super().get_queryset()
        return self._rows

    def kept_forms(self):
        """The rows kept on the page, in order (blank spare rows left out)."""
        return [
            form
            for form in self.forms
            if (form.has_changed() or form.instance.pk)
            and not self._should_delete_form(form)
        ]

    def numbered(self):
        """``(form, changed)`` of each kept row, its ``order`` set to its
        place; ``changed`` is false for a stored row the save leaves as is."""
        rows = []
        for order, form in enumerate(self.kept_forms(), start=1):
            changed = form.has_changed() or form.instance.order != order
            form.instance.order = order
            rows.append((form, changed or form.instance.pk is None))
        return rows


class ResponsibleForm(forms.ModelForm):
    class Meta:
        model = ProjectResponsible
        fields = ["person", "name_text"]

    def __init__(self, *args, organization=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.filter(
            organization=organization, is_active=True
        )
        self.fields["person"].empty_label = "— เลือกบุคลากร —"


class ObjectiveForm(forms.ModelForm):
    class Meta:
        model = Objective
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs=TEXT_ROW)}


class TargetForm(forms.ModelForm):
    quantity = ThaiDecimalField(
        label="จำนวน", required=False, max_digits=14, decimal_places=2
    )

    class Meta:
        model = ProjectTarget
        fields = ["kind", "text", "quantity", "unit"]
        widgets = {"text": forms.Textarea(attrs=TEXT_ROW)}


class KPIForm(LevelCriteriaForm, forms.ModelForm):
    """A KPI row; a success-level KPI takes its five criteria here and its
    target is the level (1–5) typed in ค่าเป้าหมาย (issue 21 item 5)."""

    target_value = ThaiDecimalField(
        label="ค่าเป้าหมาย", required=False, max_digits=14, decimal_places=2
    )

    class Meta:
        model = ProjectKPI
        fields = [
            "result_kind",
            "name",
            "unit",
            "unit_label",
            "comparison",
            "target_value",
            "target_text",
            "method",
            "instrument",
        ]
        widgets = {"name": forms.Textarea(attrs=TEXT_ROW)}


class ExpectedResultForm(forms.ModelForm):
    class Meta:
        model = ExpectedResult
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs=TEXT_ROW)}


def _rows(model, form, extra=1):
    return inlineformset_factory(
        Project, model, form=form, formset=RowFormSet, extra=extra, can_delete=True
    )


#: (prefix, title, formset) of the sheet's parts, in the order printed.
PART_FORMSETS = {
    "responsibles": _rows(ProjectResponsible, ResponsibleForm),
    "objectives": _rows(Objective, ObjectiveForm),
    "targets": _rows(ProjectTarget, TargetForm),
    "kpis": _rows(ProjectKPI, KPIForm),
    "expected": _rows(ExpectedResult, ExpectedResultForm),
}


# ------------------------------------------------------------------ activities


class ActivityEditorForm(VersionedModelForm):
    """An activity: its name, target and a month grid of the plan's year,
    extendable into the next.

    The grid offers the plan's twelve months and the next fiscal year's
    twelve (shown under "แสดงเดือนในปีงบประมาณถัดไป", open when the project
    runs past the year end or the activity already names such a month);
    those are the months :func:`projects.models.activity_months_validate`
    allows (checked by ``Activity.clean``). Any other month the activity holds
    is offered too, ticked: a month the grid did not show could not be posted
    back, and saving would drop it without a word. Shown, it is refused with
    the rule's Thai message until the user unticks it.
    """

    months = forms.MultipleChoiceField(
        label="เดือนที่ดำเนินการ",
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "month-grid"}),
    )

    class Meta:
        model = Activity
        fields = ["name", "target", "months", "responsible_text"]
        widgets = {"name": forms.Textarea(attrs=TEXT_ROW)}

    def __init__(self, *args, fiscal_year: int, runs_past_year=False, **kwargs):
        super().__init__(*args, **kwargs)
        year = thai.fiscal_month_dates(fiscal_year)
        following = thai.fiscal_month_dates(fiscal_year + 1)
        held = set()
        for value in [*(self.instance.months or []), *(self["months"].value() or [])]:
            try:
                held.add(datetime.date.fromisoformat(str(value)))
            except ValueError:
                continue  # not a month: the choice field refuses it
        others = sorted(held - set(year) - set(following))
        self.month_choices = {
            "year": year,
            "next": following,
            "other": others,
        }
        self.fields["months"].choices = [
            (day.isoformat(), thai.thai_month_year(day, short_year=True))
            for day in (*year, *following, *others)
        ]
        self.fields["responsible_text"].label = "ผู้รับผิดชอบกิจกรรม"
        self.show_next_year = runs_past_year or bool(held & set(following))

    def month_boxes(self) -> dict:
        """The grid's checkboxes cut into the plan's year, the next year and
        any other month the activity holds (see the class docstring)."""
        boxes = list(self["months"])
        n_year, n_next = (
            len(self.month_choices["year"]),
            len(self.month_choices["next"]),
        )
        return {
            "year": boxes[:n_year],
            "next": boxes[n_year : n_year + n_next],
            "other": boxes[n_year + n_next :],
        }


class SubActivityEditorForm(ActivityEditorForm):
    """A sub-activity (กิจกรรมย่อย, printed 1.1, 1.2 …): an activity's fields,
    plus where to move it.

    ``move_to`` moves it under another main activity; blank keeps it under
    the one it is listed under. The choices offered are the project's stored
    main activities, but any activity of the office is accepted here so that
    the model's own rule (``Activity.clean``, run by the save service) is
    the one that refuses a sub-activity of a sub-activity or an activity of
    another project, with its Thai message, as the admin and the workbook
    import refuse it.
    """

    move_to = forms.ModelChoiceField(
        label="ย้ายไปอยู่ใต้กิจกรรมหลัก",
        queryset=Activity.objects.none(),
        required=False,
    )

    def __init__(self, *args, organization=None, main_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["move_to"]
        field.queryset = Activity.objects.filter(
            project__plan__organization=organization
        )
        field.widget.choices = [
            ("", "— ไม่ย้าย —"),
            *(
                (activity.pk, f"{number}. {str(activity)[:60]}")
                for number, activity in main_choices
                if activity.pk != self.instance.parent_id
            ),
        ]

    #: Set on the template the script copies: a sub-activity added by
    #: "เพิ่มกิจกรรมย่อย" opens unfolded.
    fresh = False

    def folded(self) -> bool:
        """A blank spare row: shown folded under "เพิ่มกิจกรรมย่อย" (it is
        what the page posts without the script; left blank it is ignored)."""
        return (
            not self.fresh
            and self.instance.pk is None
            and not self.has_changed()
            and not self.errors
        )


class CostLineEditorForm(CostLineForm):
    """A cost line as the sheet prints it: category, text, quantity × rate ×
    times; the amount is computed (typed only for a line without a rate)."""

    class Meta(CostLineForm.Meta):
        fields = [
            "category",
            "description",
            "persons",
            "persons_unit",
            "rate",
            "times",
            "times_unit",
            "amount",
        ]
        widgets = {
            **CostLineForm.Meta.widgets,
            "persons_unit": forms.TextInput(attrs={"size": 5}),
            "times_unit": forms.TextInput(attrs={"size": 5}),
        }

    def __init__(self, *args, category_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = ExpenseCategory.objects.filter(
            is_active=True
        )
        self.fields["category"].empty_label = "— หมวดรายจ่าย —"
        if category_choices is not None:
            # The page's one reading of the categories, shared by every line
            # (each select would otherwise read them again); a posted choice
            # is still checked against the queryset.
            self.fields["category"].choices = category_choices
        self.fields["persons"].label = "จำนวน"
        self.fields["times"].label = "จำนวนครั้ง"
        for field in self.fields.values():
            field.help_text = ""  # a line is one row; the examples are placeholders
        self.fields["description"].widget.attrs["placeholder"] = "เช่น ค่าอาหารกลางวัน"
        for name, css in (
            ("persons", "js-qty"),
            ("rate", "js-rate"),
            ("times", "js-times"),
            ("amount", "js-amount"),
            ("category", "js-category"),
        ):
            self.fields[name].widget.attrs["class"] = css


CostLineFormSet = inlineformset_factory(
    Activity,
    CostLine,
    form=CostLineEditorForm,
    formset=RowFormSet,
    extra=1,
    can_delete=True,
)

SubActivityFormSet = inlineformset_factory(
    Activity,
    Activity,
    form=SubActivityEditorForm,
    formset=RowFormSet,
    fk_name="parent",
    extra=1,
    can_delete=True,
)

ActivityFormSet = inlineformset_factory(
    Project,
    Activity,
    form=ActivityEditorForm,
    formset=RowFormSet,
    fk_name="project",
    extra=1,
    can_delete=True,
)


# ------------------------------------------------------------------ the page


class SheetEditor:
    """The whole page: the sheet form, the parts, the activities and the
    cost lines of each activity, bound together."""

    def __init__(
        self, *, data=None, project: Project, user, organization, initial=None
    ):
        self.project = project
        self.user = user
        self.form = ProjectEditorForm(
            data,
            instance=project,
            user=user,
            organization=organization,
            initial=initial or {},
        )
        plan = self.form.plan
        self.fiscal_year = plan.fiscal_year if plan else thai.current_fiscal_year()
        end = self._period_end()
        runs_past_year = (
            end is not None and end > thai.fiscal_month_dates(self.fiscal_year)[-1]
        )
        month_kwargs = {
            "fiscal_year": self.fiscal_year,
            "runs_past_year": runs_past_year,
        }
        self.parts = {
            prefix: formset(
                data,
                instance=project,
                prefix=prefix,
                **(
                    {"form_kwargs": {"organization": organization}}
                    if prefix == "responsibles"
                    else {}
                ),
            )
            for prefix, formset in PART_FORMSETS.items()
        }
        self.line_kwargs = {
            "category_choices": list(CostLineEditorForm().fields["category"].choices)
        }
        self.activities = ActivityFormSet(
            data,
            instance=project,
            prefix="act",
            queryset=Activity.objects.filter(parent=None).order_by("order", "pk")
            if project.pk
            else Activity.objects.none(),
            form_kwargs=month_kwargs,
        )
        for form in self.activities.forms:
            form.lines = CostLineFormSet(
                data,
                instance=form.instance,
                prefix=f"{form.prefix}-cost",
                queryset=CostLine.objects.select_related("category"),
                form_kwargs=self.line_kwargs,
            )
        self._bind_subactivities(data, organization, month_kwargs)
        # Templates the script copies for a new row (never posted as rows:
        # their prefixes hold placeholders, outside the management counts).
        self.empty_activity = ActivityEditorForm(
            prefix="act-__act__",
            **month_kwargs,
            use_required_attribute=False,
        )
        self.empty_activity.lines = CostLineFormSet(
            prefix="act-__act__-cost", instance=Activity(), form_kwargs=self.line_kwargs
        )
        self.empty_activity.subs = self._subs(
            None, Activity(), "act-__act__-sub", [], {}, organization, month_kwargs
        )
        # As the formset's ``empty_form``, with the placeholder the script
        # replaces by "<activity>-sub-<n>" (a prefix is read when the form is
        # built, so it is given here rather than changed afterwards).
        subs = self.empty_activity.subs
        self.empty_sub = subs.form(
            auto_id=subs.auto_id,
            prefix="act-__act__-sub-__sub__",
            empty_permitted=True,
            use_required_attribute=False,
            renderer=subs.renderer,
            **subs.get_form_kwargs(None),
        )
        subs.add_fields(self.empty_sub, None)
        self.empty_sub.fresh = True
        self.empty_sub.lines = CostLineFormSet(
            prefix="act-__act__-sub-__sub__-cost",
            instance=Activity(),
            form_kwargs=self.line_kwargs,
        )
        self.empty_line = CostLineEditorForm(
            **self.line_kwargs,
            prefix="act-__act__-cost-__cost__",
            use_required_attribute=False,
        )
        self.empty_parts = {
            prefix: formset.empty_form for prefix, formset in self.parts.items()
        }

    def _bind_subactivities(self, data, organization, month_kwargs) -> None:
        """Each activity's form gets ``subs``, the formset of its
        sub-activities, each of those its ``lines``. The stored ones are read
        here in two queries for the whole page (sub-activities, their lines)."""
        stored = [form.instance for form in self.activities.forms if form.instance.pk]
        subs, lines = {}, {}
        if stored:
            for sub in Activity.objects.filter(parent__in=stored).order_by(
                "order", "pk"
            ):
                subs.setdefault(sub.parent_id, []).append(sub)
        if subs:
            for line in CostLine.objects.filter(
                activity__parent__in=stored
            ).select_related("category"):
                lines.setdefault(line.activity_id, []).append(line)
        main_choices = [
            (number, activity) for number, activity in enumerate(stored, start=1)
        ]
        for form in self.activities.forms:
            form.subs = self._subs(
                data,
                form.instance,
                f"{form.prefix}-sub",
                subs.get(form.instance.pk, []) if form.instance.pk else [],
                lines,
                organization,
                month_kwargs,
                main_choices,
            )

    def _subs(
        self, data, parent, prefix, stored, lines, organization, month_kwargs, main=()
    ):
        project = self.project
        formset = SubActivityFormSet(
            data,
            instance=parent,
            prefix=prefix,
            rows=stored,
            form_kwargs={
                **month_kwargs,
                "organization": organization,
                "main_choices": main,
            },
        )
        for form in formset.forms:
            # The project too, so the form's checks know the plan's year
            # (the months) before the save service sets it again.
            form.instance.project = project
            form.lines = CostLineFormSet(
                data,
                instance=form.instance,
                prefix=f"{form.prefix}-cost",
                rows=lines.get(form.instance.pk, []) if form.instance.pk else [],
                form_kwargs=self.line_kwargs,
            )
        return formset

    def subactivity_forms(self):
        for form in self.activities.forms:
            yield from form.subs.forms

    def _period_end(self):
        """The project's end month as posted (else as stored): a period typed
        past the year end opens the next year's months on a re-shown page."""
        if not self.form.is_bound:
            return self.project.end_month
        field = self.form.fields["end_month"]
        try:
            return field.to_python(self.form["end_month"].value())
        except ValidationError:
            return self.project.end_month

    # -------------------------------------------------------------- checks

    def all_formsets(self):
        yield from self.parts.values()
        yield self.activities
        for form in self.activities.forms:
            yield form.lines
            yield form.subs
        for form in self.subactivity_forms():
            yield form.lines

    def is_valid(self) -> bool:
        valid = self.form.is_valid()
        for formset in self.all_formsets():
            valid = formset.is_valid() and valid
        for form in [*self.activities.forms, *self.subactivity_forms()]:
            typed_lines = any(line.has_changed() for line in form.lines.forms)
            if typed_lines and not form.has_changed() and not form.instance.pk:
                form.add_error("name", ERROR_ACTIVITY_NAME)
                valid = False
        return valid

    def has_errors(self) -> bool:
        return bool(self.form.errors) or any(
            formset.total_error_count() for formset in self.all_formsets()
        )

    # -------------------------------------------------------------- save

    def rows(self) -> dict:
        """The keyword arguments of :func:`budgets.services.project_sheet_save`
        (all but ``user``): the sheet, its alignment, the rows to write and
        those to delete. Stored rows the user left as they were are not
        written again (no history row, no ``edit_version`` bump)."""
        created = self.project.pk is None
        project = self.form.save(commit=False)
        alignment = {
            name: self.form.cleaned_data.get(name) or []
            for name in ("strategies", "goals", "indicators", "policy_items")
        }
        parts, deleted_parts = [], []
        for formset in self.parts.values():
            formset.save(commit=False)
            deleted_parts += list(formset.deleted_objects)
            parts += [form.instance for form, changed in formset.numbered() if changed]
        activities = []
        self.activities.save(commit=False)
        for form, changed in self.activities.numbered():
            form.lines.save(commit=False)
            activities.append(
                services.ActivityRows(
                    activity=form.instance,
                    changed=changed,
                    lines=[
                        line.instance for line, moved in form.lines.numbered() if moved
                    ],
                    deleted_lines=list(form.lines.deleted_objects),
                )
            )
        subactivities, deleted_subs = self._sub_rows()
        fresh = [project, *parts] + [
            obj
            for rows in (*activities, *subactivities)
            for obj in (rows.activity, *rows.lines)
        ]
        self._fresh = [obj for obj in fresh if obj.pk is None]
        return {
            "project": project,
            "created": created,
            "alignment": alignment,
            "parts": parts,
            "deleted_parts": deleted_parts,
            "activities": activities,
            "subactivities": subactivities,
            "deleted_activities": [*deleted_subs, *self.activities.deleted_objects],
        }

    def _sub_rows(self):
        """The sub-activities to write, each with the activity it goes under
        (``move_to``, else the one it is listed under), and those removed.

        The sub-activities of a removed activity go with it (the database
        deletes them with their parent) unless they are moved elsewhere.
        """
        rows, deleted = [], []
        removed = {id(form.instance) for form in self.activities.deleted_forms}
        for form in self.activities.forms:
            subs = form.subs
            subs.save(commit=False)
            deleted += [
                sub for sub in subs.deleted_objects if id(form.instance) not in removed
            ]
            for sub, changed in subs.numbered():
                target = sub.cleaned_data.get("move_to")
                if id(form.instance) in removed and target is None:
                    continue
                sub.lines.save(commit=False)
                rows.append(
                    services.ActivityRows(
                        activity=sub.instance,
                        changed=changed or target is not None,
                        lines=[
                            line.instance
                            for line, moved in sub.lines.numbered()
                            if moved
                        ],
                        deleted_lines=list(sub.lines.deleted_objects),
                        parent=target or form.instance,
                    )
                )
        return rows, deleted

    def rolled_back(self) -> None:
        """After a refused save: the rows the save gave an id are new again,
        so the page shows them as unsaved (and a second try inserts them)."""
        for obj in getattr(self, "_fresh", []):
            obj.pk = None
            obj._state.adding = True
