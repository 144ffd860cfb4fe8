from django.apps import AppConfig

from reports import tagpages, textlayer, uastyles


class ReportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reports"
    verbose_name = "รายงาน"

    def ready(self) -> None:
        # WeasyPrint 70.0 maps a glyph to the first text it was drawn for, so
        # copied or searched Thai reads "กำร" for "การ": patch it once per process
        # (web, commands and the PDF worker processes all set Django up).
        textlayer.install()
        # Tagged PDFs looked up every page's reference once per element.
        tagpages.install()
        # Styles for the marker, footnote and note pseudo-elements of every
        # element: a tenth of a long book's render time, none of them drawn.
        uastyles.install()
