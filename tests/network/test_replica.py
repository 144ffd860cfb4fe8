"""The read replica (issue 20 item 5): the overseer pages read from the
``replica`` alias, everything else (and every write) from ``default``.

A mirror (``TEST: {"MIRROR": "default"}``) would show the same rows through
either alias, so it could not tell where a page read from. Here the replica
is a real second PostgreSQL database: after the data is written (and
committed: a transactional test) the test database is copied with ``CREATE
DATABASE … TEMPLATE`` (what Django's parallel runner does) and registered as
``replica``; then one office is renamed *in the copy only*. A page that shows
the copy's name read the replica; a page that shows the first name read
``default``.
"""

import copy

import pytest
from django.conf import settings as django_settings
from django.contrib.sessions.models import Session
from django.db import connection, connections, router
from django.db.backends.postgresql.base import DatabaseWrapper
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import Organization
from core.replica import REPLICA, OverseerReplicaRouter, reading_replica
from tests.network.test_pages import YEAR, office_with_money

COPY_NAME = "สพป.เหนือ 1 (อ่านจากสำเนา)"
PASSWORD = "รหัสผ่าน-ทดสอบ-123"


@pytest.fixture
def replica(transactional_db, network, north_overseer):
    """The network's data committed to the test database, then a copy of
    that database as the ``replica`` alias.

    Django's test case refuses queries through any alias it knew when the
    test started and was not told to allow; ``replica`` is new, so its
    connection is made here under a name of its own (a connection Django
    did not configure is allowed, like a thread's) and put in place of the
    alias the router names."""
    if connection.vendor != "postgresql":
        pytest.skip("the replica is a second PostgreSQL database")
    office_with_money(network["n1"])
    north_overseer.set_password(PASSWORD)
    north_overseer.save()
    default = connections["default"]
    connections.close_all()
    # A template must have no other session: one left open by an earlier
    # test of this worker (a server thread, a subprocess) is ended first.
    # Each test process has a database of its own, so no other test is hit.
    with default.creation._nodb_cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()",
            [default.settings_dict["NAME"]],
        )
    default.creation._clone_test_db(REPLICA, verbosity=0)
    clone = copy.deepcopy(default.creation.get_test_db_clone_settings(REPLICA))
    django_settings.DATABASES[REPLICA] = clone
    connections[REPLICA] = DatabaseWrapper(clone, alias="replica-of-the-test")
    try:
        Organization.objects.using(REPLICA).filter(pk=network["n1"].pk).update(
            short_name=COPY_NAME, name=COPY_NAME
        )
        yield network
    finally:
        connections[REPLICA].close()
        del connections[REPLICA]
        django_settings.DATABASES.pop(REPLICA, None)
        default.creation._destroy_test_db(clone["NAME"], verbosity=0)


def test_the_network_pages_read_the_replica(client, replica, north_overseer):
    client.force_login(north_overseer)
    with CaptureQueriesContext(connections[REPLICA]) as on_replica:
        page = client.get(
            reverse("network:page", args=["compliance"]), {"fiscal_year": YEAR}
        ).content.decode()
    assert COPY_NAME in page
    assert "สพป.เหนือ 1<" not in page
    assert len(on_replica) > 0
    summary = client.get(
        reverse("network:office", args=[replica["n1"].pk]), {"fiscal_year": YEAR}
    ).content.decode()
    assert COPY_NAME in summary


def test_everything_else_reads_and_writes_default(client, replica, north_overseer):
    """The login (a valid POST: session row, last login) and every read
    outside the network views stay on ``default``; the replica sees no
    query at all."""
    sessions = Session.objects.using(REPLICA).count()
    with CaptureQueriesContext(connections[REPLICA]) as on_replica:
        response = client.post(
            reverse("login"),
            {"username": north_overseer.username, "password": PASSWORD},
        )
        assert response.status_code == 302
        assert client.get(reverse("home:home")).status_code == 200
        assert Organization.objects.get(pk=replica["n1"].pk).short_name != COPY_NAME
    assert len(on_replica) == 0
    assert Session.objects.using(REPLICA).count() == sessions
    assert Session.objects.count() == 1
    with reading_replica():
        assert router.db_for_write(Organization) == "default"
        assert router.db_for_read(Organization) == REPLICA


def test_without_a_replica_nothing_changes():
    """No ``replica`` alias: the router has no opinion, so Django's own
    choice (``default``) stands, inside the network views too."""
    assert REPLICA not in django_settings.DATABASES
    router_ = OverseerReplicaRouter()
    with reading_replica():
        assert router_.db_for_read(Organization) is None
        assert router_.db_for_write(Organization) is None
        assert router.db_for_read(Organization) == "default"
