"""The README's real-office sequence, run line by line with ``call_command``
(issue 15 "done when"): if a command, option or file named there changes, this
fails instead of the README quietly going wrong."""

import shlex
import subprocess
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from budgets.rollups import office_totals
from core.models import Organization
from plans.models import Plan

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[1]
MARKER = "<!-- real-office-sequence -->"
PREFIX = [".venv/bin/python", "manage.py"]


def readme_commands() -> list[list[str]]:
    """The shell lines of the block under the marker, continuations joined."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split(MARKER, 1)[1].split("```sh\n", 1)[1].split("```", 1)[0]
    commands = []
    for line in block.replace("\\\n", " ").splitlines():
        if line.strip():
            words = shlex.split(line)
            assert words[:2] == PREFIX, line
            commands.append(words[2:])
    return commands


def test_the_readme_names_the_four_steps():
    assert [words[0] for words in readme_commands()] == [
        "migrate",
        "create_office",
        "import_plan",
        "render_plan",
    ]


def test_the_readme_sequence_gives_a_real_office_and_its_book(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)  # the workbook path is relative to the repository
    output = None
    for name, *args in readme_commands():
        if name == "render_plan":
            at = args.index("--output") + 1
            output = tmp_path / args[at]
            args[at] = str(output)
        call_command(name, *args, stdout=StringIO(), stderr=StringIO())
    office = Organization.objects.get(short_name="สพป.ยโสธร เขต 2")
    plan = Plan.objects.get(organization=office, fiscal_year=2562)
    assert plan.projects.count() == 16
    totals = office_totals(office, 2562)
    assert (totals["allocated"], totals["operating"], totals["total_budget"]) == (
        1000000,
        775000,
        225000,
    )
    text = subprocess.run(
        ["pdftotext", str(output), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = " ".join(text.split())
    assert "โครงการโรงเรียนคุณภาพประจำตำบล" in flat
    assert "๒๒๕,๐๐๐" in flat  # the book prints Thai digits by default
