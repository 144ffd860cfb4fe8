"""Backups of the whole database: pg_dump/pg_restore on PostgreSQL, a file copy
(SQLite's online backup API) on SQLite."""

import glob
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.utils import timezone

ERROR_NO_TOOL = "ไม่พบโปรแกรม {tool} ของ PostgreSQL กรุณาติดตั้งแพ็กเกจ postgresql-client"
ERROR_NO_FILE = "ไม่พบไฟล์สำรองข้อมูล {path}"
ERROR_ENGINE = "ยังไม่รองรับการสำรองข้อมูลฐานข้อมูลชนิด {engine}"


class BackupError(Exception):
    pass


def _pg_tool(name: str) -> str:
    """Prefer the newest server-version binary, then PATH."""
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    found = candidates[-1] if candidates else shutil.which(name)
    if not found:
        raise BackupError(ERROR_NO_TOOL.format(tool=name))
    return found


def _pg_args(db: dict) -> tuple[list[str], dict]:
    args = ["--no-owner", "--no-privileges"]
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def default_backup_path(directory: Path | None = None) -> Path:
    folder = directory or settings.VAR_DIR / "backups"
    folder.mkdir(parents=True, exist_ok=True)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    vendor = connections["default"].vendor
    suffix = "dump" if vendor == "postgresql" else "sqlite3"
    return folder / f"phaen-{stamp}.{suffix}"


def backup_database(path: Path, *, alias: str = "default") -> Path:
    """Write a complete backup of database ``alias`` to ``path``."""
    connection = connections[alias]
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        args, env = _pg_args(db)
        subprocess.run(  # noqa: S603 - fixed binary, arguments from settings
            [
                _pg_tool("pg_dump"),
                "--format=custom",
                *args,
                "--file",
                str(path),
                db["NAME"],
            ],
            check=True,
            env=env,
            capture_output=True,
        )
    elif connection.vendor == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(path) as target:
            connection.connection.backup(target)
    else:
        raise BackupError(ERROR_ENGINE.format(engine=connection.vendor))
    return path


def restore_database(
    path: Path, *, alias: str = "default", database: str | None = None
):
    """Replace the contents of the database with the backup at ``path``.

    ``database`` restores into another PostgreSQL database of the same server.
    """
    if not Path(path).exists():
        raise BackupError(ERROR_NO_FILE.format(path=path))
    connection = connections[alias]
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        args, env = _pg_args(db)
        subprocess.run(  # noqa: S603 - fixed binary, arguments from settings
            [
                _pg_tool("pg_restore"),
                "--clean",
                "--if-exists",
                "--single-transaction",
                *args,
                "--dbname",
                database or db["NAME"],
                str(path),
            ],
            check=True,
            env=env,
            capture_output=True,
        )
    elif connection.vendor == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(path) as source:
            source.backup(connection.connection)
    else:
        raise BackupError(ERROR_ENGINE.format(engine=connection.vendor))
