"""Permissions sweep: every URL of the project apps and every admin
changelist/add/change page × every role × GET and POST.

For each case the table says which roles are allowed. Allowed requests must
succeed (status below 400, or the documented one); refused requests get the
refusal (anonymous: 302 to the login page; others: 403/404, or for workflow
buttons a 302 back with an error message) and change nothing: a fingerprint of
row counts of every domain and history table (any save writes a history row)
is compared before and after. No response ever shows the other office's
project names to our users, or ours to them.

A URL that the table does not list fails the test, so new screens get swept.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.security.world import OUR_SECRET, PNG, ROLES, THEIR_SECRET, build_world

NAMESPACES = ("core", "plans", "projects", "budgets", "progress", "reports", "excel")
OFFICE = frozenset(
    {"viewer", "officer", "head_own", "head_other", "finance", "planner", "director"}
)
LOGGED = OFFICE | {"outsider"}
NOBODY = frozenset()
#: Marks a POST-only view: GET answers 405 to everyone logged in.
POST_ONLY = "post-only"
#: POST behaves like GET (the view does not write on POST).
SAME = "same"
BOARD = frozenset({"viewer", "planner", "director"})
REPORTERS = frozenset({"officer", "head_own"})


@dataclass(frozen=True)
class Case:
    url_name: str
    args: tuple = ()
    get: frozenset | str = LOGGED
    post: frozenset | str = SAME
    #: Statuses that count as a refusal for logged-in users.
    refused: tuple = (403, 404)
    #: Render allowed GETs only for the planner (PDFs are slow).
    pdf: bool = False
    #: POST data, or a function returning it (for uploaded files).
    extra: dict | Callable = field(default_factory=dict)


def C(url_name, *args, **kwargs) -> Case:
    return Case(url_name, tuple(args), **kwargs)


# Arguments name objects of the world (see tests/security/world.py).
TABLE = [
    C("core:home"),
    # plans
    C("plans:index"),
    C("plans:direction", "plan", get=OFFICE),
    C(
        "plans:submit",
        "plan",
        get=POST_ONLY,
        post=frozenset({"planner"}),
        refused=(302, 403, 404),
    ),
    C(
        "plans:approve",
        "plan",
        get=POST_ONLY,
        post=frozenset({"director"}),
        refused=(302, 403, 404),
    ),
    # projects
    C("projects:list"),
    C("projects:list_xlsx"),
    C("projects:checker"),
    C("projects:detail", "project", get=OFFICE),
    C("projects:history", "project", get=OFFICE),
    C("projects:revision", "project", "1", get=OFFICE),
    C(
        "projects:action",
        "draft",
        "submit",
        get=POST_ONLY,
        post=frozenset({"officer", "head_own", "planner"}),
        refused=(302, 403, 404),
    ),
    # budgets
    C("budgets:summary"),
    C("budgets:summary_xlsx"),
    C("budgets:disbursement"),
    C("budgets:disbursement_xlsx"),
    # progress
    C("progress:index"),
    C("progress:board", get=BOARD | {"outsider"}),
    C("progress:board_xlsx", get=BOARD | {"outsider"}),
    C("progress:round_create", get=POST_ONLY, post=frozenset({"planner", "outsider"})),
    C("progress:group_round", "round", "group_a", get=REPORTERS, post=REPORTERS),
    C("progress:review", "round", get=frozenset({"planner"})),
    C("progress:remind", "round", get=POST_ONLY, post=frozenset({"planner"})),
    C("progress:report_detail", "report", get=REPORTERS | BOARD),
    C("progress:report_accept", "report", get=POST_ONLY, post=frozenset({"planner"})),
    C(
        "progress:report_return",
        "report",
        get=POST_ONLY,
        post=frozenset({"planner"}),
        refused=(302, 403, 404),
    ),
    C(
        "progress:evidence_upload",
        "draft_report",
        get=POST_ONLY,
        post=REPORTERS,
        refused=(302, 403, 404),
        extra=lambda: {
            "file": SimpleUploadedFile("photo.png", PNG, content_type="image/png"),
            "caption": "ภาพกิจกรรม",
        },
    ),
    C("progress:evidence_file", "evidence", get=REPORTERS | BOARD),
    C(
        "progress:evidence_delete",
        "evidence",
        get=POST_ONLY,
        post=REPORTERS,
        refused=(302, 403, 404),
    ),
    # excel
    C("excel:index"),
    C("excel:template", get=frozenset({"planner", "outsider"})),
    C("excel:export_plan"),
    C("excel:import_plan", get=frozenset({"planner", "outsider"})),
    C("excel:import_disbursements", get=frozenset({"planner", "finance", "outsider"})),
    C("excel:preview", "token", get=NOBODY, post=NOBODY),  # another session's upload
    # reports
    C("reports:index"),
    C("reports:office_directory"),
    C("reports:office_directory_pdf", pdf=True),
    C("reports:plan_book", "plan", get=OFFICE),
    C("reports:plan_book_pdf", "plan", get=OFFICE, pdf=True),
    C("reports:project_sheet_pdf", "project", get=OFFICE, pdf=True),
    C("reports:annual_report", "plan", get=OFFICE),
    C("reports:annual_report_pdf", "plan", get=OFFICE, pdf=True),
    C("reports:annual_report_xlsx", "plan", get=OFFICE),
    C("reports:progress_report", "round", get=OFFICE),
    C("reports:progress_report_pdf", "round", get=OFFICE, pdf=True),
    C("reports:progress_report_xlsx", "round", get=OFFICE),
    C("reports:budget_report"),
    C("reports:budget_report_pdf", pdf=True),
    C("reports:budget_report_xlsx"),
    C("reports:kpi_report"),
    C("reports:kpi_report_pdf", pdf=True),
    C("reports:kpi_report_xlsx"),
]

# ------------------------------------------------------------------ admin

STAFF = frozenset({"officer", "head_own", "head_other", "finance", "planner"})
LISTS = STAFF | {"outsider"}  # every staff login lists its own office's rows
OUT = frozenset({"outsider"})  # the other office's administrator
PLANNING = frozenset({"planner", "outsider"})
MONEY = frozenset({"planner", "finance"})


@dataclass(frozen=True)
class AdminRow:
    """Who may do what on one model's admin pages. ``obj`` names the world
    object (of our office unless shared reference data) whose change page is
    swept; ``change_view`` may open it (read-only included), ``change_edit``
    may POST it (an empty POST: the form comes back with errors)."""

    obj: str
    changelist: frozenset
    add: frozenset
    change_view: frozenset
    change_edit: frozenset


A = AdminRow
ADMIN_TABLE = {
    "core.organization": A("office", LISTS, NOBODY, STAFF, NOBODY),
    # Shared reference data: superusers only change it.
    "core.standardgroup": A("standard_group", LISTS, NOBODY, LISTS, NOBODY),
    "core.officegroup": A("group_a", LISTS, OUT, STAFF, NOBODY),
    "core.person": A("person", LISTS, PLANNING, STAFF, {"planner"}),
    "core.groupheadassignment": A("head_assignment", LISTS, OUT, STAFF, NOBODY),
    "core.deletedobject": A("trash", PLANNING, NOBODY, PLANNING - OUT, NOBODY),
    "auth.user": A("login", OUT, OUT, NOBODY, NOBODY),
    "auth.group": A("role_group", OUT, NOBODY, OUT, NOBODY),
    "plans.plan": A("plan", LISTS, PLANNING, STAFF, PLANNING - OUT),
    "plans.strategy": A("strategy", LISTS, PLANNING, STAFF, PLANNING - OUT),
    "plans.indicator": A("indicator", LISTS, PLANNING, STAFF, PLANNING - OUT),
    "plans.policyitem": A("policy_item", LISTS, NOBODY, LISTS, NOBODY),
    # Our project is approved: frozen, even for planners (revise it instead).
    "projects.project": A(
        "project", LISTS, PLANNING | {"head_own", "head_other"}, STAFF, NOBODY
    ),
    # Officers add activities to the sheets they are named on.
    "projects.activity": A(
        "activity",
        LISTS,
        PLANNING | {"officer", "head_own", "head_other"},
        STAFF,
        NOBODY,
    ),
    "budgets.budgetsource": A("source", LISTS, MONEY | OUT, STAFF, MONEY),
    "budgets.expensecategory": A("expense_category", LISTS, NOBODY, LISTS, NOBODY),
    "budgets.allocation": A("allocation", LISTS, MONEY | OUT, STAFF, MONEY),
    "budgets.operatingcost": A("operating_cost", LISTS, MONEY | OUT, STAFF, MONEY),
    "budgets.disbursementtarget": A("target", LISTS, MONEY | OUT, STAFF, MONEY),
    "budgets.costline": A("cost_line", LISTS, NOBODY, STAFF, NOBODY),
    "budgets.disbursement": A(
        "disbursement",
        LISTS,
        MONEY | OUT | {"head_own", "head_other"},
        STAFF,
        MONEY | {"head_own"},
    ),
    "progress.reportinground": A("round", LISTS, PLANNING, STAFF, {"planner"}),
    # Our report is submitted: its reporters read it, planners review it.
    "progress.progressreport": A(
        "report",
        LISTS,
        PLANNING | {"officer", "head_own", "head_other"},
        frozenset({"planner", "officer", "head_own"}),
        frozenset({"planner"}),
    ),
    "reports.booksection": A("book_section", LISTS, PLANNING, STAFF, {"planner"}),
    "reports.indicatorresult": A(
        "indicator_result", LISTS, PLANNING, STAFF, {"planner"}
    ),
    "axes.accessattempt": A("access_attempt", NOBODY, NOBODY, NOBODY, NOBODY),
    "axes.accesslog": A("access_log", NOBODY, NOBODY, NOBODY, NOBODY),
    "axes.accessfailurelog": A("access_failure", NOBODY, NOBODY, NOBODY, NOBODY),
}
# Non-staff logins (viewer, director) are sent to the admin's login page and
# other refusals are 403, or a 302 to the admin index for an object outside
# the user's scope.
ADMIN_REFUSED = (302, 403, 404)
for label, row in ADMIN_TABLE.items():
    url_base = f"admin:{label.replace('.', '_')}"
    TABLE += [
        C(f"{url_base}_changelist", get=row.changelist, refused=ADMIN_REFUSED),
        C(f"{url_base}_add", get=row.add, refused=ADMIN_REFUSED),
        C(
            f"{url_base}_change",
            row.obj,
            get=row.change_view,
            post=frozenset(row.change_edit),
            refused=ADMIN_REFUSED,
        ),
    ]


def _url_names() -> set[str]:
    """Every URL name of the project apps and of the admin's model pages."""
    names = set()

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)

    walk(get_resolver().url_patterns, None)
    wanted = {name for name in names if name.split(":")[0] in NAMESPACES}
    for model in admin.site._registry:
        base = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        wanted |= {f"{base}_changelist", f"{base}_add", f"{base}_change"}
    return wanted


def test_every_url_is_in_the_table():
    listed = {case.url_name for case in TABLE}
    missing = _url_names() - listed
    assert not missing, f"add these URLs to the permissions sweep table: {missing}"
    assert not listed - _url_names(), "the table lists URLs that no longer exist"


# ------------------------------------------------------------------ world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once for the module; every case runs in a rolled-back savepoint."""
    from django.test import override_settings

    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=str(media)):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build_world(media)
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _fingerprint_sql() -> str:
    tables = sorted(
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label
        in {"core", "plans", "projects", "budgets", "progress", "reports", "auth"}
    )
    quote = connection.ops.quote_name
    parts = [f"SELECT '{t}', COUNT(*) FROM {quote(t)}" for t in tables]
    return " UNION ALL ".join(parts)


def _fingerprint() -> dict:
    with connection.cursor() as cursor:
        cursor.execute(_fingerprint_sql())
        return dict(cursor.fetchall())


def _args(world, case: Case) -> list:
    values = []
    for name in case.args:
        if name in world.objects:
            values.append(world[name].pk)
        else:
            values.append(name)
    return values


def _client(world, role: str) -> Client:
    client = Client()
    if world.users[role] is not None:
        client.force_login(world.users[role])
    return client


def _check_privacy(role: str, response) -> None:
    if getattr(response, "streaming", False) or "html" not in response.get(
        "Content-Type", ""
    ):
        return
    body = response.content.decode()
    foreign = OUR_SECRET if role == "outsider" else THEIR_SECRET
    assert foreign not in body, f"{role} sees another office's project"


def _run(world, case: Case, role: str, method: str) -> None:
    url = reverse(case.url_name, args=_args(world, case))
    allowed = case.get if method == "get" else case.post
    if allowed == SAME:
        allowed = case.get
    if allowed == POST_ONLY:
        allowed = NOBODY
    if method == "get" and case.pdf and role != "planner" and role in allowed:
        return
    with transaction.atomic():
        before = _fingerprint() if role not in allowed else None
        client = _client(world, role)
        data = case.extra() if callable(case.extra) else case.extra
        response = getattr(client, method)(url, data if method == "post" else {})
        status = response.status_code
        where = f"{method.upper()} {case.url_name} as {role}: {status}"
        assert status < 500, where
        _check_privacy(role, response)
        if role == "anonymous":
            assert status == 302 and "login" in response.url, where
        elif method == "get" and case.get == POST_ONLY:
            assert status == 405, where
        elif role in allowed:
            assert status < 400, where
            if status == 302:
                assert "login" not in response.url, where
        else:
            assert status in case.refused, where
            if status == 302:
                assert "login" not in response.url or case.url_name.startswith(
                    "admin:"
                ), where
        if before is not None:
            assert _fingerprint() == before, f"{where} changed data"
        transaction.set_rollback(True)


@pytest.mark.django_db
@pytest.mark.parametrize("case", TABLE, ids=lambda case: case.url_name)
def test_sweep(world, case):
    for role in ROLES:
        for method in ("get", "post"):
            _run(world, case, role, method)
