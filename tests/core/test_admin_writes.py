"""The office's own admins (the office, its groups, staff and group heads,
the standard groups, a login's staff record) write through ``core.services``
(issue 14 item 2): each change page's valid save runs the service, which
records the user, and the services refuse who does not manage the office."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

import core.admin
from core import services
from core.models import (
    GroupHeadAssignment,
    OfficeGroup,
    Organization,
    Person,
    StandardGroup,
)
from core.roles import Role
from tests.factories import OfficeGroupFactory, make_staff
from tests.html_forms import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def office_admin(office):
    user = make_staff(office, roles=[Role.ADMIN], first_name="ผู้ดูแล").user
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return user


@pytest.fixture
def spy(monkeypatch):
    """Replace ``core.admin.<name>`` by a recorder around the service."""
    calls = []

    def install(name):
        service = getattr(services, name)

        def recorded(**kwargs):
            calls.append((name, kwargs["user"]))
            return service(**kwargs)

        monkeypatch.setattr(core.admin, name, recorded)

    return install, calls


def _post_change(client, url, **changes):
    data = form_data(client.get(url).content)
    data.update(changes)
    return client.post(url, data)


@pytest.mark.parametrize(
    "target, service, changes",
    [
        ("organization", "organization_save", {"phone": "045-123456"}),
        ("officegroup", "office_group_save", {"short_name": "กลุ่มส่งเสริมฯ"}),
        ("person", "person_save", {"position": "นักวิเคราะห์นโยบายและแผนชำนาญการ"}),
        ("groupheadassignment", "group_head_save", {"kind": "2_acting"}),
    ],
)
def test_an_office_admin_saves_the_office_through_the_services(
    client, office_admin, office, group_a, head_a, spy, target, service, changes
):
    install, calls = spy
    install(service)
    obj = {
        "organization": office,
        "officegroup": group_a,
        "person": Person.objects.get(user=head_a),
        "groupheadassignment": GroupHeadAssignment.objects.get(group=group_a),
    }[target]
    client.force_login(office_admin)

    response = _post_change(
        client, reverse(f"admin:core_{target}_change", args=[obj.pk]), **changes
    )

    assert response.status_code == 302, response.content.decode()[:1500]
    assert (service, office_admin) in calls
    stored = type(obj).objects.get(pk=obj.pk)
    for field, value in changes.items():
        assert getattr(stored, field) == value
    assert stored.history.first().history_user == office_admin


def test_a_logins_staff_record_is_saved_through_person_save(
    client, office_admin, head_a, spy
):
    install, calls = spy
    install("person_save")
    client.force_login(office_admin)
    url = reverse("admin:auth_user_change", args=[head_a.pk])

    response = _post_change(client, url, **{"person-0-position": "ผู้อำนวยการกลุ่ม"})

    assert response.status_code == 302, response.content.decode()[:1500]
    assert ("person_save", office_admin) in calls
    assert Person.objects.get(user=head_a).position == "ผู้อำนวยการกลุ่ม"


def test_the_offices_groups_are_saved_through_office_group_save(
    client, office_admin, office, group_a, spy
):
    install, calls = spy
    install("office_group_save")
    client.force_login(office_admin)
    url = reverse("admin:core_organization_change", args=[office.pk])
    data = form_data(client.get(url).content)
    row = next(
        key.removesuffix("-id")
        for key, value in data.items()
        if key.endswith("-id") and value == str(group_a.pk)
    )
    data[f"{row}-short_name"] = "กลุ่มส่งเสริม"

    response = client.post(url, data)

    assert response.status_code == 302, response.content.decode()[:1500]
    assert ("office_group_save", office_admin) in calls
    assert OfficeGroup.objects.get(pk=group_a.pk).short_name == "กลุ่มส่งเสริม"


def test_a_standard_group_is_saved_by_a_superuser_through_the_service(
    admin_client, admin_user, monkeypatch
):
    calls = []
    service = services.standard_group_save
    monkeypatch.setattr(
        core.admin,
        "standard_group_save",
        lambda **kwargs: calls.append(kwargs["user"]) or service(**kwargs),
    )
    group = StandardGroup.objects.create(code="std-y", name="กลุ่มวาย", order=9)
    url = reverse("admin:core_standardgroup_change", args=[group.pk])

    response = _post_change(admin_client, url, name="กลุ่มวายใหม่")

    assert response.status_code == 302
    assert calls == [admin_user]
    assert StandardGroup.objects.get(pk=group.pk).name == "กลุ่มวายใหม่"


def _snapshot(office, group_a):
    return (
        Organization.objects.filter(pk=office.pk).values_list("phone").get(),
        OfficeGroup.objects.filter(pk=group_a.pk).values_list("short_name").get(),
        list(Person.objects.filter(organization=office).values_list("position")),
        GroupHeadAssignment.objects.filter(group=group_a).count(),
        StandardGroup.objects.count(),
    )


def test_the_services_refuse_who_does_not_manage_the_office(
    outsider, office_admin, office, group_a, head_a
):
    """A planner of another office, and an office admin on shared rows."""
    before = _snapshot(office, group_a)
    person = Person.objects.get(user=head_a)
    office.phone, group_a.short_name, person.position = "1", "x", "y"
    attempts = [
        lambda: services.organization_save(organization=office, user=outsider),
        lambda: services.office_group_save(group=group_a, user=outsider),
        lambda: services.office_group_save(
            group=OfficeGroup(organization=office, name="กลุ่มใหม่"), user=outsider
        ),
        lambda: services.person_save(person=person, user=outsider),
        lambda: services.person_delete(person=person, user=outsider),
        lambda: services.group_head_delete(
            assignment=GroupHeadAssignment.objects.get(group=group_a), user=outsider
        ),
        lambda: services.organization_delete(organization=office, user=office_admin),
        lambda: services.standard_group_save(
            group=StandardGroup(code="std-z", name="กลุ่มแซด"), user=office_admin
        ),
    ]
    for attempt in attempts:
        with pytest.raises(PermissionDenied):
            attempt()
    assert _snapshot(office, group_a) == before


def test_a_person_moved_to_another_office_needs_both_offices(
    office_admin, office, other_office, head_a
):
    """The office admin may not hand a person to (or take one from) an office
    he does not manage, even with a valid record."""
    person = Person.objects.get(user=head_a)
    person.organization, person.group = (
        other_office,
        OfficeGroupFactory(organization=other_office),
    )
    with pytest.raises(PermissionDenied):
        services.person_save(person=person, user=office_admin)
    assert Person.objects.get(pk=person.pk).organization == office
