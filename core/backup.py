"""Backups of the whole office: the database and the uploaded evidence files.

One backup is one ``.tar.gz`` archive holding

- ``manifest.json``: when and from which database vendor and app version it
  was made, and every file it holds with its size and sha256;
- ``database.dump`` (``pg_dump --format=custom`` on PostgreSQL) or
  ``database.sqlite3`` (SQLite's online backup API);
- ``media/…``: every file under ``MEDIA_ROOT``.

A database dump alone is not a backup: the evidence of progress reports
(photos, signed PDFs) lives in ``MEDIA_ROOT`` and its rows would point at
files that no longer exist.

Restoring checks the whole archive first (manifest, checksums, a dump
``pg_restore``/SQLite can read) and changes nothing when any check fails, so a
wrong or damaged file gives one Thai error instead of a traceback or half a
restore. Then it replaces the database and makes ``MEDIA_ROOT`` hold exactly
the archived files. Bare database files written by earlier versions
(``.dump`` / ``.sqlite3``) are still restored, database only.
"""

import datetime
import glob
import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.db import connections
from django.utils import timezone

ERROR_NO_TOOL = "ไม่พบโปรแกรม {tool} ของ PostgreSQL กรุณาติดตั้งแพ็กเกจ postgresql-client"
ERROR_NO_FILE = "ไม่พบไฟล์สำรองข้อมูล {path}"
ERROR_ENGINE = "ยังไม่รองรับการสำรองข้อมูลฐานข้อมูลชนิด {engine}"
ERROR_NOT_BACKUP = "ไฟล์ {path} ไม่ใช่ไฟล์สำรองข้อมูลของระบบแผน"
ERROR_DAMAGED = "ไฟล์สำรองข้อมูล {path} เสียหายหรือไม่ครบ ({detail})"
ERROR_VENDOR = "ไฟล์สำรองข้อมูลนี้มาจากฐานข้อมูลชนิด {source} แต่ระบบนี้ใช้ {target} จึงกู้คืนไม่ได้"
ERROR_DUMP = "สำรองฐานข้อมูลไม่สำเร็จ: {detail}"
ERROR_RESTORE = "กู้คืนฐานข้อมูลไม่สำเร็จ ข้อมูลเดิมไม่ถูกเปลี่ยน: {detail}"

FORMAT = "phaen-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MEDIA_PREFIX = "media/"
DUMP_NAMES = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
PG_MAGIC = b"PGDMP"
SQLITE_MAGIC = b"SQLite format 3\x00"
GZIP_MAGIC = b"\x1f\x8b"


class BackupError(Exception):
    pass


@dataclass
class Backup:
    """A backup checked and unpacked into ``folder``, ready to restore."""

    path: Path
    folder: Path
    vendor: str
    dump: Path
    created_at: str = ""
    #: Relative media paths (POSIX) held by the archive; None for a bare
    #: database file of an earlier version (media is then left alone).
    files: list[str] | None = field(default=None)


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


def _tool_error(error: subprocess.CalledProcessError) -> str:
    """The first line pg_dump/pg_restore wrote to stderr, for a one-line message."""
    text = error.stderr or b""
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[0] if lines else f"exit status {error.returncode}"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _app_version() -> str:
    try:
        return metadata.version("phaen")
    except metadata.PackageNotFoundError:
        return "unknown"


def media_files(root: Path | None = None) -> list[str]:
    """Every regular file under MEDIA_ROOT, as sorted POSIX relative paths."""
    root = Path(root or settings.MEDIA_ROOT)
    if not root.is_dir():
        return []
    return sorted(
        path.relative_to(root).as_posix()
        for path in root.rglob("*")
        if path.is_file() and not path.is_symlink()
    )


def default_backup_path(directory: Path | None = None) -> Path:
    folder = directory or settings.VAR_DIR / "backups"
    folder.mkdir(parents=True, exist_ok=True)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    return folder / f"phaen-{stamp}.tar.gz"


# ---------------------------------------------------------------- database


def backup_database(path: Path, *, alias: str = "default") -> Path:
    """Write a complete backup of database ``alias`` (only) to ``path``."""
    connection = connections[alias]
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        args, env = _pg_args(db)
        try:
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
        except subprocess.CalledProcessError as error:
            raise BackupError(ERROR_DUMP.format(detail=_tool_error(error))) from error
    elif connection.vendor == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(path) as target:
            connection.connection.backup(target)
        target.close()
    else:
        raise BackupError(ERROR_ENGINE.format(engine=connection.vendor))
    return path


def _check_dump(dump: Path, vendor: str, shown: Path) -> None:
    """Refuse a dump the database tools cannot read, before anything changes."""
    if vendor == "postgresql":
        try:
            listing = subprocess.run(  # noqa: S603 - fixed binary, our temp file
                [_pg_tool("pg_restore"), "--list", str(dump)],
                check=True,
                capture_output=True,
            ).stdout.decode("utf-8", "replace")
        except subprocess.CalledProcessError as error:
            raise BackupError(
                ERROR_DAMAGED.format(path=shown, detail=_tool_error(error))
            ) from error
        if not re.search(r"TABLE \S+ django_migrations\b", listing):
            raise BackupError(ERROR_NOT_BACKUP.format(path=shown))
        return
    try:
        uri = f"{Path(dump).resolve().as_uri()}?mode=ro"
        with sqlite3.connect(uri, uri=True) as source:
            check = source.execute("PRAGMA quick_check").fetchone()
            tables = {
                row[0]
                for row in source.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table'"
                )
            }
        source.close()
    except sqlite3.DatabaseError as error:
        raise BackupError(ERROR_DAMAGED.format(path=shown, detail=error)) from error
    if not check or check[0] != "ok":
        raise BackupError(ERROR_DAMAGED.format(path=shown, detail=check))
    if "django_migrations" not in tables:
        raise BackupError(ERROR_NOT_BACKUP.format(path=shown))


def restore_database(
    path: Path, *, alias: str = "default", database: str | None = None
):
    """Replace the contents of the database with the dump at ``path``.

    ``database`` restores into another PostgreSQL database of the same server.
    pg_restore runs in one transaction, so a failure leaves the data as it was.
    """
    if not Path(path).exists():
        raise BackupError(ERROR_NO_FILE.format(path=path))
    connection = connections[alias]
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        args, env = _pg_args(db)
        try:
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
        except subprocess.CalledProcessError as error:
            raise BackupError(
                ERROR_RESTORE.format(detail=_tool_error(error))
            ) from error
    elif connection.vendor == "sqlite":
        connection.ensure_connection()
        try:
            with sqlite3.connect(path) as source:
                source.backup(connection.connection)
            source.close()
        except sqlite3.DatabaseError as error:
            raise BackupError(ERROR_RESTORE.format(detail=error)) from error
    else:
        raise BackupError(ERROR_ENGINE.format(engine=connection.vendor))


# ---------------------------------------------------------------- archive


def create_backup(path: Path, *, alias: str = "default") -> dict:
    """Write the database and every media file into one archive at ``path``.

    The archive is written next to ``path`` and renamed into place at the
    end, so a failed backup never leaves a file that looks complete.
    Returns the manifest.
    """
    path = Path(path)
    vendor = connections[alias].vendor
    if vendor not in DUMP_NAMES:
        raise BackupError(ERROR_ENGINE.format(engine=vendor))
    media_root = Path(settings.MEDIA_ROOT)
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="phaen-backup-") as folder:
        dump = Path(folder) / DUMP_NAMES[vendor]
        backup_database(dump, alias=alias)
        files = [
            {
                "path": name,
                "size": (media_root / name).stat().st_size,
                "sha256": _sha256(media_root / name),
            }
            for name in media_files(media_root)
        ]
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created_at": timezone.now().isoformat(),
            "database_vendor": vendor,
            "app_version": _app_version(),
            "database": {"path": dump.name, "sha256": _sha256(dump)},
            "media_root": str(media_root),
            "files": files,
        }
        partial = path.with_name(f".{path.name}.partial")
        try:
            with tarfile.open(partial, "w:gz") as archive:
                data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mtime, info.mode = len(data), int(_now()), 0o644
                archive.addfile(info, io.BytesIO(data))
                archive.add(dump, arcname=dump.name, recursive=False)
                for entry in files:
                    archive.add(
                        media_root / entry["path"],
                        arcname=MEDIA_PREFIX + entry["path"],
                        recursive=False,
                    )
            os.replace(partial, path)
        finally:
            partial.unlink(missing_ok=True)
    return manifest


def _now() -> float:
    return datetime.datetime.now(tz=datetime.UTC).timestamp()


def _safe_name(name: str) -> bool:
    pure = PurePosixPath(name)
    return (
        bool(name)
        and not pure.is_absolute()
        and ".." not in pure.parts
        and "\\" not in name
        and "\x00" not in name
    )


def open_backup(path: Path, folder: Path, *, alias: str = "default") -> Backup:
    """Check the backup at ``path`` and unpack it into ``folder``.

    Raises ``BackupError`` (one Thai line) for anything that is not a whole,
    readable Phaen backup of this database vendor; nothing is changed.
    """
    path = Path(path)
    vendor = connections[alias].vendor
    if vendor not in DUMP_NAMES:
        raise BackupError(ERROR_ENGINE.format(engine=vendor))
    if not path.is_file():
        raise BackupError(ERROR_NO_FILE.format(path=path))
    with path.open("rb") as handle:
        head = handle.read(16)
    if head.startswith(PG_MAGIC) or head.startswith(SQLITE_MAGIC):
        return _open_bare_dump(path, head, vendor)
    if not head.startswith(GZIP_MAGIC):
        raise BackupError(ERROR_NOT_BACKUP.format(path=path))
    try:
        manifest = _unpack(path, Path(folder))
    except (tarfile.TarError, EOFError, OSError, ValueError) as error:
        raise BackupError(ERROR_DAMAGED.format(path=path, detail=error)) from error
    source = manifest.get("database_vendor")
    if source != vendor:
        raise BackupError(ERROR_VENDOR.format(source=source, target=vendor))
    dump = Path(folder) / DUMP_NAMES[vendor]
    _check_dump(dump, vendor, path)
    return Backup(
        path=path,
        folder=Path(folder),
        vendor=vendor,
        dump=dump,
        created_at=str(manifest.get("created_at", "")),
        files=[entry["path"] for entry in manifest["files"]],
    )


def _unpack(path: Path, folder: Path) -> dict:
    """Extract the archive's regular files, checking them against the manifest."""
    with tarfile.open(path, "r:gz") as archive:
        members = archive.getmembers()  # reads to the end: finds truncation
        names = {member.name: member for member in members}
        if MANIFEST not in names:
            raise BackupError(ERROR_NOT_BACKUP.format(path=path))
        manifest_file = archive.extractfile(names[MANIFEST])
        try:
            manifest = json.loads(manifest_file.read().decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise BackupError(ERROR_NOT_BACKUP.format(path=path)) from error
        if (
            not isinstance(manifest, dict)
            or manifest.get("format") != FORMAT
            or not isinstance(manifest.get("files"), list)
            or not isinstance(manifest.get("database"), dict)
        ):
            raise BackupError(ERROR_NOT_BACKUP.format(path=path))
        if manifest.get("format_version") != FORMAT_VERSION:
            raise BackupError(
                ERROR_DAMAGED.format(
                    path=path, detail=f"format_version {manifest.get('format_version')}"
                )
            )
        expected = {
            manifest["database"].get("path"): manifest["database"].get("sha256")
        }
        for entry in manifest["files"]:
            if not isinstance(entry, dict) or not _safe_name(str(entry.get("path"))):
                raise BackupError(ERROR_DAMAGED.format(path=path, detail="manifest"))
            expected[MEDIA_PREFIX + entry["path"]] = entry.get("sha256")
        if manifest["database"].get("path") not in DUMP_NAMES.values():
            raise BackupError(ERROR_DAMAGED.format(path=path, detail="manifest"))
        for name, digest in expected.items():
            member = names.get(name)
            if member is None or not member.isfile():
                raise BackupError(ERROR_DAMAGED.format(path=path, detail=f"{name} หาย"))
            target = folder / name
            target.parent.mkdir(parents=True, exist_ok=True)
            with archive.extractfile(member) as source, target.open("wb") as out:
                shutil.copyfileobj(source, out)
            if _sha256(target) != digest:
                raise BackupError(
                    ERROR_DAMAGED.format(path=path, detail=f"{name} ไม่ตรง sha256")
                )
    return manifest


def _open_bare_dump(path: Path, head: bytes, vendor: str) -> Backup:
    """A database-only file of an earlier version (or of ``backup_database``)."""
    source = "postgresql" if head.startswith(PG_MAGIC) else "sqlite"
    if source != vendor:
        raise BackupError(ERROR_VENDOR.format(source=source, target=vendor))
    _check_dump(path, vendor, path)
    return Backup(path=path, folder=path.parent, vendor=vendor, dump=path, files=None)


def restore_backup(backup: Backup, *, alias: str = "default") -> None:
    """Replace the database, then make MEDIA_ROOT hold exactly the archived files.

    The database goes first: if pg_restore fails, its transaction rolls back
    and the files are not touched either.
    """
    restore_database(backup.dump, alias=alias)
    if backup.files is None:
        return
    media_root = Path(settings.MEDIA_ROOT)
    media_root.mkdir(parents=True, exist_ok=True)
    keep = set(backup.files)
    for name in backup.files:
        target = media_root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        staged = target.with_name(f".{target.name}.restoring")
        shutil.copyfile(backup.folder / (MEDIA_PREFIX + name), staged)
        os.replace(staged, target)
    for name in media_files(media_root):
        if name not in keep:
            (media_root / name).unlink()
    for folder in sorted(
        media_root.rglob("*"), key=lambda p: len(p.parts), reverse=True
    ):
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
