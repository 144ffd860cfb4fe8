"""Form pieces shared by every screen that edits an indicator."""

from django import forms

from plans.indicators import LEVELS


class LevelCriteriaMixin:
    """Five "เกณฑ์ระดับ N" text fields for a ModelForm of an indicator, kept
    in the model's one ``level_criteria`` list.

    Five labelled fields rather than a JSON box: the planner types a
    criterion per level, and an error can point at the first one. The model's
    ``clean_levels`` (run by the ModelForm's instance validation) decides
    whether they are complete; its error is shown on ระดับ 1, since the form
    has no ``level_criteria`` field to hang it on.
    """

    criterion_widget = forms.Textarea(attrs={"rows": 2})

    def add_level_fields(self) -> None:
        stored = list(self.instance.level_criteria or [])
        for level in LEVELS:
            self.fields[f"criterion_{level}"] = forms.CharField(
                label=f"เกณฑ์ระดับ {level}",
                required=False,
                max_length=1000,
                widget=self.criterion_widget,
                initial=stored[level - 1] if level <= len(stored) else "",
                help_text="กรอกเมื่อหน่วยวัดเป็น “ระดับความสำเร็จ (5 ระดับ)”"
                if level == 1
                else "",
            )

    def criteria_from_fields(self) -> None:
        texts = [
            (self.cleaned_data.get(f"criterion_{level}") or "").strip()
            for level in LEVELS
        ]
        self.instance.level_criteria = texts if any(texts) else []

    def _update_errors(self, errors):
        error_dict = getattr(errors, "error_dict", None)
        if error_dict and "level_criteria" in error_dict:
            self.add_error("criterion_1", error_dict.pop("level_criteria"))
        super()._update_errors(errors)
