"""Object-level permission rules: "may this user do this to that?".

Every view and service asks these helpers instead of checking roles inline, so
each rule is written and tested once. Model permissions (from :mod:`core.roles`)
say what kind of thing a role may touch; these rules add *which* ones: only
their own office, only their own group's work, only projects they are named on.

Results about the user (person, roles, headed groups) are cached on the user
object for the length of a request.
"""

import datetime
from collections.abc import Iterable

from core.models import GroupHeadAssignment, OfficeGroup, Organization, Person
from core.roles import Role


def person_of(user) -> Person | None:
    """The staff record linked to ``user``, or ``None``."""
    if not getattr(user, "is_authenticated", False):
        return None
    if not hasattr(user, "_phaen_person"):
        user._phaen_person = (
            Person.objects.select_related("organization", "group")
            .filter(user=user)
            .first()
        )
    return user._phaen_person


def organization_of(user) -> Organization | None:
    person = person_of(user)
    return person.organization if person else None


def roles_of(user) -> frozenset[str]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    if not hasattr(user, "_phaen_roles"):
        names = set(user.groups.values_list("name", flat=True))
        if user.is_superuser:
            names.add(Role.ADMIN)
        user._phaen_roles = frozenset(names)
    return user._phaen_roles


def has_role(user, *roles: str) -> bool:
    return bool(roles_of(user).intersection(roles))


def headed_group_ids(user, on: datetime.date | None = None) -> frozenset[int]:
    """Groups ``user`` heads on ``on`` (today), acting and performing included."""
    person = person_of(user)
    if person is None:
        return frozenset()
    cache_key = f"_phaen_headed_{on}"
    if not hasattr(user, cache_key):
        ids = (
            GroupHeadAssignment.objects.in_force(on)
            .filter(person=person)
            .values_list("group_id", flat=True)
        )
        setattr(user, cache_key, frozenset(ids))
    return getattr(user, cache_key)


def belongs_to(user, organization: Organization | int | None) -> bool:
    """True when ``user`` works for ``organization`` (superusers: any office)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if organization is None:
        return False
    organization_id = getattr(organization, "pk", organization)
    person = person_of(user)
    return person is not None and person.organization_id == organization_id


def can_view(user, organization: Organization | int | None) -> bool:
    """Any role may read its own office's plans and reports; nobody else's."""
    return belongs_to(user, organization) and bool(roles_of(user))


def can_manage_office(user, organization: Organization | int | None) -> bool:
    """Admins and planners set up the year, framework and envelopes."""
    return belongs_to(user, organization) and has_role(user, Role.ADMIN, Role.PLANNER)


def can_edit_group_work(user, group: OfficeGroup) -> bool:
    """Planners and admins of the office, or the (acting) head of ``group``."""
    if can_manage_office(user, group.organization_id):
        return True
    return (
        belongs_to(user, group.organization_id)
        and has_role(user, Role.GROUP_HEAD)
        and group.pk in headed_group_ids(user)
    )


def can_edit_owned_work(
    user, *, group: OfficeGroup, responsible: Iterable[Person | int] = ()
) -> bool:
    """Group rule above, plus project officers named in ``responsible``."""
    if can_edit_group_work(user, group):
        return True
    person = person_of(user)
    if person is None or not has_role(user, Role.PROJECT_OFFICER):
        return False
    if person.organization_id != group.organization_id:
        return False
    responsible_ids = {getattr(item, "pk", item) for item in responsible}
    return person.pk in responsible_ids


def can_approve(user, organization: Organization | int | None) -> bool:
    """Only directors (ผอ.สพท. and deputies) approve plans and projects."""
    return belongs_to(user, organization) and has_role(user, Role.DIRECTOR)


def can_record_disbursement(user, organization: Organization | int | None) -> bool:
    return belongs_to(user, organization) and has_role(
        user, Role.FINANCE, Role.PLANNER, Role.ADMIN
    )
