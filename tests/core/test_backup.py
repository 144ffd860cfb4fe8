"""make backup / make restore: one archive holds the database and every evidence
file; restoring it puts both back exactly; anything else is refused in Thai
without touching either."""

import hashlib
import io
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import override_settings

from core.backup import BackupError, open_backup, restore_database
from progress.models import Evidence, ProgressReport
from tests.core.tables import changed_tables, table_checksums
from tests.factories import (
    ActivityFactory,
    CostLineFactory,
    DisbursementFactory,
    PlanFactory,
    ProgressReportFactory,
    ProjectFactory,
    ReportingRoundFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
PDF = b"%PDF-1.4\n% evidence\n" + b"0" * 2048


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


def _media_state(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def _office_with_evidence():
    plan = PlanFactory(fiscal_year=2568, vision="นักเรียนเป็นคนดี มีความรู้")
    project = ProjectFactory(plan=plan, status="approved", name="โครงการอ่านออกเขียนได้")
    activity = ActivityFactory(project=project)
    line = CostLineFactory(activity=activity)
    DisbursementFactory(activity=activity, cost_line=line, amount=Decimal("100.00"))
    reporting_round = ReportingRoundFactory(organization=plan.organization)
    report = ProgressReportFactory(project=project, round=reporting_round)
    photo = Evidence.objects.create(
        report=report,
        file=SimpleUploadedFile("กิจกรรม.png", PNG),
        kind="photo",
        caption="ภาพกิจกรรม",
    )
    signed = Evidence.objects.create(
        report=report, file=SimpleUploadedFile("signed.pdf", PDF), kind="pdf"
    )
    return plan, report, photo, signed


def test_backup_and_restore_put_back_every_row_and_every_file(media, tmp_path, capsys):
    plan, report, photo, signed = _office_with_evidence()
    tables, files = table_checksums(), _media_state(media)
    assert len(files) == 2
    archive = tmp_path / "backups" / "phaen.tar.gz"

    call_command("backup", str(archive))

    assert "สำรองข้อมูลแล้ว" in capsys.readouterr().out
    with tarfile.open(archive, "r:gz") as opened:
        manifest = json.load(opened.extractfile("manifest.json"))
        names = set(opened.getnames())
    assert manifest["database_vendor"] == connection.vendor
    assert manifest["app_version"] and manifest["created_at"]
    assert {entry["path"]: entry["sha256"] for entry in manifest["files"]} == files
    assert {f"media/{name}" for name in files} | {manifest["database"]["path"]} < names

    # then people change and delete rows and files
    ProgressReport.objects.filter(pk=report.pk).update(percent_complete=90)
    plan.projects.update(name="ชื่อใหม่")
    photo_path = Path(photo.file.path)
    signed.delete()
    photo_path.write_bytes(b"overwritten")
    (media / "progress" / "stray.txt").write_text("ไฟล์ที่ไม่มีในไฟล์สำรอง")
    (media / "other" / "deep").mkdir(parents=True)
    (media / "other" / "deep" / "new.pdf").write_bytes(PDF)
    Path(signed.file.path).unlink()
    assert changed_tables(tables, table_checksums())

    call_command("restore", str(archive), yes=True)

    assert "กู้คืนข้อมูล" in capsys.readouterr().out
    assert changed_tables(tables, table_checksums()) == []
    assert _media_state(media) == files
    assert not (media / "other").exists()


def test_backup_restores_into_an_empty_database_with_the_same_plan(media, tmp_path):
    PlanFactory(fiscal_year=2569, vision="นักเรียนเป็นคนดี มีความรู้")
    archive = tmp_path / "phaen.tar.gz"
    call_command("backup", str(archive))
    backup = open_backup(archive, tmp_path / "unpacked")

    if connection.vendor == "postgresql":
        import psycopg2

        target = "phaen_restore_check"
        with connection.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {target}")
            cursor.execute(f"CREATE DATABASE {target}")
        try:
            restore_database(backup.dump, database=target)
            db = connection.settings_dict
            with psycopg2.connect(
                dbname=target,
                host=db["HOST"],
                port=db["PORT"],
                user=db["USER"],
                password=db["PASSWORD"] or None,
            ) as other:
                with other.cursor() as cursor:
                    cursor.execute("SELECT fiscal_year, vision FROM plans_plan")
                    rows = cursor.fetchall()
            other.close()
        finally:
            with connection.cursor() as cursor:
                cursor.execute(f"DROP DATABASE IF EXISTS {target}")
    else:
        with sqlite3.connect(backup.dump) as restored:
            rows = restored.execute(
                "SELECT fiscal_year, vision FROM plans_plan"
            ).fetchall()
        restored.close()
    assert rows == [(2569, "นักเรียนเป็นคนดี มีความรู้")]


def test_a_bare_database_file_of_an_earlier_version_still_restores(media, tmp_path):
    """Backups made before archives held only the database: restore that and
    leave the evidence files alone."""
    from core.backup import backup_database
    from plans.models import Plan

    plan = PlanFactory(fiscal_year=2568)
    dump = tmp_path / "old.dump"
    backup_database(dump)
    plan.delete()
    (media / "kept.pdf").write_bytes(PDF)

    call_command("restore", str(dump), yes=True)

    assert Plan.objects.filter(fiscal_year=2568).exists()
    assert (media / "kept.pdf").read_bytes() == PDF


def test_restore_of_a_missing_file_says_so_in_thai(tmp_path):
    with pytest.raises(BackupError, match="ไม่พบไฟล์สำรองข้อมูล"):
        restore_database(tmp_path / "nothing.dump")
    with pytest.raises(CommandError, match="ไม่พบไฟล์สำรองข้อมูล"):
        call_command("restore", str(tmp_path / "nothing.tar.gz"), yes=True)


# ------------------------------------------------------------------ bad files


def _tar_gz(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def _real_backup(tmp_path) -> bytes:
    path = tmp_path / "real.tar.gz"
    call_command("backup", str(path), verbosity=0)
    return path.read_bytes()


def _cut_in_half(data: bytes) -> bytes:
    return data[: len(data) // 2]


def _tampered(tmp_path) -> bytes:
    """A real backup whose database dump was swapped for other bytes."""
    with tarfile.open(fileobj=io.BytesIO(_real_backup(tmp_path)), mode="r:gz") as src:
        members = {m.name: src.extractfile(m).read() for m in src.getmembers()}
    manifest = json.loads(members["manifest.json"])
    members[manifest["database"]["path"]] = b"not the database"
    return _tar_gz(members)


BAD_FILES = {
    "a text file": lambda tmp: b"phaen-server\n",
    "random bytes": lambda tmp: os.urandom(4096),
    "an empty file": lambda tmp: b"",
    "a truncated backup": lambda tmp: _cut_in_half(_real_backup(tmp)),
    "an archive of another kind": lambda tmp: _tar_gz({"photos/a.png": PNG}),
    "a zip file": lambda tmp: b"PK\x03\x04" + os.urandom(200),
    "a gzip that is not a tar": lambda tmp: __import__("gzip").compress(b"hello"),
    "a manifest of another program": lambda tmp: _tar_gz(
        {"manifest.json": json.dumps({"format": "other"}).encode()}
    ),
    "a tampered backup": _tampered,
    "a dump that is not a database": lambda tmp: (
        b"PGDMP" + os.urandom(300)
        if connection.vendor == "postgresql"
        else b"SQLite format 3\x00" + os.urandom(300)
    ),
}


@pytest.mark.parametrize("kind", BAD_FILES)
def test_restore_refuses_a_file_that_is_not_a_backup_and_changes_nothing(
    kind, media, tmp_path
):
    _office_with_evidence()
    bad = tmp_path / "bad.tar.gz"
    bad.write_bytes(BAD_FILES[kind](tmp_path))
    tables, files = table_checksums(), _media_state(media)

    with pytest.raises(CommandError) as refused:
        call_command("restore", str(bad), yes=True)

    message = str(refused.value)
    assert message.startswith("กู้คืนไม่สำเร็จ:") and "\n" not in message
    assert changed_tables(tables, table_checksums()) == []
    assert _media_state(media) == files


def test_restore_from_the_command_line_prints_one_thai_line(tmp_path):
    """``manage.py restore /etc/hostname --yes``: no traceback, status 1."""
    hostname = tmp_path / "hostname"
    hostname.write_text("phaen-server\n")
    env = {**os.environ, "PHAEN_VAR_DIR": str(tmp_path / "var")}
    done = subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", "restore", str(hostname), "--yes"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert "ไม่ใช่ไฟล์สำรองข้อมูล" in lines[0] and "Traceback" not in done.stderr


def test_restore_asks_first_and_says_files_will_be_removed(
    media, tmp_path, monkeypatch
):
    archive = tmp_path / "phaen.tar.gz"
    call_command("backup", str(archive), verbosity=0)
    PlanFactory(fiscal_year=2570)
    (media / "new.pdf").write_bytes(PDF)
    tables = table_checksums()
    asked = []
    monkeypatch.setattr("builtins.input", lambda prompt: asked.append(prompt) or "no")

    with pytest.raises(CommandError, match="ยกเลิกการกู้คืน"):
        call_command("restore", str(archive))

    assert "ไฟล์ที่ไม่มีในไฟล์สำรองจะถูกลบ" in asked[0]
    assert str(media) in asked[0]
    assert changed_tables(tables, table_checksums()) == []
    assert (media / "new.pdf").exists()


def test_backup_says_the_bucket_is_not_in_the_archive(media, tmp_path, capsys):
    """With PHAEN_STORAGE=s3 the evidence is not under MEDIA_ROOT: the archive
    holds the database only, and the command says so in Thai."""
    bucket = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {"bucket_name": "phaen-evidence"},
    }
    with override_settings(STORAGES={**settings.STORAGES, "default": bucket}):
        call_command("backup", str(tmp_path / "phaen.tar.gz"))
    assert "ไม่ได้อยู่ในไฟล์สำรองนี้" in capsys.readouterr().err
    call_command("backup", str(tmp_path / "local.tar.gz"))
    assert "ไม่ได้อยู่ในไฟล์สำรองนี้" not in capsys.readouterr().err
