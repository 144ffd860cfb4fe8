# ruff: noqa: E501 (the KNOWN_HOLES patterns are whole case ids)
"""URL sweep: every URL Django resolves × every role × GET and POST.

The app views keep the table of the first permissions sweep (``APP_TABLE``).
The admin part is generated from one row per registered model
(``ADMIN_TABLE``): changelist, add, change, delete, history, the
simple-history form of a past version, the ``<pk>/`` redirect, every admin
action (a changelist POST with ``action`` and ``_selected_action``), the
Excel export, a login's password page, and the admin site's own pages
(index, app lists, autocomplete, jsi18n, login, logout, password change).
Object pages are swept for an object of our office and one of the other
office, and logins for two superusers (one with a staff record in our office).

POST bodies are *valid*: the form an allowed role sees (GET as that role,
parsed by ``tests.html_forms``, inline management forms included) with one
text value changed, replayed as every role. A refused request (and every
GET) must leave the content of every table unchanged (a checksum per table,
compared with the world's); an allowed save must answer with its redirect
and really change something. No page shows our users the other office's
secret names, nor theirs ours.

Where the code breaks these rules the case is listed in :data:`KNOWN_HOLES`
(strict xfail): when a fix lands the case passes, the xfail turns into a
failure and the entry is removed. A URL the tables do not cover fails
:func:`test_every_resolved_url_is_swept`.
"""

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from fnmatch import fnmatchcase

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from core.thai import current_fiscal_year
from tests.security.sweep import (
    body_from_page,
    changed_tables,
    check_privacy,
    checksum,
    open_sessions,
    url_keys,
    writes,
)
from tests.security.world import PASSWORD, PNG, ROLES, build_world

# ------------------------------------------------------------------ holes

#: What is wrong → the cases it breaks, each ``"<case id glob> <roles>"``
#: (roles ``a|b|c`` or ``*``). Every case listed is a strict xfail: when a
#: fix lands its cases pass, the xfail fails, and the entry is removed.
KNOWN_HOLES: dict[str, tuple[str, ...]] = {}


def _hole(case_id: str, role: str) -> str | None:
    for reason, patterns in KNOWN_HOLES.items():
        for pattern in patterns:
            id_glob, _, roles = pattern.rpartition(" ")
            if fnmatchcase(case_id, id_glob) and (
                roles == "*" or role in roles.split("|")
            ):
                return reason
    return None


# ------------------------------------------------------------------ roles

SU = frozenset({"superuser"})
OFFICE = frozenset(
    {
        "viewer",
        "officer",
        "head_own",
        "head_other",
        "finance",
        "planner",
        "director",
        "office_admin",
    }
)
#: The overseer of a network node above our office (issue 20): logged in,
#: in no office's roles, so refused every office page and every write.
OVERSEER = frozenset({"overseer"})
LOGGED = OFFICE | {"outsider"} | OVERSEER | SU
#: Pages of the user's own office: a superuser without a staff record has
#: no office and is refused (403); object pages let superusers in. An
#: overseer's node plans no year: refused too (``core.rules.can_view``).
OFFICE_PAGES = LOGGED - SU - OVERSEER
NOBODY = frozenset()
#: Logins that may open the admin at all.
STAFF = frozenset(
    {"officer", "head_own", "head_other", "finance", "planner", "office_admin"}
)
ADMIN_STAFF = STAFF | {"outsider"} | SU
#: Our office's planners and administrator (``can_manage_office``).
MANAGERS = frozenset({"planner", "office_admin"})
OUT = frozenset({"outsider"})
BOARD = frozenset({"viewer", "planner", "director", "office_admin"})
OUT_PAGES = OFFICE_PAGES
#: Who reports progress for our project: its officer, its group's head and
#: the office's administrator (``progress.rules.can_report_group``).
REPORTERS = frozenset({"officer", "head_own", "office_admin"})
MONEY = frozenset({"planner", "finance", "office_admin"})
RATE_KEEPERS = frozenset({"finance", "office_admin"})


# ------------------------------------------------------------------ cases


@dataclass(frozen=True)
class Case:
    """One request (one URL, one method), made as every role."""

    #: The URL it covers: ``namespace:name`` or ``admin:<route>``.
    key: str
    id: str
    method: str
    #: ``url(world) -> path``.
    url: Callable
    allowed: frozenset
    #: Statuses that count as a refusal for logged-in users.
    refused: tuple = (403, 404)
    #: ``body(world) -> dict`` for POSTs (built once, see ``_body``).
    body: Callable | None = None
    #: An allowed POST must redirect and change data.
    must_change: bool = False
    #: Anonymous users are answered like everyone (login pages).
    public: bool = False
    #: Render allowed GETs only for one role (PDFs are slow).
    pdf: bool = False
    #: Logged-in users all get this status (POST-only views answer 405).
    status: int | None = None
    #: The privacy check reads JSON too (autocomplete).
    json: bool = False
    #: False where a request may write whatever the role (a failed login
    #: is counted by django-axes).
    check_data: bool = True


def _arg(world, name):
    """World names: ``x`` (ours or shared), ``theirs.x``, ``hist:x`` (the
    latest history row of ``x``), anything else literally."""
    if isinstance(name, str) and name.startswith("hist:"):
        obj = _obj(world, name[5:])
        return obj.history.order_by("-history_id").first().history_id
    if isinstance(name, str) and (name in world.objects or name.startswith("theirs.")):
        return _obj(world, name).pk
    return name


def _obj(world, name):
    if name.startswith("theirs."):
        return world["theirs"][name[7:]]
    return world[name]


def _reverse(url_name, *args):
    return lambda world: reverse(url_name, args=[_arg(world, a) for a in args])


# ------------------------------------------------------------------ app views

#: Marks a POST-only view: GET answers 405 to everyone logged in.
POST_ONLY = "post-only"
#: POST behaves like GET (the view does not write on POST).
SAME = "same"


@dataclass(frozen=True)
class C:
    url_name: str
    args: tuple = ()
    get: frozenset | str = LOGGED
    post: frozenset | str = SAME
    refused: tuple = (403, 404)
    pdf: bool = False
    extra: dict | Callable = field(default_factory=dict)


def _c(url_name, *args, **kwargs) -> C:
    return C(url_name, tuple(args), **kwargs)


PLANNING = MANAGERS | OUT | SU
#: Who may open a new project sheet: planners, administrators and group heads.
ADDERS = frozenset({"head_own", "head_other"}) | MANAGERS | OUT
#: Who may edit our draft project sheet (``projects.rules.can_edit_project``).
DRAFT_EDITORS = frozenset({"officer", "head_own"}) | MANAGERS
APP_TABLE = [
    _c("home:home"),
    # Every login changes its own password (a POST of a wrong form: no change).
    _c("core:password_change"),
    _c("core:password_change_done", post=NOBODY, refused=(405,)),
    # The first-run page: superusers only (the replayed empty form saves nothing).
    _c("core:setup_office", get=SU),
    # plans
    _c("plans:index", get=OFFICE_PAGES),
    # A plan of a past year, from the screen (outsiders: in their own office).
    _c(
        "plans:create",
        get=POST_ONLY,
        post=PLANNING - SU,
        extra={"fiscal_year": str(current_fiscal_year() - 5)},
    ),
    _c("plans:direction", "plan", get=OFFICE | SU),
    _c(
        "plans:submit",
        "plan",
        get=POST_ONLY,
        post=MANAGERS | SU,
        refused=(302, 403, 404),
    ),
    _c(
        "plans:approve",
        "plan",
        get=POST_ONLY,
        post=frozenset({"director"}),
        refused=(302, 403, 404),
    ),
    # projects
    _c("projects:list", get=OFFICE_PAGES),
    _c("projects:list_xlsx", get=OFFICE_PAGES),
    _c("projects:checker", get=OFFICE_PAGES),
    # The director's queue: only those who approve open it or post to it (an
    # empty POST is an unknown decision: a Thai message, nothing decided).
    _c(
        "projects:approvals",
        get=frozenset({"director"}),
        post=frozenset({"director"}),
        refused=(302, 403, 404),
    ),
    _c("projects:detail", "project", get=OFFICE | SU),
    # The sheet editor: who may add a project (in their own office), and who
    # may edit the draft (its group's head, the officer named on it, the
    # office's planners). An empty POST is an invalid form: shown again.
    _c("projects:new", get=ADDERS),
    _c("projects:edit", "draft", get=DRAFT_EDITORS | SU),
    _c("reports:project_history", "project", get=OFFICE | SU),
    _c("projects:revision", "project", "1", get=OFFICE | SU),
    _c(
        "projects:action",
        "draft",
        "submit",
        get=POST_ONLY,
        post=frozenset({"officer", "head_own"}) | MANAGERS | SU,
        refused=(302, 403, 404),
    ),
    # budgets
    _c("budgets:summary", get=OFFICE_PAGES),
    _c("budgets:summary_xlsx", get=OFFICE_PAGES),
    _c("budgets:disbursement", get=OFFICE_PAGES),
    _c("budgets:disbursement_xlsx", get=OFFICE_PAGES),
    # The finance desk: money roles and group heads (an empty POST saves
    # nothing and says so).
    _c("budgets:desk", get=MONEY | {"head_own", "head_other"} | OUT),
    # progress
    _c("progress:index"),
    _c("progress:board", get=BOARD | OUT),
    _c("progress:board_xlsx", get=BOARD | OUT),
    _c("progress:round_create", get=POST_ONLY, post=PLANNING - SU),
    _c(
        "progress:group_round",
        "round",
        "group_a",
        get=REPORTERS | SU,
        post=REPORTERS | SU,
    ),
    _c("progress:review", "round", get=MANAGERS | SU),
    _c("progress:remind", "round", get=POST_ONLY, post=MANAGERS | SU),
    _c("progress:report_detail", "report", get=REPORTERS | BOARD | SU),
    _c("progress:report_accept", "report", get=POST_ONLY, post=MANAGERS | SU),
    _c(
        "progress:report_return",
        "report",
        get=POST_ONLY,
        post=MANAGERS | SU,
        refused=(302, 403, 404),
    ),
    _c(
        "progress:evidence_upload",
        "draft_report",
        get=POST_ONLY,
        post=REPORTERS | SU,
        refused=(302, 403, 404),
        extra=lambda: {
            "file": SimpleUploadedFile("photo.png", PNG, content_type="image/png"),
            "caption": "ภาพกิจกรรม",
        },
    ),
    _c("progress:evidence_file", "evidence", get=REPORTERS | BOARD | SU),
    _c(
        "progress:evidence_delete",
        "evidence",
        get=POST_ONLY,
        post=REPORTERS | SU,
        refused=(302, 403, 404),
    ),
    # excel
    _c("excel:index", get=OFFICE_PAGES),
    _c("excel:template", get=PLANNING - SU),
    _c("excel:export_plan", get=OFFICE_PAGES),
    _c("excel:emenscr_xlsx", "plan", get=OFFICE | SU),
    _c("excel:import_plan", get=PLANNING - SU),
    _c("excel:import_disbursements", get=PLANNING - SU | {"finance"}),
    _c("excel:preview", "token", get=NOBODY, post=NOBODY),  # another session's
    _c("excel:confirm", "token", get=NOBODY, post=NOBODY),  # another session's
    # a dead task's retry: POST only, of this session's upload only
    _c("excel:retry_check", "token", get=POST_ONLY, post=NOBODY),
    _c("excel:retry_confirm", "token", get=POST_ONLY, post=NOBODY),
    # reports
    _c("reports:index"),
    _c("reports:office_directory", get=OFFICE_PAGES),
    _c("reports:office_directory_pdf", get=OFFICE_PAGES, pdf=True),
    _c("reports:plan_book", "plan", get=OFFICE | SU),
    _c("reports:plan_book_pdf", "plan", get=OFFICE | SU, pdf=True),
    _c("reports:project_sheet_pdf", "project", get=OFFICE | SU, pdf=True),
    _c("reports:revision_memo_pdf", "project", "1", get=OFFICE | SU, pdf=True),
    _c("reports:annual_report", "plan", get=OFFICE | SU),
    _c("reports:annual_report_pdf", "plan", get=OFFICE | SU, pdf=True),
    _c("reports:annual_report_xlsx", "plan", get=OFFICE | SU),
    _c("reports:progress_report", "round", get=OFFICE | SU),
    _c("reports:progress_report_pdf", "round", get=OFFICE | SU, pdf=True),
    _c("reports:progress_report_xlsx", "round", get=OFFICE | SU),
    _c("reports:budget_report", get=OFFICE_PAGES),
    _c("reports:budget_report_pdf", get=OFFICE_PAGES, pdf=True),
    _c("reports:budget_report_xlsx", get=OFFICE_PAGES),
    _c("reports:kpi_report", get=OFFICE_PAGES),
    _c("reports:kpi_report_pdf", get=OFFICE_PAGES, pdf=True),
    _c("reports:kpi_report_xlsx", get=OFFICE_PAGES),
    # public (issue 21): the office's admins and planners switch publishing
    _c("public:manage", get=MANAGERS | OUT),
    # network (issue 20): overseers over their node, superusers over all
    _c("network:index", get=OVERSEER | SU),
    _c("network:page", "compliance", get=OVERSEER | SU),
    _c("network:page", "money", get=OVERSEER | SU),
    _c("network:page", "policy", get=OVERSEER | SU),
    _c("network:page", "indicators", get=OVERSEER | SU),
    _c("network:page_xlsx", "money", get=OVERSEER | SU),
    _c("network:page_pdf", "money", get=OVERSEER | SU, pdf=True),
    # an office's summary: only under the overseer's node (theirs is not)
    _c("network:office", "office", get=OVERSEER | SU),
    _c("network:office", "theirs.office", get=SU),
]


def _app_cases(row: C) -> list[Case]:
    label = row.url_name + "".join(f"({a})" for a in row.args)
    url = _reverse(row.url_name, *row.args)
    extra = row.extra

    def body(world, extra=extra):
        return extra() if callable(extra) else dict(extra)

    post = row.get if row.post == SAME else row.post
    cases = [
        Case(
            row.url_name,
            f"GET {label}",
            "get",
            url,
            NOBODY if row.get == POST_ONLY else row.get,
            refused=row.refused,
            pdf=row.pdf,
            status=405 if row.get == POST_ONLY else None,
        ),
        Case(
            row.url_name,
            f"POST {label}",
            "post",
            url,
            NOBODY if post == POST_ONLY else post,
            refused=row.refused,
            body=body,
            pdf=row.pdf,
        ),
    ]
    return cases


# ------------------------------------------------------------------ admin


@dataclass(frozen=True)
class T:
    """An object whose admin pages are swept, and who may view (and its
    history), change and delete it."""

    obj: str
    view: frozenset
    edit: frozenset = NOBODY
    delete: frozenset = NOBODY


@dataclass(frozen=True)
class A:
    changelist: frozenset
    add: frozenset
    targets: tuple
    #: Who may run an action on the first target (default: ``edit``;
    #: ``delete_selected``: ``delete``).
    actions: dict = field(default_factory=dict)


def _office_row(
    obj,
    *,
    changelist=ADMIN_STAFF,
    add,
    view=STAFF | SU,
    edit,
    delete=None,
    their_edit=True,
    their_delete=None,
    theirs_delete=None,
    extra=(),
    actions=None,
) -> A:
    """A model owned by an office: our object, and the other office's, which
    its own administrator (the outsider) handles like ours do ours."""
    delete = edit if delete is None else delete
    their_delete = their_edit if their_delete is None else their_delete
    # Superusers delete whatever anyone may delete.
    theirs = T(
        f"theirs.{obj}",
        view=OUT | SU if "outsider" in changelist else SU,
        edit=OUT | SU if their_edit else NOBODY,
        delete=theirs_delete
        if theirs_delete is not None
        else (OUT | SU if their_delete else SU),
    )
    return A(
        changelist, add, (T(obj, view, edit, delete), theirs, *extra), actions or {}
    )


def _shared_row(obj, *, view=ADMIN_STAFF, changelist=ADMIN_STAFF) -> A:
    """Reference data shared by every office: only superusers change it."""
    return A(changelist, SU, (T(obj, view, SU, SU),))


ADMIN_TABLE = {
    "core.organization": _office_row(
        "office",
        add=SU,
        edit=frozenset({"office_admin"}) | SU,
        delete=SU,
        their_delete=False,
        actions={"add_standard_groups": frozenset({"office_admin"}) | SU},
    ),
    "core.standardgroup": _shared_row("standard_group"),
    "core.officegroup": _office_row(
        "group_a",
        add=frozenset({"office_admin"}) | OUT | SU,
        edit={"office_admin"} | SU,
    ),
    "core.person": _office_row(
        "person",
        add=MANAGERS | OUT | SU,
        edit=MANAGERS | SU,
        delete=frozenset({"office_admin"}) | SU,
    ),
    "core.groupheadassignment": _office_row(
        "head_assignment",
        add=frozenset({"office_admin"}) | OUT | SU,
        edit=frozenset({"office_admin"}) | SU,
    ),
    "core.deletedobject": _office_row(
        "trash",
        changelist=MANAGERS | OUT | SU,
        add=NOBODY,
        view=MANAGERS | SU,
        edit=NOBODY,
        delete=SU,
        their_edit=False,
        actions={"restore": MANAGERS | SU},
    ),
    "auth.user": A(
        frozenset({"office_admin", "outsider"}) | SU,
        frozenset({"office_admin", "outsider"}) | SU,
        (
            T("login", {"office_admin"} | SU, {"office_admin"} | SU, SU),
            T("theirs.login", OUT | SU, OUT | SU, SU),
            # Escalation: office administrators never reach a superuser.
            T("su_person", SU, SU, SU),
            T("su_plain", SU, SU, SU),
        ),
    ),
    "auth.group": _shared_row(
        "role_group",
        view=frozenset({"office_admin", "outsider"}) | SU,
        changelist=frozenset({"office_admin", "outsider"}) | SU,
    ),
    "plans.plan": _office_row(
        "plan",
        add=MANAGERS | OUT | SU,
        edit=MANAGERS | SU,
        actions={"approve_plans": NOBODY},
    ),
    "plans.strategy": _office_row(
        "strategy", add=MANAGERS | OUT | SU, edit=MANAGERS | SU
    ),
    "plans.indicator": _office_row(
        "indicator", add=MANAGERS | OUT | SU, edit=MANAGERS | SU
    ),
    "plans.policyitem": _shared_row("policy_item"),
    # Our project is approved: frozen, even for planners (revise it instead);
    # the draft is edited by its group's head and the officer named on it.
    "projects.project": _office_row(
        "project",
        add=MANAGERS | OUT | SU | {"head_own", "head_other"},
        edit=NOBODY,
        their_edit=False,
        theirs_delete=NOBODY,
        extra=(
            T(
                "draft",
                STAFF | SU,
                MANAGERS | SU | {"officer", "head_own"},
                MANAGERS | SU | {"head_own"},
            ),
        ),
    ),
    "projects.activity": _office_row(
        "activity",
        add=MANAGERS | OUT | SU | {"officer", "head_own", "head_other"},
        edit=NOBODY,
        their_edit=False,
        theirs_delete=NOBODY,
    ),
    # Sources, envelopes and targets are the office's set-up: its admins and
    # planners (core.rules.can_manage_office); finance reads them.
    "budgets.budgetsource": A(
        ADMIN_STAFF,
        MANAGERS | OUT | SU,
        (
            T("source", STAFF | SU, MANAGERS | SU, MANAGERS | SU),
            T("theirs.source", OUT | SU, OUT | SU, OUT | SU),
            T("shared_source", ADMIN_STAFF, SU, SU),
        ),
    ),
    "budgets.expensecategory": _shared_row("expense_category"),
    "budgets.allocation": _office_row(
        "allocation", add=MANAGERS | OUT | SU, edit=MANAGERS | SU
    ),
    "budgets.operatingcost": _office_row(
        "operating_cost", add=MONEY | OUT | SU, edit=MONEY | SU
    ),
    "budgets.disbursementtarget": _office_row(
        "target", add=MANAGERS | OUT | SU, edit=MANAGERS | SU
    ),
    # Rate tables are kept by finance staff and office administrators
    # (core.rules.can_edit_rates); planners read them.
    "budgets.ratetable": _office_row(
        "rate_table", add=RATE_KEEPERS | OUT | SU, edit=RATE_KEEPERS | SU
    ),
    "budgets.ratelimit": _office_row(
        "rate_limit", add=RATE_KEEPERS | OUT | SU, edit=RATE_KEEPERS | SU
    ),
    # Lines are entered under their activity; our project is approved, so
    # nobody but a superuser deletes one (the paid line is protected).
    # Lines of an approved project: nobody deletes them (revise it first).
    "budgets.costline": _office_row(
        "cost_line",
        add=NOBODY,
        edit=NOBODY,
        delete=NOBODY,
        their_edit=False,
        theirs_delete=NOBODY,
        extra=(T("free_cost_line", STAFF | SU, NOBODY, NOBODY),),
    ),
    "budgets.disbursement": _office_row(
        "disbursement",
        add=MONEY | OUT | SU | {"head_own", "head_other"},
        edit=MONEY | SU | {"head_own"},
    ),
    "progress.reportinground": _office_row(
        "round", add=MANAGERS | OUT | SU, edit=MANAGERS | SU
    ),
    # Our report is submitted: its reporters read it, planners review it on
    # the review screen. The admin saves through progress.services, which
    # lets only the reporter change a report still open to them, so nobody
    # (not even a superuser) rewrites a submitted report there.
    "progress.progressreport": _office_row(
        "report",
        add=MANAGERS | OUT | SU | {"officer", "head_own", "head_other"},
        view=MANAGERS | SU | {"officer", "head_own"},
        edit=NOBODY,
        delete=MANAGERS | SU,
        their_edit=False,
        their_delete=True,
    ),
    "reports.booksection": _office_row(
        "book_section", add=MANAGERS | OUT | SU, edit=MANAGERS | SU
    ),
    "reports.indicatorresult": _office_row(
        "indicator_result", add=MANAGERS | OUT | SU, edit=MANAGERS | SU
    ),
    # A render's progress record: read-only for everyone (its task writes it).
    "reports.documentjob": _office_row(
        "document_job",
        add=NOBODY,
        edit=NOBODY,
        delete=NOBODY,
        their_edit=False,
        their_delete=False,
        theirs_delete=NOBODY,
    ),
    # A task's progress record (imports, reminders): read-only (its task writes it).
    "core.taskrecord": _office_row(
        "task_record",
        add=NOBODY,
        edit=NOBODY,
        delete=NOBODY,
        their_edit=False,
        their_delete=False,
        theirs_delete=NOBODY,
    ),
    # django-axes lets superusers "save" an attempt (every field read-only).
    "axes.accessattempt": A(SU, NOBODY, (T("access_attempt", SU, SU, SU),)),
    "axes.accesslog": A(SU, NOBODY, (T("access_log", SU, SU, SU),)),
    "axes.accessfailurelog": A(SU, NOBODY, (T("access_failure", SU, SU, SU),)),
}

#: Non-staff logins are sent to the admin's login page; other refusals are
#: 403/404, or a 302 to the admin index for an object outside the scope.
ADMIN_REFUSED = (302, 403, 404)
#: History pages are read-only: anything but GET is refused.
READ_ONLY_REFUSED = (302, 403, 404, 405)
#: Preferred roles whose form is replayed (the first allowed one).
DONORS = ("planner", "office_admin", "finance", "head_own", "officer", "outsider")


def _donor(allowed) -> str:
    return next((role for role in DONORS if role in allowed), "superuser")


def _page_body(url, donor, **options):
    def body(world):
        response = world.logins.client(donor).get(url(world))
        assert response.status_code == 200, f"donor {donor}: {response.status_code}"
        return body_from_page(response.content, **options)

    return body


def _change_body(base, target: T):
    """The change form as an allowed role sees it; when nobody may change the
    object its page is read-only, so the full form of its latest version
    (the history form page) is used instead: what a save would post."""
    change = _reverse(f"{base}_change", target.obj)
    history = _reverse(f"{base}_simple_history", target.obj, f"hist:{target.obj}")

    def body(world):
        data = _page_body(change, _donor(target.edit))(world)
        read_only = not [key for key in data if not key.endswith("_FORMS")]
        if read_only and f"{base}_simple_history" in _SIMPLE_HISTORY:
            data = _page_body(history, "superuser")(world)
        return data

    return body


_SIMPLE_HISTORY: set = set()


def _admin_cases(label: str, row: A) -> list[Case]:
    app_label, model_name = label.split(".")
    base = f"admin:{app_label}_{model_name}"
    model_admin = next(
        ma for m, ma in admin.site._registry.items() if m._meta.label_lower == label
    )
    history_form = isinstance(model_admin, SimpleHistoryAdmin)
    if history_form:
        _SIMPLE_HISTORY.add(f"{base}_simple_history")
    first = row.targets[0]
    changelist = _reverse(f"{base}_changelist")
    cases = [
        Case(
            f"{base}_changelist",
            f"GET {base}_changelist",
            "get",
            changelist,
            row.changelist,
            ADMIN_REFUSED,
        ),
        Case(
            f"{base}_add",
            f"GET {base}_add",
            "get",
            _reverse(f"{base}_add"),
            row.add,
            ADMIN_REFUSED,
        ),
        Case(
            f"{base}_add",
            f"POST {base}_add",
            "post",
            _reverse(f"{base}_add"),
            row.add,
            ADMIN_REFUSED,
            body=_donor_add_body(base, first),
        ),
    ]
    if hasattr(model_admin, "export_action"):
        export = _reverse(f"{base}_export")
        for method in ("get", "post"):
            cases.append(
                Case(
                    f"{base}_export",
                    f"{method.upper()} {base}_export",
                    method,
                    export,
                    row.changelist,
                    ADMIN_REFUSED,
                    body=lambda w: {},
                )
            )
    for target in row.targets:
        tag = f"({target.obj})"
        change = _reverse(f"{base}_change", target.obj)
        cases += [
            Case(
                f"{base}_change",
                f"GET {base}_change{tag}",
                "get",
                change,
                target.view,
                ADMIN_REFUSED,
            ),
            Case(
                f"{base}_change",
                f"POST {base}_change{tag}",
                "post",
                change,
                target.edit,
                ADMIN_REFUSED,
                body=_change_body(base, target),
                must_change=True,
            ),
            Case(
                f"{base}_delete",
                f"GET {base}_delete{tag}",
                "get",
                _reverse(f"{base}_delete", target.obj),
                target.delete,
                ADMIN_REFUSED,
            ),
            Case(
                f"{base}_delete",
                f"POST {base}_delete{tag}",
                "post",
                _reverse(f"{base}_delete", target.obj),
                target.delete,
                ADMIN_REFUSED,
                body=lambda w: {"post": "yes"},
            ),
            Case(
                f"{base}_history",
                f"GET {base}_history{tag}",
                "get",
                _reverse(f"{base}_history", target.obj),
                target.view,
                ADMIN_REFUSED,
            ),
            Case(
                f"{base}_history",
                f"POST {base}_history{tag}",
                "post",
                _reverse(f"{base}_history", target.obj),
                NOBODY,
                READ_ONLY_REFUSED,
                body=lambda w: {},
            ),
            Case(
                f"admin:<admin/{app_label}/{model_name}/<path:object_id>/>",
                f"GET {base}_redirect{tag}",
                "get",
                lambda world, t=target, b=base: reverse(
                    f"{b}_change", args=[_arg(world, t.obj)]
                ).removesuffix("change/"),
                ADMIN_STAFF,
                (302,),
            ),
        ]
        if history_form:
            hist = _reverse(f"{base}_simple_history", target.obj, f"hist:{target.obj}")
            cases += [
                Case(
                    f"{base}_simple_history",
                    f"GET {base}_simple_history{tag}",
                    "get",
                    hist,
                    target.view,
                    ADMIN_REFUSED,
                ),
                Case(
                    f"{base}_simple_history",
                    f"POST {base}_simple_history{tag}",
                    "post",
                    hist,
                    NOBODY,
                    READ_ONLY_REFUSED,
                    body=_page_body(hist, "superuser"),
                ),
            ]
        if label == "auth.user":
            password = _reverse("admin:auth_user_password_change", target.obj)
            new = {
                "password1": "N3w-Pass-for-sweep!",
                "password2": "N3w-Pass-for-sweep!",
            }
            cases += [
                Case(
                    "admin:auth_user_password_change",
                    f"GET admin:auth_user_password_change{tag}",
                    "get",
                    password,
                    target.edit,
                    ADMIN_REFUSED,
                ),
                Case(
                    "admin:auth_user_password_change",
                    f"POST admin:auth_user_password_change{tag}",
                    "post",
                    password,
                    target.edit,
                    ADMIN_REFUSED,
                    must_change=True,
                    body=lambda w, p=password, n=new: {
                        **_page_body(p, "superuser", edit=False)(w),
                        **n,
                    },
                ),
            ]
        if target is first or target.obj.startswith("theirs."):
            for action in (name for _, name, _ in model_admin._get_base_actions()):
                if action == "delete_selected":
                    allowed = target.delete
                elif target is first and action in row.actions:
                    allowed = row.actions[action]
                elif action in row.actions:
                    # The other office's administrator, like ours.
                    allowed = (
                        OUT if "office_admin" in row.actions[action] else NOBODY
                    ) | (row.actions[action] & SU)
                else:
                    allowed = target.edit
                cases.append(
                    Case(
                        f"{base}_changelist",
                        f"POST {base}_changelist action={action}{tag}",
                        "post",
                        changelist,
                        allowed,
                        # A refused action shows the list again ("no action").
                        (200, *ADMIN_REFUSED),
                        body=lambda w, a=action, t=target.obj: {
                            "action": a,
                            "_selected_action": [_arg(w, t)],
                            "index": "0",
                            "post": "yes",
                            "apply": "1",
                            "reason": "ทดสอบ",
                        },
                    )
                )
    return cases


def _donor_add_body(base, target: T):
    """An add page gets the change form of an existing object, without its
    inline rows (new objects have none yet)."""
    change = _reverse(f"{base}_change", target.obj)

    def body(world):
        return _page_body(change, "superuser", blank_inlines=True)(world)

    return body


def _site_cases() -> list[Case]:
    """The admin site's own pages and the project's login pages."""

    def fixed(path):
        return lambda world: path

    apps_ = (
        "auth",
        "axes",
        "core",
        "plans",
        "projects",
        "budgets",
        "progress",
        "reports",
    )
    cases = [
        Case(
            "admin:index",
            "GET admin:index",
            "get",
            _reverse("admin:index"),
            ADMIN_STAFF,
            (302,),
        ),
        Case(
            "admin:jsi18n",
            "GET admin:jsi18n",
            "get",
            _reverse("admin:jsi18n"),
            ADMIN_STAFF,
            (302,),
        ),
        Case(
            "admin:password_change",
            "GET admin:password_change",
            "get",
            _reverse("admin:password_change"),
            ADMIN_STAFF,
            (302,),
        ),
        Case(
            "admin:password_change",
            "POST admin:password_change",
            "post",
            _reverse("admin:password_change"),
            ADMIN_STAFF,
            (302,),
            must_change=True,
            body=lambda w: {
                "old_password": PASSWORD,
                "new_password1": "N3w-Pass-for-sweep!",
                "new_password2": "N3w-Pass-for-sweep!",
            },
        ),
        Case(
            "admin:password_change_done",
            "GET admin:password_change_done",
            "get",
            _reverse("admin:password_change_done"),
            ADMIN_STAFF,
            (302,),
        ),
        Case(
            "admin:login",
            "GET admin:login",
            "get",
            _reverse("admin:login"),
            LOGGED,
            public=True,
        ),
        Case(
            "admin:login",
            "POST admin:login",
            "post",
            _reverse("admin:login"),
            LOGGED,
            public=True,
            check_data=False,
            body=lambda w: {"username": "nobody", "password": "wrong"},
        ),
        Case(
            "admin:logout",
            "POST admin:logout",
            "post",
            _reverse("admin:logout"),
            LOGGED,
            public=True,
            body=lambda w: {},
        ),
        Case("login", "GET login", "get", _reverse("login"), LOGGED, public=True),
        Case(
            "login",
            "POST login",
            "post",
            _reverse("login"),
            LOGGED,
            public=True,
            check_data=False,
            body=lambda w: {"username": "nobody", "password": "wrong"},
        ),
        Case(
            "logout",
            "POST logout",
            "post",
            _reverse("logout"),
            LOGGED,
            public=True,
            body=lambda w: {},
        ),
        Case(
            "admin:view_on_site",
            "GET admin:view_on_site(project)",
            "get",
            lambda w: reverse(
                "admin:view_on_site",
                args=[_content_type_id("projects.project"), w["project"].pk],
            ),
            ADMIN_STAFF,
            (302,),
        ),
        Case(
            "admin:<admin/(?P<url>.*)$>",
            "GET admin:catch_all",
            "get",
            fixed("/admin/no-such-page/"),
            NOBODY,
            (302, 404),
        ),
    ]
    for app in apps_:
        cases.append(
            Case(
                "admin:app_list",
                f"GET admin:app_list({app})",
                "get",
                _reverse("admin:app_list", app),
                APP_LISTS[app],
                ADMIN_REFUSED,
            )
        )
    cases.append(
        Case(
            "admin:plans_plan_revise",
            "GET admin:plans_plan_revise(plan)",
            "get",
            _reverse("admin:plans_plan_revise", "plan"),
            MANAGERS | SU,
            ADMIN_REFUSED,
        )
    )
    cases.append(
        Case(
            "admin:plans_plan_revise",
            "POST admin:plans_plan_revise(plan)",
            "post",
            _reverse("admin:plans_plan_revise", "plan"),
            MANAGERS | SU,
            ADMIN_REFUSED,
            body=lambda w: {
                **_page_body(
                    _reverse("admin:plans_plan_revise", "plan"), "planner", edit=False
                )(w),
                "reason": "ปรับแผนกลางปี",
            },
        )
    )
    for label, model_admin in sorted(
        ((m._meta.label_lower, ma) for m, ma in admin.site._registry.items())
    ):
        for field_name in model_admin.autocomplete_fields:
            app_label, model_name = label.split(".")
            cases.append(
                Case(
                    "admin:autocomplete",
                    f"GET admin:autocomplete({label}.{field_name})",
                    "get",
                    lambda w, a=app_label, m=model_name, f=field_name: (
                        reverse("admin:autocomplete")
                        + f"?app_label={a}&model_name={m}&field_name={f}&term="
                    ),
                    AUTOCOMPLETE.get(f"{label}.{field_name}", ADMIN_STAFF),
                    ADMIN_REFUSED,
                    json=True,
                )
            )
    return cases


APP_LISTS = {
    "auth": frozenset({"office_admin", "outsider"}) | SU,
    "axes": SU,
    **dict.fromkeys(
        ("core", "plans", "projects", "budgets", "progress", "reports"), ADMIN_STAFF
    ),
}
#: Who may search a field's choices (the target admin's view permission).
AUTOCOMPLETE: dict = {"core.person.user": frozenset({"office_admin", "outsider"}) | SU}


def _content_type_id(label):
    from django.contrib.contenttypes.models import ContentType

    app_label, model = label.split(".")
    return ContentType.objects.get(app_label=app_label, model=model).pk


#: The public plan pages (issue 21): anyone, anonymous included, may open a
#: published year; the world's offices publish nothing, so every role (and
#: an anonymous visitor) gets 404, as for an address that never existed;
#: they only read (a POST answers 405). Published pages: tests/public.
PUBLIC_PAGES = [
    ("public:office", ("kwaatsit1",)),
    ("public:year", ("kwaatsit1", current_fiscal_year())),
    ("public:year_xlsx", ("kwaatsit1", current_fiscal_year())),
    ("public:ita_pack", ("kwaatsit1", current_fiscal_year())),
    ("public:document", ("kwaatsit1", current_fiscal_year(), "plan_book")),
]


def _public_cases() -> list[Case]:
    cases = []
    for url_name, args in PUBLIC_PAGES:
        label = url_name + "".join(f"({a})" for a in args)
        url = _reverse(url_name, *args)
        for method, status in (("get", 404), ("post", 405)):
            cases.append(
                Case(
                    url_name,
                    f"{method.upper()} {label}",
                    method,
                    url,
                    NOBODY,
                    public=True,
                    status=status,
                    body=(lambda w: {}) if method == "post" else None,
                )
            )
    return cases


def _all_cases() -> list[Case]:
    cases = [case for row in APP_TABLE for case in _app_cases(row)]
    for label, row in ADMIN_TABLE.items():
        cases += _admin_cases(label, row)
    cases += _site_cases()
    cases += _public_cases()
    return cases


CASES = _all_cases()


# ------------------------------------------------------------------ coverage


def test_every_resolved_url_is_swept():
    swept = {case.key for case in CASES}
    missing = url_keys() - swept
    assert not missing, f"add these URLs to the URL sweep: {sorted(missing)}"
    assert not swept - url_keys(), "the sweep lists URLs that no longer exist"


def test_every_model_admin_is_in_the_table():
    registered = {model._meta.label_lower for model in admin.site._registry}
    assert registered == set(ADMIN_TABLE)


def test_known_holes_name_real_cases():
    """Every pattern of :data:`KNOWN_HOLES` names a swept case (no typos)."""
    params = [
        (case.id, role)
        for index, case in enumerate(CASES)
        for role in _roles(index, case)
    ]
    for reason, patterns in KNOWN_HOLES.items():
        for pattern in patterns:
            id_glob, _, roles = pattern.rpartition(" ")
            assert any(
                fnmatchcase(case_id, id_glob)
                and (roles == "*" or role in roles.split("|"))
                for case_id, role in params
            ), f"{reason}: {pattern} matches no case"


# ------------------------------------------------------------------ world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once for the module; every case runs in a rolled-back savepoint."""
    from django.test import override_settings

    media = tmp_path_factory.mktemp("media")
    with (
        django_db_blocker.unblock(),
        override_settings(
            MEDIA_ROOT=str(media),
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        ),
    ):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            world = build_world(media)
            world.logins = open_sessions(world.users)
            world.baseline = checksum()
            world.bodies = {}
            yield world
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _body(world, case: Case) -> dict:
    if case.body is None:
        return {}
    if not case.key.startswith("admin:"):
        return case.body(world)  # app bodies are cheap (and uploads fresh)
    if case.id not in world.bodies:
        with transaction.atomic():
            world.bodies[case.id] = case.body(world)
            transaction.set_rollback(True)
    return world.bodies[case.id]


OBSERVE = os.environ.get("SWEEP_OBSERVE")


def _run(world, case: Case, role: str) -> None:
    allowed = role in case.allowed
    if case.pdf and allowed and role != "planner":
        return
    data = _body(world, case)
    with transaction.atomic():
        url = case.url(world)
        client = world.logins.client(role)
        written = writes()
        if case.method == "get":
            response = client.get(url)
        else:
            response = client.post(url, data)
        status = response.status_code
        changed = []
        if writes() != written or case.must_change:
            changed = changed_tables(world.baseline, checksum())
        transaction.set_rollback(True)
    where = f"{case.id} as {role}: {status} {getattr(response, 'url', '')}"
    if OBSERVE:
        with open(OBSERVE, "a") as out:
            out.write(
                f"{case.id}\t{role}\t{status}\t{getattr(response, 'url', '')}\t"
                f"{','.join(changed)}\t{'ALLOWED' if allowed else 'refused'}\n"
            )
        return
    assert status < 500, where
    check_privacy(role, response, any_type=case.json)
    if role == "anonymous" and not case.public:
        assert status == 302 and "login" in response.url, where
        assert not changed, f"{where} changed {changed}"
        return
    if case.status is not None and (role != "anonymous" or case.public):
        assert status == case.status, where
    elif allowed or (case.public and role == "anonymous"):
        assert status < 400, where
        if status == 302 and not case.public:
            assert "login" not in response.url, where
        if case.must_change:
            assert status == 302, f"{where}: the valid body was not saved"
            assert changed, f"{where}: the save changed nothing"
    else:
        assert status in case.refused, where
    if case.check_data and not (allowed and case.method == "post"):
        assert not changed, f"{where} changed {changed}"


#: Every allowed role of every case (slow); by default an allowed request is
#: made by the role whose form is replayed and one more, rotating through
#: the allowed roles (refusals are always made by every role).
FULL = bool(os.environ.get("SWEEP_FULL"))


def _roles(index: int, case: Case) -> list[str]:
    allowed = [role for role in ROLES if role in case.allowed]
    if FULL or len(allowed) <= 2:
        return ROLES
    sample = {_donor(case.allowed), allowed[index % len(allowed)]}
    if "outsider" in allowed:
        sample.add("outsider")  # the other side of the privacy check
    return [role for role in ROLES if role not in case.allowed or role in sample]


def _params():
    for index, case in enumerate(CASES):
        for role in _roles(index, case):
            reason = _hole(case.id, role)
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            yield pytest.param(case, role, id=f"{case.id} {role}", marks=marks)


@pytest.mark.django_db
@pytest.mark.parametrize(("case", "role"), list(_params()))
def test_sweep(world, case, role):
    _run(world, case, role)
