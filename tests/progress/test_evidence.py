from urllib.parse import quote

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from progress import services
from progress.models import Evidence
from progress.validators import evidence_kind
from tests.factories import ProgressReportFactory

pytestmark = pytest.mark.django_db

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 100
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
PDF = b"%PDF-1.7\n" + b"0" * 100


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def report(project_a, round1):
    return ProgressReportFactory(project=project_a, round=round1)


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("ภาพกิจกรรม.jpg", JPEG, "photo"),
        ("a.JPEG", JPEG, "photo"),
        ("b.png", PNG, "photo"),
        ("คำสั่ง.pdf", PDF, "pdf"),
    ],
)
def test_photos_and_pdfs_are_accepted(name, content, kind):
    assert evidence_kind(SimpleUploadedFile(name, content)) == kind


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("broken.docx", b"PK\x03\x04" + b"0" * 50, "content"),
        ("macro.docm", b"PK\x03\x04" + b"0" * 50, "macro"),
        ("script.exe", b"MZ\x90\x00" + b"0" * 50, "type"),
        ("noext", JPEG, "type"),
        ("virus.jpg", b"MZ\x90\x00" + b"0" * 50, "content"),
        ("pdf-renamed.png", PDF, "content"),
        ("empty.pdf", b"", "empty"),
    ],
)
def test_wrong_type_or_fake_extension_is_refused(name, content, code):
    with pytest.raises(ValidationError) as raised:
        evidence_kind(SimpleUploadedFile(name, content))
    assert raised.value.code == code


def test_too_large_file_is_refused_with_sizes_in_thai(settings):
    settings.PROGRESS_EVIDENCE_MAX_BYTES = 1024 * 1024
    big = SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * (1024 * 1024 * 3 // 2 - 5))

    with pytest.raises(ValidationError) as raised:
        evidence_kind(big)

    assert raised.value.code == "too_large"
    assert (
        raised.value.messages == ["ไฟล์มีขนาด 1 MB เกินกำหนด 1 MB"]
        or "เกินกำหนด 1 MB" in raised.value.messages[0]
    )


def test_head_uploads_a_photo_with_caption(client, head_a, report):
    client.force_login(head_a)

    response = client.post(
        reverse("progress:evidence_upload", args=[report.pk]),
        {"file": SimpleUploadedFile("อบรม.jpg", JPEG), "caption": "ภาพการอบรมครู"},
    )

    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert (evidence.kind, evidence.caption, evidence.size) == (
        "photo",
        "ภาพการอบรมครู",
        len(JPEG),
    )
    assert evidence.file.name.startswith(
        f"progress/{report.round.fiscal_year}/round-1/report-{report.pk}/"
    )
    download = client.get(reverse("progress:evidence_file", args=[evidence.pk]))
    assert b"".join(download.streaming_content) == JPEG


def test_a_thai_file_name_keeps_its_vowels_and_tone_marks(client, head_a, report):
    """Django's own name rule dropped the Thai marks: "คำสั่งแต่งตั้ง.pdf" was
    stored, listed and downloaded as "คำสงแตงตง.pdf"."""
    client.force_login(head_a)

    response = client.post(
        reverse("progress:evidence_upload", args=[report.pk]),
        {"file": SimpleUploadedFile("คำสั่งแต่งตั้ง.pdf", PDF), "caption": ""},
    )

    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert evidence.file.name == (
        f"progress/{report.round.fiscal_year}/round-1/report-{report.pk}/คำสั่งแต่งตั้ง.pdf"
    )
    assert evidence.filename == "คำสั่งแต่งตั้ง.pdf"
    page = client.get(reverse("progress:report_detail", args=[report.pk]))
    assert "คำสั่งแต่งตั้ง.pdf" in page.content.decode()
    download = client.get(reverse("progress:evidence_file", args=[evidence.pk]))
    assert download["Content-Disposition"] == (
        "inline; filename*=utf-8''" + quote("คำสั่งแต่งตั้ง.pdf")
    )
    assert b"".join(download.streaming_content) == PDF


def test_the_service_keeps_a_thai_name_with_spaces(head_a, report):
    evidence = services.evidence_add(
        report=report, user=head_a, file=SimpleUploadedFile("รูป กิจกรรม ๑.jpg", JPEG)
    )
    assert evidence.filename == "รูป_กิจกรรม_๑.jpg"
    assert evidence.file.storage.exists(evidence.file.name)


def test_fake_upload_shows_thai_error_and_saves_nothing(client, head_a, report):
    client.force_login(head_a)

    response = client.post(
        reverse("progress:evidence_upload", args=[report.pk]),
        {
            "file": SimpleUploadedFile("photo.jpg", b"#!/bin/sh\nrm -rf /\n"),
            "caption": "ภาพ",
        },
    )

    assert response.status_code == 400
    assert "เนื้อหาไฟล์ไม่ตรงกับนามสกุล" in response.content.decode()
    assert 'value="ภาพ"' in response.content.decode()
    assert not Evidence.objects.exists()


def test_other_group_cannot_upload_or_download(client, head_a, head_b, report):
    evidence = services.evidence_add(
        report=report, user=head_a, file=SimpleUploadedFile("a.pdf", PDF)
    )
    client.force_login(head_b)

    upload = client.post(
        reverse("progress:evidence_upload", args=[report.pk]),
        {"file": SimpleUploadedFile("b.pdf", PDF)},
    )

    assert upload.status_code == 403
    assert (
        client.get(reverse("progress:evidence_file", args=[evidence.pk])).status_code
        == 403
    )
    assert Evidence.objects.count() == 1


def test_submitted_report_refuses_new_evidence(head_a, report):
    report.output_progress = "ดำเนินการแล้ว"
    services.report_submit(report=report, user=head_a)

    with pytest.raises(ValidationError):
        services.evidence_add(
            report=report, user=head_a, file=SimpleUploadedFile("a.pdf", PDF)
        )
    assert not Evidence.objects.exists()


def test_head_deletes_evidence_of_a_draft(client, head_a, report):
    evidence = services.evidence_add(
        report=report, user=head_a, file=SimpleUploadedFile("a.pdf", PDF)
    )
    client.force_login(head_a)

    client.post(reverse("progress:evidence_delete", args=[evidence.pk]))

    assert not Evidence.objects.exists()
