from core import rules, thai
from core.roles import Role


def phaen(request):
    """Current fiscal year and the user's office and roles, for the shell."""
    user = request.user
    today_fiscal_year = thai.current_fiscal_year()
    context = {"current_fiscal_year": today_fiscal_year}
    if getattr(user, "is_authenticated", False):
        context.update(
            current_person=rules.person_of(user),
            current_organization=rules.organization_of(user),
            user_roles=sorted(rules.roles_of(user)),
            nav_can_manage=rules.has_role(user, Role.ADMIN, Role.PLANNER),
            nav_can_pay=rules.has_role(user, Role.FINANCE, Role.ADMIN, Role.PLANNER),
            nav_is_admin=user.is_staff,
        )
    return context
