"""Text that looks like a formula is exported as that text, never as a formula.

A project named ``=HYPERLINK("http://evil","x")`` used to become a live
formula cell in every download. Every export writes its cells through
:func:`excel.xlsx.set_value`; these tests poison every free-text field of
the data and download every .xlsx the site serves (the URL list is read from
the URL configuration, so a new download must be added here to pass).
"""

from io import BytesIO

import pytest
from django.apps import apps
from django.db import models
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from openpyxl import load_workbook

from core import xlsx
from core.models import Organization
from core.roles import Role
from excel import layout
from excel.importer import plan_import
from network import views as network_pages
from plans.models import Plan
from projects.models import Activity, Project
from public.services import public_settings_save
from tests.excel.conftest import exported, workbook_bytes
from tests.excel.test_admin_export import EXPORTS, staff
from tests.factories import (
    OrganizationFactory,
    PersonFactory,
    ProjectResponsibleFactory,
    make_staff,
)

pytestmark = pytest.mark.django_db

LINK = '=HYPERLINK("http://evil","x")'
PAYLOADS = [LINK, "+1", "-2+3", "@SUM(A1)", "\tX", "\rY"]
APPS = ("core", "plans", "projects", "budgets", "progress", "reports")


def read_back(text: str) -> str:
    """What an XML reader returns: XML 1.0 turns a carriage return into a
    line feed (the cell is still text; Excel shows the same)."""
    return text.replace("\r", "\n")


def _free_text_fields(model):
    return [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField)
        and not field.choices
        and not field.primary_key
        and not isinstance(field, models.EmailField | models.SlugField)
    ]


def poison_everything() -> None:
    """Every free-text field of every row of the apps: the link formula plus
    the pk (unique fields stay unique), cut to the column's length."""
    for config in APPS:
        for model in apps.get_app_config(config).get_models():
            fields = _free_text_fields(model)
            if not fields:
                continue
            for pk in model._base_manager.values_list("pk", flat=True):
                values = {}
                for field in fields:
                    suffix = str(pk)
                    payload = LINK
                    if field.max_length:
                        payload = payload[: max(1, field.max_length - len(suffix))]
                    values[field.attname] = payload + suffix
                model._base_manager.filter(pk=pk).update(**values)


@pytest.fixture
def poisoned(crafted):
    """``crafted`` with every text poisoned, then known names to look for."""
    person = PersonFactory(organization=crafted.plan.organization)
    ProjectResponsibleFactory(project=crafted.first, order=1, person=person)
    poison_everything()
    type(person).objects.filter(pk=person.pk).update(
        title="", first_name="=1+1", last_name="ใจดี"
    )
    Project.objects.filter(pk=crafted.first.pk).update(name=LINK)
    Project.objects.filter(pk=crafted.second.pk).update(name="+1")
    Project.objects.filter(pk=crafted.third.pk).update(name="-2+3")
    Activity.objects.filter(project=crafted.first).update(name="@SUM(A1)")
    crafted.first.activities.first().cost_lines.update(description="\rY")
    return crafted


def cells(content: bytes):
    book = load_workbook(BytesIO(content))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                yield sheet.title, cell


def assert_no_formula(content: bytes, where: str) -> set[str]:
    """No formula cell anywhere; returns the texts of the workbook."""
    texts = set()
    for title, cell in cells(content):
        assert cell.data_type != "f", f"{where}: {title}!{cell.coordinate}"
        if isinstance(cell.value, str):
            texts.add(cell.value)
    return texts


# ------------------------------------------------------------------ the helper


@pytest.mark.parametrize("text", PAYLOADS)
def test_set_value_writes_formula_like_text_as_that_text(text):
    book = xlsx.Workbook()
    xlsx.append_row(book.active, [text, -5, -2.5])
    xlsx.put(book.active, 2, 1, text)
    ((first, minus_five, minus_half), (second, *_)) = list(
        load_workbook(BytesIO(xlsx.to_bytes(book))).active.iter_rows()
    )
    for cell in (first, second):
        assert cell.data_type == "s"
        assert cell.value == read_back(text)
        assert cell.quotePrefix
    assert (minus_five.value, minus_five.data_type) == (-5, "n")
    assert (minus_half.value, minus_half.data_type) == (-2.5, "n")


def test_control_characters_are_dropped_not_a_server_error():
    book = xlsx.Workbook()
    xlsx.append_row(book.active, ["โครงการ\x01\x1b"])
    (cell,) = next(load_workbook(BytesIO(xlsx.to_bytes(book))).active.iter_rows())
    assert cell.value == "โครงการ"


# ------------------------------------------------------------------ every download


def _xlsx_names(resolver=None, namespace: str = "") -> list[tuple[str, URLPattern]]:
    """Every URL name of the site that downloads a workbook (admin aside)."""
    found = []
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else ""
            found += _xlsx_names(pattern, inner or namespace)
        elif pattern.name and (
            pattern.name.endswith("_xlsx")
            or pattern.name in ("export_plan", "template")
            and namespace == "excel:"
        ):
            found.append((f"{namespace}{pattern.name}", pattern))
    return found


#: URL argument name → the ``crafted`` attribute whose pk fills it.
ARGUMENTS = {"round_id": "round1", "plan_id": "plan"}


def _url(poisoned, name: str, pattern: URLPattern) -> str:
    arguments = list(pattern.pattern.converters)
    unknown = [a for a in arguments if a not in ARGUMENTS]
    assert not unknown, f"{name}: add {unknown} to ARGUMENTS"
    return reverse(name, args=[getattr(poisoned, ARGUMENTS[a]).pk for a in arguments])


def test_the_walk_finds_the_downloads_named_in_the_security_report():
    names = {name for name, _ in _xlsx_names()}
    assert {
        "projects:list_xlsx",
        "excel:export_plan",
        "excel:template",
        "budgets:summary_xlsx",
        "reports:budget_report_xlsx",
        "reports:annual_report_xlsx",
        "excel:emenscr_xlsx",
    } <= names


def test_no_download_writes_a_formula_from_user_text(client, planner, poisoned):
    client.force_login(planner)
    query = {"fiscal_year": poisoned.fiscal_year, "round": poisoned.round1.pk}
    texts = {}
    for name, pattern in _xlsx_names():
        if name in ("network:page_xlsx", "public:year_xlsx"):
            continue  # an overseer's download, an anonymous one: tests below
        response = client.get(_url(poisoned, name, pattern), query)
        assert response.status_code == 200, name
        assert response["Content-Type"] == xlsx.XLSX_TYPE, name
        texts[name] = assert_no_formula(response.content, name)
    names = {LINK, "+1", "-2+3"}
    for name in (
        "projects:list_xlsx",
        "excel:export_plan",
        "excel:emenscr_xlsx",
        "budgets:summary_xlsx",
        "reports:budget_report_xlsx",
    ):
        assert names <= texts[name], name
    assert {"@SUM(A1)", read_back("\rY"), "=1+1 ใจดี"} <= texts["excel:export_plan"]


def test_no_network_download_writes_a_formula(client, poisoned):
    """The overseer's workbooks print office and policy names the offices
    typed: the poisoned office, under an OBEC node, writes no formula."""
    obec = OrganizationFactory(kind=Organization.Kind.OBEC, short_name="สพฐ.")
    office = poisoned.plan.organization
    office.parent = obec
    office.save()
    client.force_login(make_staff(obec, roles=[Role.OVERSEER]).user)
    query = {"fiscal_year": poisoned.fiscal_year}
    texts = set()
    for slug in network_pages.PAGES:
        response = client.get(reverse("network:page_xlsx", args=[slug]), query)
        assert response.status_code == 200, slug
        assert response["Content-Type"] == xlsx.XLSX_TYPE, slug
        texts |= assert_no_formula(response.content, slug)
    office.refresh_from_db()
    assert {office.short_name, office.name} & texts  # the poison was printed


def test_no_public_download_writes_a_formula(client, planner, poisoned):
    """The public page's workbook (anonymous, issue 21) prints the approved
    projects' names the office typed: published, it writes no formula."""
    plan = poisoned.plan
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.APPROVED)
    Project.objects.filter(plan=plan).update(status=Project.Status.APPROVED)
    public_settings_save(
        user=planner,
        organization=plan.organization,
        slug="poisoned-office",
        years=[plan.fiscal_year],
    )
    response = client.get(
        reverse("public:year_xlsx", args=["poisoned-office", plan.fiscal_year])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == xlsx.XLSX_TYPE
    texts = assert_no_formula(response.content, "public:year_xlsx")
    assert {LINK, "+1", "-2+3"} & texts  # the poison was printed


@pytest.mark.parametrize("model", EXPORTS)
def test_no_admin_export_writes_a_formula(client, planner, poisoned, model):
    client.force_login(staff(planner))
    response = client.get(reverse(f"admin:{model}_export"))
    assert response.status_code == 200
    texts = assert_no_formula(response.content, model)
    if model == "projects_project":
        assert {LINK, "+1", "-2+3"} <= texts
    if model == "projects_activity":
        assert "@SUM(A1)" in texts


# ------------------------------------------------------------------ round trip


def test_formula_like_text_imports_back_unchanged(full_plan):
    project = full_plan.projects.get(code="69-001")
    Project.objects.filter(pk=project.pk).update(name=LINK, location="+1")
    project.activities.filter(order=1).update(name="-2+3", target="@SUM(A1)")
    book = exported(full_plan)
    raw = book[layout.PROJECTS.name]["C2"]
    assert (raw.value, raw.data_type) == (LINK, "s")
    result = plan_import(
        source=workbook_bytes(book),
        organization=full_plan.organization,
        fiscal_year=full_plan.fiscal_year,
    )
    assert result.errors == []
    counts = {c.sheet: c for c in result.counts}
    assert counts[layout.PROJECTS.name].updated == 0
    assert counts[layout.ACTIVITIES.name].updated == 0
    project.refresh_from_db()
    assert (project.name, project.location) == (LINK, "+1")
    activity = project.activities.get(order=1)
    assert (activity.name, activity.target) == ("-2+3", "@SUM(A1)")
