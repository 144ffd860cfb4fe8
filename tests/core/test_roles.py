import pytest
from django.contrib.auth.models import Group, Permission

from core.roles import ROLE_PERMISSIONS, Role, sync_roles

pytestmark = pytest.mark.django_db


def test_migrate_creates_every_role_group():
    assert set(Group.objects.values_list("name", flat=True)) >= set(Role.ALL)


def test_viewer_may_only_view():
    codenames = set(
        Group.objects.get(name=Role.VIEWER).permissions.values_list(
            "codename", flat=True
        )
    )
    assert "view_person" in codenames
    assert all(codename.startswith("view_") for codename in codenames)


def test_admin_role_manages_people_and_groups():
    codenames = set(
        Group.objects.get(name=Role.ADMIN).permissions.values_list(
            "codename", flat=True
        )
    )
    assert {"add_person", "change_officegroup", "delete_organization"} <= codenames


def test_sync_roles_is_idempotent_and_restores_removed_permissions():
    group = Group.objects.get(name=Role.PLANNER)
    group.permissions.clear()
    sync_roles()
    sync_roles()
    assert group.permissions.filter(codename="change_person").exists()
    assert Group.objects.filter(name=Role.PLANNER).count() == 1


def test_every_role_has_a_permission_list():
    assert set(ROLE_PERMISSIONS) == set(Role.ALL)
    assert Permission.objects.filter(group__name=Role.DIRECTOR).exists()
