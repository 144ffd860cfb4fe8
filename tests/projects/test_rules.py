"""Every rule of projects.rules, allowed and refused."""

import pytest

from core.models import Person
from projects import rules
from projects.models import Project
from tests.factories import ProjectFactory, ProjectResponsibleFactory

pytestmark = pytest.mark.django_db

S = Project.Status


def _at(project, status):
    project.status = status
    project.save(update_fields=["status"])
    return project


# ------------------------------------------------------------------ view


def test_everyone_of_the_office_may_view_and_outsiders_may_not(
    project, planner, head_b, viewer, director, outsider
):
    for user in (planner, head_b, viewer, director):
        assert rules.can_view_project(user, project)
    assert not rules.can_view_project(outsider, project)


# ------------------------------------------------------------------ edit


@pytest.mark.parametrize("status", [S.DRAFT, S.RETURNED])
def test_head_of_the_group_edits_draft_and_returned(project, head_a, status):
    assert rules.can_edit_project(head_a, _at(project, status))


@pytest.mark.parametrize("status", [S.SUBMITTED, S.CHECKED, S.APPROVED])
def test_head_of_the_group_cannot_edit_once_submitted(project, head_a, status):
    assert not rules.can_edit_project(head_a, _at(project, status))


def test_acting_head_edits_own_group_only(plan, group_a, group_b, head_b):
    own = ProjectFactory(plan=plan, group=group_b)
    other = ProjectFactory(plan=plan, group=group_a)
    assert rules.can_edit_project(head_b, own)
    assert not rules.can_edit_project(head_b, other)


def test_officer_edits_only_projects_naming_them(project, officer):
    assert not rules.can_edit_project(officer, project)
    person = Person.objects.get(user=officer)
    ProjectResponsibleFactory(project=project, person=person)
    fresh = Project.objects.get(pk=project.pk)
    assert rules.can_edit_project(officer, fresh)
    assert not rules.can_edit_project(officer, _at(fresh, S.SUBMITTED))


@pytest.mark.parametrize("status", [S.DRAFT, S.RETURNED, S.SUBMITTED, S.CHECKED])
def test_planner_edits_every_state_but_approved(project, planner, status):
    assert rules.can_edit_project(planner, _at(project, status))


def test_nobody_edits_an_approved_project(project, planner, head_a, director):
    _at(project, S.APPROVED)
    for user in (planner, head_a, director):
        assert not rules.can_edit_project(user, project)


def test_viewer_director_and_outsider_never_edit(project, viewer, director, outsider):
    for user in (viewer, director, outsider):
        assert not rules.can_edit_project(user, project)


# ------------------------------------------------------------------ workflow


def test_submit_by_group_or_planner_while_draft(project, head_a, planner, head_b):
    assert rules.can_submit_project(head_a, project)
    assert rules.can_submit_project(planner, project)
    assert not rules.can_submit_project(head_b, project)
    assert not rules.can_submit_project(head_a, _at(project, S.SUBMITTED))


def test_check_only_by_planner_when_submitted(project, planner, head_a, director):
    assert not rules.can_check_project(planner, project)
    _at(project, S.SUBMITTED)
    assert rules.can_check_project(planner, project)
    assert not rules.can_check_project(head_a, project)
    assert not rules.can_check_project(director, project)


def test_approve_only_by_director_when_checked(project, planner, director, outsider):
    _at(project, S.SUBMITTED)
    assert not rules.can_approve_project(director, project)
    _at(project, S.CHECKED)
    assert rules.can_approve_project(director, project)
    assert not rules.can_approve_project(planner, project)
    assert not rules.can_approve_project(outsider, project)


@pytest.mark.parametrize("status", [S.SUBMITTED, S.CHECKED])
def test_return_by_planner_or_director(project, planner, director, head_a, status):
    _at(project, status)
    assert rules.can_return_project(planner, project)
    assert rules.can_return_project(director, project)
    assert not rules.can_return_project(head_a, project)


@pytest.mark.parametrize("status", [S.DRAFT, S.RETURNED, S.APPROVED])
def test_return_refused_outside_review(project, planner, status):
    assert not rules.can_return_project(planner, _at(project, status))


def test_revise_only_approved_by_planner_or_group_head(
    project, planner, head_a, head_b, officer, director
):
    assert not rules.can_revise_project(planner, project)
    _at(project, S.APPROVED)
    assert rules.can_revise_project(planner, project)
    assert rules.can_revise_project(head_a, project)
    for user in (head_b, officer, director):
        assert not rules.can_revise_project(user, project)


def test_add_project_for_heads_and_planners_only(
    group_a, group_b, planner, head_a, officer, viewer
):
    assert rules.can_add_project(planner, group_b)
    assert rules.can_add_project(head_a, group_a)
    assert not rules.can_add_project(head_a, group_b)
    assert not rules.can_add_project(officer)
    assert not rules.can_add_project(viewer)


def test_allowed_actions_lists_the_buttons(project, head_a):
    assert rules.allowed_actions(head_a, project) == {
        "edit": True,
        "submit": True,
        "check": False,
        "approve": False,
        "return": False,
        "revise": False,
        "revise_submit": False,
        "revise_approve": False,
        "revise_return": False,
    }
