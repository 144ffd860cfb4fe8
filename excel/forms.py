from django import forms

from core.forms import FiscalYearField
from core.thai import current_fiscal_year
from excel import workbook


class UploadForm(forms.Form):
    """A workbook and the fiscal year it is for; size and format checked here."""

    fiscal_year = FiscalYearField()
    file = forms.FileField(
        label="ไฟล์ Excel (.xlsx) หรือ LibreOffice (.ods)",
        error_messages={"required": "กรุณาเลือกไฟล์", "empty": workbook.ERROR_EMPTY_FILE},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fiscal_year"].initial = current_fiscal_year()

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if uploaded.size > workbook.MAX_BYTES:
            raise forms.ValidationError(workbook.ERROR_TOO_LARGE, code="too_large")
        head = uploaded.read(4)
        uploaded.seek(0)
        if head != workbook.ZIP_MAGIC:
            raise forms.ValidationError(workbook.ERROR_NOT_XLSX, code="not_xlsx")
        return uploaded


class FiscalYearForm(forms.Form):
    fiscal_year = FiscalYearField()


class ConfirmForm(forms.Form):
    """The confirm of a previewed plan import.

    The envelope and budget rules are warnings in the preview; confirming
    past them takes this explicit tick, which the import records in the
    history of every row it writes."""

    override_budget_rules = forms.BooleanField(
        label="ยืนยันนำเข้าแม้เกินกรอบวงเงิน", required=False
    )
