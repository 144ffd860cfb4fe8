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


def is_overseer(user) -> bool:
    """Network overseers read and never write: every write rule below asks
    this first, so an overseer who also holds an office role (or whose node
    is given an office's role by mistake) still cannot change anything."""
    return has_role(user, Role.OVERSEER) and not user.is_superuser


def oversight_node(user) -> Organization | None:
    """The network node whose offices ``user`` reads on the network pages:
    the overseer's own organisation (OBEC, a region). Superusers read the
    whole network (``None`` node, see :func:`offices_overseen`)."""
    if not is_overseer(user):
        return None
    return organization_of(user)


def can_oversee(user) -> bool:
    """Who opens the network pages: overseers with a node, and superusers."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.is_superuser or oversight_node(user) is not None


def offices_overseen(user):
    """The offices ``user`` reads on the network pages, as one queryset (a
    path-prefix filter, so it nests as a subquery): the node's subtree for an
    overseer, every office for a superuser, none for anyone else."""
    offices = Organization.objects.offices()
    if getattr(user, "is_superuser", False) and user.is_active:
        return offices
    node = oversight_node(user)
    if node is None:
        return offices.none()
    return offices.under(node)


def can_oversee_office(user, organization: Organization | int | None) -> bool:
    """True when ``organization`` lies under ``user``'s node (one query)."""
    if organization is None or not can_oversee(user):
        return False
    organization_id = getattr(organization, "pk", organization)
    return offices_overseen(user).filter(pk=organization_id).exists()


def can_view(user, organization: Organization | int | None) -> bool:
    """Any role may read its own office's plans and reports; nobody else's.
    Overseers read offices on the network pages only: their node plans no
    year, and an office page of it would show empty or missing documents."""
    if is_overseer(user):
        return False
    return belongs_to(user, organization) and bool(roles_of(user))


def can_manage_office(user, organization: Organization | int | None) -> bool:
    """Admins and planners set up the year, framework and envelopes."""
    if is_overseer(user):
        return False
    return belongs_to(user, organization) and has_role(user, Role.ADMIN, Role.PLANNER)


def can_edit_group_work(user, group: OfficeGroup) -> bool:
    """Planners and admins of the office, or the (acting) head of ``group``."""
    if can_manage_office(user, group.organization_id):
        return True
    if is_overseer(user):
        return False
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
    if is_overseer(user):
        return False
    if person.organization_id != group.organization_id:
        return False
    responsible_ids = {getattr(item, "pk", item) for item in responsible}
    return person.pk in responsible_ids


def can_approve(user, organization: Organization | int | None) -> bool:
    """Only directors (ผอ.สพท. and deputies) approve plans and projects."""
    if is_overseer(user):
        return False
    return belongs_to(user, organization) and has_role(user, Role.DIRECTOR)


def can_record_disbursement(user, organization: Organization | int | None) -> bool:
    if is_overseer(user):
        return False
    return belongs_to(user, organization) and has_role(
        user, Role.FINANCE, Role.PLANNER, Role.ADMIN
    )


def can_open_finance_desk(user, organization: Organization | int | None) -> bool:
    """Who sees the finance desk (``budgets:desk``): whoever may record a
    payment in the office (finance, planners, administrators) and group
    heads, who record their own group's; each row is still checked per
    project by ``budgets.rules.can_record_disbursement_for`` in the service.
    The menu shows the desk's link by this same rule, so nobody is offered
    a page that answers 403, and no group head is left without the link."""
    if organization is None:
        return False
    if can_record_disbursement(user, organization):
        return True
    return belongs_to(user, organization) and has_role(user, Role.GROUP_HEAD)


def can_edit_rates(user, organization: Organization | int | None) -> bool:
    """The office's own rate table (highest rates for meals, speakers,
    per-diem …) is the finance staff's and the office administrator's: they
    keep the Finance Ministry's rules. The shared table is a superuser's."""
    if is_overseer(user):
        return False
    return belongs_to(user, organization) and has_role(user, Role.FINANCE, Role.ADMIN)
