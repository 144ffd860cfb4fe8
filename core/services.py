"""Writes that touch more than one model, and the bulk writes of the apps.

The bulk helpers are the one way an app writes many rows at once (the Excel
import): like a row-by-row ``save()`` they write a history row per object
with the acting user and bump ``edit_version`` of versioned models, which a
plain ``bulk_create``/``bulk_update``/``QuerySet.update`` silently skips.
The rules (envelope, approval and round locks, permissions) stay with each
app's services, which validate before calling these.
"""

from django.db import transaction
from simple_history.exceptions import NotHistoricalModelError
from simple_history.utils import (
    bulk_create_with_history,
    bulk_update_with_history,
    get_history_manager_for_model,
)

from core.locking import VersionedModel
from core.models import OfficeGroup, Organization, StandardGroup
from core.roles import Role


def _has_history(model) -> bool:
    try:
        get_history_manager_for_model(model)
    except NotHistoricalModelError:
        return False
    return True


def rows_create(model, objs: list, *, user=None, reason: str = "") -> list:
    """Insert ``objs`` in batches, each with its "created" history row."""
    if not objs:
        return []
    if not _has_history(model):
        return model._default_manager.bulk_create(objs, batch_size=500)
    return bulk_create_with_history(
        objs,
        model,
        batch_size=500,
        default_user=user,
        default_change_reason=reason or None,
    )


def rows_update(model, objs: list, fields, *, user=None, reason: str = "") -> int:
    """Update ``fields`` of ``objs`` in batches, each with its "changed"
    history row; a versioned model's ``edit_version`` goes up by one, as a
    ``save()`` would, so a form opened before the write sees the conflict."""
    if not objs:
        return 0
    fields = set(fields)
    if issubclass(model, VersionedModel):
        for obj in objs:
            obj.edit_version = (obj.edit_version or 0) + 1
        fields.add("edit_version")
    if not _has_history(model):
        return model._default_manager.bulk_update(objs, sorted(fields), batch_size=100)
    # Small batches: bulk_update builds one CASE per field and batch, which
    # grows much slower than linearly with the batch size.
    return bulk_update_with_history(
        objs,
        model,
        sorted(fields),
        batch_size=100,
        default_user=user,
        default_change_reason=reason or None,
    )


def rows_delete(model, objs: list, *, user=None, reason: str = "") -> None:
    """Delete ``objs`` one by one so each writes its "deleted" history row
    with ``user`` (a ``QuerySet.delete()`` records no user); what they
    cascade to is deleted with them."""
    if not _has_history(model):  # link tables: nothing to record
        pks = [obj.pk for obj in objs]
        for start in range(0, len(pks), 500):
            model._default_manager.filter(pk__in=pks[start : start + 500]).delete()
        return
    for obj in objs:
        obj._history_user = user
        if reason:
            obj._change_reason = reason
        obj.delete()


@transaction.atomic
def organization_add_standard_groups(*, organization: Organization) -> int:
    """Give ``organization`` every standard group it lacks; returns how many.

    Idempotent: groups already linked to a standard group are left alone;
    retired standard groups are not added.
    """
    have = set(
        OfficeGroup.objects.filter(organization=organization).values_list(
            "standard_id", flat=True
        )
    )
    created = [
        OfficeGroup(
            organization=organization,
            standard=standard,
            name=standard.name,
            short_name=standard.short_name,
            order=standard.order,
        )
        for standard in StandardGroup.objects.filter(is_active=True).exclude(
            pk__in=have
        )
    ]
    rows_create(OfficeGroup, created)
    return len(created)


def login_sync_admin_access(*, user) -> bool:
    """Let ``user`` into the admin screens exactly when a role of theirs works
    there (``Role.ADMIN_SCREENS``); returns the new ``is_staff``.

    An office admin gives roles, never the flag itself: the flag follows the
    roles, so it cannot be used to open the admin to a login without one.
    Superusers keep whatever a superuser set.
    """
    if user.is_superuser:
        return user.is_staff
    staff = user.groups.filter(name__in=Role.ADMIN_SCREENS).exists()
    if user.is_staff != staff:
        user.is_staff = staff
        user.save(update_fields=["is_staff"])
    return staff
