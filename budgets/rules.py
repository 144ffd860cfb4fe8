"""Object rules for money, built on :mod:`core.rules`."""

from core import rules
from core.roles import Role


def can_record_disbursement_for(user, project) -> bool:
    """Finance (and planners/admins) of the office, or the head of the
    project's group. Note: reads ``project.plan`` and ``project.group``."""
    if rules.can_record_disbursement(user, project.plan.organization_id):
        return True
    return rules.can_edit_group_work(user, project.group)


def can_record_running_payment(user, cost) -> bool:
    """Finance (and planners/admins) of the office: a running cost belongs to
    no group, so no group head records its payments."""
    return rules.can_record_disbursement(user, cost.organization_id)


def disbursement_activities(user, queryset):
    """The activities ``user`` may record disbursements on (for choice lists)."""
    if user.is_superuser:
        return queryset
    organization = rules.organization_of(user)
    if organization is None:
        return queryset.none()
    queryset = queryset.filter(project__plan__organization=organization)
    if rules.can_record_disbursement(user, organization):
        return queryset
    if rules.can_manage_office(user, organization):
        return queryset
    if not rules.has_role(user, Role.GROUP_HEAD):
        return queryset.none()
    return queryset.filter(project__group__in=rules.headed_group_ids(user))


#: Who sees the finance desk: :func:`core.rules.can_open_finance_desk`. It
#: lives in ``core`` because the menu (``core.context_processors``) asks the
#: same question to show the desk's link, and core cannot import budgets.
can_open_finance_desk = rules.can_open_finance_desk
