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

from dataclasses import dataclass, field

import pytest
from django.apps import apps
from django.contrib import admin
from django.db import connection, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.security.world import OUR_SECRET, ROLES, THEIR_SECRET, build_world

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
    extra: dict = field(default_factory=dict)


def C(url_name, *args, **kwargs) -> Case:
    return Case(url_name, tuple(args), **kwargs)


# Arguments name objects of the world (see tests/security/world.py).
TABLE = [
    C("core:home"),
    # plans
    C("plans:index"),
    C("plans:direction", "plan", get=OFFICE),
    C("plans:submit", "plan", get=POST_ONLY, post=frozenset({"planner"}), refused=(302, 403, 404)),
    C("plans:approve", "plan", get=POST_ONLY, post=frozenset({"director"}), refused=(302, 403, 404)),
    # projects
    C("projects:list"),
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
    C("budgets:disbursement"),
    # progress
    C("progress:index"),
    C("progress:board", get=BOARD | {"outsider"}),
    C("progress:round_create", get=POST_ONLY, post=frozenset({"planner", "outsider"})),
    C("progress:group_round", "round", "group_a", get=REPORTERS | {"planner"}, post=REPORTERS),
    C("progress:review", "round", get=frozenset({"planner"})),
    C("progress:remind", "round", get=POST_ONLY, post=frozenset({"planner"})),
    C("progress:report_detail", "report", get=REPORTERS | BOARD),
    C("progress:report_accept", "report", get=POST_ONLY, post=frozenset({"planner"})),
    C("progress:report_return", "report", get=POST_ONLY, post=frozenset({"planner"}), refused=(302, 403, 404)),
    C("progress:evidence_upload", "report", get=POST_ONLY, post=REPORTERS, refused=(400, 403, 404)),
    C("progress:evidence_file", "evidence", get=REPORTERS | BOARD),
    C("progress:evidence_delete", "evidence", get=POST_ONLY, post=REPORTERS, refused=(302, 403, 404)),
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
    C("reports:progress_report", "round", get=OFFICE),
    C("reports:progress_report_pdf", "round", get=OFFICE, pdf=True),
    C("reports:budget_report"),
    C("reports:budget_report_pdf", pdf=True),
    C("reports:kpi_report"),
    C("reports:kpi_report_pdf", pdf=True),
]

# ------------------------------------------------------------------ admin

STAFF = frozenset({"officer", "head_own", "head_other", "finance", "planner"})
#: (changelist/view roles, add roles, roles that may open our object's page)
ADMIN_TABLE = {
    "core.organization": ("office", NOBODY, NOBODY, STAFF, None),
    "core.standardgroup": (None, NOBODY, NOBODY, NOBODY, None),
    "core.officegroup": ("group_a", NOBODY, NOBODY, STAFF, None),
    "core.person": ("person", STAFF, frozenset({"planner"}), STAFF, None),
    "core.groupheadassignment": ("head_assignment", STAFF, NOBODY, STAFF, None),
    "core.deletedobject": (None, frozenset({"planner"}), NOBODY, NOBODY, None),
    "auth.user": (None, NOBODY, NOBODY, NOBODY, None),
    "auth.group": (None, NOBODY, NOBODY, NOBODY, None),
    "plans.plan": ("plan", STAFF, frozenset({"planner"}), STAFF, None),
    "plans.strategy": ("strategy", STAFF, frozenset({"planner"}), STAFF, None),
    "plans.indicator": ("indicator", STAFF, frozenset({"planner"}), STAFF, None),
    "plans.policyitem": ("policy_item", STAFF, NOBODY, STAFF | {"outsider"}, None),
    "projects.project": ("project", STAFF, frozenset({"planner", "head_own", "head_other"}), STAFF, None),
    "projects.activity": ("activity", STAFF, frozenset({"planner", "head_own", "head_other"}), STAFF, None),
    "budgets.budgetsource": ("source", STAFF, frozenset({"planner", "finance"}), STAFF, None),
    "budgets.expensecategory": (None, STAFF, NOBODY, NOBODY, None),
    "budgets.allocation": ("allocation", STAFF, frozenset({"planner", "finance"}), STAFF, None),
    "budgets.operatingcost": ("operating_cost", STAFF, frozenset({"planner", "finance"}), STAFF, None),
    "budgets.disbursementtarget": ("target", STAFF, frozenset({"planner", "finance"}), STAFF, None),
    "budgets.costline": ("cost_line", STAFF, NOBODY, STAFF, None),
    "budgets.disbursement": ("disbursement", STAFF, frozenset({"planner", "finance", "head_own", "head_other"}), STAFF, None),
    "progress.reportinground": ("round", STAFF, frozenset({"planner"}), STAFF, None),
    "progress.progressreport": ("report", STAFF, frozenset({"planner", "officer", "head_own", "head_other"}), frozenset({"planner", "officer", "head_own"}), None),
    "reports.booksection": (None, STAFF, frozenset({"planner"}), NOBODY, None),
    "reports.indicatorresult": (None, STAFF, frozenset({"planner"}), NOBODY, None),
    "axes.accessattempt": (None, NOBODY, NOBODY, NOBODY, None),
    "axes.accesslog": (None, NOBODY, NOBODY, NOBODY, None),
    "axes.accessfailurelog": (None, NOBODY, NOBODY, NOBODY, None),
}
# Columns: world object for the change page (None: no change case), roles
# that see the changelist, roles that may open "add", roles that may open our
# object's change page (view-only included). Outsiders see their own office's
# changelists, never our objects.
for label, row in ADMIN_TABLE.items():
    obj, view, add, change, _ = row
    url_base = f"admin:{label.replace('.', '_')}"
    view_roles = view | ({"outsider"} if view & {"planner"} else set())
    add_roles = add | ({"outsider"} if "planner" in add else set())
    TABLE.append(C(f"{url_base}_changelist", get=frozenset(view_roles), post=SAME))
    TABLE.append(C(f"{url_base}_add", get=frozenset(add_roles), post=NOBODY, refused=(302, 403, 404)))
    if obj is not None:
        TABLE.append(
            C(f"{url_base}_change", obj, get=frozenset(change), post=NOBODY, refused=(302, 403, 404))
        )


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
        response = getattr(client, method)(url, case.extra if method == "post" else {})
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
