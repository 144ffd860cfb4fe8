from django.apps import AppConfig


class HomeConfig(AppConfig):
    """The landing page: it reads every app below it and no app reads it."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "home"
    verbose_name = "หน้าแรก"
