"""A real office's first install: ``migrate``, then ``create_office`` (or the
first-run page), with no demo data anywhere.

pytest-django builds the test database by running the migrations (the suite
does not use ``--no-migrations``), so the data migrations' rows are there in
every test, as they are after a real ``migrate``.
"""

import importlib
import json
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.http import HttpRequest
from django.urls import reverse

from budgets.models import BudgetSource, ExpenseCategory
from core.models import OfficeGroup, Organization, Person, StandardGroup
from core.reference_data import fixture_path
from core.roles import Role
from home import demo
from plans.models import PolicyItem
from tests.core.tables import changed_tables, table_checksums

pytestmark = pytest.mark.django_db

REFERENCE = {
    "standard_groups": StandardGroup,
    "expense_categories": ExpenseCategory,
    "budget_sources": BudgetSource,
    "policy_items": PolicyItem,
}
OFFICE_FLAGS = {
    "name": "สำนักงานเขตพื้นที่การศึกษามัธยมศึกษาศรีสะเกษ ยโสธร",
    "short_name": "สพม.ศรีสะเกษ ยโสธร",
    "kind": "spm",
    "admin_username": "sesa_admin",
    "planner_username": "sesa_plan",
}


def _fixture_count(name: str) -> int:
    return len(json.loads(fixture_path(name).read_text(encoding="utf-8")))


#: The data migrations that load the reference lists, in migrate's order.
DATA_MIGRATIONS = [
    "core.migrations.0006_load_standard_groups",
    "budgets.migrations.0009_load_reference_data",
    "plans.migrations.0005_load_policy_items",
    "plans.migrations.0012_load_development_plan_milestones",
]


def _load_all_again() -> None:
    """Run the data migrations' functions again, on the live models."""
    editor = SimpleNamespace(connection=SimpleNamespace(alias="default"))
    for name in DATA_MIGRATIONS:
        importlib.import_module(name).load(apps, editor)


# ------------------------------------------------------------ reference data


def test_migrate_loads_every_reference_list_with_the_fixture_counts():
    for name, model in REFERENCE.items():
        assert model.objects.count() == _fixture_count(name), name
    assert (StandardGroup.objects.count(), ExpenseCategory.objects.count()) == (10, 14)
    assert (BudgetSource.objects.count(), PolicyItem.objects.count()) == (8, 60)
    # the central fund prints outside the annual budget table's total
    assert BudgetSource.objects.get(code="central-fund").outside_total
    compensation = ExpenseCategory.objects.get(code="compensation")
    assert compensation.parent.code == "operating"
    obec = PolicyItem.objects.get(kind="obec_policy", parent=None)
    assert obec.children.count() == 4
    assert BudgetSource.objects.filter(organization=None, code="obec").exists()


def test_loading_the_reference_data_again_changes_nothing():
    before = table_checksums()
    _load_all_again()
    _load_all_again()
    assert changed_tables(before, table_checksums()) == []


def test_rows_already_there_are_updated_in_place_and_retired_rows_stay_retired():
    """An install that already had the rows (by code, under other primary
    keys, with an older name) gets them updated, never a second copy."""
    old = ExpenseCategory.objects.get(code="temporary-wages")
    parent = old.parent
    old.delete()
    moved = ExpenseCategory.objects.create(
        code="temporary-wages", name="ชื่อเดิม", parent=parent, order=1
    )
    StandardGroup.objects.filter(code="legal").update(is_active=False, name="เก่า")
    PolicyItem.objects.filter(kind="obec_policy", code="2").update(title="เดิม")

    _load_all_again()

    assert ExpenseCategory.objects.filter(code="temporary-wages").count() == 1
    moved.refresh_from_db()
    assert (moved.name, moved.order) == ("ค่าจ้างชั่วคราว", 13)
    legal = StandardGroup.objects.get(code="legal")
    assert legal.name == "กลุ่มกฎหมายและคดี" and not legal.is_active
    assert PolicyItem.objects.get(kind="obec_policy", code="2").title == "ด้านโอกาส"
    for name, model in REFERENCE.items():
        assert model.objects.count() == _fixture_count(name), name


def test_load_demo_relies_on_migrate_and_leaves_reference_rows_alone(monkeypatch):
    monkeypatch.setattr(demo, "build_demo_office", lambda office: None)
    StandardGroup.objects.filter(code="legal").update(name="ชื่อที่ผู้ใช้แก้")
    reference = [model._meta.db_table for model in REFERENCE.values()]
    before = table_checksums()

    call_command("load_demo", password="demo-pass", verbosity=0)
    call_command("load_demo", password="demo-pass", verbosity=0)

    after = table_checksums()
    assert not set(changed_tables(before, after)) & set(reference)
    assert StandardGroup.objects.get(code="legal").name == "ชื่อที่ผู้ใช้แก้"
    office = Organization.objects.get(pk=demo.DEMO_OFFICE_PK)
    assert office.groups.filter(standard__code="policy-planning").exists()
    # the demo's office file holds the office only, no reference list
    office_file = json.loads((demo.DEMO_DIR / "office.json").read_text("utf-8"))
    assert {row["model"] for row in office_file} == {
        "core.organization",
        "core.officegroup",
        "core.person",
        "core.groupheadassignment",
    }


# ------------------------------------------------------------ create_office


def _logs_in(client, username: str, password: str) -> bool:
    return client.login(request=HttpRequest(), username=username, password=password)


def _passwords(output: str) -> dict[str, str]:
    found = {}
    for line in output.splitlines():
        if "รหัสผ่าน:" in line:
            found[line.split()[0]] = line.rsplit("รหัสผ่าน:", 1)[1].strip()
    return found


def test_create_office_with_flags_makes_office_groups_and_two_working_logins(
    client, capsys
):
    call_command("create_office", "--noinput", *_flags(OFFICE_FLAGS))
    output = capsys.readouterr().out

    office = Organization.objects.get(short_name="สพม.ศรีสะเกษ ยโสธร")
    assert office.kind == Organization.Kind.SECONDARY
    assert office.groups.count() == StandardGroup.objects.count() == 10
    passwords = _passwords(output)
    assert set(passwords) == {"sesa_admin", "sesa_plan"}
    admin = Person.objects.get(user__username="sesa_admin")
    planner = Person.objects.get(user__username="sesa_plan")
    assert admin.organization == office == planner.organization
    assert planner.group.standard.code == "policy-planning"
    assert list(admin.user.groups.values_list("name", flat=True)) == [Role.ADMIN]
    assert list(planner.user.groups.values_list("name", flat=True)) == [Role.PLANNER]
    assert admin.user.is_staff and not admin.user.is_superuser

    assert _logs_in(client, "sesa_plan", passwords["sesa_plan"])
    page = client.get(reverse("home:home"))
    assert page.status_code == 200
    assert office.name in page.content.decode()
    assert client.get(reverse("plans:index")).status_code == 200
    client.logout()
    assert _logs_in(client, "sesa_admin", passwords["sesa_admin"])
    assert office.name in client.get(reverse("home:home")).content.decode()
    assert client.get(reverse("admin:index")).status_code == 200


def _flags(values: dict) -> list[str]:
    return [
        f"--{key.replace('_', '-')}={value}" for key, value in values.items() if value
    ]


@pytest.mark.parametrize(
    "change",
    [
        {},  # the very same office again
        {"name": "อื่น", "admin_username": "x_admin", "planner_username": "x_plan"},
        {"name": "อื่น", "short_name": "อื่น", "planner_username": "x_plan"},
    ],
)
def test_create_office_refuses_a_duplicate_in_thai_and_writes_nothing(change):
    call_command("create_office", "--noinput", *_flags(OFFICE_FLAGS), verbosity=0)
    before = table_checksums()
    with pytest.raises(CommandError, match="อยู่แล้ว"):
        call_command("create_office", "--noinput", *_flags({**OFFICE_FLAGS, **change}))
    assert changed_tables(before, table_checksums()) == []


def test_create_office_asks_in_thai_when_run_interactively(monkeypatch, capsys):
    answers = iter(
        ["สำนักงานเขตพื้นที่การศึกษาประถมศึกษาทดลอง", "สพป.ทดลอง", "", "", "p_admin"]
        + ["นายผู้ดูแล ระบบดี", "p_plan", ""]
    )
    monkeypatch.setattr("builtins.input", lambda prompt: next(answers))
    secrets = iter(["Kaset-Sart-2568", "Kaset-Sart-2568", ""])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(secrets))

    call_command("create_office")

    output = capsys.readouterr().out
    assert "สร้างสำนักงาน สพป.ทดลอง" in output
    office = Organization.objects.get(short_name="สพป.ทดลอง")
    assert office.kind == Organization.Kind.PRIMARY
    admin = get_user_model().objects.get(username="p_admin")
    assert admin.check_password("Kaset-Sart-2568")
    assert admin.person.first_name == "นายผู้ดูแล ระบบดี"
    assert set(_passwords(output)) == {"p_plan"}


# ------------------------------------------------------------ first-run page

PAGE = {
    "name": "สำนักงานเขตพื้นที่การศึกษาประถมศึกษาหน้าแรก เขต 1",
    "short_name": "สพป.หน้าแรก เขต 1",
    "kind": "spp",
    "address": "ถนนแจ้งสนิท",
    "admin_username": "first_admin",
    "admin_name": "",
    "admin_password": "",
    "planner_username": "first_plan",
    "planner_name": "นางสาวแผน ดีเยี่ยม",
    "planner_password": "Phaen-Kaset-2568",
}
URL = "/setup/office/"


def test_home_links_a_superuser_to_the_first_run_page_until_an_office_exists(
    admin_client,
):
    assert reverse("core:setup_office") == URL
    assert URL in admin_client.get(reverse("home:home")).content.decode()
    admin_client.post(URL, PAGE)
    assert URL not in admin_client.get(reverse("home:home")).content.decode()


def test_first_run_page_creates_the_office_through_the_service(admin_client, client):
    page = admin_client.get(URL)
    assert page.status_code == 200
    assert 'name="short_name"' in page.content.decode()

    response = admin_client.post(URL, PAGE)

    assert response.status_code == 200
    text = response.content.decode()
    office = Organization.objects.get(short_name="สพป.หน้าแรก เขต 1")
    assert office.groups.count() == 10
    assert office.address == "ถนนแจ้งสนิท"
    assert "first_admin" in text and "Phaen-Kaset-2568" not in text
    assert "no-store" in response.headers["Cache-Control"]
    planner = Person.objects.get(user__username="first_plan")
    assert planner.first_name == "นางสาวแผน ดีเยี่ยม"
    assert _logs_in(client, "first_plan", "Phaen-Kaset-2568")
    assert client.get(reverse("home:home")).status_code == 200


def test_first_run_page_keeps_what_was_typed_when_refused(admin_client):
    Organization.objects.create(name="อื่น", short_name=PAGE["short_name"])
    before = table_checksums()

    response = admin_client.post(URL, {**PAGE, "planner_password": "1234"})

    assert response.status_code == 200
    text = response.content.decode()
    assert "มีสำนักงานชื่อย่อ “สพป.หน้าแรก เขต 1” อยู่แล้ว" in text
    assert 'value="สำนักงานเขตพื้นที่การศึกษาประถมศึกษาหน้าแรก เขต 1"' in text
    assert 'value="first_plan"' in text and "นางสาวแผน ดีเยี่ยม" in text
    assert "1234" not in text  # a password is never sent back
    assert changed_tables(before, table_checksums()) == []


@pytest.mark.parametrize("who", ["planner", "viewer"])
def test_first_run_page_refuses_everyone_but_superusers(client, request, who):
    user = request.getfixturevalue(who)
    client.force_login(user)
    before = table_checksums()
    assert client.get(URL).status_code == 403
    assert client.post(URL, PAGE).status_code == 403
    assert changed_tables(before, table_checksums()) == []
    assert not Organization.objects.filter(short_name=PAGE["short_name"]).exists()


def test_first_run_page_sends_anonymous_users_to_log_in(client):
    response = client.post(URL, PAGE)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Organization.objects.exists()
    assert not OfficeGroup.objects.exists()
