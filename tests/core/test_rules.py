"""Each rule is proven both ways: who may, and who may not."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser

from core import rules
from core.models import GroupHeadAssignment
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_group_head_edits_only_their_own_group(head_a, group_a, group_b):
    assert rules.can_edit_group_work(head_a, group_a)
    assert not rules.can_edit_group_work(head_a, group_b)


def test_acting_head_edits_the_group_they_act_for(head_b, group_a, group_b):
    assert rules.can_edit_group_work(head_b, group_b)
    assert not rules.can_edit_group_work(head_b, group_a)


def test_head_loses_rights_when_the_assignment_ends(head_a, group_a):
    GroupHeadAssignment.objects.filter(person__user=head_a).update(
        end_date=datetime.date(2021, 1, 1)
    )
    fresh = type(head_a).objects.get(pk=head_a.pk)
    assert not rules.can_edit_group_work(fresh, group_a)


def test_planner_edits_every_group_of_their_office(planner, group_a, group_b):
    assert rules.can_edit_group_work(planner, group_a)
    assert rules.can_edit_group_work(planner, group_b)
    assert rules.can_manage_office(planner, group_a.organization)


def test_outsider_planner_touches_nothing_of_another_office(outsider, office, group_a):
    assert not rules.can_view(outsider, office)
    assert not rules.can_manage_office(outsider, office)
    assert not rules.can_edit_group_work(outsider, group_a)
    assert not rules.can_approve(outsider, office)


def test_project_officer_edits_only_work_they_are_named_on(officer, group_a, office):
    me = rules.person_of(officer)
    someone_else = PersonFactory(organization=office)
    assert rules.can_edit_owned_work(officer, group=group_a, responsible=[me])
    assert rules.can_edit_owned_work(officer, group=group_a, responsible=[me.pk])
    assert not rules.can_edit_owned_work(
        officer, group=group_a, responsible=[someone_else]
    )
    assert not rules.can_edit_group_work(officer, group_a)


def test_group_head_is_not_an_officer_of_other_groups_work(head_a, group_b):
    me = rules.person_of(head_a)
    # named on it, but lacks the project-officer role and does not head group B
    assert not rules.can_edit_owned_work(head_a, group=group_b, responsible=[me])


def test_only_the_director_approves(director, planner, head_a, viewer, office):
    assert rules.can_approve(director, office)
    for user in (planner, head_a, viewer):
        assert not rules.can_approve(user, office)


def test_director_does_not_approve_for_another_office(director, other_office):
    assert not rules.can_approve(director, other_office)


def test_viewer_reads_but_does_not_edit(viewer, office, group_a):
    assert rules.can_view(viewer, office)
    assert not rules.can_edit_group_work(viewer, group_a)
    assert not rules.can_manage_office(viewer, office)
    assert not rules.can_record_disbursement(viewer, office)


def test_anonymous_and_inactive_users_get_nothing(office, group_a, planner):
    anonymous = AnonymousUser()
    assert not rules.can_view(anonymous, office)
    assert not rules.can_edit_group_work(anonymous, group_a)
    planner.is_active = False
    assert not rules.can_view(planner, office)
    assert not rules.can_edit_group_work(planner, group_a)


def test_user_without_a_role_sees_nothing(office):
    person = PersonFactory(organization=office, user=UserFactory())
    assert not rules.can_view(person.user, office)


def test_superuser_may_manage_any_office_but_not_approve(office, group_a):
    root = UserFactory(is_superuser=True)
    assert rules.can_manage_office(root, office)
    assert rules.can_edit_group_work(root, group_a)
    assert not rules.can_approve(root, office)


def test_finance_records_disbursements(office):
    from core.roles import Role
    from tests.factories import make_staff

    finance = make_staff(office, roles=[Role.FINANCE]).user
    assert rules.can_record_disbursement(finance, office)
