"""The optional read replica (issue 20 item 5): the overseer pages read there.

An overseer's page adds up every office of a region or the whole country: the
heaviest reads of the application, and the ones that can be a few seconds
behind without anyone noticing. With ``DATABASE_REPLICA_URL`` set they run on
a streaming replica (the ``replica`` alias), so they never queue behind the
offices' own work on the primary.

Only the code that asks for it reads there: a view wraps its reads in
:func:`reading_replica` (a context variable, so one request or thread never
leaks the choice into another), and :class:`OverseerReplicaRouter` then sends
the reads of that block to the replica. Writes always go to ``default``, and
so does every read outside such a block (the login, the session, the user,
the office pages, the documents' render records), since a page that has just
written must read its own write. Without a replica the router answers
``None`` everywhere, which is Django's behaviour without a router.
"""

import contextlib
import contextvars
import functools

from django.conf import settings

REPLICA = "replica"

_reading = contextvars.ContextVar("phaen_reading_replica", default=False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


@contextlib.contextmanager
def reading_replica():
    """Reads inside the block go to the replica, when there is one."""
    token = _reading.set(True)
    try:
        yield
    finally:
        _reading.reset(token)


def reads_replica(function):
    """Decorator form of :func:`reading_replica` for a whole function."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        with reading_replica():
            return function(*args, **kwargs)

    return wrapper


class OverseerReplicaRouter:
    """``replica`` for reads inside :func:`reading_replica`, ``default`` for
    every write; no opinion otherwise (``default``, as without a router)."""

    def db_for_read(self, model, **hints):
        if _reading.get() and replica_configured():
            return REPLICA
        return None

    def db_for_write(self, model, **hints):
        return "default" if replica_configured() else None

    def allow_relation(self, obj1, obj2, **hints):
        # The replica is a copy of default: the same rows on both sides.
        if replica_configured():
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return None
