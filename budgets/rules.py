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


def can_open_finance_desk(user, organization) -> bool:
    """Who sees the finance desk (``budgets:desk``): whoever may record a
    payment in the office (finance, planners, administrators) and group
    heads, who record their own group's; each row is still checked per
    project by :func:`can_record_disbursement_for` in the service."""
    if organization is None:
        return False
    if rules.can_record_disbursement(user, organization):
        return True
    return rules.belongs_to(user, organization) and rules.has_role(
        user, Role.GROUP_HEAD
    )
