"""Who may read and change a plan's direction, built on :mod:`core.rules`.

Planners and admins of the office edit the direction; every role of the office
(group heads, directors, viewers…) reads it; other offices see nothing.
"""

from core import rules
from plans.models import Plan


def can_read_plan(user, plan: Plan) -> bool:
    return rules.can_view(user, plan.organization_id)


def can_edit_direction(user, plan: Plan) -> bool:
    return rules.can_manage_office(user, plan.organization_id)


def can_approve_plan(user, plan: Plan) -> bool:
    return rules.can_approve(user, plan.organization_id)
