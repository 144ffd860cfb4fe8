"""The demo office: fixtures plus one login per role, safe to load repeatedly."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import transaction
from django.utils.module_loading import import_string

from core.models import Person
from core.roles import Role, sync_roles

#: Loaded in order with loaddata; later apps append their fixtures here.
DEMO_FIXTURES = [
    "standard_groups",
    "budget_sources",
    "expense_categories",
    "policy_items",
    "demo_office",
]

#: Then these builders run in order (dotted paths to functions taking no
#: arguments, idempotent); each app that has demo data adds its own.
DEMO_BUILDERS: list[str] = [
    "plans.demo.load_demo_plan",
    "projects.demo.load_demo_projects",
    # budgets prices the demo projects' activities: keep it after
    # "projects.demo.load_demo_projects" and before progress.
    "budgets.demo.load_demo_budgets",
    "progress.demo.load_demo_progress",
    # the plan books' written sections and last year's indicator results
    # read the progress and money above: keep it last.
    "reports.demo.load_demo_reports",
]


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: str
    person_id: int
    is_staff: bool = False
    is_superuser: bool = False


DEMO_USERS = [
    DemoUser("admin", Role.ADMIN, 12, is_staff=True, is_superuser=True),
    DemoUser("planner", Role.PLANNER, 4, is_staff=True),
    DemoUser("head_promotion", Role.GROUP_HEAD, 5, is_staff=True),
    DemoUser("head_personnel", Role.GROUP_HEAD, 7, is_staff=True),
    DemoUser("director", Role.DIRECTOR, 1),
    DemoUser("finance", Role.FINANCE, 8, is_staff=True),
    DemoUser("officer", Role.PROJECT_OFFICER, 6, is_staff=True),
    DemoUser("viewer", Role.VIEWER, 9),
]


@transaction.atomic
def load_demo(*, password: str) -> list[tuple[DemoUser, Person]]:
    """Load the demo fixtures and (re)create the demo users.

    Fixtures have fixed primary keys, so a second run updates rows in place.
    """
    call_command("loaddata", *DEMO_FIXTURES, verbosity=0)
    sync_roles()
    User = get_user_model()
    loaded = []
    for demo in DEMO_USERS:
        user, _ = User.objects.get_or_create(username=demo.username)
        user.is_staff = demo.is_staff
        user.is_superuser = demo.is_superuser
        user.is_active = True
        user.set_password(password)
        user.save()
        user.groups.set([Group.objects.get(name=demo.role)])
        person = Person.objects.get(pk=demo.person_id)
        Person.objects.filter(user=user).exclude(pk=person.pk).update(user=None)
        person.user = user
        person.email = person.email or f"{demo.username}@example.go.th"
        person.save(update_fields=["user", "email"])
        loaded.append((demo, person))
    for builder in DEMO_BUILDERS:
        import_string(builder)()
    return loaded
