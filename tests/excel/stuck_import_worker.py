"""The database worker (``manage.py db_worker``) with a confirm that never
ends: test_import_tasks starts it as a subprocess, waits until a confirm has
written its projects inside its one transaction (``MARKER`` written), and
kills it there.

Run as ``python tests/excel/stuck_import_worker.py MARKER`` from the
repository, with the test database in ``DATABASE_URL``.
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from excel.importer import PlanImport  # noqa: E402


def _stuck(self, projects):
    Path(sys.argv[1]).write_text("writing")
    time.sleep(300)


PlanImport._write_activities = _stuck
call_command("db_worker", "--no-startup-delay", "--interval", "0.1", "--no-reload")
