"""Progress fixtures: this fiscal year's plan of the cast's office with one
approved project per group, and the four reporting rounds.

- ``project_a`` (group A): two activities, a percent KPI (ไม่น้อยกว่าร้อยละ 80),
  a count KPI (ไม่น้อยกว่า 300 คน) and a text KPI; ``officer`` is named on it.
- ``project_b`` (group B, acting head ``head_b``).
"""

import pytest

from core.thai import current_fiscal_year
from progress.services import round_create_for_year
from tests.factories import (
    ActivityFactory,
    PlanFactory,
    ProjectFactory,
    ProjectKPIFactory,
    ProjectResponsibleFactory,
)

FY = current_fiscal_year()


@pytest.fixture
def plan(office):
    return PlanFactory(organization=office, fiscal_year=FY)


@pytest.fixture
def rounds(office):
    return round_create_for_year(organization=office, fiscal_year=FY)


@pytest.fixture
def round1(rounds):
    return rounds[0]


@pytest.fixture
def round2(rounds):
    return rounds[1]


def make_project(plan, group, **fields):
    return ProjectFactory(plan=plan, group=group, status="approved", **fields)


@pytest.fixture
def project_a(plan, group_a, officer):
    project = make_project(plan, group_a, name="โครงการพัฒนาการอ่านออกเขียนได้")
    ActivityFactory(project=project, order=1, name="ประชุมชี้แจงโรงเรียน")
    ActivityFactory(project=project, order=2, name="นิเทศติดตามการอ่าน")
    ProjectKPIFactory(project=project, order=1, target_value=80)
    ProjectKPIFactory(
        project=project,
        order=2,
        name="จำนวนนักเรียนที่ได้รับการพัฒนา",
        unit="count",
        unit_label="คน",
        target_value=300,
    )
    ProjectKPIFactory(
        project=project,
        order=3,
        name="ผลการประเมินความพึงพอใจ",
        unit="text",
        target_value=None,
        target_text="ระดับดีขึ้นไป",
    )
    ProjectResponsibleFactory(project=project, person=officer.person)
    return project


@pytest.fixture
def project_b(plan, group_b):
    return make_project(plan, group_b, name="โครงการสรรหาบุคลากร")
