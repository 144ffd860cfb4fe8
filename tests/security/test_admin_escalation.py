"""An office's admin (staff, the admin role, no superuser status) attacks the
admin with valid requests: the forms an allowed user would post, carrying a
superuser's id, another office's id or a flag the form does not show.
Every refusal is checked in the database, not just in the response.
"""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.urls import reverse

from core.models import GroupHeadAssignment, OfficeGroup, Organization, Person
from core.roles import Role
from tests.factories import (
    GroupHeadAssignmentFactory,
    OfficeGroupFactory,
    PersonFactory,
    UserFactory,
    make_staff,
)
from tests.html_forms import form_data

pytestmark = pytest.mark.django_db

User = get_user_model()
OLD_PASSWORD = "secret-pass"  # tests.factories.UserFactory
NEW_PASSWORD = "a-long-enough-Passw0rd!"


@pytest.fixture
def office_admin(client, office):
    user = make_staff(office, roles=[Role.ADMIN], first_name="ผู้ดูแลเขต").user
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    client.force_login(user)
    return user


@pytest.fixture
def super_in_office(office):
    """A superuser who also has a staff record in our office."""
    user = UserFactory(username="host_with_person", is_superuser=True, is_staff=True)
    PersonFactory(organization=office, user=user, first_name="ผู้ดูแลส่วนกลาง")
    return user


@pytest.fixture
def super_free(db):
    """The usual ``createsuperuser`` account: no staff record at all."""
    return UserFactory(username="host_root", is_superuser=True, is_staff=True)


@pytest.fixture
def free_login(db):
    """A plain login not linked to anybody yet."""
    return UserFactory(username="free_plain_login", roles=[Role.PLANNER])


def _password_form():
    return {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}


def _still_old_password(user) -> bool:
    user.refresh_from_db()
    return user.check_password(OLD_PASSWORD) and user.is_superuser


# ---------------------------------------------------------------- item 1


def test_superuser_logins_are_not_listed_for_an_office_admin(
    client, office_admin, super_in_office, super_free, planner
):
    content = client.get(reverse("admin:auth_user_changelist")).content.decode()
    assert planner.username in content
    assert super_in_office.username not in content
    assert super_free.username not in content


@pytest.mark.parametrize("page", ["change", "password_change", "history", "delete"])
def test_superuser_pages_are_not_found_for_an_office_admin(
    client, office_admin, super_in_office, page
):
    url = reverse(f"admin:auth_user_{page}", args=[super_in_office.pk])
    response = client.get(url)
    # "Not found" (404, or the admin's redirect to its index); deleting
    # logins is no office admin's right at all (403).
    assert response.status_code in (302, 403, 404)
    if response.status_code == 302:
        assert response.url == reverse("admin:index")
    assert super_in_office.username not in response.content.decode()


def test_office_admin_cannot_set_a_superusers_password(
    client, office_admin, super_in_office
):
    response = client.post(
        reverse("admin:auth_user_password_change", args=[super_in_office.pk]),
        _password_form(),
    )
    assert response.status_code == 404
    assert _still_old_password(super_in_office)


def test_office_admin_cannot_take_a_login_with_loose_permissions(
    client, office_admin, office
):
    """A login of the office holding a permission beyond the roles (given by
    a superuser) would hand that permission to whoever sets its password."""
    login = make_staff(office, roles=[Role.VIEWER]).user
    login.user_permissions.add(Permission.objects.get(codename="change_group"))
    response = client.post(
        reverse("admin:auth_user_password_change", args=[login.pk]), _password_form()
    )
    assert response.status_code == 404
    login.refresh_from_db()
    assert login.check_password(OLD_PASSWORD)


def test_office_admin_still_sets_a_plain_office_login_password(
    client, office_admin, planner
):
    response = client.post(
        reverse("admin:auth_user_password_change", args=[planner.pk]), _password_form()
    )
    assert response.status_code == 302
    planner.refresh_from_db()
    assert planner.check_password(NEW_PASSWORD)


def _person_change(client, person, **changes):
    url = reverse("admin:core_person_change", args=[person.pk])
    data = form_data(client.get(url).content)
    data.update(changes)
    return client.post(url, data)


def test_office_admin_cannot_attach_a_superuser_to_a_person(
    client, office_admin, office, super_free
):
    person = PersonFactory(organization=office, first_name="ไม่มีบัญชี")
    response = _person_change(client, person, user=str(super_free.pk))
    assert response.status_code == 200
    person.refresh_from_db()
    assert person.user_id is None
    assert not Person.objects.filter(user=super_free).exists()
    # ... so its password stays out of reach.
    client.post(
        reverse("admin:auth_user_password_change", args=[super_free.pk]),
        _password_form(),
    )
    assert _still_old_password(super_free)


def test_office_admin_cannot_add_a_person_holding_a_superuser(
    client, office_admin, office, super_free
):
    response = client.post(
        reverse("admin:core_person_add"),
        {
            "organization": office.pk,
            "title": "นาย",
            "first_name": "ปลอมตัว",
            "last_name": "",
            "position": "",
            "group": "",
            "user": super_free.pk,
            "is_active": "on",
            "email": "",
            "phone": "",
        },
    )
    assert response.status_code == 200
    assert not Person.objects.filter(first_name="ปลอมตัว").exists()


def test_office_admin_cannot_take_another_offices_login(
    client, office_admin, office, outsider
):
    person = PersonFactory(organization=office)
    _person_change(client, person, user=str(outsider.pk))
    person.refresh_from_db()
    assert person.user_id is None
    outsider.refresh_from_db()
    assert outsider.person.organization_id != office.pk


def test_office_admin_links_a_free_plain_login(
    client, office_admin, office, free_login
):
    person = PersonFactory(organization=office)
    response = _person_change(client, person, user=str(free_login.pk))
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.user_id == free_login.pk


def test_person_login_autocomplete_offers_only_free_plain_logins(
    client, office_admin, planner, outsider, super_free, super_in_office, free_login
):
    response = client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "core",
            "model_name": "person",
            "field_name": "user",
            "term": "",
        },
    )
    assert response.status_code == 200
    ids = {int(item["id"]) for item in response.json()["results"]}
    assert ids == {free_login.pk}


def test_planner_cannot_link_logins_to_people(client, planner, office, free_login):
    planner.is_staff = True
    planner.save(update_fields=["is_staff"])
    client.force_login(planner)
    person = PersonFactory(organization=office)
    _person_change(client, person, user=str(free_login.pk))
    person.refresh_from_db()
    assert person.user_id is None


def _user_change(client, login, **changes):
    url = reverse("admin:auth_user_change", args=[login.pk])
    data = form_data(client.get(url).content)
    data.update(changes)
    return client.post(url, data)


def test_crafted_is_superuser_and_permissions_are_ignored(
    client, office_admin, planner
):
    permission = Permission.objects.get(codename="change_group")
    response = _user_change(
        client,
        planner,
        is_superuser="on",
        user_permissions=[str(permission.pk)],
    )
    assert response.status_code == 302
    planner.refresh_from_db()
    assert not planner.is_superuser
    assert not planner.user_permissions.exists()


def test_admin_access_follows_the_roles_not_the_office_admins_tick(
    client, office_admin, planner
):
    """An office admin cannot tick "staff" on a login: the flag follows the
    roles (a viewer reads the app's pages only, a planner works in the admin)."""
    viewer_role = Group.objects.get(name=Role.VIEWER)
    planner_role = Group.objects.get(name=Role.PLANNER)
    response = _user_change(
        client, planner, is_staff="on", groups=[str(viewer_role.pk)]
    )
    assert response.status_code == 302
    planner.refresh_from_db()
    assert not planner.is_staff

    response = _user_change(client, planner, groups=[str(planner_role.pk)])
    assert response.status_code == 302
    planner.refresh_from_db()
    assert planner.is_staff


def test_office_admin_cannot_make_themselves_superuser(client, office_admin):
    _user_change(client, office_admin, is_superuser="on")
    office_admin.refresh_from_db()
    assert not office_admin.is_superuser


def test_office_admin_cannot_grant_a_group_that_is_no_role(
    client, office_admin, planner
):
    other = Group.objects.create(name="กลุ่มพิเศษ")
    response = _user_change(client, planner, groups=[str(other.pk)])
    assert response.status_code == 200
    assert not planner.groups.filter(pk=other.pk).exists()


# ---------------------------------------------------------------- item 2


@pytest.fixture
def their_group(other_office):
    return OfficeGroupFactory(organization=other_office, name="กลุ่มของเขตอื่น")


@pytest.fixture
def their_person(other_office):
    return PersonFactory(organization=other_office, first_name="คนของเขตอื่น")


def _head_form(group, person):
    return {
        "group": group.pk,
        "person": person.pk,
        "kind": GroupHeadAssignment.Kind.HEAD,
        "start_date": "1 ต.ค. 2566",
        "end_date": "",
        "order_reference": "",
    }


def test_office_admin_cannot_make_another_offices_person_head(
    client, office_admin, group_a, their_person
):
    response = client.post(
        reverse("admin:core_groupheadassignment_add"), _head_form(group_a, their_person)
    )
    assert response.status_code == 200
    assert not GroupHeadAssignment.objects.filter(person=their_person).exists()


def test_office_admin_cannot_assign_a_head_to_another_offices_group(
    client, office_admin, office, their_group
):
    ours = PersonFactory(organization=office)
    response = client.post(
        reverse("admin:core_groupheadassignment_add"), _head_form(their_group, ours)
    )
    assert response.status_code == 200
    assert not GroupHeadAssignment.objects.filter(group=their_group).exists()


def test_office_admin_cannot_move_a_head_assignment_to_another_office(
    client, office_admin, group_a, their_person
):
    assignment = GroupHeadAssignmentFactory(group=group_a)
    url = reverse("admin:core_groupheadassignment_change", args=[assignment.pk])
    data = form_data(client.get(url).content)
    data["person"] = str(their_person.pk)
    assert client.post(url, data).status_code == 200
    assignment.refresh_from_db()
    assert assignment.person.organization_id == group_a.organization_id


def test_even_a_superuser_cannot_save_a_head_of_another_office(
    admin_client, group_a, their_person
):
    response = admin_client.post(
        reverse("admin:core_groupheadassignment_add"), _head_form(group_a, their_person)
    )
    assert response.status_code == 200
    assert "ผู้อำนวยการกลุ่มต้องเป็นบุคลากรของสำนักงานเดียวกับกลุ่ม" in (response.content.decode())
    assert not GroupHeadAssignment.objects.exists()


def test_office_admin_cannot_put_a_person_in_another_offices_group(
    client, office_admin, office, their_group
):
    person = PersonFactory(organization=office)
    assert _person_change(client, person, group=str(their_group.pk)).status_code == 200
    person.refresh_from_db()
    assert person.group_id is None


def test_even_a_superuser_cannot_save_a_person_in_another_offices_group(
    admin_client, office, their_group
):
    person = PersonFactory(organization=office)
    response = _person_change(admin_client, person, group=str(their_group.pk))
    assert "เลือกได้เฉพาะกลุ่มของสำนักงานเดียวกับบุคลากร" in response.content.decode()
    person.refresh_from_db()
    assert person.group_id is None


def test_office_admin_cannot_name_another_offices_director(
    client, office_admin, office, their_person
):
    url = reverse("admin:core_organization_change", args=[office.pk])
    data = form_data(client.get(url).content)
    data["director"] = str(their_person.pk)
    assert client.post(url, data).status_code == 200
    office.refresh_from_db()
    assert office.director_id is None


def test_even_a_superuser_cannot_name_another_offices_director(
    admin_client, office, their_person
):
    url = reverse("admin:core_organization_change", args=[office.pk])
    data = form_data(admin_client.get(url).content)
    data["director"] = str(their_person.pk)
    response = admin_client.post(url, data)
    assert "ผู้อำนวยการต้องเป็นบุคลากรของสำนักงานนี้" in response.content.decode()
    office.refresh_from_db()
    assert office.director_id is None


def test_office_admin_cannot_add_a_head_of_another_office_in_the_group_page(
    client, office_admin, group_a, their_person
):
    url = reverse("admin:core_officegroup_change", args=[group_a.pk])
    data = form_data(client.get(url).content)
    data.update(
        {
            "head_assignments-TOTAL_FORMS": "1",
            "head_assignments-0-person": str(their_person.pk),
            "head_assignments-0-kind": GroupHeadAssignment.Kind.HEAD,
            "head_assignments-0-start_date": "1 ต.ค. 2566",
            "head_assignments-0-group": str(group_a.pk),
        }
    )
    assert client.post(url, data).status_code == 200
    assert not GroupHeadAssignment.objects.filter(person=their_person).exists()


def test_office_admin_cannot_move_a_group_to_another_office(
    client, office_admin, group_a, other_office
):
    url = reverse("admin:core_officegroup_change", args=[group_a.pk])
    data = form_data(client.get(url).content)
    data["organization"] = str(other_office.pk)
    assert client.post(url, data).status_code == 200
    assert OfficeGroup.objects.get(pk=group_a.pk).organization_id != other_office.pk
    assert Organization.objects.count() == 2


# ------------------------------------------------ item 2: the other apps' admins


@pytest.fixture
def staff_planner(client, planner):
    planner.is_staff = True
    planner.save(update_fields=["is_staff"])
    client.force_login(planner)
    return planner


def _change(client, url, **changes):
    data = form_data(client.get(url).content)
    data.update(changes)
    return client.post(url, data)


def test_activity_parent_of_another_office_is_refused(
    client, staff_planner, office, other_office
):
    from tests.factories import ActivityFactory

    activity = ActivityFactory(project__plan__organization=office)
    theirs = ActivityFactory(project__plan__organization=other_office)
    url = reverse("admin:projects_activity_change", args=[activity.pk])
    response = _change(client, url, parent=str(theirs.pk))
    assert response.status_code == 200
    activity.refresh_from_db()
    assert activity.parent_id is None


def test_progress_report_for_another_offices_project_is_refused(
    client, staff_planner, office, other_office
):
    from progress.models import ProgressReport
    from tests.factories import ProjectFactory, ReportingRoundFactory

    theirs = ProjectFactory(plan__organization=other_office, status="approved")
    their_round = ReportingRoundFactory(organization=other_office)
    ReportingRoundFactory(organization=office)
    url = reverse("admin:progress_progressreport_add")
    data = form_data(client.get(url).content)
    data.update(
        {
            "round": str(their_round.pk),
            "project": str(theirs.pk),
            "status": "in_progress",
            "percent_complete": "10",
        }
    )
    assert client.post(url, data).status_code == 200
    assert not ProgressReport.objects.exists()


def test_indicator_goal_of_another_office_is_refused_in_the_strategy_page(
    client, staff_planner, office, other_office
):
    from plans.models import Indicator
    from tests.factories import GoalFactory, IndicatorFactory

    indicator = IndicatorFactory(strategy__plan__organization=office)
    their_goal = GoalFactory(plan__organization=other_office)
    url = reverse("admin:plans_strategy_change", args=[indicator.strategy_id])
    response = _change(client, url, **{"indicators-0-goal": str(their_goal.pk)})
    assert response.status_code == 200
    assert Indicator.objects.get(pk=indicator.pk).goal_id is None


def test_kpi_actual_of_another_offices_kpi_is_refused(
    client, office_admin, office, other_office
):
    # An office admin reports for every group (a planner may not change a
    # report at all since the admin saves through progress.services).
    from progress.models import KPIActual
    from tests.factories import (
        ProgressReportFactory,
        ProjectFactory,
        ProjectKPIFactory,
        ReportingRoundFactory,
    )

    project = ProjectFactory(plan__organization=office, status="approved")
    report = ProgressReportFactory(
        project=project, round=ReportingRoundFactory(organization=office)
    )
    their_kpi = ProjectKPIFactory(project__plan__organization=other_office)
    url = reverse("admin:progress_progressreport_change", args=[report.pk])
    response = _change(
        client,
        url,
        **{
            "kpi_actuals-TOTAL_FORMS": "1",
            "kpi_actuals-0-kpi": str(their_kpi.pk),
            "kpi_actuals-0-actual_value": "50",
            "kpi_actuals-0-report": str(report.pk),
        },
    )
    assert response.status_code == 200
    assert not KPIActual.objects.exists()


def test_project_group_and_source_of_another_office_are_refused(
    client, staff_planner, office, other_office
):
    from tests.factories import BudgetSourceFactory, ProjectFactory

    project = ProjectFactory(plan__organization=office)
    their_group = OfficeGroupFactory(organization=other_office)
    their_source = BudgetSourceFactory(organization=other_office)
    url = reverse("admin:projects_project_change", args=[project.pk])
    for field, value in [("group", their_group.pk), ("budget_source", their_source.pk)]:
        assert _change(client, url, **{field: str(value)}).status_code == 200
    project.refresh_from_db()
    assert project.group.organization_id == office.pk
    assert project.budget_source_id is None


def test_allocation_source_of_another_office_is_refused(
    client, staff_planner, office, other_office
):
    from tests.factories import AllocationFactory, BudgetSourceFactory

    allocation = AllocationFactory(organization=office)
    their_source = BudgetSourceFactory(organization=other_office)
    url = reverse("admin:budgets_allocation_change", args=[allocation.pk])
    assert _change(client, url, source=str(their_source.pk)).status_code == 200
    allocation.refresh_from_db()
    assert allocation.source_id != their_source.pk


# -------------------------------------------------- item 3: shared reference data


@pytest.fixture
def standard_group(db):
    from core.models import StandardGroup

    return StandardGroup.objects.create(code="std-x", name="กลุ่มมาตรฐานเอ็กซ์", order=1)


@pytest.fixture
def policy_item(db):
    from tests.factories import PolicyItemFactory

    return PolicyItemFactory(title="นโยบายที่ใช้ร่วมกันทุกเขต")


@pytest.mark.parametrize(
    "model, fixture",
    [("core_standardgroup", "standard_group"), ("plans_policyitem", "policy_item")],
)
def test_office_admin_cannot_change_or_delete_shared_reference_data(
    client, office_admin, request, model, fixture
):
    item = request.getfixturevalue(fixture)
    change = reverse(f"admin:{model}_change", args=[item.pk])
    data = form_data(client.get(change).content)
    data.update({"name": "เปลี่ยนโดยเขต", "title": "เปลี่ยนโดยเขต"})
    assert client.post(change, data).status_code == 403
    delete = reverse(f"admin:{model}_delete", args=[item.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert client.get(reverse(f"admin:{model}_add")).status_code == 403
    reloaded = type(item).objects.get(pk=item.pk)
    assert "เปลี่ยนโดยเขต" not in str(reloaded)


def test_policy_item_in_use_is_not_deleted_even_by_a_superuser(
    admin_client, office, policy_item
):
    from django.db.models.deletion import ProtectedError

    from tests.factories import ProjectFactory, StrategyFactory

    project = ProjectFactory(plan__organization=office, status="approved")
    project.policy_items.add(policy_item)
    strategy = StrategyFactory(plan=project.plan)
    strategy.policy_items.add(policy_item)
    url = reverse("admin:plans_policyitem_delete", args=[policy_item.pk])
    page = admin_client.get(url).content.decode()
    assert project.name in page
    admin_client.post(url, {"post": "yes"})
    admin_client.post(
        reverse("admin:plans_policyitem_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [policy_item.pk],
            "post": "yes",
        },
    )
    assert project.policy_items.filter(pk=policy_item.pk).exists()
    assert strategy.policy_items.filter(pk=policy_item.pk).exists()
    with (
        pytest.raises(ProtectedError, match="ลบ .* ไม่ได้ เพราะยังมีข้อมูลอ้างถึง"),
        transaction.atomic(),
    ):
        policy_item.delete()
    assert project.policy_items.filter(pk=policy_item.pk).exists()


def test_policy_item_with_children_is_not_deleted(admin_client, policy_item):
    from plans.models import PolicyItem
    from tests.factories import PolicyItemFactory

    child = PolicyItemFactory(parent=policy_item)
    url = reverse("admin:plans_policyitem_delete", args=[policy_item.pk])
    admin_client.post(url, {"post": "yes"})
    assert PolicyItem.objects.filter(pk__in=[policy_item.pk, child.pk]).count() == 2


def test_standard_group_in_use_is_not_deleted_even_by_a_superuser(
    admin_client, office, standard_group
):
    from django.db.models.deletion import ProtectedError

    group = OfficeGroupFactory(organization=office, standard=standard_group)
    url = reverse("admin:core_standardgroup_delete", args=[standard_group.pk])
    admin_client.post(url, {"post": "yes"})
    group.refresh_from_db()
    assert group.standard_id == standard_group.pk
    with pytest.raises(ProtectedError), transaction.atomic():
        standard_group.delete()


def test_unused_reference_row_is_still_deleted(admin_client, policy_item):
    from plans.models import PolicyItem

    url = reverse("admin:plans_policyitem_delete", args=[policy_item.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 302
    assert not PolicyItem.objects.filter(pk=policy_item.pk).exists()


def test_retired_policy_item_is_not_offered_but_kept_where_linked(
    client, staff_planner, office, policy_item
):
    from tests.factories import PolicyItemFactory, StrategyFactory

    retired = PolicyItemFactory(title="นโยบายที่เลิกใช้แล้ว", is_active=False)
    linked = StrategyFactory(plan__organization=office)
    linked.policy_items.add(retired)
    autocomplete = client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "plans",
            "model_name": "strategy",
            "field_name": "policy_items",
            # both titles match; the items migrate loads do not (a page
            # holds 20 results)
            "term": "นโยบายที่",
        },
    ).json()
    ids = {int(item["id"]) for item in autocomplete["results"]}
    assert policy_item.pk in ids and retired.pk not in ids
    # A new strategy may not pick it ...
    fresh = StrategyFactory(plan=linked.plan)
    url = reverse("admin:plans_strategy_change", args=[fresh.pk])
    assert _change(client, url, policy_items=[str(retired.pk)]).status_code == 200
    assert not fresh.policy_items.exists()
    # ... the strategy that has it keeps it when saved.
    url = reverse("admin:plans_strategy_change", args=[linked.pk])
    assert _change(client, url).status_code == 302
    assert list(linked.policy_items.all()) == [retired]


def test_retired_expense_category_is_not_offered(client, staff_planner, office):
    from tests.factories import ExpenseCategoryFactory

    ExpenseCategoryFactory(code="retired", name="หมวดที่เลิกใช้", is_active=False)
    ExpenseCategoryFactory(code="in-use", name="หมวดที่ใช้อยู่")
    content = client.get(reverse("admin:budgets_operatingcost_add")).content.decode()
    assert "หมวดที่ใช้อยู่" in content
    assert "หมวดที่เลิกใช้" not in content


def test_retired_standard_group_is_not_added_to_offices(office, standard_group):
    from core.models import StandardGroup
    from core.services import organization_add_standard_groups

    StandardGroup.objects.create(code="old", name="กลุ่มที่เลิกใช้", is_active=False)
    active = StandardGroup.objects.filter(is_active=True).count()  # migrate's too
    assert organization_add_standard_groups(organization=office) == active
    assert not office.groups.filter(name="กลุ่มที่เลิกใช้").exists()
