from django.apps import AppConfig


class ExcelConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "excel"
    verbose_name = "นำเข้าและส่งออก Excel"
