"""Admin list filters name only the user's own office's rows.

A filter on a related row (office, group, plan's office, budget source...)
used to list every office's rows, so any office's staff read every other
office's name in the side bar. Every changelist with such a filter is opened
by our planner, our office's admin and the other office's admin; the other
office's name must not show up.
"""

import pytest
from django.contrib import admin
from django.contrib.admin.utils import get_fields_from_path
from django.db import transaction
from django.test import Client
from django.urls import reverse

from core.roles import Role
from tests.factories import make_staff
from tests.security.world import build_world


def _has_related_filter(model_admin) -> bool:
    for spec in model_admin.list_filter:
        path = spec[0] if isinstance(spec, (tuple, list)) else spec
        if not isinstance(path, str):
            continue
        try:
            field = get_fields_from_path(model_admin.model, path)[-1]
        except Exception:
            continue
        if field.is_relation:
            return True
    return False


FILTERED = sorted(
    f"{model._meta.app_label}_{model._meta.model_name}"
    for model, model_admin in admin.site._registry.items()
    if _has_related_filter(model_admin)
)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    from django.test import override_settings

    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=str(media)):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            world = build_world(media)
            ours = world["office"]
            admin_login = make_staff(ours, roles=[Role.ADMIN]).user
            admin_login.is_staff = True
            admin_login.save(update_fields=["is_staff"])
            world.users["office_admin"] = admin_login
            yield world
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def test_the_sweep_finds_the_filtered_admins():
    assert {"core_person", "core_officegroup", "core_groupheadassignment"} <= set(
        FILTERED
    )


@pytest.mark.django_db
@pytest.mark.parametrize("model", FILTERED)
@pytest.mark.parametrize("role", ["planner", "office_admin", "outsider"])
def test_changelist_filters_show_only_the_own_office(world, model, role):
    user = world.users[role]
    theirs = world["theirs"]
    if role == "outsider":  # the other office's admin must not see ours
        other_office, other_source = world["office"], world["source"]
    else:
        other_office, other_source = theirs["office"], theirs["source"]
    client = Client()
    client.force_login(user)
    response = client.get(reverse(f"admin:{model}_changelist"))
    if response.status_code != 200:
        pytest.skip(f"{role} has no list of {model}")
    content = response.content.decode()
    assert other_office.short_name not in content
    assert other_office.name not in content
    assert f">{other_source.name}<" not in content
