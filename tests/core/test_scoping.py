"""One office-scoping rule (issue 14, items 3 and 4).

- every model that reaches an office names the way (``office_path``) and
  every admin of such a model is :class:`core.admin.OfficeScopedAdmin`, the
  only class of that name;
- another office's administrator who posts a valid change form (the one the
  superuser is shown) to one of our rows is refused and nothing changes;
- :func:`core.selectors.visible_to` is the one visibility rule (plans and
  projects used to differ for a login without a role);
- every fiscal-year filter reads its year with one parser, and no view
  parses ``?fiscal_year=`` by hand.
"""

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.utils import get_fields_from_path
from django.db import transaction
from django.test import override_settings
from django.urls import reverse

from budgets.forms import FiscalYearForm
from budgets.models import BudgetSource
from core import thai
from core.admin import OfficeScopedAdmin
from core.forms import FiscalYearField
from core.models import Organization
from core.roles import Role
from core.selectors import office_path_of, visible_to
from excel.forms import FiscalYearForm as ExcelFiscalYearForm
from plans.models import Plan
from projects.forms import ProjectFilterForm
from projects.models import Project
from reports.forms import ReportFilterForm
from tests.factories import (
    BudgetSourceFactory,
    PlanFactory,
    ProjectFactory,
    make_staff,
)
from tests.security.sweep import body_from_page, changed_tables, checksum
from tests.security.world import build_world

ROOT = Path(__file__).resolve().parents[2]
OUR_APPS = ("core", "plans", "projects", "budgets", "progress", "reports")


def _office_owned_models() -> set:
    """Models that reach ``Organization`` through foreign keys (found from
    the fields, not from ``office_path``, so a model that forgets to name
    its path is still found)."""
    owned = {Organization}
    ours = [m for m in apps.get_models() if m._meta.app_label in OUR_APPS]
    grew = True
    while grew:
        grew = False
        for model in ours:
            if model in owned:
                continue
            for field in model._meta.get_fields():
                if (
                    field.many_to_one
                    and field.concrete
                    and field.related_model in owned
                    and not field.null
                ):
                    owned.add(model)
                    grew = True
                    break
    # Nullable office links: the shared-when-empty models.
    owned |= {m for m in ours if getattr(m, "office_shared_when_empty", False)}
    return owned


OFFICE_OWNED = _office_owned_models()


def test_every_office_owned_model_names_a_path_to_its_office():
    missing, wrong = [], []
    for model in sorted(OFFICE_OWNED, key=lambda m: m._meta.label):
        path = office_path_of(model)
        if path is None:
            missing.append(model._meta.label)
        elif path != "pk":
            last = get_fields_from_path(model, path)[-1]
            if last.related_model is not Organization:
                wrong.append(f"{model._meta.label}: {path}")
    assert not missing, f"models without office_path: {missing}"
    assert not wrong, f"office_path that does not end at the office: {wrong}"


def _office_admins() -> dict:
    return {
        model._meta.label_lower: model_admin
        for model, model_admin in admin.site._registry.items()
        if model in OFFICE_OWNED or isinstance(model_admin, OfficeScopedAdmin)
    }


def test_every_admin_of_an_office_owned_model_uses_the_one_mixin():
    lacking = sorted(
        label
        for label, model_admin in _office_admins().items()
        if not isinstance(model_admin, OfficeScopedAdmin)
    )
    assert not lacking, f"office-owned admins without OfficeScopedAdmin: {lacking}"
    user_admin = next(
        ma for m, ma in admin.site._registry.items() if m._meta.label == "auth.User"
    )
    assert isinstance(user_admin, OfficeScopedAdmin)


def test_there_is_one_office_scoped_admin_class():
    """The two (then three) classes named ``OfficeScopedAdmin`` are gone."""
    defined = [
        str(path.relative_to(ROOT))
        for app in OUR_APPS
        for path in (ROOT / app).glob("admin*.py")
        if re.search(r"^class OfficeScopedAdmin\b", path.read_text(), re.M)
    ]
    assert defined == ["core/admin.py"]


# ------------------------------------------------------------------ refusals

#: Our row of each office-scoped admin in ``tests.security.world``.
OURS = {
    "core.organization": "office",
    "core.officegroup": "group_a",
    "core.person": "person",
    "core.groupheadassignment": "head_assignment",
    "core.deletedobject": "trash",
    "auth.user": "login",
    "plans.plan": "plan",
    "plans.strategy": "strategy",
    "plans.indicator": "indicator",
    "projects.project": "draft",
    "projects.activity": "activity",
    "budgets.budgetsource": "source",
    "budgets.allocation": "allocation",
    "budgets.operatingcost": "operating_cost",
    "budgets.disbursementtarget": "target",
    "budgets.costline": "free_cost_line",
    "budgets.disbursement": "disbursement",
    "budgets.ratetable": "rate_table",
    "budgets.ratelimit": "rate_limit",
    "progress.reportinground": "round",
    "progress.progressreport": "draft_report",
    "reports.booksection": "book_section",
    "reports.indicatorresult": "indicator_result",
    "reports.documentjob": "document_job",
    "core.taskrecord": "task_record",
}


def test_the_refusal_cases_cover_every_office_scoped_admin():
    assert set(_office_admins()) == set(OURS)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=str(media)):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build_world(media)
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _client(client, user):
    client.logout()
    client.force_login(user)
    return client


@pytest.mark.parametrize("label", sorted(OURS))
def test_another_offices_admin_cannot_change_our_row(world, client, label):
    """The outsider (administrator of the other office) posts the form the
    superuser is shown for our row: refused, no table changes."""
    obj = world[OURS[label]]
    app_label, model_name = label.split(".")
    url = reverse(f"admin:{app_label}_{model_name}_change", args=[obj.pk])
    page = _client(client, world.users["superuser"]).get(url)
    assert page.status_code == 200
    body = body_from_page(page.content)
    outsider = _client(client, world.users["outsider"])  # logging in writes
    before = checksum()
    response = outsider.post(url, body)
    assert response.status_code in (302, 403, 404)
    if response.status_code == 302:
        assert response["Location"] != url  # not "saved, edit again"
    assert changed_tables(before, checksum()) == []


# ------------------------------------------------------------------ visibility


@pytest.mark.django_db
def test_a_login_without_a_role_sees_no_plans_and_no_projects():
    """Plans and projects follow the same rule (plans were shown to a staff
    record with no role before)."""
    project = ProjectFactory()
    office = project.plan.organization
    roleless = make_staff(office, roles=[]).user
    reader = make_staff(office, roles=[Role.VIEWER]).user
    assert not Plan.objects.visible_to(roleless).exists()
    assert not Project.objects.visible_to(roleless).exists()
    assert list(Plan.objects.visible_to(reader)) == [project.plan]
    assert list(visible_to(Project, reader)) == [project]


@pytest.mark.django_db
def test_visible_to_hides_other_offices_and_keeps_shared_rows():
    ours, theirs = PlanFactory(), PlanFactory()
    reader = make_staff(ours.organization, roles=[Role.VIEWER]).user
    own = BudgetSourceFactory(organization=ours.organization, code="own")
    other = BudgetSourceFactory(organization=theirs.organization, code="theirs")
    shared = BudgetSourceFactory(organization=None, code="shared")
    assert list(visible_to(Plan, reader)) == [ours]
    # The shared rows include the national sources that arrive with migrate.
    shipped = set(BudgetSource.objects.filter(organization=None))
    assert shared in shipped
    assert other not in shipped
    assert set(visible_to(BudgetSource, reader)) == {own} | shipped


# ------------------------------------------------------------------ fiscal year


@pytest.mark.parametrize(
    ("text", "year"),
    [("2569", 2569), (" ๒๕๖๙ ", 2569), ("2500", 2500), ("2700", 2700)],
)
def test_fiscal_year_from_text_reads_arabic_and_thai_digits(text, year):
    assert thai.fiscal_year_from_text(text) == year


@pytest.mark.parametrize(
    "text",
    ["2026", "2499", "2701", "²⁵⁶⁹", "-2569", "+2569", "2569.0", "", "abc", "9" * 5000],
)
def test_fiscal_year_from_text_refuses_other_text_in_thai(text):
    with pytest.raises(ValueError, match="ปีงบประมาณต้องเป็นปีพุทธศักราช"):
        thai.fiscal_year_from_text(text)


def test_parse_fiscal_year_falls_back_to_this_year():
    this_year = thai.current_fiscal_year()
    assert thai.parse_fiscal_year("9" * 5000) == this_year
    assert thai.parse_fiscal_year(None) == this_year
    assert thai.parse_fiscal_year("๒๕๗๐") == 2570


def _year_forms(data):
    office = Organization(pk=0)
    return {
        "budgets": FiscalYearForm(data),
        "projects": ProjectFilterForm(data, organization=office),
        "reports": ReportFilterForm(data, organization=office),
        "excel": ExcelFiscalYearForm(data),
    }


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["2400", "²⁵⁶⁹", "9" * 5000, "2026"])
def test_every_fiscal_year_filter_refuses_with_the_thai_message(value):
    for name, form in _year_forms({"fiscal_year": value}).items():
        assert not form.is_valid(), name
        assert form.errors["fiscal_year"] == [thai.ERROR_FISCAL_YEAR], name


@pytest.mark.django_db
def test_every_fiscal_year_filter_reads_thai_digits():
    for name, form in _year_forms({"fiscal_year": "๒๕๖๙"}).items():
        assert form.is_valid(), (name, form.errors)
        assert form.cleaned_data["fiscal_year"] == 2569, name


def test_every_fiscal_year_form_field_is_the_one_field():
    forms = _year_forms(None).values()
    assert all(isinstance(f.fields["fiscal_year"], FiscalYearField) for f in forms)


#: A view that reads a year with ``int(request.GET…)`` (or ``int(…GET.get``).
AD_HOC = re.compile(r"int\(\s*request\.(GET|POST)|int\([^)]*\.GET\.get\(")


def test_no_view_parses_the_fiscal_year_by_hand():
    files = [*ROOT.glob("*/views.py"), *(ROOT / "home").glob("*.py")]
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in files
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if AD_HOC.search(line)
    ]
    assert not found, f"parse ?fiscal_year= with core.thai/core.forms: {found}"
