"""make backup / make restore: a dump restored into an empty database holds the plan."""

import sqlite3

import pytest
from django.core.management import call_command
from django.db import connection

from core.backup import BackupError, restore_database
from tests.factories import PlanFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _restore_and_read_plan(dump, tmp_path):
    if connection.vendor == "postgresql":
        import psycopg2

        target = "phaen_restore_check"
        with connection.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {target}")
            cursor.execute(f"CREATE DATABASE {target}")
        try:
            restore_database(dump, database=target)
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
        return rows
    empty = tmp_path / "empty.sqlite3"
    with sqlite3.connect(dump) as source, sqlite3.connect(empty) as target:
        source.backup(target)
    with sqlite3.connect(empty) as restored:
        return restored.execute("SELECT fiscal_year, vision FROM plans_plan").fetchall()


def test_backup_restores_into_an_empty_database_with_the_same_plan(tmp_path, capsys):
    PlanFactory(fiscal_year=2569, vision="นักเรียนเป็นคนดี มีความรู้")
    dump = tmp_path / "phaen.dump"

    call_command("backup", str(dump))

    assert "สำรองข้อมูลแล้ว" in capsys.readouterr().out
    assert dump.stat().st_size > 0
    assert _restore_and_read_plan(dump, tmp_path) == [(2569, "นักเรียนเป็นคนดี มีความรู้")]


def test_restore_command_puts_back_deleted_data(tmp_path):
    plan = PlanFactory(fiscal_year=2568)
    dump = tmp_path / "before.dump"
    call_command("backup", str(dump))
    plan.delete()

    call_command("restore", str(dump), yes=True)

    from plans.models import Plan

    assert Plan.objects.filter(fiscal_year=2568).exists()


def test_restore_of_a_missing_file_says_so_in_thai(tmp_path):
    with pytest.raises(BackupError, match="ไม่พบไฟล์สำรองข้อมูล"):
        restore_database(tmp_path / "nothing.dump")
