"""The project admin's inlines (responsibles, objectives, targets, activities,
KPIs, expected results) write each row through ``projects.services``
(issue 14 item 2), which applies the project's approval lock on the stored
row and records the user; the page's save bumps the project's
``edit_version``. Before, ``save_formset`` was Django's own."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from projects import services
from projects.models import ExpectedResult, Objective, Project, ProjectKPI
from tests.html_forms import form_data

pytestmark = pytest.mark.django_db

S = Project.Status


def _staff(user):
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return user


def _parts(project):
    return (
        list(Objective.objects.filter(project=project).values_list("order", "text")),
        list(ProjectKPI.objects.filter(project=project).values_list("name", flat=True)),
        ExpectedResult.objects.filter(project=project).count(),
        Objective.history.filter(project_id=project.pk).count(),
        Project.objects.get(pk=project.pk).edit_version,
    )


def _sheet_body(client, project):
    """The change page as its group head would post it, with one objective
    added, the KPI renamed and the expected result deleted."""
    url = reverse("admin:projects_project_change", args=[project.pk])
    data = form_data(client.get(url).content)
    added = int(data["objectives-TOTAL_FORMS"])
    data.update(
        {
            "objectives-TOTAL_FORMS": str(added + 1),
            f"objectives-{added}-order": "2",
            f"objectives-{added}-text": "เพื่อพัฒนาครูผู้สอนภาษาไทย",
            "kpis-0-name": "ร้อยละของครูที่นำความรู้ไปใช้",
            "expected_results-0-DELETE": "on",
        }
    )
    return url, data


@pytest.fixture
def spied(monkeypatch):
    """The rows handed to the sheet-part services, by service name."""
    calls = {"save": [], "delete": []}
    save, delete = services.sheet_part_save, services.sheet_part_delete

    def spy_save(*, part, user):
        calls["save"].append((type(part).__name__, user))
        return save(part=part, user=user)

    def spy_delete(*, part, user):
        calls["delete"].append((type(part).__name__, user))
        return delete(part=part, user=user)

    monkeypatch.setattr(services, "sheet_part_save", spy_save)
    monkeypatch.setattr(services, "sheet_part_delete", spy_delete)
    return calls


def test_the_sheets_rows_are_saved_through_the_services(
    client, head_a, ready_project, spied
):
    user = _staff(head_a)
    client.force_login(user)
    url, data = _sheet_body(client, ready_project)
    version = Project.objects.get(pk=ready_project.pk).edit_version

    response = client.post(url, data)

    assert response.status_code == 302, response.content.decode()[:2000]
    assert ("Objective", user) in spied["save"]
    assert ("ProjectKPI", user) in spied["save"]
    assert spied["delete"] == [("ExpectedResult", user)]
    added = Objective.objects.get(project=ready_project, order=2)
    assert added.history.get().history_user == user
    kpi = ProjectKPI.objects.get(project=ready_project)
    assert kpi.name == "ร้อยละของครูที่นำความรู้ไปใช้"
    assert kpi.history.first().history_user == user
    assert not ExpectedResult.objects.filter(project=ready_project).exists()
    assert Project.objects.get(pk=ready_project.pk).edit_version > version


def test_an_approved_sheets_rows_are_refused(client, head_a, ready_project, spied):
    """The body a group head posts on a draft, after the director approved."""
    user = _staff(head_a)
    client.force_login(user)
    url, data = _sheet_body(client, ready_project)
    Project.objects.filter(pk=ready_project.pk).update(status=S.APPROVED)
    before = _parts(ready_project)

    response = client.post(url, data)

    assert response.status_code == 403
    assert _parts(ready_project) == before


def test_the_services_refuse_the_rows_of_an_approved_project(head_a, ready_project):
    Project.objects.filter(pk=ready_project.pk).update(status=S.APPROVED)
    objective = Objective.objects.get(project=ready_project)
    before = _parts(ready_project)

    objective.text = "เปลี่ยนหลังอนุมัติ"
    with pytest.raises(PermissionDenied):
        services.sheet_part_save(part=objective, user=head_a)
    with pytest.raises(PermissionDenied):
        services.sheet_part_delete(part=objective, user=head_a)
    with pytest.raises(PermissionDenied):
        services.sheet_part_save(
            part=Objective(project=ready_project, order=3, text="ข้อใหม่"), user=head_a
        )

    assert _parts(ready_project) == before
