"""Read-side queries for offices and people, used by views and reports.

Office scoping lives here, once: :func:`visible_to` is the one rule for
which rows of an office-owned model a user may see. Each office-owned model
names the lookup from its rows to their office in a class attribute,
``office_path`` (``"project__plan__organization"``); models whose rows may
have no office (shared reference rows such as the central budget sources)
also say ``office_shared_when_empty = True``. The admin
(:class:`core.admin.OfficeScopedAdmin`), its choices, autocompletes, history
pages and exports, and the views all ask :func:`visible_to`, so the rule
cannot drift between six copies again.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured, ObjectDoesNotExist
from django.db.models import Count, Model, Prefetch, Q, QuerySet

from core import rules
from core.models import GroupHeadAssignment, OfficeGroup, Organization


def office_path_of(model) -> str | None:
    """The lookup from a row of ``model`` to its office, ``None`` for rows
    that belong to no office (reference data, logins)."""
    return getattr(model, "office_path", None)


def shared_when_empty(model) -> bool:
    """True when a row of ``model`` without an office is shared by all."""
    return getattr(model, "office_shared_when_empty", False)


def visible_to(rows, user, office_path: str | None = None) -> QuerySet:
    """The rows (a queryset or a model) ``user`` may see. One rule:

    - an active superuser sees every office;
    - anyone else sees the rows of their own office, and only when
      :func:`core.rules.can_view` lets them read it (a role in the office;
      an anonymous or inactive user, or a login without a staff record or a
      role, sees nothing);
    - shared rows (no office, where the model allows them) are seen by
      everyone who sees their office.

    Who may *change* a visible row (group heads, planners…) is the
    ``rules.py`` predicates' question, not this one's.
    """
    queryset = rows if isinstance(rows, QuerySet) else rows._default_manager.all()
    path = office_path or office_path_of(queryset.model)
    if path is None:
        raise ImproperlyConfigured(
            f"{queryset.model._meta.label} has no office_path: it is no office's"
        )
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return queryset.none()
    if user.is_superuser:
        return queryset
    office = rules.organization_of(user)
    if office is None or not rules.can_view(user, office):
        return queryset.none()
    scope = Q(**{path: office.pk})
    if shared_when_empty(queryset.model):
        scope |= Q(**{f"{path}__isnull": True})
    return queryset.filter(scope)


def office_id_of(obj: Model, office_path: str | None = None) -> int | None:
    """The id of the office ``obj`` belongs to, following ``office_path``
    through the loaded relations (``None``: no office, or a broken link)."""
    path = office_path or office_path_of(type(obj))
    if path is None:
        return None
    *links, last = path.split("__")
    try:
        for link in links:
            obj = getattr(obj, link)
            if obj is None:
                return None
    except ObjectDoesNotExist:
        return None
    if last == "pk":
        return obj.pk
    return getattr(obj, f"{last}_id", None)


def is_visible(obj: Model, user, office_path: str | None = None) -> bool:
    """:func:`visible_to` for one loaded row, without a query for its office."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    office_id = office_id_of(obj, office_path)
    if office_id is None:
        office = rules.organization_of(user)
        return (
            shared_when_empty(type(obj))
            and office is not None
            and rules.can_view(user, office)
        )
    return rules.can_view(user, office_id)


class OfficeQuerySet(QuerySet):
    """A model's queryset with :func:`visible_to` as a method
    (``Plan.objects.visible_to(user)``)."""

    def visible_to(self, user):
        return visible_to(self, user)


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
