"""The demo office: fixtures plus one login per role, safe to load repeatedly.

A repeated load creates what is missing and changes nothing else; see
``load_demo``. It sits in ``home``, the top app layer, because it runs every
app's demo builder and reads and wipes their rows: from here it imports them
like any other module does.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import serializers
from django.core.files.storage import default_storage
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.db.models import Q

from budgets.demo import load_demo_budgets
from budgets.models import Allocation, Disbursement, OperatingCost
from budgets.services import operating_costs_reset
from core.models import Organization, Person
from core.reference_data import fixture_path
from core.roles import Role, sync_roles
from plans.demo import load_demo_plan
from plans.models import Plan
from progress.demo import load_demo_progress
from progress.models import Evidence, ProgressReport, ReportingRound
from projects.demo import load_demo_projects
from projects.models import Project
from reports.demo import load_demo_reports

#: Loaded in order, missing rows only. The shared reference lists
#: (standard groups, budget sources, expense categories, policy items) are
#: not here: ``migrate`` loads them (``core.reference_data``), for a real
#: office as for the demo.
DEMO_FIXTURES = [
    "demo_office",
]

#: Then these builders run in order (functions taking no arguments,
#: idempotent); each app that has demo data adds its own.
DEMO_BUILDERS: list[Callable[[], object]] = [
    load_demo_plan,
    load_demo_projects,
    # budgets prices the demo projects' activities (and names the sources
    # that fund them): keep it after load_demo_projects and before progress.
    load_demo_budgets,
    load_demo_progress,
    # the plan books' written sections and last year's indicator results
    # read the progress and money above: keep it last.
    load_demo_reports,
]


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: str
    person_id: int
    is_staff: bool = False
    is_superuser: bool = False


#: The demo office of ``fixtures/demo_office.json``.
DEMO_OFFICE_PK = 1

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


@dataclass
class DemoLoad:
    """What one ``load_demo`` run did, for the command to report."""

    #: (demo user, its person or None, whether the login was created now)
    users: list[tuple[DemoUser, Person | None, bool]] = field(default_factory=list)
    #: True when the builders ran (a fresh or just-wiped demo office).
    built: bool = False
    #: Fixture rows added because they were missing.
    added_rows: int = 0
    #: Fixture rows that were missing but clashed with rows users entered.
    skipped_rows: int = 0


@transaction.atomic
def load_demo(*, password: str, reset: bool = False) -> DemoLoad:
    """Create whatever part of the demo is missing; never change what exists.

    ``make run`` calls this on every start, on a database people may have
    worked in, so a second run must leave every row as it is (see
    ``tests/core/test_demo.py``): fixture rows are inserted only when their
    primary key is missing (an edited office or group keeps its edits), demo
    logins are created with ``password`` only when they do not exist, and the
    builders, which write a whole office's year from scratch, run only on a
    demo office that holds no plan, money or reporting round yet.

    ``reset=True`` first wipes the demo office (and only it: its plans,
    projects, money, progress reports, evidence, people and groups), then
    loads it again and puts the demo logins back to ``password``.
    """
    result = DemoLoad()
    if reset:
        wipe_demo_office()
    for name in DEMO_FIXTURES:
        added, skipped = _load_missing_fixture(name)
        result.added_rows += added
        result.skipped_rows += skipped
    sync_roles()
    for demo in DEMO_USERS:
        result.users.append(_demo_user(demo, password=password, reset=reset))
    office = Organization.objects.filter(pk=DEMO_OFFICE_PK).first()
    if office is not None and not demo_office_has_data(office):
        for builder in DEMO_BUILDERS:
            builder()
        result.built = True
    return result


def _demo_user(demo: DemoUser, *, password: str, reset: bool):
    """Create a demo login (or, on reset, put it back); never edit it otherwise.

    An existing login keeps the password, flags and roles people gave it.
    """
    User = get_user_model()
    user = User.objects.filter(username=demo.username).first()
    created = user is None
    if created or reset:
        user = user or User(username=demo.username)
        user.is_staff = demo.is_staff
        user.is_superuser = demo.is_superuser
        user.is_active = True
        user.set_password(password)
        user.save()
        user.groups.set([Group.objects.get(name=demo.role)])
    person = Person.objects.filter(pk=demo.person_id).first()
    linked = Person.objects.filter(user=user).exists()
    if person is not None and person.user_id is None and not linked:
        person.user = user
        person.email = person.email or f"{demo.username}@example.go.th"
        person.save(update_fields=["user", "email"])
    return demo, person, created or reset


def demo_office_has_data(office: Organization) -> bool:
    """Whether the demo office already holds work the builders would touch.

    The builders delete and rewrite the rows they own (plans, projects, money,
    progress), so they may only run on an office that has none of these.
    """
    return any(
        model.objects.filter(organization=office).exists()
        for model in (Plan, OperatingCost, Allocation, ReportingRound)
    )


def wipe_demo_office() -> None:
    """Delete the demo office with everything under it, and its evidence files.

    Rows that protect their parents (disbursements, progress reports,
    projects) go first, then the office cascades. Other offices and the
    shared reference lists are not touched.
    """
    office = Organization.objects.filter(pk=DEMO_OFFICE_PK).first()
    if office is None:
        return
    reports = ProgressReport.objects.filter(
        Q(round__organization=office) | Q(project__plan__organization=office)
    )
    files = [
        name
        for name in Evidence.objects.filter(report__in=reports).values_list(
            "file", flat=True
        )
        if name
    ]
    Disbursement.objects.filter(activity__project__plan__organization=office).delete()
    operating_costs_reset(organization=office)  # their payments protect them
    reports.delete()
    Project.objects.filter(plan__organization=office).delete()
    office.delete()

    def remove_files():
        for name in files:
            if default_storage.exists(name):
                default_storage.delete(name)

    transaction.on_commit(remove_files)


def _load_missing_fixture(name: str) -> tuple[int, int]:
    """Insert the fixture's rows whose primary key is missing; return
    (added, skipped). ``loaddata`` would overwrite rows people edited.

    A missing row that clashes with what people entered (a unique name, a
    parent they deleted) is skipped rather than failing the whole run.
    """
    with fixture_path(name).open(encoding="utf-8") as handle:
        objects = list(serializers.deserialize("json", handle))
    existing: dict[type, set] = {}
    for model in {type(obj.object) for obj in objects}:
        existing[model] = set(model._base_manager.values_list("pk", flat=True))
    missing = [
        obj for obj in objects if obj.object.pk not in existing[type(obj.object)]
    ]
    if not missing:
        return 0, 0
    added = missing
    try:
        _save_checked(missing)
    except DatabaseError:
        added = []
        for obj in missing:
            try:
                _save_checked([obj])
            except DatabaseError:
                continue
            added.append(obj)
    models = {type(obj.object) for obj in added}
    if models:
        connection = connections[DEFAULT_DB_ALIAS]
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), list(models)):
                cursor.execute(sql)
    return len(added), len(missing) - len(added)


def _save_checked(objects) -> None:
    """Save raw fixture objects in a savepoint, foreign keys checked at once."""
    connection = connections[DEFAULT_DB_ALIAS]
    with transaction.atomic():
        for obj in objects:
            obj.save()
        connection.check_constraints(
            table_names=sorted({obj.object._meta.db_table for obj in objects})
        )
