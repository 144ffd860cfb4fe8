"""Planners and admins edit the direction; every role of the office reads it;
other offices see nothing (rules, services and the HTML pages)."""

import pytest
from django.urls import reverse

from plans import rules
from plans.models import Plan

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("who", ["planner", "admin_user"])
def test_planners_and_admins_edit_the_direction(request, plan, who):
    user = request.getfixturevalue(who)
    assert rules.can_edit_direction(user, plan)
    assert rules.can_read_plan(user, plan)


def test_office_admin_role_edits_the_direction(plan, office):
    from core.roles import Role
    from tests.factories import make_staff

    office_admin = make_staff(office, roles=[Role.ADMIN]).user
    assert rules.can_edit_direction(office_admin, plan)


@pytest.mark.parametrize("who", ["head_a", "head_b", "officer", "director", "viewer"])
def test_other_roles_read_but_do_not_edit(request, plan, who):
    user = request.getfixturevalue(who)
    assert rules.can_read_plan(user, plan)
    assert not rules.can_edit_direction(user, plan)


def test_another_office_neither_reads_nor_edits(plan, outsider):
    assert not rules.can_read_plan(outsider, plan)
    assert not rules.can_edit_direction(outsider, plan)


def test_only_the_director_approves(plan, director, planner, head_a):
    assert rules.can_approve_plan(director, plan)
    assert not rules.can_approve_plan(planner, plan)
    assert not rules.can_approve_plan(head_a, plan)


# ---------------------------------------------------------------- pages


def test_anonymous_is_sent_to_login(client, plan):
    for url in (
        reverse("plans:index"),
        reverse("plans:direction", args=[plan.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("who", ["head_a", "director", "viewer", "planner"])
def test_office_roles_read_the_direction_page(client, request, plan, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("plans:index")).status_code == 200
    assert client.get(reverse("plans:direction", args=[plan.pk])).status_code == 200


def test_other_office_gets_404_and_does_not_see_our_plans(client, plan, outsider):
    client.force_login(outsider)
    assert client.get(reverse("plans:direction", args=[plan.pk])).status_code == 404
    content = client.get(reverse("plans:index")).content.decode()
    assert "กลยุทธ์ทดสอบ" not in content
    assert plan.display_title not in content


def test_user_without_office_is_refused_in_thai(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("nobody", password="x"))
    response = client.get(reverse("plans:index"))
    assert response.status_code == 403


def test_planner_submits_from_the_page_and_director_approves(
    client, plan, planner, director
):
    client.force_login(planner)
    response = client.post(reverse("plans:submit", args=[plan.pk]), follow=True)
    assert "เสนออนุมัติแผนแล้ว" in response.content.decode()
    client.force_login(director)
    response = client.post(reverse("plans:approve", args=[plan.pk]), follow=True)
    assert "อนุมัติแผนแล้ว" in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == Plan.Status.APPROVED


def test_group_head_cannot_submit_or_approve_from_the_page(client, plan, head_a):
    client.force_login(head_a)
    assert client.post(reverse("plans:submit", args=[plan.pk])).status_code == 403
    assert client.post(reverse("plans:approve", args=[plan.pk])).status_code == 403
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DRAFT


def test_outsider_cannot_submit_our_plan(client, plan, outsider):
    client.force_login(outsider)
    assert client.post(reverse("plans:submit", args=[plan.pk])).status_code == 404
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DRAFT


def test_approving_a_draft_shows_the_thai_error(client, plan, director):
    client.force_login(director)
    response = client.post(reverse("plans:approve", args=[plan.pk]), follow=True)
    assert "อนุมัติได้เฉพาะแผนที่เสนออนุมัติแล้ว" in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DRAFT
