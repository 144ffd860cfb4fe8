"""The policy chain's admin writes through ``plans.services`` (issue 14
item 2): an item and the items under it (the inline) are saved by
``policy_item_save``, which records the user and keeps a child within its
parent's years, a rule Django's own save never applied."""

import html

import pytest
from django.urls import reverse

from plans.models import PolicyItem
from tests.factories import PolicyItemFactory
from tests.html_forms import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def parent(db):
    return PolicyItemFactory(
        kind="moe_policy",
        title="นโยบายกระทรวงศึกษาธิการ ปี 2567–2568",
        fiscal_year_start=2567,
        fiscal_year_end=2568,
    )


def _with_child(admin_client, parent, **child):
    url = reverse("admin:plans_policyitem_change", args=[parent.pk])
    data = form_data(admin_client.get(url).content)
    prefix = next(
        key.removesuffix("-TOTAL_FORMS") for key in data if key.endswith("-TOTAL_FORMS")
    )
    index = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = str(index + 1)
    values = {
        "order": "1",
        "code": "1.1",
        "kind": "moe_policy",
        "title": "ลดภาระครูและบุคลากรทางการศึกษา",
        "fiscal_year_start": "2567",
        "fiscal_year_end": "2568",
        **child,
    }
    data.update({f"{prefix}-{index}-{key}": value for key, value in values.items()})
    return url, data


def _children(parent):
    return list(
        PolicyItem.objects.filter(parent=parent).values_list("title", flat=True)
    )


def test_a_child_item_is_saved_through_the_service(admin_client, admin_user, parent):
    url, data = _with_child(admin_client, parent)

    response = admin_client.post(url, data)

    assert response.status_code == 302
    child = PolicyItem.objects.get(parent=parent)
    assert child.history.get().history_user == admin_user
    assert parent.history.first().history_user == admin_user


def test_a_child_may_not_outlive_its_parent(admin_client, parent):
    url, data = _with_child(admin_client, parent, fiscal_year_end="2570")
    before = (_children(parent), PolicyItem.history.count())

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert "เกินช่วงที่" in html.unescape(response.content.decode())
    assert (_children(parent), PolicyItem.history.count()) == before


def test_an_item_may_not_start_before_its_parent(admin_client, parent):
    child = PolicyItemFactory(parent=parent, fiscal_year_start=2567)
    url = reverse("admin:plans_policyitem_change", args=[child.pk])
    data = form_data(admin_client.get(url).content)
    data["fiscal_year_start"] = "2565"

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert PolicyItem.objects.get(pk=child.pk).fiscal_year_start == 2567


def test_the_admin_filters_by_the_development_plan_in_thai(admin_client):
    """The shipped 13th NESDP has a kind of its own, named in Thai in the
    changelist's filter and rows."""
    url = reverse("admin:plans_policyitem_changelist")
    page = html.unescape(admin_client.get(url).content.decode())
    assert "?kind__exact=development_plan" in page
    assert "แผนพัฒนาเศรษฐกิจและสังคมแห่งชาติ" in page
    response = admin_client.get(url, {"kind__exact": "development_plan", "all": ""})
    assert response.status_code == 200
    text = html.unescape(response.content.decode())
    assert "หมุดหมายที่ 12" in text and "หมุดหมายที่ 13" in text
    assert "ยุทธศาสตร์ สพฐ." not in text.split("<tbody>")[-1].split("</tbody>")[0]
