"""WSGI entry point: ``gunicorn config.wsgi``."""

import os
import sys

from django.core.exceptions import ImproperlyConfigured

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

try:
    import config.settings  # noqa: F401
except ImproperlyConfigured as error:
    sys.exit(f"ตั้งค่าไม่ถูกต้อง: {error}")

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()
