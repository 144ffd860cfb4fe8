"""Junk in query strings never gives a 500.

Every admin changelist, and its "ส่งออก Excel" download where it has one, is
asked with junk for each filter parameter it offers (read from its own filter
specs, so a filter added later is walked too), as a superuser and as an
office planner. Every app page without URL arguments is asked with junk
``?round=`` and ``?fiscal_year=``. And the board's Excel download of a
previous year's round gives that round.
"""

import io

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.exceptions import NoReverseMatch
from openpyxl import load_workbook

from progress.models import ReportingRound
from progress.services import round_create_for_year
from tests.security.world import build_world

JUNK = ["abc", "-1", "1e9", "๑", "\x00"]
#: More junk for the app pages' ``?round=``/``?fiscal_year=``: too long for an
#: integer, and superscript digits ("²".isdigit() is true, int("²") fails).
PAGE_JUNK = [*JUNK, "99999999999999999999", "²²²²"]
#: Statuses that are a page, a redirect to one or a refusal; never 500.
OK = {200, 302, 400, 403, 404, 405}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once for the module, rolled back at the end."""
    from django.test import override_settings

    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=str(media)):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            world = build_world(media)
            world.users["superuser"] = get_user_model().objects.create_superuser(
                "root-query-strings", "root@example.com", "x"
            )
            yield world
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _filter_parameters(model_admin, user) -> list[str]:
    """The query parameters of the changelist's filters, as it builds them."""
    request = RequestFactory().get("/")
    request.user = user
    changelist = model_admin.get_changelist_instance(request)
    names = []
    for spec in changelist.filter_specs:
        names.extend(spec.expected_parameters())
    return sorted(set(names))


def _admin_urls() -> list[tuple[str, str, str]]:
    """(label, changelist URL name, export URL name or "") of every admin."""
    result = []
    for model in admin.site._registry:
        info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        try:
            reverse(f"{info}_export")
            export = f"{info}_export"
        except NoReverseMatch:
            export = ""
        result.append((f"{model._meta.label}", f"{info}_changelist", export))
    return sorted(result)


ADMINS = _admin_urls()


def _client(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def _get(client, url: str, params: dict):
    response = client.get(url, params)
    return response.status_code


@pytest.mark.django_db
@pytest.mark.parametrize(("label", "changelist", "export"), ADMINS)
def test_admin_filters_with_junk_never_500(world, label, changelist, export):
    model = next(m for m in admin.site._registry if m._meta.label == label)
    model_admin = admin.site._registry[model]
    failures = []
    for role in ("superuser", "planner"):
        user = world.users[role]
        client = _client(user)
        parameters = _filter_parameters(model_admin, user)
        urls = [reverse(changelist)] + ([reverse(export)] if export else [])
        for url in urls:
            for name in [*parameters, "fiscal_year", "round"]:
                for junk in JUNK:
                    status = _get(client, url, {name: junk})
                    if status not in OK:
                        failures.append(f"{role} {url}?{name}={junk!r} → {status}")
    assert not failures, "\n".join(failures)


def _app_urls() -> list[str]:
    """Names of every app page that takes no URL argument."""
    names = []

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                ns = pattern.namespace or namespace
                if ns in (None, "admin", "djdt"):
                    continue
                walk(pattern.url_patterns, ns)
            elif isinstance(pattern, URLPattern) and pattern.name and namespace:
                if pattern.pattern.regex.groups == 0:
                    names.append(f"{namespace}:{pattern.name}")

    walk(get_resolver().url_patterns, None)
    return sorted(set(names))


APP_URLS = _app_urls()


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", APP_URLS)
def test_app_pages_with_junk_round_and_fiscal_year_never_500(world, url_name):
    failures = []
    url = reverse(url_name)
    # A PDF takes a second to render: both parameters in one request there.
    together = url_name.endswith("_pdf")
    queries = []
    for junk in PAGE_JUNK:
        if together:
            queries.append({"round": junk, "fiscal_year": junk})
        else:
            queries.extend([{"round": junk}, {"fiscal_year": junk}])
    for role in ("planner", "superuser"):
        client = _client(world.users[role])
        for query in queries:
            status = _get(client, url, query)
            if status not in OK:
                failures.append(f"{role} {url}?{query!r} → {status}")
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
def test_board_xlsx_of_a_previous_years_round_gives_that_round(world):
    office = world["office"]
    previous_year = world["plan"].fiscal_year - 1
    old = round_create_for_year(organization=office, fiscal_year=previous_year)[0]
    client = _client(world.users["planner"])
    response = client.get(reverse("progress:board_xlsx"), {"round": old.pk})
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    about = book["ข้อมูลรายงาน"]
    shown = " ".join(str(c.value) for row in about.iter_rows() for c in row)
    assert old.label in shown, shown
    assert str(previous_year) in shown
    # the page of that round shows that year's rounds
    page = client.get(reverse("progress:board"), {"round": old.pk})
    assert page.status_code == 200
    assert page.context["board"].round == old


@pytest.mark.django_db
def test_board_with_a_round_of_another_office_is_refused_in_thai(world):
    theirs = ReportingRound.objects.filter(
        organization=world["theirs"]["office"]
    ).first()
    client = _client(world.users["planner"])
    download = client.get(reverse("progress:board_xlsx"), {"round": theirs.pk})
    assert download.status_code == 404
    page = client.get(reverse("progress:board"), {"round": theirs.pk}, follow=True)
    assert page.status_code == 200
    notices = [str(m) for m in page.context["messages"]]
    assert any("ไม่พบรอบรายงานที่เลือก" in n for n in notices), notices


def _app_pages_with_arguments() -> list:
    """The URL sweep's GET cases of app pages that take URL arguments (our
    office's objects): a project sheet, a round's review, a report…"""
    from tests.security.test_url_sweep import CASES

    return [
        case
        for case in CASES
        if case.method == "get"
        and not case.key.startswith("admin:")
        and "(" in case.id
        and "theirs" not in case.id
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("case", _app_pages_with_arguments(), ids=lambda c: c.id)
def test_app_pages_with_arguments_and_junk_query_never_500(world, case):
    url = case.url(world)
    client = _client(world.users["planner"])
    failures = []
    for junk in PAGE_JUNK:
        query = {"round": junk, "fiscal_year": junk}
        status = _get(client, url, query)
        if status not in OK:
            failures.append(f"{url}?{query!r} → {status}")
    assert not failures, "\n".join(failures)
