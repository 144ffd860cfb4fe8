"""The demo office as data, loaded the way a real office's data is.

``fixtures/demo/`` holds the demo office (สพป.ยโสธร เขต 2): ``office.json``
(the office, its groups, people and group heads), one whole-office plan
workbook per fiscal year (``plan-2569.xlsx``, ``plan-2570.xlsx``, what
``manage.py export_plan`` writes), ``workflow.json`` (what people did, in
order: projects submitted, checked, approved, returned, revised; progress
reports saved, submitted, returned, accepted; rounds locked; money paid) and
``book.json`` (the plan books' written sections and last year's indicator
results, which no workbook holds). The workbooks go through the importer's
own path (:func:`excel.importer.plan_import`, as ``import_plan`` and the web
upload) and every step is replayed through the services, at the moment it
was recorded, by the login that did it: the demo can hold nothing a real
office could not, and it needs no write of its own (see
``tests/test_writes_go_through_services.py``).

It sits in ``home``, the top app layer, because it drives every app.
"""

import datetime
import json
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from unittest import mock

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import serializers
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q

from budgets import services as budgets_services
from budgets.models import Allocation, Disbursement, DisbursementTarget, OperatingCost
from core.models import Organization, Person
from core.roles import Role, sync_roles
from core.services import rows_create, rows_delete, rows_update
from excel.importer import plan_import
from plans import services as plans_services
from plans.models import Indicator, Plan
from progress import services as progress_services
from progress.models import Evidence, ProgressReport, ReportingRound
from projects import services as projects_services
from projects.models import Project
from reports.models import BookSection, IndicatorResult

DEMO_DIR = Path(settings.BASE_DIR) / "fixtures" / "demo"
#: One whole-office workbook per fiscal year, imported in this order.
DEMO_YEARS = (2569, 2570)
#: The demo office of ``fixtures/demo/office.json``.
DEMO_OFFICE_PK = 1
REASON = "ข้อมูลสำนักงานตัวอย่าง"


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
    deleted office) is skipped rather than failing the run.
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
    rows_delete(ProgressReport, list(reports), reason=REASON)
    rows_delete(Project, list(Project.objects.filter(plan__organization=office)))
    rows_delete(Organization, [office], reason=REASON)

    def remove_files():
        for name in files:
            if default_storage.exists(name):
                default_storage.delete(name)

    transaction.on_commit(remove_files)


# ------------------------------------------------------------------ the replay


@contextmanager
def _clock(moment: datetime.datetime):
    """Run the services as at ``moment``: their stamps (``submitted_at``,
    history dates, transitions) say when it happened, not when it was loaded."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def build_demo_office(office: Organization) -> None:
    """Import each year's workbook as the planner, then replay the year."""
    users = {u.username: u for u in get_user_model().objects.all()}
    plans = {}
    for year in DEMO_YEARS:
        with (DEMO_DIR / f"plan-{year}.xlsx").open("rb") as source:
            result = plan_import(
                source=source, organization=office, fiscal_year=year, user=users["planner"]
            )
        if not result.ok:
            raise ValidationError([str(error) for error in result.errors])
        plans[year] = result.plan
        progress_services.round_create_for_year(organization=office, fiscal_year=year)
    workflow = json.loads((DEMO_DIR / "workflow.json").read_text(encoding="utf-8"))
    # The usual quarterly targets are shared by every office: add the
    # missing ones, never overwrite those an administrator set.
    have = set(
        DisbursementTarget.objects.filter(organization=None).values_list(
            "fiscal_year", "quarter"
        )
    )
    targets = [
        DisbursementTarget(
            organization=None,
            fiscal_year=row["year"],
            quarter=row["quarter"],
            cumulative_percent=Decimal(row["percent"]),
        )
        for row in workflow["targets"]
        if (row["year"], row["quarter"]) not in have
    ]
    rows_create(DisbursementTarget, targets, reason=REASON)
    replay = _Replay(office, plans, users)
    for event in workflow["events"]:
        with _clock(datetime.datetime.fromisoformat(event["at"])):
            getattr(replay, event["do"])(event, users[event["user"]])
    _book(plans)


class _Replay:
    """One method per kind of ``workflow.json`` event, each one service call."""

    def __init__(self, office, plans, users):
        self.office, self.plans = office, plans
        self.projects = {
            p.code: p for p in Project.objects.filter(plan__organization=office)
        }

    def project(self, event) -> Project:
        return Project.objects.get(pk=self.projects[event["code"]].pk)

    def report(self, event) -> ProgressReport:
        project = self.project(event)
        return ProgressReport.objects.get(
            project=project, round=self.round(project.plan.fiscal_year, event)
        )

    def round(self, year, event) -> ReportingRound:
        return ReportingRound.objects.get(
            organization=self.office, fiscal_year=year, number=event["round"]
        )

    def plan_submit(self, event, user):
        plan = Plan.objects.get(pk=self.plans[event["year"]].pk)
        plans_services.plan_submit(plan=plan, user=user)

    def plan_approve(self, event, user):
        plan = Plan.objects.get(pk=self.plans[event["year"]].pk)
        plans_services.plan_approve(plan=plan, user=user)

    def project_submit(self, event, user):
        projects_services.project_submit(project=self.project(event), user=user)

    def project_check(self, event, user):
        projects_services.project_check(
            project=self.project(event), user=user, comment=event.get("comment", "")
        )

    def project_approve(self, event, user):
        projects_services.project_approve(
            project=self.project(event), user=user, comment=event.get("comment", "")
        )

    def project_return(self, event, user):
        projects_services.project_return(
            project=self.project(event), user=user, comment=event["comment"]
        )

    def project_revise(self, event, user):
        projects_services.project_start_revision(
            project=self.project(event), reason=event["comment"], user=user
        )

    def report_save(self, event, user):
        project = self.project(event)
        activities = {a.order: a.pk for a in project.activities.all()}
        kpis = {k.order: k.pk for k in project.kpis.all()}
        progress_services.report_save_draft(
            project=project,
            reporting_round=self.round(project.plan.fiscal_year, event),
            user=user,
            fields=event.get("fields"),
            activities={activities[o]: v for o, v in event.get("activities", [])},
            kpis={kpis[o]: v for o, v in event.get("kpis", [])},
            comment=event.get("comment", ""),
        )

    def report_submit(self, event, user):
        progress_services.report_submit(report=self.report(event), user=user)

    def report_return(self, event, user):
        progress_services.report_return(
            report=self.report(event), user=user, comment=event["comment"]
        )

    def report_accept(self, event, user):
        progress_services.report_accept(
            report=self.report(event), user=user, comment=event.get("comment", "")
        )

    def round_lock(self, event, user):
        progress_services.round_lock(
            reporting_round=self.round(event["year"], event), user=user
        )

    def pay(self, event, user):
        activity = self.project(event).activities.get(order=event["activity"])
        line = event.get("line")
        budgets_services.disbursement_record(
            user=user,
            activity=activity,
            cost_line=activity.cost_lines.get(order=line) if line else None,
            amount=Decimal(event["amount"]),
            paid_on=datetime.date.fromisoformat(event["paid_on"]),
            document_number=event.get("document", ""),
            note=event.get("note", ""),
        )


def _book(plans: dict[int, Plan]) -> None:
    """The plan books' written sections and last year's indicator results."""
    book = json.loads((DEMO_DIR / "book.json").read_text(encoding="utf-8"))
    sections = [
        BookSection(plan=plans[row.pop("year")], **row) for row in book["sections"]
    ]
    rows_create(BookSection, sections, reason=REASON)
    indicators = {
        (i.strategy.plan.fiscal_year, i.strategy.number, i.number): i
        for i in Indicator.objects.filter(
            strategy__plan__in=plans.values()
        ).select_related("strategy__plan")
    }
    results = []
    for row in book["indicator_results"]:
        key = (row.pop("plan_year"), row.pop("strategy"), row.pop("indicator"))
        value = row.pop("actual_value")
        results.append(
            IndicatorResult(
                indicator=indicators[key],
                fiscal_year=row.pop("year"),
                actual_value=Decimal(value) if value is not None else None,
                **row,
            )
        )
    rows_create(IndicatorResult, results, reason=REASON)
