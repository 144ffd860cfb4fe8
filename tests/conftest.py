"""The cast shared by every test.

One office (สพป.ทดสอบ) with two groups, A and B:
- ``planner``: นโยบายและแผน of the office;
- ``head_a`` heads group A, ``head_b`` is *acting* head of group B;
- ``officer``: project officer in group A;
- ``director``: ผอ.สพท. who approves;
- ``viewer``: read-only monitoring committee member;
- ``outsider``: a planner of *another* office, who must see nothing of ours.
"""

import datetime
import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db.models.signals import post_migrate

from budgets.models import OUTSIDE_TOTAL_CODES
from core.models import GroupHeadAssignment
from core.reference_data import REFERENCE_FIXTURES, sync_fixture
from core.roles import Role
from tests.factories import (
    GroupHeadAssignmentFactory,
    OfficeGroupFactory,
    OrganizationFactory,
    make_staff,
)

#: The models the data migrations fill (core.reference_data).
REFERENCE_MODELS = (
    "core.StandardGroup",
    "budgets.ExpenseCategory",
    "budgets.BudgetSource",
    "plans.PolicyItem",
)


def _reference_data_after_flush(sender, using="default", **kwargs) -> None:
    """Put the reference lists back after a transactional test's flush.

    The test database gets them from the data migrations, like a real one,
    but a transactional test (live server, races, backups) ends by emptying
    every table, and with ``--dist loadfile`` later tests of the same process
    may run after it. Django sends ``post_migrate`` after that flush (which is
    how permissions come back); this reloads the lists the same way migrate
    did, only when one is empty, so a normal ``migrate`` is untouched.
    """
    rate_tables = apps.get_model("budgets", "RateTable")._base_manager.using(using)
    if not rate_tables.filter(organization__isnull=True).exists():
        # the shared rate table (budgets migration 0015's loader)
        importlib.import_module("budgets.migrations.0015_load_rate_tables").load(
            apps, SimpleNamespace(connection=SimpleNamespace(alias=using))
        )
    if all(
        apps.get_model(label)._base_manager.using(using).exists()
        for label in REFERENCE_MODELS
    ):
        return
    for name in REFERENCE_FIXTURES:
        sync_fixture(apps, name, using=using)
    # The flag migration 0012 sets (not in the fixture, like is_active).
    apps.get_model("budgets", "BudgetSource")._base_manager.using(using).filter(
        organization__isnull=True, code__in=OUTSIDE_TOTAL_CODES
    ).update(outside_total=True)


post_migrate.connect(_reference_data_after_flush, dispatch_uid="tests_reference")


@pytest.fixture(autouse=True)
def _documents_render_in_the_request(settings, tmp_path_factory):
    """Render tasks run at once, inside the request (the immediate backend),
    so every test that downloads a PDF through its view gets the PDF as
    before; the task tests (tests/reports/test_render_tasks.py) choose the
    database and RQ backends themselves. Each test stores its PDFs in its
    own folder, and approving a plan or locking a round starts no render
    unless a test asks (they would lay out books in hundreds of tests)."""
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
    }
    settings.PHAEN_DOCUMENT_DIR = tmp_path_factory.mktemp("documents")
    settings.PHAEN_DOCUMENT_PRERENDER = False


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def office(db):
    return OrganizationFactory(
        name="สำนักงานเขตพื้นที่การศึกษาประถมศึกษาทดสอบ เขต 1", short_name="สพป.ทดสอบ เขต 1"
    )


@pytest.fixture
def group_a(office):
    return OfficeGroupFactory(
        organization=office, name="กลุ่มส่งเสริมการจัดการศึกษา", order=1
    )


@pytest.fixture
def group_b(office):
    return OfficeGroupFactory(organization=office, name="กลุ่มบริหารงานบุคคล", order=2)


@pytest.fixture
def planner(office):
    return make_staff(office, roles=[Role.PLANNER], first_name="แผน").user


@pytest.fixture
def head_a(office, group_a):
    person = make_staff(
        office, roles=[Role.GROUP_HEAD], group=group_a, first_name="หัวหน้าเอ"
    )
    GroupHeadAssignmentFactory(group=group_a, person=person)
    return person.user


@pytest.fixture
def head_b(office, group_b):
    person = make_staff(
        office, roles=[Role.GROUP_HEAD], group=group_b, first_name="หัวหน้าบี"
    )
    GroupHeadAssignmentFactory(
        group=group_b,
        person=person,
        kind=GroupHeadAssignment.Kind.ACTING,
        start_date=datetime.date(2023, 5, 15),
    )
    return person.user


@pytest.fixture
def officer(office, group_a):
    return make_staff(
        office, roles=[Role.PROJECT_OFFICER], group=group_a, first_name="เจ้าหน้าที่"
    ).user


@pytest.fixture
def director(office):
    person = make_staff(office, roles=[Role.DIRECTOR], first_name="ผู้อำนวยการ")
    office.director = person
    office.save(update_fields=["director"])
    return person.user


@pytest.fixture
def viewer(office):
    return make_staff(office, roles=[Role.VIEWER], first_name="ผู้ติดตาม").user


@pytest.fixture
def other_office(db):
    return OrganizationFactory(short_name="สพม.อื่น", kind="spm")


@pytest.fixture
def outsider(other_office):
    return make_staff(other_office, roles=[Role.PLANNER], first_name="คนนอก").user
