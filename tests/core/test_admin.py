import datetime

import pytest
from django.urls import reverse

from core.models import GroupHeadAssignment
from tests.factories import GroupHeadAssignmentFactory, PersonFactory

pytestmark = pytest.mark.django_db

MODELS = [
    "organization",
    "standardgroup",
    "officegroup",
    "person",
    "groupheadassignment",
]


@pytest.mark.parametrize("model", MODELS)
def test_admin_changelist_add_and_search_render(admin_client, office, model):
    GroupHeadAssignmentFactory(group__organization=office)
    changelist = reverse(f"admin:core_{model}_changelist")
    assert admin_client.get(changelist).status_code == 200
    assert admin_client.get(changelist, {"q": "ทดสอบ"}).status_code == 200
    assert admin_client.get(reverse(f"admin:core_{model}_add")).status_code == 200


def test_admin_is_thai_and_uses_sarabun(admin_client):
    content = admin_client.get(reverse("admin:index")).content.decode()
    assert "Phaen (แผน)" in content
    assert "css/fonts.css" in content
    assert 'lang="th"' in content


def test_admin_accepts_buddhist_era_dates(admin_client, office, group_a):
    person = PersonFactory(organization=office)
    response = admin_client.post(
        reverse("admin:core_groupheadassignment_add"),
        {
            "group": group_a.pk,
            "person": person.pk,
            "kind": GroupHeadAssignment.Kind.ACTING,
            "start_date": "1 ต.ค. 2566",
            "end_date": "",
            "order_reference": "",
        },
    )
    assert response.status_code == 302, response.content.decode()
    assignment = GroupHeadAssignment.objects.get(person=person)
    assert assignment.start_date == datetime.date(2023, 10, 1)
    change = admin_client.get(
        reverse("admin:core_groupheadassignment_change", args=[assignment.pk])
    )
    assert 'value="01/10/2566"' in change.content.decode()


def test_admin_rejects_malformed_date_and_keeps_the_form(admin_client, office, group_a):
    person = PersonFactory(organization=office)
    response = admin_client.post(
        reverse("admin:core_groupheadassignment_add"),
        {
            "group": group_a.pk,
            "person": person.pk,
            "kind": "1_head",
            "start_date": "32/13/2566",
        },
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "วันที่ไม่ถูกต้อง" in content
    assert 'value="32/13/2566"' in content
    assert not GroupHeadAssignment.objects.filter(person=person).exists()


def test_admin_action_adds_standard_groups(admin_client, office):
    from django.core.management import call_command

    call_command("loaddata", "standard_groups", verbosity=0)
    response = admin_client.post(
        reverse("admin:core_organization_changelist"),
        {"action": "add_standard_groups", "_selected_action": [office.pk]},
        follow=True,
    )
    assert "เพิ่มกลุ่มแล้ว 10 กลุ่ม" in response.content.decode()
    assert office.groups.count() == 10


def test_group_head_without_staff_flag_cannot_open_admin(client, head_a):
    client.force_login(head_a)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302


# ------------------------------------------------------------ office admins


@pytest.fixture
def office_admin(client, office):
    """An office's own administrator: staff with the admin role, not superuser."""
    from core.roles import Role
    from tests.factories import make_staff

    user = make_staff(office, roles=[Role.ADMIN], first_name="ผู้ดูแล").user
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    client.force_login(user)
    return user


def test_office_admin_manages_only_the_office_logins(
    client, office_admin, planner, outsider
):
    content = client.get(reverse("admin:auth_user_changelist")).content.decode()
    assert planner.username in content
    assert outsider.username not in content
    change = client.get(reverse("admin:auth_user_change", args=[outsider.pk]))
    assert change.status_code == 302  # "not found" for another office's login


def test_office_admin_cannot_grant_superuser_or_loose_permissions(
    client, office_admin, planner
):
    from django.contrib.auth.models import Group

    Group.objects.create(name="กลุ่มที่ไม่ใช่บทบาท")
    response = client.get(reverse("admin:auth_user_change", args=[planner.pk]))
    content = response.content.decode()
    assert response.status_code == 200
    assert 'name="is_superuser"' not in content
    assert 'name="user_permissions"' not in content
    assert "กลุ่มที่ไม่ใช่บทบาท" not in content
    assert "นโยบายและแผน" in content


def test_office_admin_new_login_needs_its_staff_record(client, office_admin, office):
    from django.contrib.auth import get_user_model

    response = client.post(
        reverse("admin:auth_user_add"),
        {
            "username": "new_clerk",
            "password1": "a-long-enough-Passw0rd",
            "password2": "a-long-enough-Passw0rd",
            "usable_password": "true",
            "person-TOTAL_FORMS": "0",
            "person-INITIAL_FORMS": "0",
            "person-MIN_NUM_FORMS": "1",
            "person-MAX_NUM_FORMS": "1",
        },
    )
    assert response.status_code == 200
    assert "กรุณากรอกข้อมูลบุคลากร" in response.content.decode()
    assert not get_user_model().objects.filter(username="new_clerk").exists()


def test_office_admin_sees_only_the_own_office(
    client, office_admin, office, other_office
):
    content = client.get(reverse("admin:core_organization_changelist")).content
    assert office.short_name in content.decode()
    assert other_office.short_name not in content.decode()
    assert client.get(reverse("admin:core_organization_add")).status_code == 403
