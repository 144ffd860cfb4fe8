"""Read-side queries for offices and people, used by views and reports."""

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch

from core.models import GroupHeadAssignment, OfficeGroup, Organization


@dataclass(frozen=True)
class GroupRow:
    group: OfficeGroup
    head: GroupHeadAssignment | None
    member_count: int


def group_rows(
    organization: Organization, on: datetime.date | None = None
) -> list[GroupRow]:
    """Each active group of ``organization`` with its head in force on ``on``.

    Two queries whatever the number of groups.
    """
    from django.db.models import Count, Q

    heads = GroupHeadAssignment.objects.in_force(on).select_related("person")
    groups = (
        OfficeGroup.objects.filter(organization=organization, is_active=True)
        .annotate(member_count=Count("members", filter=Q(members__is_active=True)))
        .prefetch_related(Prefetch("head_assignments", queryset=heads, to_attr="heads"))
        .order_by("order", "name")
    )
    rows = []
    for group in groups:
        # A permanent head wins over an acting one (Kind values sort that way).
        ordered = sorted(group.heads, key=lambda a: (a.kind, -a.start_date.toordinal()))
        rows.append(
            GroupRow(group, ordered[0] if ordered else None, group.member_count)
        )
    return rows


def needs_first_office(user) -> bool:
    """True for a superuser of an install that has no office yet: the home
    page then points to the first-run page (``core:setup_office``)."""
    return bool(
        getattr(user, "is_superuser", False) and not Organization.objects.exists()
    )
