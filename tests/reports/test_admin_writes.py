"""The plan book's written sections and the indicator results are written
through ``reports.services`` (issue 14 item 2): the office's managers, and a
section only while its plan is not approved (the approved book is the
document the director signed); Django's own save had no such rule."""

import html

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from plans.models import Plan
from reports import services
from reports.models import BookSection, IndicatorResult
from tests.factories import IndicatorFactory, PlanFactory, StrategyFactory
from tests.html_forms import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_planner(planner):
    planner.is_staff = True
    planner.save(update_fields=["is_staff"])
    return planner


@pytest.fixture
def plan(office):
    return PlanFactory(organization=office, fiscal_year=2568)


@pytest.fixture
def section(plan):
    return BookSection.objects.create(
        plan=plan, part="foreword", order=1, title="คำนำ", body="แผนฉบับนี้"
    )


def _post(client, section, **changes):
    url = reverse("admin:reports_booksection_change", args=[section.pk])
    data = form_data(client.get(url).content)
    data.update(changes)
    return client.post(url, data)


def test_a_planner_edits_the_foreword_through_the_service(
    client, staff_planner, section, monkeypatch
):
    calls = []
    save = services.book_section_save
    monkeypatch.setattr(
        services,
        "book_section_save",
        lambda **kwargs: calls.append(kwargs["user"]) or save(**kwargs),
    )
    client.force_login(staff_planner)

    response = _post(client, section, body="แผนฉบับปรับปรุง")

    assert response.status_code == 302
    assert calls == [staff_planner]
    assert BookSection.objects.get(pk=section.pk).body == "แผนฉบับปรับปรุง"


def test_the_book_of_an_approved_plan_is_not_edited(
    client, staff_planner, plan, section
):
    client.force_login(staff_planner)
    url = reverse("admin:reports_booksection_change", args=[section.pk])
    data = form_data(client.get(url).content)
    data["body"] = "แก้หลังอนุมัติ"
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.APPROVED)

    response = client.post(url, data)

    assert response.status_code == 200
    assert "อนุมัติ" in html.unescape(response.content.decode())
    assert BookSection.objects.get(pk=section.pk).body == "แผนฉบับนี้"


def test_a_section_of_an_approved_plan_is_not_deleted(
    client, staff_planner, plan, section
):
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.APPROVED)
    client.force_login(staff_planner)
    response = client.post(
        reverse("admin:reports_booksection_delete", args=[section.pk]),
        {"post": "yes"},
    )
    assert response.status_code == 200
    assert BookSection.objects.filter(pk=section.pk).exists()


def test_a_result_is_saved_through_the_service_and_refused_to_outsiders(
    client, staff_planner, outsider, plan, monkeypatch
):
    indicator = IndicatorFactory(strategy=StrategyFactory(plan=plan))
    calls = []
    save = services.indicator_result_save
    monkeypatch.setattr(
        services,
        "indicator_result_save",
        lambda **kwargs: calls.append(kwargs["user"]) or save(**kwargs),
    )
    client.force_login(staff_planner)
    response = client.post(
        reverse("admin:reports_indicatorresult_add"),
        {
            "indicator": indicator.pk,
            "fiscal_year": "2568",
            "actual_value": "85",
            "actual_text": "",
            "achieved_override": "unknown",
            "note": "",
        },
    )
    assert response.status_code == 302
    assert calls == [staff_planner]

    result = IndicatorResult.objects.get()
    result.actual_value = 10
    with pytest.raises(PermissionDenied):
        services.indicator_result_save(result=result, user=outsider)
    with pytest.raises(PermissionDenied):
        services.indicator_result_delete(result=result, user=outsider)
    assert IndicatorResult.objects.get().actual_value == 85


@pytest.mark.parametrize(
    ("typed", "saved"), [("6", False), ("2.5", False), ("3", True)]
)
def test_a_success_level_result_is_a_whole_level_0_to_5(
    client, staff_planner, plan, typed, saved
):
    """Issue 21 item 5: the annual result of a success-level indicator is the
    level reached; anything else is refused in Thai and nothing is saved."""
    indicator = IndicatorFactory(
        strategy=StrategyFactory(plan=plan),
        unit="success",
        level_criteria=["ก", "ข", "ค", "ง", "จ"],
    )
    client.force_login(staff_planner)
    response = client.post(
        reverse("admin:reports_indicatorresult_add"),
        {
            "indicator": indicator.pk,
            "fiscal_year": "2568",
            "actual_value": typed,
            "actual_text": "",
            "achieved_override": "unknown",
            "note": "",
        },
    )
    if saved:
        assert response.status_code == 302
        assert IndicatorResult.objects.get().actual_value == 3
    else:
        assert response.status_code == 200
        assert "ต้องเป็นระดับ 0 ถึง 5" in html.unescape(response.content.decode())
        assert not IndicatorResult.objects.exists()
