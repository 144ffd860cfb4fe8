"""The organisation tree and the overseer's reach (issue 20 item 1)."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core import rules
from core.models import Organization
from core.roles import Role
from progress.rules import can_report_group
from projects.rules import can_add_project
from tests.factories import GroupHeadAssignmentFactory, OfficeGroupFactory, make_staff

pytestmark = pytest.mark.django_db


def _names(queryset):
    return sorted(queryset.values_list("short_name", flat=True))


def test_paths_follow_the_tree(network):
    obec, north, n1 = network["obec"], network["north"], network["n1"]
    assert obec.path == f"/{obec.pk}/"
    assert north.path == f"/{obec.pk}/{north.pk}/"
    n1.refresh_from_db()
    assert n1.path == f"/{obec.pk}/{north.pk}/{n1.pk}/"


def test_offices_under_a_node_is_one_query(network):
    with CaptureQueriesContext(connection) as queries:
        north = _names(Organization.objects.offices().under(network["north"]))
    assert len(queries) == 1
    assert north == ["สพป.เหนือ 1", "สพม.เหนือ 2"]
    assert _names(Organization.objects.offices().under(network["obec"])) == [
        "สพป.เหนือ 1",
        "สพป.ใต้ 1",
        "สพม.เหนือ 2",
    ]


def test_moving_a_region_moves_its_offices(network):
    """A superuser re-parents a region: the paths of its whole subtree follow."""
    south, north = network["south"], network["north"]
    south.parent = north
    south.save()
    assert _names(Organization.objects.offices().under(north)) == [
        "สพป.เหนือ 1",
        "สพป.ใต้ 1",
        "สพม.เหนือ 2",
    ]


def test_a_node_cannot_sit_under_its_own_office_or_itself(network):
    north = network["north"]
    north.parent = north
    with pytest.raises(ValidationError) as error:
        north.full_clean()
    assert "parent" in error.value.message_dict
    obec = network["obec"]
    obec.parent = network["north"]
    with pytest.raises(ValidationError):
        obec.full_clean()
    office = network["n2"]
    office.parent = network["n1"]  # an office oversees nobody
    with pytest.raises(ValidationError):
        office.full_clean()


def test_overseer_reads_only_their_subtree(network, north_overseer, obec_overseer):
    assert _names(rules.offices_overseen(north_overseer)) == [
        "สพป.เหนือ 1",
        "สพม.เหนือ 2",
    ]
    assert rules.can_oversee_office(north_overseer, network["n1"])
    assert not rules.can_oversee_office(north_overseer, network["s1"])
    assert rules.can_oversee_office(obec_overseer, network["s1"])


def test_office_staff_oversee_nothing(network):
    planner = make_staff(network["n1"], roles=[Role.PLANNER]).user
    assert not rules.can_oversee(planner)
    assert not rules.offices_overseen(planner).exists()
    assert not rules.can_oversee_office(planner, network["n1"])


def test_every_write_rule_refuses_an_overseer_even_with_an_office_role(network):
    """An overseer login that was also given every office role (a slip in the
    admin) still writes nothing: the overseer role wins."""
    office = network["n1"]
    group = OfficeGroupFactory(organization=office)
    person = make_staff(office, roles=[*Role.ALL])
    GroupHeadAssignmentFactory(group=group, person=person)
    user = person.user
    assert not rules.can_view(user, office)
    assert not rules.can_manage_office(user, office)
    assert not rules.can_edit_group_work(user, group)
    assert not rules.can_edit_owned_work(user, group=group, responsible=[person])
    assert not rules.can_approve(user, office)
    assert not rules.can_record_disbursement(user, office)
    assert not can_report_group(user, group)
    assert not can_add_project(user)


def test_office_admin_cannot_leave_the_tree_nor_become_a_node(client, network):
    """A valid change form of the office, posted by its own administrator
    with another parent and a node kind: the parent is not taken, the node
    kind is refused, and nothing changes."""
    office = network["n1"]
    admin = make_staff(office, roles=[Role.ADMIN]).user
    admin.is_staff = True
    admin.save()
    client.force_login(admin)
    url = f"/admin/core/organization/{office.pk}/change/"
    body = {
        "name": office.name,
        "short_name": office.short_name,
        "kind": "spp",
        "parent": str(network["south"].pk),
        "groups-TOTAL_FORMS": "0",
        "groups-INITIAL_FORMS": "0",
    }
    body["name"] = f"{office.name} (แก้ไข)"
    assert client.post(url, body).status_code == 302  # saved ...
    office.refresh_from_db()
    assert office.name.endswith("(แก้ไข)")
    assert office.parent == network["north"]  # ... without the parent
    response = client.post(url, {**body, "kind": "region"})
    assert response.status_code == 200  # the form again, with its error
    office.refresh_from_db()
    assert (office.kind, office.parent) == ("spp", network["north"])
    assert (
        Organization.objects.offices()
        .under(network["north"])
        .filter(pk=office.pk)
        .exists()
    )
