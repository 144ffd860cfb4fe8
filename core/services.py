"""Writes that touch more than one model."""

from django.db import transaction

from core.models import OfficeGroup, Organization, StandardGroup
from core.roles import Role


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
    OfficeGroup.objects.bulk_create(created)
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
