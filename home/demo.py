"""The demo office as data, loaded the way a real office's data is.

``fixtures/demo/`` holds the demo office (สพป.ยโสธร เขต 2): ``office.json``
(the office, its groups, people and group heads), one whole-office plan
workbook per fiscal year (``plan-2569.xlsx``, ``plan-2570.xlsx``, what
``manage.py export_plan`` writes), ``workflow.json`` (what people did, in
order: projects submitted, checked, approved, returned, revised; progress
reports saved, submitted, returned, accepted; rounds locked; money paid) and
``book.json`` (what no workbook holds: the plan books' written sections,
last year's indicator results and each strategy's policy links).

This module adds the office and the demo logins; ``home.demo_replay``
imports the workbooks through the importer's own path and replays the
workflow through the services. It sits in ``home``, the top app layer,
because it drives every app.
"""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import serializers
from django.core.files.storage import default_storage
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Q

from budgets.models import Allocation, Disbursement, OperatingCost
from budgets.services import operating_costs_reset
from core.models import Organization, Person
from core.roles import Role, sync_roles
from core.services import rows_create, rows_delete, rows_update
from home.demo_replay import DEMO_DIR, DEMO_YEARS, REASON, build_demo_office
from plans.models import Plan
from progress.models import Evidence, ProgressReport, ReportingRound
from projects.models import Project

__all__ = ["DEMO_DIR", "DEMO_YEARS", "load_demo", "wipe_demo_office"]

#: The demo office of ``fixtures/demo/office.json``.
DEMO_OFFICE_PK = 1


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


@dataclass
class DemoLoad:
    """What one ``load_demo`` run did, for the command to report."""

    #: (demo user, its person or None, whether the login was created now)
    users: list[tuple[DemoUser, Person | None, bool]] = field(default_factory=list)
    #: True when the workbooks were imported and the workflow replayed.
    built: bool = False
    #: Office rows added because they were missing.
    added_rows: int = 0
    #: Office rows that were missing but clash with rows users entered.
    skipped_rows: int = 0


@transaction.atomic
def load_demo(*, password: str, reset: bool = False) -> DemoLoad:
    """Create whatever part of the demo is missing; never change what exists.

    ``make run`` calls this on every start, on a database people may have
    worked in: office rows are added only when their primary key is missing
    (an edited group keeps its edits), logins only when they do not exist,
    and the plans are imported and replayed only into a demo office that
    holds no plan, money or round yet. ``reset=True`` first wipes the demo
    office (and only it), then loads it again with the logins put back to
    ``password``.
    """
    result = DemoLoad()
    if reset:
        wipe_demo_office()
    result.added_rows, result.skipped_rows = _office_rows()
    sync_roles()
    result.users = [_demo_user(d, password=password, reset=reset) for d in DEMO_USERS]
    office = Organization.objects.filter(pk=DEMO_OFFICE_PK).first()
    if office is not None and not demo_office_has_data(office):
        build_demo_office(office)
        result.built = True
    return result


def _office_rows() -> tuple[int, int]:
    """Add the rows of ``office.json`` whose primary key is missing.

    A missing row that would point at a row people deleted (a group of a
    deleted office) is skipped rather than failing the run. The rows keep
    the file's keys (the demo logins name their people by key), so the
    tables' id sequences are moved past them, or the next office or person
    added on PostgreSQL would take key 1 again.
    """
    with (DEMO_DIR / "office.json").open(encoding="utf-8") as handle:
        objects = [item.object for item in serializers.deserialize("json", handle)]
    added = skipped = 0
    for model in dict.fromkeys(type(obj) for obj in objects):
        have = set(model._base_manager.values_list("pk", flat=True))
        rows = [obj for obj in objects if type(obj) is model and obj.pk not in have]
        fine = [obj for obj in rows if _parents_exist(obj, objects)]
        rows_create(model, fine, reason=REASON)
        added, skipped = added + len(fine), skipped + len(rows) - len(fine)
    models = list(dict.fromkeys(type(obj) for obj in objects))
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)
    return added, skipped


def _parents_exist(obj, objects) -> bool:
    """Every row ``obj`` points at is stored or comes with the same file."""
    for f in obj._meta.concrete_fields:
        value = getattr(obj, f.attname)
        if not f.is_relation or value is None:
            continue
        model = f.related_model
        if any(type(o) is model and o.pk == value for o in objects):
            continue
        if not model._base_manager.filter(pk=value).exists():
            return False
    return True


def _demo_user(demo: DemoUser, *, password: str, reset: bool):
    """Create a demo login (or, on reset, put it back); never edit it otherwise."""
    User = get_user_model()
    user = User.objects.filter(username=demo.username).first()
    created = user is None
    if created or reset:
        user = user or User(username=demo.username)
        user.is_staff, user.is_superuser = demo.is_staff, demo.is_superuser
        user.is_active = True
        user.set_password(password)
        if created:
            [user] = rows_create(User, [user])
            user = User.objects.get(username=demo.username)
        else:
            fields = ["is_staff", "is_superuser", "is_active", "password"]
            rows_update(User, [user], fields)
        user.groups.set([Group.objects.get(name=demo.role)])
    person = Person.objects.filter(pk=demo.person_id).first()
    linked = Person.objects.filter(user=user).exists()
    if person is not None and person.user_id is None and not linked:
        person.user = user
        person.email = person.email or f"{demo.username}@example.go.th"
        rows_update(Person, [person], ["user", "email"], reason=REASON)
    return demo, person, created or reset


def demo_office_has_data(office: Organization) -> bool:
    """Whether the demo office already holds work an import would replace."""
    return any(
        model.objects.filter(organization=office).exists()
        for model in (Plan, OperatingCost, Allocation, ReportingRound)
    )


def wipe_demo_office() -> None:
    """Delete the demo office with everything under it, and its evidence files.

    Rows that protect their parents (disbursements, progress reports,
    projects) go first, then the office cascades.
    """
    office = Organization.objects.filter(pk=DEMO_OFFICE_PK).first()
    if office is None:
        return
    reports = ProgressReport.objects.filter(
        Q(round__organization=office) | Q(project__plan__organization=office)
    )
    evidence = Evidence.objects.filter(report__in=reports)
    files = [name for name in evidence.values_list("file", flat=True) if name]
    paid = Disbursement.objects.filter(activity__project__plan__organization=office)
    rows_delete(Disbursement, list(paid), reason=REASON)
    operating_costs_reset(organization=office)  # their payments protect them
    rows_delete(ProgressReport, list(reports), reason=REASON)
    rows_delete(Project, list(Project.objects.filter(plan__organization=office)))
    rows_delete(Organization, [office], reason=REASON)

    def remove_files():
        for name in files:
            if default_storage.exists(name):
                default_storage.delete(name)

    transaction.on_commit(remove_files)
