"""Project fixtures on top of the shared cast: one plan (FY 2568) of the test
office, one of its strategies, and a project of group A."""

import datetime

import pytest

from tests.factories import (
    ActivityFactory,
    ExpectedResultFactory,
    ObjectiveFactory,
    PlanFactory,
    ProjectFactory,
    ProjectKPIFactory,
    ProjectResponsibleFactory,
    ProjectTargetFactory,
    StrategyFactory,
)


@pytest.fixture
def plan(office):
    return PlanFactory(organization=office, fiscal_year=2568)


@pytest.fixture
def strategy(plan):
    return StrategyFactory(plan=plan, number=1, title="พัฒนาคุณภาพผู้เรียน")


@pytest.fixture
def project(plan, group_a):
    return ProjectFactory(
        plan=plan,
        group=group_a,
        code="68-001",
        name="โครงการพัฒนาครูด้านการจัดการเรียนรู้เชิงรุก",
        start_month=datetime.date(2024, 10, 1),
        end_month=datetime.date(2025, 9, 1),
        uses_budget=False,
    )


def complete(project, strategy, *, officer_person=None):
    """Fill every part that submission requires (and the other sections)."""
    project.strategies.add(strategy)
    ObjectiveFactory(project=project, order=1)
    ProjectKPIFactory(project=project, order=1)
    ProjectTargetFactory(project=project)
    ExpectedResultFactory(project=project)
    ActivityFactory(project=project, order=1, months=["2024-11-01", "2024-12-01"])
    if officer_person is not None:
        ProjectResponsibleFactory(project=project, person=officer_person, order=1)
    else:
        ProjectResponsibleFactory(project=project, order=1)
    return project


@pytest.fixture
def ready_project(project, strategy):
    return complete(project, strategy)
