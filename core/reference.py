"""Shared reference data (standard groups, policy items, expense categories,
budget sources): every office reads it, so only superusers change it, and a
row in use is retired (``is_active``), never deleted.

Deleting a policy item used to drop its many-to-many links from approved
projects and strategies without a word (a link has no ``on_delete``), and a
standard group's offices lost their link (``SET_NULL``). Foreign keys to
reference data are ``PROTECT`` now; for links that Django would still
remove quietly, :func:`refuse_delete_in_use` runs before every delete (admin,
shell, queryset) and refuses with a Thai message naming what uses the row.
"""

from django.db import models
from django.db.models.deletion import ProtectedError
from django.db.models.signals import pre_delete

ERROR_IN_USE = (
    "ลบ “{item}” ไม่ได้ เพราะยังมีข้อมูลอ้างถึง: {uses} กรุณาตั้งเป็นเลิกใช้ (ไม่ติ๊ก “ใช้งาน”) แทนการลบ"
)
#: Models guarded by :func:`refuse_delete_in_use` (``app_label.Model``).
REFERENCE_MODELS = (
    "core.StandardGroup",
    "plans.PolicyItem",
    "budgets.ExpenseCategory",
    "budgets.BudgetSource",
)
#: At most this many users of a row are named in a message.
MAX_NAMED = 10


def quiet_uses(obj) -> list[models.Model]:
    """Rows whose link to ``obj`` a delete would remove or blank without a
    word: many-to-many links and ``CASCADE``/``SET_NULL`` foreign keys
    (``PROTECT`` ones already refuse by themselves)."""
    found = []
    for relation in obj._meta.related_objects:
        if not relation.many_to_many and relation.on_delete is models.PROTECT:
            continue
        model = relation.related_model
        found += model._default_manager.filter(**{relation.field.name: obj})[:MAX_NAMED]
    return found


def describe(rows) -> list[str]:
    return [f"{row._meta.verbose_name} “{row}”" for row in rows]


def refuse_delete_in_use(sender, instance, **kwargs) -> None:
    uses = quiet_uses(instance)
    if uses:
        text = ERROR_IN_USE.format(item=instance, uses=", ".join(describe(uses)))
        raise ProtectedError(text, set(uses))


def connect_guards() -> None:
    for label in REFERENCE_MODELS:
        pre_delete.connect(
            refuse_delete_in_use,
            sender=label,
            dispatch_uid=f"reference_in_use_{label}",
        )


class ReferenceDataAdminMixin:
    """Only superusers add, change or delete; a row in use shows the admin's
    "cannot delete, these rows are protected" page instead of a deletion."""

    def has_add_permission(self, request, *args):
        return request.user.is_superuser and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_delete_permission(request, obj)

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(
            objs, request
        )
        protected = list(protected)
        for obj in objs:
            protected += describe(quiet_uses(obj))
        return deleted, counts, perms_needed, protected
