from django.apps import AppConfig, apps
from django.contrib.auth.signals import user_logged_in
from django.db.models import IntegerField
from django.db.models.signals import post_migrate

from core.lookups import IntegerFieldIn
from core.middleware import stamp_session_at_login
from core.reference import connect_guards


def _sync_roles(sender, **kwargs) -> None:
    # post_migrate is sent once per app, in INSTALLED_APPS order, and each
    # app's permissions are created on its own turn: wait for the last app.
    with_models = [app for app in apps.get_app_configs() if app.models_module]
    if sender is not with_models[-1]:
        return
    from core.roles import sync_roles  # reads auth models: after the registry is ready

    sync_roles()


class CoreConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "core"
    verbose_name = "สำนักงานและบุคลากร"

    def ready(self) -> None:
        # Framework wiring only: role groups follow the permissions that
        # migrate has just created.
        post_migrate.connect(_sync_roles, dispatch_uid="core_sync_roles")
        # Huge ids in ``__in`` lists match nothing instead of crashing SQLite.
        IntegerField.register_lookup(IntegerFieldIn)
        # Reference data in use is retired, never deleted (core.reference).
        connect_guards()
        # An active login's session expiry slides from the login on.
        user_logged_in.connect(stamp_session_at_login, dispatch_uid="core_session")
