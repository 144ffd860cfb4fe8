"""Django's own messages that its Thai catalog leaves in English come from
``locale/th`` (compiled and committed): the .mo must match the .po."""

import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

PO = Path(__file__).resolve().parents[2] / "locale/th/LC_MESSAGES/django.po"


def _entries() -> list[tuple[str, str]]:
    """(msgid, msgstr) of every singular entry of the .po file."""
    entries = []
    for block in PO.read_text().split("\n\n"):
        fields, current = {}, None
        for line in block.splitlines():
            if line.startswith("#"):
                continue
            match = re.match(r'(msgid|msgid_plural|msgstr(?:\[\d\])?) "(.*)"$', line)
            if match:
                current = match[1]
                fields[current] = match[2]
            elif line.startswith('"') and current:
                fields[current] += line[1:-1]
        if fields.get("msgid") and "msgid_plural" not in fields:
            entries.append((fields["msgid"], fields["msgstr"]))
    return entries


def test_the_compiled_catalog_matches_the_po_file():
    entries = _entries()
    assert len(entries) > 50
    with translation.override("th"):
        stale = [
            msgid
            for msgid, msgstr in entries
            if translation.gettext(msgid.replace('\\"', '"'))
            != msgstr.replace('\\"', '"')
        ]
    assert stale == [], "run msgfmt (see the .po header) and commit the .mo"


@pytest.mark.django_db
def test_admin_success_message_is_thai(admin_client, office):
    url = reverse("admin:core_organization_change", args=[office.pk])
    page = admin_client.get(url)
    data = {
        field: page.context["adminform"].form.initial.get(field) or ""
        for field in ("name", "short_name", "kind", "address", "phone")
    }
    data.update(
        {
            "email": "",
            "website": "",
            "director": "",
            "groups-TOTAL_FORMS": "0",
            "groups-INITIAL_FORMS": "0",
        }
    )

    response = admin_client.post(url, data, follow=True)

    content = response.content.decode()
    assert "เรียบร้อยแล้ว" in content, content[-2000:]
    assert "successfully" not in content
