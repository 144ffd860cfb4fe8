from core import rules, thai
from core.roles import Role


def phaen(request):
    """Current fiscal year and the user's office and roles, for the shell."""
    user = request.user
    today_fiscal_year = thai.current_fiscal_year()
    context = {"current_fiscal_year": today_fiscal_year}
    if getattr(user, "is_authenticated", False):
        organization = rules.organization_of(user)
        context.update(
            current_person=rules.person_of(user),
            current_organization=organization,
            user_roles=sorted(rules.roles_of(user)),
            nav_can_manage=rules.has_role(user, Role.ADMIN, Role.PLANNER),
            # the desk's own rule, so the link shows exactly when it opens
            nav_can_pay=rules.can_open_finance_desk(user, organization),
            nav_is_admin=user.is_staff,
        )
    return context
