"""Validation of the sheet's parts and section completeness."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from budgets.rollups import with_section_counts
from plans.indicators import ERROR_PERCENT_RANGE
from projects import models as project_models
from projects.models import Project
from tests.factories import (
    ActivityFactory,
    CostLineFactory,
    ObjectiveFactory,
    ProjectFactory,
    ProjectKPIFactory,
)

pytestmark = pytest.mark.django_db


def test_end_before_start_is_a_thai_field_error(project):
    project.end_month = datetime.date(2024, 9, 1)
    with pytest.raises(ValidationError) as error:
        project.full_clean()
    assert error.value.error_dict["end_month"][0].code == "end_before_start"
    assert error.value.message_dict["end_month"] == [
        project_models.ERROR_END_BEFORE_START
    ]


def test_blank_objective_is_refused(project):
    objective = ObjectiveFactory.build(project=project, text="   ")
    with pytest.raises(ValidationError) as error:
        objective.full_clean()
    assert "text" in error.value.error_dict


def test_kpi_percent_over_100_is_refused(project):
    kpi = ProjectKPIFactory.build(project=project, unit="percent", target_value=120)
    with pytest.raises(ValidationError) as error:
        kpi.full_clean()
    assert error.value.message_dict["target_value"] == [ERROR_PERCENT_RANGE]


def test_activity_months_must_be_first_of_month_dates(project):
    activity = ActivityFactory.build(project=project, months=["2024-11-15"])
    with pytest.raises(ValidationError) as error:
        activity.full_clean()
    assert error.value.error_dict["months"][0].code == "bad_month"


def test_sub_activities_nest_one_level_within_one_project(project, plan):
    top = ActivityFactory(project=project)
    child = ActivityFactory(project=project, parent=top)
    grandchild = ActivityFactory.build(project=project, parent=child)
    with pytest.raises(ValidationError) as error:
        grandchild.full_clean()
    assert error.value.error_dict["parent"][0].code == "parent_nested"
    elsewhere = ActivityFactory.build(project=ProjectFactory(plan=plan), parent=top)
    with pytest.raises(ValidationError) as error:
        elsewhere.full_clean()
    assert error.value.error_dict["parent"][0].code == "parent_other_project"


def test_months_outside_the_project_period(project):
    activity = ActivityFactory(
        project=project, months=["2024-09-01", "2024-10-01", "2025-10-01"]
    )
    assert activity.months_outside(project.start_month, project.end_month) == [
        datetime.date(2024, 9, 1),
        datetime.date(2025, 10, 1),
    ]


def test_sections_of_an_empty_project_are_missing_but_rationale(project):
    project = with_section_counts(Project.objects.all()).get(pk=project.pk)
    sections = {s.number: s.complete for s in project.sections()}
    # uses_budget is False in the fixture, so section 4 is complete
    assert sections == {
        1: True,
        2: False,
        3: False,
        4: True,
        5: False,
        6: False,
        7: False,
        8: False,
    }


def test_sections_of_a_complete_project(ready_project):
    project = with_section_counts(Project.objects.all()).get(pk=ready_project.pk)
    assert all(section.complete for section in project.sections())
    assert project.missing_sections() == []


def test_sections_refuse_a_project_loaded_without_the_counts(ready_project):
    """Without ``n_cost_lines`` section 4 cannot be told, so no guess."""
    project = Project.objects.with_part_counts().get(pk=ready_project.pk)
    with pytest.raises(AttributeError):
        project.sections()


def test_activity_without_months_leaves_the_schedule_incomplete(ready_project):
    ActivityFactory(project=ready_project, months=[])
    counted = with_section_counts(Project.objects.all()).get(pk=ready_project.pk)
    assert counted.n_activities == 2
    assert counted.n_activities_without_months == 1
    assert [s.number for s in counted.missing_sections()] == [6]


def test_budget_section_needs_cost_lines_when_the_project_uses_budget(ready_project):
    Project.objects.filter(pk=ready_project.pk).update(uses_budget=True)
    project = with_section_counts(Project.objects.all()).get(pk=ready_project.pk)
    assert [s.number for s in project.missing_sections()] == [4]
    CostLineFactory(activity=project.activities.get())
    project = with_section_counts(Project.objects.all()).get(pk=ready_project.pk)
    assert project.missing_sections() == []


def test_section_counts_do_not_multiply(ready_project):
    for order in range(2, 5):
        ActivityFactory(project=ready_project, order=order)
        ObjectiveFactory(project=ready_project, order=order)
    counted = with_section_counts(Project.objects.all()).get(pk=ready_project.pk)
    assert (counted.n_activities, counted.n_objectives, counted.n_kpis) == (4, 4, 1)
    assert counted.n_strategies == 1


@pytest.mark.parametrize(
    ("months", "error"),
    [
        # The plan's year (FY 2568) and the next one: allowed.
        (["2024-10-01", "2025-09-01", "2025-10-01", "2026-09-01"], None),
        # Past the project's period (June 2568 – March 2569) but within the
        # next year: allowed; the sheet checker warns of it.
        (["2026-04-01"], None),
        # Past the next fiscal year, or before the plan's: refused in Thai.
        (["2026-10-01"], "อยู่นอกปีงบประมาณ 2568 (ต.ค. 2567 – ก.ย. 2568)"),
        (["2024-09-01"], "และปีงบประมาณถัดไป 2569 (ต.ค. 2568 – ก.ย. 2569)"),
    ],
)
def test_activity_months_run_into_the_next_fiscal_year_at_most(months, error):
    """Issue 18: seed 000's 2.6, 2.9 and 2.10 run June 2562 – March 2563 in
    the FY 2562 plan, and 2.11 (period June – July 2562) reports in March
    2563: an activity's months may reach into the next fiscal year."""
    project = ProjectFactory(
        plan__fiscal_year=2568,
        start_month=datetime.date(2025, 6, 1),
        end_month=datetime.date(2026, 3, 1),
    )
    activity = ActivityFactory(project=project, months=months)
    if error is None:
        activity.full_clean()
        return
    with pytest.raises(ValidationError) as raised:
        activity.full_clean()
    [message] = raised.value.message_dict["months"]
    assert error in message
