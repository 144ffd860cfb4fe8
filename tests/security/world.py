"""One rich data set for the security sweeps: our office with every kind of
row (plan and framework, an approved and a draft project with activities,
money, KPIs, a submitted progress report with evidence, a revision) and
another office with its own plan and a project whose name must never show up
for our users (nor ours for theirs).

Users: one per role of the sweep, staff like the demo accounts (the director
and viewer read the web pages only), our office's own administrator, the
overseer of a region above our office (not above the other one) and a
superuser without a staff record. Two more superusers are *targets* only
(escalation cases): one with a staff record in our office, one without.

Every office-owned kind of row exists in both offices (``world["theirs.x"]``
names the other office's ``x``), so each admin page is swept for an object
of our office and one of the other office.
"""

import datetime
from dataclasses import dataclass, field

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from budgets.models import RateLimit, RateTable
from core.models import GroupHeadAssignment
from core.roles import Role
from core.thai import current_fiscal_year
from progress.models import Evidence, KPIActual, ProgressReport, ReportEvent
from progress.services import round_create_for_year
from projects.models import ProjectRevision
from tests.factories import (
    ActivityFactory,
    AllocationFactory,
    BudgetSourceFactory,
    CostLineFactory,
    DisbursementFactory,
    DisbursementTargetFactory,
    ExpenseCategoryFactory,
    GoalFactory,
    GroupHeadAssignmentFactory,
    IndicatorFactory,
    ObjectiveFactory,
    OfficeGroupFactory,
    OperatingCostFactory,
    OrganizationFactory,
    PlanFactory,
    PolicyItemFactory,
    ProjectFactory,
    ProjectKPIFactory,
    ProjectResponsibleFactory,
    QuarterPlanFactory,
    StrategyFactory,
    make_staff,
)

OUR_SECRET = "โครงการเฉพาะของสำนักงานเราเท่านั้น"
THEIR_SECRET = "โครงการลับของสำนักงานอื่น"
ROLES = [
    "anonymous",
    "viewer",
    "officer",
    "head_own",
    "head_other",
    "finance",
    "planner",
    "director",
    "outsider",
    "office_admin",
    "overseer",
    "superuser",
]
STAFF_ROLES = {
    "officer",
    "head_own",
    "head_other",
    "finance",
    "planner",
    "outsider",
    "office_admin",
}
#: The sweep logs in with this password (``tests.factories.UserFactory``).
PASSWORD = "secret-pass"

# 1×1 PNG.
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06"
    b"\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01"
    b"\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


@dataclass
class World:
    users: dict = field(default_factory=dict)
    objects: dict = field(default_factory=dict)

    def __getitem__(self, name):
        return self.objects[name]


def _office(
    short_name: str, code: str, fiscal_year: int, secret: str, world: World | None
):
    office = OrganizationFactory(short_name=short_name, name=f"สำนักงาน{short_name}")
    group_a = OfficeGroupFactory(organization=office, name="กลุ่มส่งเสริม", order=1)
    group_b = OfficeGroupFactory(organization=office, name="กลุ่มบุคคล", order=2)
    plan = PlanFactory(organization=office, fiscal_year=fiscal_year)
    strategy = StrategyFactory(plan=plan, number=1)
    goal = GoalFactory(plan=plan)
    indicator = IndicatorFactory(strategy=strategy)
    source = BudgetSourceFactory(organization=office, code=f"src-{code}")
    AllocationFactory(
        organization=office, fiscal_year=fiscal_year, source=source, amount=900000
    )
    OperatingCostFactory(organization=office, fiscal_year=fiscal_year, source=source)
    project = ProjectFactory(
        plan=plan,
        group=group_a,
        name=secret,
        status="approved",
        budget_source=source,
        start_month=datetime.date(fiscal_year - 544, 10, 1),
        end_month=datetime.date(fiscal_year - 543, 9, 1),
    )
    project.strategies.add(strategy)
    project.goals.add(goal)
    project.indicators.add(indicator)
    draft = ProjectFactory(plan=plan, group=group_a, name=f"{secret} (ร่าง)")
    # Months and payments inside the plan's fiscal year (the rule of every path).
    year = fiscal_year - 544
    months = [f"{year}-10-01", f"{year}-11-01"]
    activity = ActivityFactory(
        project=project, name=f"{secret} ประชุมเชิงปฏิบัติการ", months=months
    )
    ActivityFactory(project=project, parent=activity, name="กิจกรรมย่อย", months=months)
    ActivityFactory(project=draft, name="กิจกรรมของโครงการร่าง", months=months)
    line = CostLineFactory(activity=activity)
    # A line nothing is paid from (the other one is protected by a payment).
    free_line = CostLineFactory(activity=activity, description="ค่าวัสดุ")
    QuarterPlanFactory(activity=activity, quarter=1, amount=2400)
    kpi = ProjectKPIFactory(project=project)
    # A success-level KPI (issue 21 item 5): its criteria and evidence per
    # level show on the sheet, the editor and the progress screens.
    level_kpi = ProjectKPIFactory(
        project=project,
        order=2,
        name="ระดับความสำเร็จของการนิเทศ",
        unit="success",
        target_value=4,
        level_criteria=["มีคำสั่ง", "มีแผน", "นิเทศครบ", "สรุปผล", "เผยแพร่"],
    )
    ObjectiveFactory(project=project)
    disbursement = DisbursementFactory(
        activity=activity,
        cost_line=line,
        amount=500,
        paid_on=datetime.date(year, 10, 1),  # the year's first day: never future
    )
    rounds = round_create_for_year(organization=office, fiscal_year=fiscal_year)
    report = ProgressReport.objects.create(
        project=project,
        round=rounds[0],
        output_progress="ดำเนินการแล้ว",
        state=ProgressReport.State.SUBMITTED,
    )
    ReportEvent.objects.create(report=report, action="submit")
    # The next round's report is still a draft: its reporters may add evidence.
    draft_report = ProgressReport.objects.create(
        project=project, round=rounds[1], output_progress="กำลังดำเนินการ"
    )
    KPIActual.objects.create(
        report=draft_report,
        kpi=level_kpi,
        actual_value=2,
        level_evidence=["คำสั่งที่ 1/2569", "แผนการนิเทศ", "", "", ""],
    )
    evidence = Evidence.objects.create(
        report=report,
        file=SimpleUploadedFile("photo.png", PNG, content_type="image/png"),
        kind=Evidence.Kind.PHOTO,
        size=len(PNG),
    )
    revision = ProjectRevision.objects.create(
        project=project, version=1, reason="ปรับกิจกรรม", snapshot={"name": secret}
    )
    objects = {
        "office": office,
        "group_a": group_a,
        "group_b": group_b,
        "plan": plan,
        "strategy": strategy,
        "indicator": indicator,
        "source": source,
        "project": project,
        "draft": draft,
        "activity": activity,
        "cost_line": line,
        "free_cost_line": free_line,
        "kpi": kpi,
        "disbursement": disbursement,
        "round": rounds[0],
        "report": report,
        "draft_report": draft_report,
        "evidence": evidence,
        "revision": revision,
        "allocation": office.allocations.get(),
        "operating_cost": office.operating_costs.get(),
        "target": DisbursementTargetFactory(organization=office),
        **_rate_objects(office, fiscal_year),
        "head_assignment": None,
        "person": None,
    }
    return objects


def _rate_objects(office, fiscal_year: int) -> dict:
    """The office's own rate table and one of its limits (budgets.rates).
    Their names hold no secret: a refused add echoes the posted names back
    to the poster, as every add form does."""
    table = RateTable.objects.create(
        organization=office, fiscal_year=fiscal_year, name="อัตราของสำนักงาน"
    )
    limit = RateLimit.objects.create(
        table=table,
        kind=RateLimit.Kind.MEAL,
        label="ค่าอาหารตามประกาศสำนักงาน",
        unit="บาท/คน/วัน",
        max_rate=500,
        match_words="ค่าอาหาร",
    )
    return {"rate_table": table, "rate_limit": limit}


def _office_admin_objects(objects: dict, people: dict, secret: str) -> None:
    """Rows that only have admin pages, for one office."""
    from core.models import DeletedObject, TaskRecord
    from reports.models import BookSection, DocumentJob, IndicatorResult

    objects["book_section"] = BookSection.objects.create(
        plan=objects["plan"], part="foreword", title="คำนำ", body="ข้อความคำนำ"
    )
    objects["indicator_result"] = IndicatorResult.objects.create(
        indicator=objects["indicator"], fiscal_year=objects["plan"].fiscal_year
    )
    objects["document_job"] = DocumentJob.objects.create(
        key=f"world:{objects['office'].pk}",
        kind="plan_book",
        title=secret,
        organization=objects["office"],
        parts_total=3,
    )
    objects["task_record"] = TaskRecord.objects.create(
        kind=TaskRecord.Kind.IMPORT_CHECK,
        title=secret,
        organization=objects["office"],
        rows_total=10,
    )
    objects["trash"] = DeletedObject.objects.create(
        kind=DeletedObject.Kind.PROJECT,
        organization=objects["office"],
        object_id=999999,
        label=secret,
        data=[],
    )


def _admin_only_objects(world: World, ours: dict, people: dict) -> None:
    """Shared rows that only have admin pages: reference data, logins,
    roles, login records."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django.contrib.auth.models import Group

    from core.models import StandardGroup

    world.objects["standard_group"] = StandardGroup.objects.create(
        order=99, name="กลุ่มมาตรฐานทดสอบ", code="test-std"
    )
    world.objects["expense_category"] = ExpenseCategoryFactory()
    world.objects["shared_source"] = BudgetSourceFactory(
        organization=None, code="src-shared", name="งบประมาณส่วนกลาง"
    )
    world.objects["login"] = people["viewer"].user
    world.objects["role_group"] = Group.objects.get(name=Role.VIEWER)
    attempt = {"username": "x", "ip_address": "127.0.0.1", "user_agent": "t"}
    world.objects["access_attempt"] = AccessAttempt.objects.create(
        **attempt, failures_since_start=1, get_data="", post_data=""
    )
    # django-axes deletes attempts older than the cool-off (15 minutes) on
    # every login and logout; the world lives for a whole test module, which
    # on a slow machine outlasts that, and a logout then "changed" the table.
    AccessAttempt.objects.filter(pk=world.objects["access_attempt"].pk).update(
        attempt_time=timezone.now() + datetime.timedelta(days=1)
    )
    world.objects["access_log"] = AccessLog.objects.create(**attempt)
    world.objects["access_failure"] = AccessFailureLog.objects.create(**attempt)


def _superuser(username: str, office=None, **person_fields):
    from tests.factories import PersonFactory, UserFactory

    user = UserFactory(username=username, is_staff=True, is_superuser=True)
    if office is not None:
        PersonFactory(organization=office, user=user, **person_fields)
    return user


def build_world(tmp_media) -> World:
    fiscal_year = current_fiscal_year()
    world = World()
    ours = _office("สพป.กวาดสิทธิ์ เขต 1", "ours", fiscal_year, OUR_SECRET, world)
    theirs = _office("สพม.อื่น", "theirs", fiscal_year, THEIR_SECRET, world)
    world.objects.update(ours)
    world.objects["theirs"] = theirs
    world.objects["policy_item"] = PolicyItemFactory()
    office = ours["office"]
    people = {
        "viewer": make_staff(office, roles=[Role.VIEWER], first_name="ผู้ติดตาม"),
        "officer": make_staff(
            office,
            roles=[Role.PROJECT_OFFICER],
            group=ours["group_a"],
            first_name="เจ้าหน้าที่",
        ),
        "head_own": make_staff(
            office, roles=[Role.GROUP_HEAD], group=ours["group_a"], first_name="หัวหน้าเอ"
        ),
        "head_other": make_staff(
            office, roles=[Role.GROUP_HEAD], group=ours["group_b"], first_name="หัวหน้าบี"
        ),
        "finance": make_staff(office, roles=[Role.FINANCE], first_name="การเงิน"),
        "planner": make_staff(office, roles=[Role.PLANNER], first_name="แผน"),
        "director": make_staff(office, roles=[Role.DIRECTOR], first_name="ผอ"),
        # The administrator of another office.
        "outsider": make_staff(
            theirs["office"], roles=[Role.ADMIN], first_name="คนนอก"
        ),
        # Our office's own administrator.
        "office_admin": make_staff(office, roles=[Role.ADMIN], first_name="ผู้ดูแล"),
    }
    their_people = {
        "viewer": make_staff(
            theirs["office"], roles=[Role.VIEWER], first_name=f"{THEIR_SECRET} ผู้ติดตาม"
        ),
        "officer": make_staff(
            theirs["office"],
            roles=[Role.PROJECT_OFFICER],
            group=theirs["group_a"],
            first_name=f"{THEIR_SECRET} เจ้าหน้าที่",
        ),
    }
    world.objects["head_assignment"] = GroupHeadAssignmentFactory(
        group=ours["group_a"], person=people["head_own"]
    )
    GroupHeadAssignmentFactory(
        group=ours["group_b"],
        person=people["head_other"],
        kind=GroupHeadAssignment.Kind.ACTING,
    )
    theirs["head_assignment"] = GroupHeadAssignmentFactory(
        group=theirs["group_a"], person=their_people["officer"]
    )
    ProjectResponsibleFactory(project=ours["project"], person=people["officer"])
    ProjectResponsibleFactory(project=ours["draft"], person=people["officer"])
    ProjectResponsibleFactory(project=theirs["project"], person=their_people["officer"])
    world.objects["person"] = people["officer"]
    theirs["person"] = their_people["officer"]
    theirs["login"] = their_people["viewer"].user
    _office_admin_objects(ours, people, OUR_SECRET)
    _office_admin_objects(theirs, their_people, THEIR_SECRET)
    world.objects.update(
        {
            key: ours[key]
            for key in (
                "book_section",
                "indicator_result",
                "document_job",
                "task_record",
                "trash",
            )
        }
    )
    _admin_only_objects(world, ours, people)
    for role, person in people.items():
        user = person.user
        user.is_staff = role in STAFF_ROLES
        user.save(update_fields=["is_staff"])
        world.users[role] = user
    # The overseer of a region our office sits under (the other office
    # does not): reads our office on the network pages, writes nothing.
    region = OrganizationFactory(
        short_name="ศธภ.ทดสอบ", name="สำนักงานศึกษาธิการภาคทดสอบ", kind="region"
    )
    office.parent = region
    office.save()
    world.objects["region"] = region
    world.users["overseer"] = make_staff(
        region, roles=[Role.OVERSEER], first_name="ผู้กำกับติดตาม"
    ).user
    world.users["anonymous"] = None
    world.users["superuser"] = _superuser("root")
    # Escalation targets: an office admin must never reach these logins.
    world.objects["su_person"] = _superuser(
        "su-with-person", office, first_name="ผู้ดูแลระบบกลาง"
    )
    world.objects["su_plain"] = _superuser("su-plain")
    return world
