"""Every page a user can open reads in Thai (issue 18 item 7).

The offices read Thai; an English word left on a screen ("Show counts",
"0 of 100 selected", "Access attempts") is one they cannot act on. For each
role of the URL sweep (``test_url_sweep``) this renders every page that role
may GET: the app pages and the admin's (index, app lists, changelist, add,
change, delete, history and simple-history pages of every registered model,
the password pages). It strips what a reader does not see as text (tags with
their attribute values, scripts, styles, comments) and fails on any run of
Latin letters that is neither on :data:`ALLOWED` nor data typed into the
test's world (usernames, codes, file names: :func:`data_words`).

It goes through the test client and a regex, not a browser: a few seconds
per role. The admin's JavaScript strings ("%(sel)s of %(cnt)s selected")
are checked in the catalog the admin loads (``jsi18n``).
"""

import html
import json
import re
from collections import defaultdict
from pathlib import Path

import django.contrib.admin
import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse

from budgets.models import BudgetSource, ExpenseCategory
from core.models import StandardGroup
from core.thai import to_thai_digits
from progress.models import Evidence
from projects.models import Project
from tests.security.test_url_sweep import CASES, world  # noqa: F401 (fixture)
from tests.security.world import ROLES

#: Latin words a Thai page may show, and why. Keep it short: a word is here
#: because it is a name, a code, a unit or the offices' own borrowed word,
#: never because it is English for something Thai has a word for.
ALLOWED = {
    # the product's name, written beside แผน
    "Phaen",
    # file formats and programs the offices name in Latin letters
    "PDF",
    "Excel",
    "xlsx",
    "LibreOffice",
    "ods",
    # acronyms the offices write in Latin letters
    "KPI",
    "ICT",
    # the integrity assessment and its grade, as a KPI target is written
    # ("ITA ระดับ AA", the example under a KPI's target text)
    "ITA",
    "AA",
    # the NESDC's project register, named so on its own site (issue 21)
    "eMENSCR",
    "ISO",  # the month list's date format (ISO, ค.ศ.) in the admin
    # the plan documents' own words (seeds 000–002): "ผลผลิต (Output)",
    # "ผลลัพธ์ (Outcome)", "คุณลักษณะของผู้เรียน (SMART Students) …
    # S ; Skills", and the S/M/A/R/T tags of an indicator
    "Output",
    "Outcome",
    "SMART",
    "Students",
    "Teachers",
    "Skills",
    "S",
    "M",
    "A",
    "R",
    "T",
    # keys named by the admin's multi-select help ("กด Control (หรือ Command
    # บน Mac) ค้างไว้")
    "Control",
    "Command",
    "Mac",
}

#: What a reader sees as text: everything outside tags, scripts, styles and
#: comments (attribute values live inside tags and go with them).
HIDDEN = re.compile(
    r"<script\b.*?</script>|<style\b.*?</style>|<!--.*?-->|<[^>]*>",
    re.DOTALL | re.IGNORECASE,
)
#: A run of Latin letters, with the digits and joiners of a code or a file
#: name ("P-001", "src-ours", "photo.png", "progress/2570/round-1/...").
WORD = re.compile(r"[A-Za-z0-9๐-๙]*[A-Za-z][A-Za-z0-9๐-๙]*(?:[-_./@][A-Za-z0-9๐-๙]+)*")


def visible_text(content: str) -> str:
    return html.unescape(HIDDEN.sub(" ", content))


def latin_words(content: str, allowed: set[str]) -> set[str]:
    """The words of the page's text that are not allowed ("Students/Teachers"
    is allowed when both its parts are)."""
    return {
        word
        for word in WORD.findall(visible_text(content))
        if word not in allowed and not set(word.split("/")) <= allowed
    }


def data_words() -> set[str]:
    """What the test's world typed in Latin letters, and the pages show as
    typed: logins, codes, the login records' user agents, file names."""
    words = set(get_user_model().objects.values_list("username", flat=True))
    for model in (StandardGroup, BudgetSource, ExpenseCategory, Project):
        words |= set(model._base_manager.values_list("code", flat=True))
    for model in (AccessAttempt, AccessLog, AccessFailureLog):
        for row in model.objects.values("username", "user_agent"):
            words |= set(row.values())
    for name in Evidence.objects.values_list("file", flat=True):
        words |= {name, Path(name).name}
    # as the pages write them: split into words, in Thai digits too (P-๐๐๑)
    words = {part for word in words if word for part in WORD.findall(word)}
    return words | {to_thai_digits(word) for word in words}


def _pages(role: str):
    for case in CASES:
        if case.method != "get" or case.pdf:
            continue
        if role in case.allowed or (case.public and role == "anonymous"):
            yield case


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_every_page_a_role_opens_is_thai(world, role):  # noqa: F811
    allowed = ALLOWED | data_words()
    found = defaultdict(set)
    rendered = 0
    for case in _pages(role):
        with transaction.atomic():  # the world stays as built for the next role
            response = world.logins.client(role).get(case.url(world))
            transaction.set_rollback(True)
        if response.status_code != 200 or "html" not in response["Content-Type"]:
            continue
        rendered += 1
        for word in latin_words(response.content.decode(), allowed):
            found[word].add(case.id)
    assert rendered > 0
    assert not found, {word: sorted(ids)[:3] for word, ids in sorted(found.items())}


def test_the_finder_sees_english_text_and_not_markup():
    page = (
        '<p class="Show">แสดง <a href="/x/?y=Z" title="Title">Show counts</a>'
        "<script>var English = 1;</script><style>.Class {}</style>"
        "<!-- Comment --> PDF รหัส P-001 &amp; photo.png</p>"
    )
    assert latin_words(page, ALLOWED | {"P-001", "photo.png"}) == {"Show", "counts"}


ADMIN_SCRIPTS = Path(django.contrib.admin.__file__).parent / "static/admin/js"


def _admin_js_messages() -> set[str]:
    """Every message the admin's scripts ask ``gettext``, ``ngettext`` or
    ``pgettext`` for, as the catalog names it (``context\x04message``)."""
    messages = set()
    calls = re.compile(
        r"""\b(n?gettext|pgettext)\(\s*(['"])((?:\\.|(?!\2).)*)\2"""
        r"""(?:\s*,\s*(['"])((?:\\.|(?!\4).)*)\4)?"""
    )
    for script in ADMIN_SCRIPTS.rglob("*.js"):
        if "vendor" in script.parts:
            continue
        for match in calls.finditer(script.read_text()):
            first = match[3].replace("\\'", "'").replace('\\"', '"')
            if match[1] == "pgettext":
                messages.add(f"{first}\x04{match[5]}")
            else:
                messages.add(first)
    return messages


@pytest.mark.django_db
def test_the_admin_scripts_speak_thai(admin_client):
    """The admin's scripts translate through ``jsi18n`` (Django's own Thai
    catalog said "0 จาก 100 selected" and left the rest English)."""
    body = admin_client.get(reverse("admin:jsi18n")).content.decode()
    catalog = json.loads(re.search(r"const newcatalog = (\{.*?\});\n", body, re.S)[1])
    messages = _admin_js_messages()
    assert "%(sel)s of %(cnt)s selected" in messages
    english = {}
    for message in messages:
        thai = catalog.get(message)
        if isinstance(thai, list):
            thai = " ".join(thai)
        # placeholders (%s, %(sel)s) and the keys the help names stay Latin
        text = re.sub(r"%\(\w+\)s|%s", "", thai or message)
        words = set(re.findall(r"[A-Za-z]+", text)) - ALLOWED
        if thai is None or words:
            english[message] = thai
    assert not english, english
