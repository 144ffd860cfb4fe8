"""Issue 18 item 5: the group's progress form forgives mistakes.

One error summary linking to the fields, errors inside each field's cell, a
failed save that changes nothing (so the corrected save is no conflict with
the user's own attempt, while someone else's save still is), and evidence
attached inside each project's card, several files at once, Word and Excel
included (ZIP-checked, macros refused), by the same save or submit.
"""

import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.locking import ERROR_EDIT_CONFLICT
from progress.models import Evidence, ProgressReport, ReportEvent
from progress.validators import ERROR_MACRO, evidence_kind
from tests.browser.journeys import small_docx, small_png
from tests.html_forms import form_data
from tests.progress.conftest import make_project

pytestmark = pytest.mark.django_db

CONFLICT_START = ERROR_EDIT_CONFLICT.split("{")[0]
PERCENT_RANGE = "ร้อยละความก้าวหน้าต้องอยู่ระหว่าง 0 ถึง 100"


docx_bytes = small_docx


def xlsx_bytes() -> bytes:
    book = openpyxl.Workbook()
    book.active["A1"] = "รายชื่อผู้เข้าอบรม"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _url(reporting_round, group):
    return reverse("progress:group_round", args=[reporting_round.pk, group.pk])


def _open(client, user, url) -> dict:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return form_data(response.content)


def _typed(data: dict, project, **fields) -> dict:
    prefix = f"p{project.pk}"
    data = dict(data)
    data.update(
        {
            f"{prefix}-status": "in_progress",
            f"{prefix}-percent_complete": "40",
            f"{prefix}-output_progress": "อบรมครูแล้ว 2 รุ่น",
        }
    )
    data.update({f"{prefix}-{key}": value for key, value in fields.items()})
    return data


# ---------------------------------------------------------------- validators


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("รายงานการอบรม.docx", docx_bytes(), "word"),
        ("รายชื่อผู้เข้าอบรม.xlsx", xlsx_bytes(), "excel"),
        ("ภาพ.png", small_png(), "photo"),
    ],
)
def test_word_and_excel_files_are_accepted_by_their_zip_content(name, content, kind):
    assert evidence_kind(upload(name, content)) == kind


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("macro.docx", docx_bytes(macro=True), "macro"),
        ("macro.docm", docx_bytes(macro=True), "macro"),
        ("macro.xlsm", xlsx_bytes(), "macro"),
        ("workbook-renamed.docx", xlsx_bytes(), "content"),
        ("document-renamed.xlsx", docx_bytes(), "content"),
        ("no-content-types.docx", b"PK\x03\x04" + b"0" * 60, "content"),
        ("photo-renamed.docx", small_png(), "content"),
        ("old-word.doc", b"\xd0\xcf\x11\xe0" + b"0" * 60, "type"),
    ],
)
def test_fake_or_macro_office_files_are_refused(name, content, code):
    with pytest.raises(ValidationError) as raised:
        evidence_kind(upload(name, content))
    assert raised.value.code == code


# ---------------------------------------------------------------- errors


def test_one_error_summary_links_to_each_field_and_nothing_else_is_said(
    client, round1, group_a, project_a, head_a
):
    url = _url(round1, group_a)
    data = _typed(_open(client, head_a, url), project_a, percent_complete="150")
    data["submit"] = str(project_a.pk)

    response = client.post(url, data)

    content = response.content.decode()
    assert response.status_code == 200
    assert content.count('data-testid="error-summary"') == 1
    field = f"id_p{project_a.pk}-percent_complete"
    assert f'<a href="#{field}">' in content
    assert f'id="{field}"' in content
    # The message sits inside the field's own cell, not as a grid item of
    # its own (a <ul> inside a <p> used to break out and shift the grid).
    cell = content.split(f'id="{field}"', 1)[1].split("</div>", 2)
    assert PERCENT_RANGE in cell[0] + cell[1]
    assert '<ul class="errorlist"' not in content.split("<main", 1)[1]
    assert "บันทึกร่างแล้ว" not in content
    assert 'class="messages"' not in content
    assert not ProgressReport.objects.exists()


def test_a_failed_save_is_no_conflict_with_ones_own_corrected_save(
    client, round1, group_a, project_a, head_a
):
    report = ProgressReport.objects.create(project=project_a, round=round1)
    version = report.edit_version
    url = _url(round1, group_a)
    prefix = f"p{project_a.pk}"
    data = _typed(_open(client, head_a, url), project_a, percent_complete="150")

    failed = client.post(url, data)

    assert failed.status_code == 200
    report.refresh_from_db()
    assert report.edit_version == version
    assert not report.events.exists()
    again = form_data(failed.content)
    assert again[f"{prefix}-opened_version"] == str(version)
    assert again[f"{prefix}-output_progress"] == "อบรมครูแล้ว 2 รุ่น"

    again[f"{prefix}-percent_complete"] = "45"
    fixed = client.post(url, again)

    assert fixed.status_code == 302, CONFLICT_START
    report.refresh_from_db()
    assert (report.percent_complete, report.output_progress) == (45, "อบรมครูแล้ว 2 รุ่น")
    assert report.events.filter(action=ReportEvent.Action.SAVE).count() == 1


def test_someone_elses_save_between_is_still_a_conflict(
    client, round1, group_a, project_a, head_a, officer
):
    ProgressReport.objects.create(project=project_a, round=round1)
    url = _url(round1, group_a)
    prefix = f"p{project_a.pk}"
    mine = _typed(_open(client, head_a, url), project_a, percent_complete="150")
    theirs = _open(client, officer, url)

    client.force_login(head_a)
    failed = client.post(url, mine)
    assert failed.status_code == 200
    client.force_login(officer)
    theirs[f"{prefix}-problems"] = "ครูติดภารกิจสอบ O-NET"
    assert client.post(url, theirs).status_code == 302

    client.force_login(head_a)
    again = form_data(failed.content)
    again[f"{prefix}-percent_complete"] = "45"
    response = client.post(url, again)

    assert response.status_code == 200
    assert CONFLICT_START in response.content.decode()
    report = ProgressReport.objects.get(project=project_a, round=round1)
    assert report.problems == "ครูติดภารกิจสอบ O-NET"
    assert report.percent_complete == 0


# ---------------------------------------------------------------- evidence


def test_several_files_are_attached_in_the_card_and_submitted_at_once(
    client, round1, group_a, project_a, head_a
):
    url = _url(round1, group_a)
    client.force_login(head_a)
    html = client.get(url).content.decode()
    assert 'enctype="multipart/form-data"' in html
    assert f'name="p{project_a.pk}-evidence"' in html
    assert "multiple" in html.split(f'name="p{project_a.pk}-evidence"')[1][:200]
    data = _typed(form_data(html), project_a)
    data[f"p{project_a.pk}-evidence"] = [
        upload("รายงานการอบรม.docx", docx_bytes()),
        upload("ภาพการอบรม.png", small_png()),
        upload("รายชื่อ.xlsx", xlsx_bytes()),
    ]
    data["submit"] = str(project_a.pk)

    response = client.post(url, data, follow=True)

    report = ProgressReport.objects.get(project=project_a, round=round1)
    assert report.state == "submitted"
    assert sorted(report.evidence.values_list("kind", flat=True)) == [
        "excel",
        "photo",
        "word",
    ]
    content = response.content.decode()
    assert "แนบหลักฐาน 3 ไฟล์" in content
    photo = report.evidence.get(kind="photo")
    thumb = reverse("progress:evidence_file", args=[photo.pk])
    # A submitted report is read-only on the group screen; the detail page
    # lists the files. Before submitting, the card shows the thumbnail:
    ProgressReport.objects.filter(pk=report.pk).update(state="returned")
    card = client.get(url).content.decode()
    assert f'<img src="{thumb}"' in card


def test_a_macro_file_is_refused_under_the_picker_and_nothing_is_saved(
    client, round1, group_a, project_a, head_a
):
    url = _url(round1, group_a)
    data = _typed(_open(client, head_a, url), project_a)
    data[f"p{project_a.pk}-evidence"] = [
        upload("ภาพ.png", small_png()),
        upload("สรุป.xlsm", xlsx_bytes()),
    ]
    data["save"] = "1"

    response = client.post(url, data)

    content = response.content.decode()
    assert response.status_code == 200
    assert f"“สรุป.xlsm”: {ERROR_MACRO}" in content
    assert f'href="#id_p{project_a.pk}-evidence"' in content
    assert "กรุณาเลือกไฟล์อีกครั้ง" in content
    assert not ProgressReport.objects.exists()
    assert not Evidence.objects.exists()


def test_another_groups_head_cannot_report_or_attach_evidence(
    client, round1, group_a, project_a, head_a, head_b
):
    """A valid body, as head A would post it, refused for head B."""
    url = _url(round1, group_a)
    data = _typed(_open(client, head_a, url), project_a)
    data[f"p{project_a.pk}-evidence"] = [upload("ภาพ.png", small_png())]
    data["save"] = "1"

    client.force_login(head_b)
    response = client.post(url, data)

    assert response.status_code == 403
    assert not ProgressReport.objects.exists()
    assert not Evidence.objects.exists()


def test_evidence_of_another_groups_report_is_refused(
    client, round1, project_a, head_b
):
    report = ProgressReport.objects.create(project=project_a, round=round1)
    client.force_login(head_b)
    response = client.post(
        reverse("progress:evidence_upload", args=[report.pk]),
        {"file": upload("ภาพ.png", small_png()), "caption": ""},
    )
    assert response.status_code in (403, 404)
    assert not Evidence.objects.exists()


def test_submit_all_sends_every_project_with_one_click(
    client, round1, group_a, plan, project_a, head_a
):
    other = make_project(plan, group_a, name="โครงการนิเทศภายใน")
    url = _url(round1, group_a)
    data = _typed(_open(client, head_a, url), project_a)
    data = _typed(data, other, output_progress="นิเทศแล้ว 30 โรงเรียน")
    data["submit"] = "all"

    response = client.post(url, data, follow=True)

    assert set(ProgressReport.objects.values_list("state", flat=True)) == {"submitted"}
    assert ProgressReport.objects.count() == 2
    messages = [str(m) for m in response.context["messages"]]
    assert len(messages) == 1
    assert project_a.name in messages[0] and other.name in messages[0]


def test_deleting_evidence_from_the_card_returns_to_the_card(
    client, round1, group_a, project_a, head_a
):
    report = ProgressReport.objects.create(project=project_a, round=round1)
    evidence = Evidence.objects.create(
        report=report, file=upload("ภาพ.png", small_png()), kind="photo", size=10
    )
    client.force_login(head_a)
    response = client.post(
        reverse("progress:evidence_delete", args=[evidence.pk]) + "?back=group"
    )
    assert response.status_code == 302
    assert response.url == f"{_url(round1, group_a)}#project-{project_a.pk}"
    assert not Evidence.objects.exists()
