"""An office with a published, approved year beside everything that must
stay unpublished: a draft project in that very plan, a plan not yet
approved, a year the office did not publish, and another office."""

import datetime
from dataclasses import dataclass

import pytest

from core.roles import Role
from plans.models import Plan
from projects.models import Project
from public.services import public_settings_save
from tests.factories import (
    ActivityFactory,
    CostLineFactory,
    DisbursementFactory,
    OrganizationFactory,
    PlanFactory,
    ProjectFactory,
    QuarterPlanFactory,
    make_staff,
)

YEAR = 2568
PUBLIC_NAME = "โครงการอ่านออกเขียนได้เผยแพร่"
#: What must never appear on a public page, workbook or pack.
DRAFT_NAME = "โครงการร่างที่ยังไม่อนุมัติ"
DRAFT_AMOUNT = 777777
UNAPPROVED_PLAN_NAME = "โครงการในแผนที่ยังไม่อนุมัติ"
UNPUBLISHED_NAME = "โครงการของปีที่ไม่เผยแพร่"
OTHER_OFFICE_NAME = "โครงการของสำนักงานอื่น"
OTHER_AMOUNT = 654321
EMAIL = "planner.secret@example.com"
PHONE = "081-234-5678"
USERNAME = "planner-login-secret"


def _project(plan, name, status=Project.Status.APPROVED, amount=2400, paid=1000):
    project = ProjectFactory(plan=plan, name=name, status=status)
    activity = ActivityFactory(project=project)
    CostLineFactory(activity=activity, amount=amount)
    QuarterPlanFactory(activity=activity, quarter=1, amount=amount)
    if paid:
        DisbursementFactory(
            activity=activity, amount=paid, paid_on=datetime.date(2024, 11, 15)
        )
    return project


@dataclass
class World:
    office: object
    planner: object
    plan: Plan
    project: Project
    draft: Project
    unpublished_plan: Plan
    unapproved_plan: Plan
    other_office: object
    other_plan: Plan


@pytest.fixture
def world(db):
    return build_world()


def build_world() -> World:
    office = OrganizationFactory(
        name="สำนักงานเขตพื้นที่การศึกษาประถมศึกษาเผยแพร่ เขต 1",
        short_name="สพป.เผยแพร่ เขต 1",
        email=EMAIL,
        phone=PHONE,
    )
    planner = make_staff(office, roles=[Role.PLANNER], email=EMAIL, phone=PHONE).user
    planner.username = USERNAME
    planner.save()
    plan = PlanFactory(organization=office, fiscal_year=YEAR, status="approved")
    project = _project(plan, PUBLIC_NAME, amount=2400, paid=1000)
    draft = _project(plan, DRAFT_NAME, Project.Status.DRAFT, amount=DRAFT_AMOUNT)
    unpublished_plan = PlanFactory(
        organization=office, fiscal_year=YEAR - 1, status="approved"
    )
    _project(unpublished_plan, UNPUBLISHED_NAME)
    unapproved_plan = PlanFactory(
        organization=office, fiscal_year=YEAR + 1, status="submitted"
    )
    _project(unapproved_plan, UNAPPROVED_PLAN_NAME)
    public_settings_save(
        user=planner, organization=office, slug="phoeiphrae1", years=[YEAR, YEAR + 1]
    )

    other_office = OrganizationFactory(short_name="สพม.อื่น เผยแพร่")
    other_planner = make_staff(other_office, roles=[Role.PLANNER]).user
    other_plan = PlanFactory(
        organization=other_office, fiscal_year=YEAR, status="approved"
    )
    _project(other_plan, OTHER_OFFICE_NAME, amount=OTHER_AMOUNT)
    public_settings_save(
        user=other_planner, organization=other_office, slug="uen", years=[YEAR]
    )
    return World(
        office=office,
        planner=planner,
        plan=plan,
        project=project,
        draft=draft,
        unpublished_plan=unpublished_plan,
        unapproved_plan=unapproved_plan,
        other_office=other_office,
        other_plan=other_plan,
    )
