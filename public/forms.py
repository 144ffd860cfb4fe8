from django import forms

from public.models import SLUG_VALIDATOR


class PublicSettingsForm(forms.Form):
    """The office's public address and the years it publishes."""

    slug = forms.CharField(
        label="ชื่อที่อยู่หน้าเผยแพร่",
        max_length=40,
        validators=[SLUG_VALIDATOR],
        help_text="อักษรภาษาอังกฤษตัวเล็ก ตัวเลข และขีดกลาง เป็นส่วนท้ายของที่อยู่หน้าเผยแพร่ "
        "ที่เว็บไซต์ของสำนักงานนำไปลิงก์ได้ตลอดไป",
    )
    years = forms.TypedMultipleChoiceField(
        label="ปีงบประมาณที่เผยแพร่",
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="แสดงเฉพาะปีที่แผนได้รับอนุมัติแล้ว และเฉพาะโครงการที่อนุมัติ",
    )

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["years"].choices = [
            (year, f"ปีงบประมาณ พ.ศ. {year}") for year in years
        ]
