"""Helpers of the URL sweep (``test_url_sweep.py``): the world fixture's
logins, a checksum of every table's content, the donor forms whose bodies
are replayed as every role, and the privacy check.
"""

import hashlib
import json
import re
from dataclasses import dataclass, field
from http.cookies import SimpleCookie

from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests.html_forms import form_data
from tests.security.world import OUR_SECRET, THEIR_SECRET

# ------------------------------------------------------------------ URLs


def url_keys() -> set[str]:
    """Every URL the project resolves, named ``namespace:name``, or by its
    route (``admin:<route>``) when Django gives it no name (the admin's
    ``<pk>/`` redirect and its catch-all view)."""
    keys = set()

    def walk(patterns, namespace, prefix):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, pattern.namespace or namespace, route)
            elif isinstance(pattern, URLPattern):
                name = pattern.name or f"<{route}>"
                keys.add(f"{namespace}:{name}" if namespace else name)

    walk(get_resolver().url_patterns, None, "")
    return keys


# ------------------------------------------------------------------ logins


@dataclass
class Logins:
    """One session per role, opened once when the world is built (a login
    writes ``last_login`` and an access log row: part of the baseline).

    One client serves every request: a new one loads the middleware again
    (WhiteNoise scans the static files, a tenth of a second). Its cookies
    are reset to the role's session before each request (a logout or a
    message cookie must not leak into the next case)."""

    sessions: dict
    shared: Client = field(default_factory=Client)

    def client(self, role: str) -> Client:
        client = self.shared
        client.cookies = SimpleCookie()
        key = self.sessions.get(role)
        if key is not None:
            client.cookies[settings.SESSION_COOKIE_NAME] = key
        return client


def open_sessions(users: dict) -> Logins:
    sessions = {}
    for role, user in users.items():
        if user is None:
            continue
        client = Client()
        client.force_login(user)
        sessions[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return Logins(sessions)


# ------------------------------------------------------------------ checksum

#: Sessions change on every request that stores a message; a document
#: download records its render (the progress record and the task queue: the
#: state of a cache, not the office's data; another office's download is a
#: 404 before either is written, tests/reports/test_render_tasks.py); an
#: import's upload records its check task likewise (core_taskrecord); the
#: network pages and the director's median refresh the stored figures of
#: offices that changed (network_officeyearfigures: a cache of sums of data
#: already there, tests/network/test_rollup.py); nothing else may.
UNCHECKED_TABLES = {
    "django_session",
    "django_migrations",
    "reports_documentjob",
    "core_taskrecord",
    "django_tasks_database_dbtaskresult",
    "network_officeyearfigures",
}


def _tables() -> list[str]:
    return sorted(
        set(connection.introspection.table_names()) - UNCHECKED_TABLES,
    )


def checksum() -> dict[str, str]:
    """A digest of every row of every table: a save that changes one value
    (not only one that adds a row) shows up."""
    quote = connection.ops.quote_name
    tables = _tables()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            parts = [
                f"SELECT '{table}', md5(coalesce(string_agg(t::text, ',' "
                f"ORDER BY t::text), '')) FROM {quote(table)} t"
                for table in tables
            ]
            cursor.execute(" UNION ALL ".join(parts))
            return dict(cursor.fetchall())
        digests = {}
        for table in tables:
            cursor.execute(f"SELECT * FROM {quote(table)}")  # noqa: S608
            rows = sorted(repr(row) for row in cursor.fetchall())
            digests[table] = hashlib.md5(
                "\n".join(rows).encode(), usedforsecurity=False
            ).hexdigest()
        return digests


def writes() -> int:
    """Rows written so far (a cheap counter): the checksum is computed only
    when it moved, or when an allowed save must have changed something."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) "
                "FROM pg_stat_xact_user_tables WHERE relname <> 'django_session'"
            )
            return int(cursor.fetchone()[0])
    connection.ensure_connection()
    return connection.connection.total_changes


def changed_tables(before: dict, after: dict) -> list[str]:
    return sorted(table for table in before if before[table] != after.get(table))


# ------------------------------------------------------------------ bodies

#: Text fields a valid body changes (the first one present), so that an
#: allowed save really writes something.
EDITABLE_TEXT = (
    "name",
    "title",
    "description",
    "first_name",
    "note",
    "text",
    "vision",
    "body",
    "output_progress",
    "reason",
    "reference",
    "short_name",
)


def body_from_page(html: bytes, *, edit: bool = True, blank_inlines=False) -> dict:
    """The page's main form as a browser would submit it, with one harmless
    text value changed; ``blank_inlines`` drops the inline rows (an add page
    fed from a change page must not name existing inline rows)."""
    data = form_data(html)
    data.pop("csrfmiddlewaretoken", None)
    if blank_inlines:
        prefixes = [
            key[: -len("-TOTAL_FORMS")] for key in data if key.endswith("-TOTAL_FORMS")
        ]
        for prefix in prefixes:
            row = re.compile(rf"^{re.escape(prefix)}-\d+-")
            for key in [key for key in data if row.match(key)]:
                del data[key]
            data[f"{prefix}-TOTAL_FORMS"] = "0"
            data[f"{prefix}-INITIAL_FORMS"] = "0"
    if edit:
        for name in EDITABLE_TEXT:
            if isinstance(data.get(name), str):
                data[name] = f"{data[name]} x".strip()
                break
    return data


# ------------------------------------------------------------------ privacy


def check_privacy(role: str, response, *, any_type: bool = False) -> None:
    """Our users never see the other office's secret names, nor they ours.
    HTML pages always; JSON (autocomplete) when ``any_type``."""
    if role in {"superuser", "anonymous"} or getattr(response, "streaming", False):
        return
    content_type = response.get("Content-Type", "")
    if not any_type and "html" not in content_type:
        return
    if "html" not in content_type and "json" not in content_type:
        return
    body = response.content.decode()
    foreign = OUR_SECRET if role == "outsider" else THEIR_SECRET
    # JsonResponse escapes Thai letters (e.g. "\\u0e42"): look for that form too.
    escaped = json.dumps(foreign)[1:-1]
    assert foreign not in body and escaped not in body, (
        f"{role} sees another office's names"
    )
