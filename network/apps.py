from django.apps import AppConfig


class NetworkConfig(AppConfig):
    """Pages across offices for the network's overseers (issue 20): they read
    budgets, progress and plans of many offices, so the app sits above
    reports and below home (whose dashboard shows an office the network's
    median)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "network"
    verbose_name = "เครือข่ายสำนักงาน"
