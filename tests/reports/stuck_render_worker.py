"""The database worker (``manage.py db_worker``) with a layout that never
ends: test_render_tasks starts it as a subprocess, waits until a render is
inside the layout (``MARKER`` written), and kills it there.

Run as ``python tests/reports/stuck_render_worker.py MARKER`` from the
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

from reports import pdf  # noqa: E402


def _stuck(*args, **kwargs):
    Path(sys.argv[1]).write_text("laying out")
    time.sleep(300)


pdf.render_pdf = _stuck
call_command("db_worker", "--no-startup-delay", "--interval", "0.1", "--no-reload")
