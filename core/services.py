"""Writes that touch more than one model."""

from django.db import transaction

from core.models import OfficeGroup, Organization, StandardGroup


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
