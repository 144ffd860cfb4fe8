"""Kill a task worker at a chosen moment: the tests that prove a dead worker
loses nothing (a render, an import's confirm) start a real worker process on
the test database, wait until it has reached the step it must die in (it
touches a marker file there) and kill it with SIGKILL, as a crash or an
out-of-memory kill would."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def test_database_url() -> str:
    """DATABASE_URL of the test database, for a worker subprocess."""
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path="/" + connection.settings_dict["NAME"]))


def kill_worker_when_reached(script: str, marker: Path, what: str, **environ) -> None:
    """Run ``script`` (a path under the project) as a worker on the test
    database with ``environ`` added, and SIGKILL it once ``marker`` exists."""
    environment = {
        **os.environ,
        "DATABASE_URL": test_database_url(),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        **environ,
    }
    environment.pop("REDIS_URL", None)
    worker = subprocess.Popen(  # noqa: S603 (our interpreter and script)
        [sys.executable, str(ROOT / script), marker],
        cwd=ROOT,
        env=environment,
    )
    try:
        for _ in range(600):
            if marker.exists() or worker.poll() is not None:
                break
            time.sleep(0.1)
        assert marker.exists(), f"the worker never reached {what}"
        worker.send_signal(signal.SIGKILL)
        worker.wait(10)
    finally:
        if worker.poll() is None:
            worker.kill()
