"""Form pieces shared by every screen that edits an indicator."""

from django import forms

from plans.indicators import LEVELS


def _criterion_field(level: int) -> forms.CharField:
    return forms.CharField(
        label=f"เกณฑ์ระดับ {level}",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="กรอกเมื่อหน่วยวัดเป็น “ระดับความสำเร็จ (5 ระดับ)”" if level == 1 else "",
    )


class LevelErrorsMixin:
    """Shows the model's ``level_criteria`` error on a form field.

    ``IndicatorFields.clean_levels`` (run by the ModelForm's instance
    validation) reports on ``level_criteria``, which no form has as such: a
    form with the five criterion fields shows it on ระดับ 1, one without them
    (the admin's inline rows) on the unit. Unmapped, Django would raise
    ``ValueError`` (a server error) instead of showing it.
    """

    def _update_errors(self, errors):
        error_dict = getattr(errors, "error_dict", None)
        if error_dict and "level_criteria" in error_dict:
            field = "criterion_1" if "criterion_1" in self.fields else "unit"
            self.add_error(field, error_dict.pop("level_criteria"))
        super()._update_errors(errors)


class LevelErrorsModelForm(LevelErrorsMixin, forms.ModelForm):
    """For a list of indicators edited without their criteria (an inline)."""


class LevelCriteriaForm(LevelErrorsMixin, forms.Form):
    """Five "เกณฑ์ระดับ N" fields for a ModelForm of an indicator, kept in
    the model's one ``level_criteria`` list; put it first among the bases
    (``class KPIForm(LevelCriteriaForm, forms.ModelForm)``).

    Five labelled fields rather than a JSON box: the planner types a
    criterion per level, and an error can point at the first one. They are
    declared fields so that the admin, which lays out a form's declared
    fields, shows them too.
    """

    criterion_1 = _criterion_field(1)
    criterion_2 = _criterion_field(2)
    criterion_3 = _criterion_field(3)
    criterion_4 = _criterion_field(4)
    criterion_5 = _criterion_field(5)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        stored = list(getattr(instance, "level_criteria", None) or [])
        for level, text in zip(LEVELS, stored, strict=False):
            self.initial.setdefault(f"criterion_{level}", text)

    def _post_clean(self):
        # Before the ModelForm's own _post_clean validates the instance.
        texts = [
            (self.cleaned_data.get(f"criterion_{level}") or "").strip()
            for level in LEVELS
        ]
        self.instance.level_criteria = texts if any(texts) else []
        super()._post_clean()
