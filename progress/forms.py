"""Forms for the group's reporting screen: per project one report form plus two
formsets (activities, KPIs), each under its own prefix ``p<project id>``."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django import forms
from django.core.exceptions import ValidationError

from core.forms import FiscalYearChoiceField, ThaiDateField, ThaiDecimalField
from plans.indicators import LEVELS
from progress.models import (
    PERCENT_VALIDATORS,
    ActivityProgress,
    KeptEvidence,
    ProgressReport,
    ReportEvent,
    clean_level_evidence,
    parse_kpi_actual,
)
from progress.services import (
    ERROR_FOREIGN_ACTIVITY,
    ERROR_FOREIGN_KPI,
    ERROR_KEPT_NOT_YOURS,
    ERROR_SUBMIT_NEEDS_OUTPUT,
)
from progress.validators import ACCEPT, HELP_TEXT, evidence_kind

TEXTAREA = {"rows": 3, "style": "max-width:100%"}

ERROR_PERCENT_REQUIRED = (
    "กรุณากรอกร้อยละความก้าวหน้า 0 ถึง 100 (เว้นว่างได้เมื่อโครงการยังไม่ดำเนินการ)"
)


class ReportForm(forms.Form):
    status = forms.ChoiceField(
        label="สถานะการดำเนินงาน", choices=ProgressReport.Status.choices
    )
    # Blank is allowed only for a project not started yet (checked in
    # clean()): its report has no progress to give, and a typed 0 would be a
    # figure nobody measured. It is stored as 0, the model's "nothing yet".
    percent_complete = ThaiDecimalField(
        label="ร้อยละความก้าวหน้า",
        required=False,
        validators=PERCENT_VALIDATORS,
    )
    output_progress = forms.CharField(
        label="ความก้าวหน้าต่อเป้าหมายเชิงผลผลิต (Output)",
        required=False,
        widget=forms.Textarea(attrs=TEXTAREA),
    )
    outcome_progress = forms.CharField(
        label="ความก้าวหน้าต่อเป้าหมายเชิงผลลัพธ์ (Outcome)",
        required=False,
        widget=forms.Textarea(attrs=TEXTAREA),
    )
    problems = forms.CharField(
        label="ปัญหาอุปสรรค", required=False, widget=forms.Textarea(attrs=TEXTAREA)
    )
    suggestions = forms.CharField(
        label="ข้อเสนอแนะ", required=False, widget=forms.Textarea(attrs=TEXTAREA)
    )
    #: The report's ``edit_version`` when the screen was opened (-1: no report
    #: yet); a save after someone else's is refused (see core.locking).
    opened_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean_percent_complete(self) -> Decimal | None:
        value = self.cleaned_data["percent_complete"]
        if value is None:
            return None
        return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    def clean(self):
        cleaned = super().clean()
        if "percent_complete" in cleaned and cleaned["percent_complete"] is None:
            if cleaned.get("status") == ProgressReport.Status.NOT_STARTED:
                cleaned["percent_complete"] = Decimal("0.00")
            else:
                self.add_error("percent_complete", ERROR_PERCENT_REQUIRED)
        return cleaned


class ActivityProgressForm(forms.Form):
    activity = forms.IntegerField(widget=forms.HiddenInput)
    state = forms.ChoiceField(
        label="ผลการดำเนินงาน", choices=ActivityProgress.State.choices
    )
    note = forms.CharField(label="รายละเอียดโดยย่อ", max_length=500, required=False)
    on_date = ThaiDateField(label="วันที่", required=False)

    def __init__(self, *args, activities: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.activities = activities

    def clean_activity(self) -> int:
        value = self.cleaned_data["activity"]
        if value not in self.activities:
            raise ValidationError(ERROR_FOREIGN_ACTIVITY, code="foreign_activity")
        return value

    @property
    def activity_object(self):
        value = self["activity"].value()
        try:
            return self.activities.get(int(value))
        except (TypeError, ValueError):
            return None


VERDICT_CHOICES = [("", "ยังไม่ประเมิน"), ("met", "บรรลุ"), ("not_met", "ไม่บรรลุ")]
VERDICT_VALUES = {"": None, "met": True, "not_met": False}


def verdict_choice(value: bool | None) -> str:
    """The form's choice for a stored verdict (``True``/``False``/``None``)."""
    return {True: "met", False: "not_met"}.get(value, "")


class KPIActualForm(forms.Form):
    kpi = forms.IntegerField(widget=forms.HiddenInput)
    actual = forms.CharField(label="ผลการดำเนินงาน", max_length=500, required=False)
    verdict = forms.ChoiceField(
        label="ผลการประเมิน",
        choices=VERDICT_CHOICES,
        required=False,
        help_text="สำหรับผลเชิงข้อความหรือระดับ: นับว่าบรรลุเมื่อเลือก “บรรลุ” เท่านั้น",
    )

    def __init__(self, *args, kpis: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.kpis = kpis
        # Evidence per level (issue 21 item 5): shown only for a
        # success-level KPI, ignored for any other.
        for level in LEVELS:
            self.fields[f"evidence_{level}"] = forms.CharField(
                label=f"หลักฐานระดับ {level}", max_length=500, required=False
            )

    def clean_kpi(self) -> int:
        value = self.cleaned_data["kpi"]
        if value not in self.kpis:
            raise ValidationError(ERROR_FOREIGN_KPI, code="foreign_kpi")
        return value

    def clean(self):
        cleaned = super().clean()
        kpi = self.kpis.get(cleaned.get("kpi"))
        if kpi is not None and "actual" in cleaned:
            try:
                value, text = parse_kpi_actual(kpi, cleaned["actual"])
            except ValidationError as error:
                self.add_error("actual", error)
            else:
                cleaned["actual_value"], cleaned["actual_text"] = value, text
                self._clean_level_evidence(kpi, cleaned)
        if "verdict" in cleaned:
            cleaned["achieved_verdict"] = VERDICT_VALUES[cleaned["verdict"]]
        return cleaned

    def _clean_level_evidence(self, kpi, cleaned) -> None:
        texts = [cleaned.get(f"evidence_{level}", "") for level in LEVELS]
        try:
            cleaned["level_evidence"] = clean_level_evidence(
                kpi, cleaned["actual_value"], texts
            )
        except ValidationError as error:
            self.add_error("actual", error)

    @property
    def needs_verdict(self) -> bool:
        """A text KPI, or one whose target is not a number, is judged by the
        verdict the group records (numbers judge themselves)."""
        kpi = self.kpi_object
        return kpi is not None and (not kpi.is_numeric or kpi.target_value is None)

    def level_fields(self) -> list[tuple[int, str, forms.BoundField]]:
        """(level, criterion, evidence field) for a success-level KPI's table
        of the five criteria; empty for any other KPI."""
        kpi = self.kpi_object
        if kpi is None or not kpi.is_success_level:
            return []
        return [
            (level, criterion, self[f"evidence_{level}"])
            for level, criterion in zip(LEVELS, kpi.level_criteria, strict=False)
        ]

    @property
    def kpi_object(self):
        value = self["kpi"].value()
        try:
            return self.kpis.get(int(value))
        except (TypeError, ValueError):
            return None

    @property
    def target_label(self) -> str:
        kpi = self.kpi_object
        return kpi.target_display(kpi.unit, kpi.unit_label) if kpi else ""


ActivityFormSet = forms.formset_factory(ActivityProgressForm, extra=0)
KPIFormSet = forms.formset_factory(KPIActualForm, extra=0)


ERROR_FILES_AGAIN = (
    "ไฟล์หลักฐานที่เลือกไว้ {count} ไฟล์ยังไม่ได้แนบ (ยังไม่ได้บันทึกครั้งนี้) กรุณาเลือกไฟล์อีกครั้งหลังแก้ไข"
)


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class EvidenceFilesField(forms.FileField):
    """Several files from one ``<input type=file multiple>``; each is checked
    by :func:`progress.validators.evidence_kind`, and a refusal names the
    file it is about (the user picked several at once)."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        items = data if isinstance(data, list | tuple) else [data] if data else []
        files, errors = [], []
        for item in items:
            try:
                file = super().clean(item, initial)
                evidence_kind(file)
            except ValidationError as error:
                name = getattr(item, "name", "")
                errors += [f"“{name}”: {message}" for message in error.messages]
            else:
                files.append(file)
        if errors:
            raise ValidationError(errors, code="evidence")
        return files


class KeptFilesField(forms.ModelMultipleChoiceField):
    """Kept files (``KeptEvidence``) by id, among the user's own only: an id
    of someone else's, or one pruned meanwhile, is refused in Thai."""

    def __init__(self, **kwargs):
        super().__init__(
            queryset=KeptEvidence.objects.none(),
            required=False,
            error_messages={
                "invalid_choice": ERROR_KEPT_NOT_YOURS,
                "invalid_pk_value": ERROR_KEPT_NOT_YOURS,
                "invalid_list": ERROR_KEPT_NOT_YOURS,
            },
            **kwargs,
        )


class EvidenceFilesForm(forms.Form):
    """The evidence picker inside a project's card on the group screen: the
    files are attached by the same save (or submit) as the report.

    ``kept`` lists the files kept from a refused save (ไฟล์ที่แนบไว้แล้ว,
    posted back as hidden ids so the corrected save attaches them) and
    ``kept_remove`` the ones the user ticked "ลบ"; both choose among
    ``kept``, the user's own kept files of this round and project.
    """

    evidence = EvidenceFilesField(
        label="แนบหลักฐาน (เลือกได้หลายไฟล์)",
        required=False,
        help_text=HELP_TEXT,
        widget=MultipleFileInput(attrs={"accept": ACCEPT}),
    )
    kept = KeptFilesField(label="ไฟล์ที่แนบไว้แล้ว", widget=forms.MultipleHiddenInput)
    kept_remove = KeptFilesField(
        label="ลบไฟล์ที่แนบไว้", widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, kept=None, **kwargs):
        super().__init__(*args, **kwargs)
        queryset = kept if kept is not None else KeptEvidence.objects.none()
        for name in ("kept", "kept_remove"):
            self.fields[name].queryset = queryset

    def kept_files(self) -> list:
        """The kept files to attach: those posted, less those removed (read
        once: the save deletes them, and its message still counts them)."""
        if not self.is_valid():
            return []
        if not hasattr(self, "_kept_files"):
            removed = {item.pk for item in self.cleaned_data["kept_remove"]}
            self._kept_files = [
                item for item in self.cleaned_data["kept"] if item.pk not in removed
            ]
        return self._kept_files

    def kept_listed(self) -> list:
        """What the card lists as ไฟล์ที่แนบไว้แล้ว: every kept file of the
        user's for this report (the re-shown page after a refused save)."""
        return list(self.fields["kept"].queryset)


class EvidenceForm(forms.Form):
    file = forms.FileField(
        label="ไฟล์หลักฐาน",
        help_text=HELP_TEXT,
        widget=forms.FileInput(attrs={"accept": ACCEPT}),
        error_messages={"required": "กรุณาเลือกไฟล์", "empty": "ไฟล์ว่างเปล่า"},
    )
    caption = forms.CharField(label="คำบรรยาย", max_length=500, required=False)

    def clean_file(self):
        file = self.cleaned_data["file"]
        evidence_kind(file)
        return file


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label="สิ่งที่ต้องแก้ไข",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "กรุณาระบุสิ่งที่ต้องแก้ไขเมื่อส่งรายงานกลับ"},
    )


# ------------------------------------------------------------------ bundles


def _evidence_initial(actual) -> dict:
    texts = list(actual.level_evidence or []) if actual is not None else []
    return {
        f"evidence_{level}": texts[level - 1] if level <= len(texts) else ""
        for level in LEVELS
    }


def _initial(report: ProgressReport | None, project) -> tuple[dict, list, list]:
    """Initial values from ``report`` (this round's or the previous one)."""
    # A first report starts as "not started", with no percent typed for it.
    fields = {"status": ProgressReport.Status.NOT_STARTED, "percent_complete": None}
    done, actuals = {}, {}
    if report is not None:
        fields = {
            "status": report.status,
            "percent_complete": report.percent_complete,
            "output_progress": report.output_progress,
            "outcome_progress": report.outcome_progress,
            "problems": report.problems,
            "suggestions": report.suggestions,
        }
        done = {item.activity_id: item for item in report.activity_progress.all()}
        actuals = {item.kpi_id: item for item in report.kpi_actuals.all()}
    activities = []
    for activity in project.activities.all():
        item = done.get(activity.pk)
        activities.append(
            {
                "activity": activity.pk,
                "state": item.state if item else ActivityProgress.State.NOT_STARTED,
                "note": item.note if item else "",
                "on_date": item.on_date if item else None,
            }
        )
    kpis = [
        {
            "kpi": kpi.pk,
            "actual": actuals[kpi.pk].display_value if kpi.pk in actuals else "",
            "verdict": verdict_choice(actuals[kpi.pk].achieved_verdict)
            if kpi.pk in actuals
            else "",
            **_evidence_initial(actuals.get(kpi.pk)),
        }
        for kpi in project.kpis.all()
    ]
    return fields, activities, kpis


@dataclass
class ProjectBundle:
    """One project on the group screen: its report, forms and review notes."""

    project: object
    report: ProgressReport | None
    previous: ProgressReport | None
    editable: bool
    form: ReportForm | None = None
    activity_formset: forms.BaseFormSet | None = None
    kpi_formset: forms.BaseFormSet | None = None
    evidence_form: EvidenceFilesForm | None = None
    #: Asked to submit by this POST (its button, or "submit all").
    submit: bool = False

    @property
    def prefix(self) -> str:
        return f"p{self.project.pk}"

    @property
    def state(self) -> str:
        return self.report.state if self.report else "missing"

    @property
    def is_returned(self) -> bool:
        return self.state == ProgressReport.State.RETURNED

    @property
    def return_comment(self) -> str:
        """The planner's comment on the latest return."""
        if self.report is None:
            return ""
        returns = [
            event
            for event in self.report.events.all()
            if event.action == ReportEvent.Action.RETURN
        ]
        return returns[-1].comment if returns else ""

    def has_changed(self) -> bool:
        """Only projects the user touched are saved (and get a history entry).

        The hidden ``opened_version`` is bookkeeping, not something typed.
        """
        typed = [name for name in self.form.changed_data if name != "opened_version"]
        return bool(typed) or any(
            part.has_changed() for part in (self.activity_formset, self.kpi_formset)
        )

    @property
    def chosen_files(self) -> list:
        name = self.evidence_form["evidence"].html_name
        return self.evidence_form.files.getlist(name)

    def wants_saving(self) -> bool:
        return bool(
            self.has_changed()
            or self.submit
            or self.chosen_files
            or self.evidence_form["kept"].value()
            or self.evidence_form["kept_remove"].value()
        )

    def is_valid(self) -> bool:
        # Evaluate every part so every error shows at once.
        parts = (
            self.form,
            self.activity_formset,
            self.kpi_formset,
            self.evidence_form,
        )
        results = [part.is_valid() for part in parts]
        if self.submit and self.form.is_valid():
            # The service's own rule, checked here too so it shows under the
            # field before anything is written.
            cleaned = self.form.cleaned_data
            started = cleaned["status"] != ProgressReport.Status.NOT_STARTED
            if started and not cleaned["output_progress"].strip():
                self.form.add_error("output_progress", ERROR_SUBMIT_NEEDS_OUTPUT)
                results.append(False)
        return all(results)

    def errors(self) -> list[tuple[str, str, str]]:
        """Every error of the project as ``(anchor id, where, message)``, for
        the summary at the top of the screen that links to each field."""
        name = self.project.name
        card = f"project-{self.project.pk}"
        found = [(card, name, message) for message in self.form.non_field_errors()]
        for field in self.form.visible_fields():
            found += [
                (field.auto_id, f"{name} · {field.label}", message)
                for message in field.errors
            ]
        rows = [
            (form, form.activity_object, "กิจกรรม")
            for form in self.activity_formset.forms
        ] + [(form, form.kpi_object, "ตัวชี้วัด") for form in self.kpi_formset.forms]
        for form, item, kind in rows:
            for message in form.non_field_errors():
                found.append((card, f"{name} · {kind}", message))
            for field in form.hidden_fields():
                found += [
                    (card, f"{name} · {kind}", message) for message in field.errors
                ]
            for field in form.visible_fields():
                where = f"{name} · {kind} {getattr(item, 'name', '')} · {field.label}"
                found += [(field.auto_id, where, message) for message in field.errors]
        for formset in (self.activity_formset, self.kpi_formset):
            found += [(card, name, message) for message in formset.non_form_errors()]
        for field in ("evidence", "kept", "kept_remove"):
            evidence = self.evidence_form[field]
            found += [
                (evidence.auto_id or card, f"{name} · หลักฐาน", message)
                for message in evidence.errors
            ]
        return found

    def draft_values(self) -> dict:
        """Everything that validated, even when other fields did not."""
        self.is_valid()
        fields = dict(self.form.cleaned_data)
        expected = fields.pop("opened_version", None)
        activities = {}
        for form in self.activity_formset.forms:
            data = dict(form.cleaned_data)
            activity_id = data.pop("activity", None)
            if activity_id is not None:
                activities[activity_id] = data
        kpis = {}
        for form in self.kpi_formset.forms:
            data = form.cleaned_data
            if data.get("kpi") is not None and "actual_value" in data:
                kpis[data["kpi"]] = {
                    "actual_value": data["actual_value"],
                    "actual_text": data["actual_text"],
                    "achieved_verdict": data.get("achieved_verdict"),
                    "level_evidence": data.get("level_evidence", []),
                }
        return {
            "fields": fields,
            "activities": activities,
            "kpis": kpis,
            "expected_version": expected,
        }


def build_bundle(
    project, report, previous, editable: bool, data=None, files=None, kept=None
) -> ProjectBundle:
    bundle = ProjectBundle(project, report, previous, editable)
    if not editable:
        return bundle
    fields, activities, kpis = _initial(report or previous, project)
    fields["opened_version"] = report.edit_version if report is not None else -1
    prefix = bundle.prefix
    bundle.form = ReportForm(data, prefix=prefix, initial=fields)
    bundle.activity_formset = ActivityFormSet(
        data,
        prefix=f"{prefix}-act",
        initial=activities,
        form_kwargs={"activities": {a.pk: a for a in project.activities.all()}},
    )
    bundle.kpi_formset = KPIFormSet(
        data,
        prefix=f"{prefix}-kpi",
        initial=kpis,
        form_kwargs={"kpis": {k.pk: k for k in project.kpis.all()}},
    )
    bundle.evidence_form = EvidenceFilesForm(data, files, prefix=prefix, kept=kept)
    return bundle


class RoundCreateForm(forms.Form):
    """The year whose four reporting rounds the planner creates: this year,
    next, or a past one (an office starting with Phaen enters last year's
    results)."""

    fiscal_year = FiscalYearChoiceField()
