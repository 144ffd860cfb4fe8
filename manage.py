#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.exceptions import ImproperlyConfigured

    try:
        # Import settings first so a configuration mistake prints one clear
        # message instead of a traceback.
        import config.settings  # noqa: F401
    except ImproperlyConfigured as error:
        sys.exit(f"ตั้งค่าไม่ถูกต้อง: {error}")

    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
