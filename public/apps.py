from django.apps import AppConfig


class PublicConfig(AppConfig):
    """What an office publishes for everyone (issue 21): its public plan page
    and the ITA disclosure pack. It reads plans, money, progress and the
    stored documents of ``reports`` and the workbook toolkit, so it sits
    beside ``network``: above reports and excel, below home."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "public"
    verbose_name = "เผยแพร่ต่อสาธารณะ"
