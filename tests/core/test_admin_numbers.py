"""Every decimal field of the admin reads numbers by the app's one parser
(issue 15 item 4): "1,000,000" and "๑,๐๐๐,๐๐๐.-" are saved, a bad value is
refused with the parser's Thai message and the box keeps what was typed."""

import html
from decimal import Decimal

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import models
from django.test import RequestFactory
from django.urls import reverse

from budgets.models import Allocation, BudgetSource
from core.forms import ThaiDecimalField
from reports.models import IndicatorResult
from tests.factories import IndicatorFactory, PlanFactory, StrategyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def indicator(office):
    plan = PlanFactory(organization=office, fiscal_year=2569)
    return IndicatorFactory(strategy=StrategyFactory(plan=plan, number=1))


def _result(indicator, value):
    return {
        "indicator": indicator.pk,
        "fiscal_year": "2569",
        "actual_value": value,
        "actual_text": "",
        "achieved_override": "unknown",
        "note": "",
    }


def _allocation(office, amount):
    call_command("loaddata", "budget_sources", verbosity=0)
    return {
        "organization": office.pk,
        "fiscal_year": "2569",
        "source": BudgetSource.objects.get(code="obec").pk,
        "round_number": "1",
        "amount": amount,
        "allocated_on": "",
        "reference": "",
        "note": "",
    }


def _box(content: str, name: str) -> str:
    """The ``<input>`` tag named ``name`` in a page."""
    start = content.index(f'name="{name}"')
    return content[content.rindex("<input", 0, start) : content.index(">", start)]


def test_a_number_with_thousands_separators_is_saved(admin_client, indicator):
    response = admin_client.post(
        reverse("admin:reports_indicatorresult_add"), _result(indicator, "1,000,000")
    )
    assert response.status_code == 302
    assert IndicatorResult.objects.get().actual_value == Decimal("1000000.00")


def test_a_bad_number_is_refused_in_thai_and_the_box_keeps_it(admin_client, indicator):
    response = admin_client.post(
        reverse("admin:reports_indicatorresult_add"), _result(indicator, "12 บาท 50")
    )
    assert response.status_code == 200
    content = html.unescape(response.content.decode())
    assert "“12 บาท 50” ไม่ใช่ตัวเลข ให้พิมพ์เช่น 1,500 หรือ ๑,๕๐๐ หรือ 12.5" in content
    box = _box(content, "actual_value")
    assert 'type="text"' in box and 'value="12 บาท 50"' in box
    assert not IndicatorResult.objects.exists()


def test_money_as_office_documents_write_it_is_saved(admin_client, office):
    response = admin_client.post(
        reverse("admin:budgets_allocation_add"), _allocation(office, "๑,๐๐๐,๐๐๐.-")
    )
    assert response.status_code == 302
    assert Allocation.objects.get().amount == Decimal("1000000.00")


def test_bad_money_is_refused_with_money_examples(admin_client, office):
    response = admin_client.post(
        reverse("admin:budgets_allocation_add"), _allocation(office, "๑๑,๐๐๐.- ๆ")
    )
    assert response.status_code == 200
    content = html.unescape(response.content.decode())
    assert (
        "“๑๑,๐๐๐.- ๆ” ไม่ใช่จำนวนเงิน ให้พิมพ์เช่น 11,000 หรือ ๑๑,๐๐๐.- หรือ 11000.50 บาท"
        in content
    )
    assert 'value="๑๑,๐๐๐.- ๆ"' in _box(content, "amount")
    assert not Allocation.objects.exists()


def _admins():
    for model, model_admin in admin.site._registry.items():
        yield model_admin
        for inline in model_admin.inlines:
            yield inline(model, admin.site)


def test_every_admin_and_inline_reads_decimals_with_the_one_parser(admin_user):
    """Introspection: a new admin or inline with a decimal column cannot
    fall back to Django's number box (``type=number``, "กรอกหมายเลข")."""
    request = RequestFactory().get("/")
    request.user = get_user_model().objects.get(pk=admin_user.pk)
    checked = []
    for owner in _admins():
        for field in owner.model._meta.get_fields():
            if not isinstance(field, models.DecimalField):
                continue
            formfield = owner.formfield_for_dbfield(field, request)
            name = f"{type(owner).__name__}.{field.name}"
            assert isinstance(formfield, ThaiDecimalField), name
            assert formfield.widget.input_type == "text", name
            checked.append(name)
    assert "IndicatorResultAdmin.actual_value" in checked
    assert "KPIActualInline.actual_value" in checked
    assert "IndicatorTargetInline.target_value" in checked
