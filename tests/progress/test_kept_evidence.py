"""The group's progress screen keeps the evidence files chosen in a refused
save: the re-shown page lists them as "ไฟล์ที่แนบไว้แล้ว" (a browser cannot
refill a file input) and the corrected save attaches them without choosing
them again. They are the user's own, for one report (round and project), and
are pruned by ``run_scheduled_tasks`` when nobody comes back for them."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from progress.models import Evidence, KeptEvidence, ProgressReport
from progress.services import ERROR_KEPT_NOT_YOURS
from tests.browser.journeys import small_png
from tests.html_forms import form_data

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n" + b"1" * 200


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _url(reporting_round, group):
    return reverse("progress:group_round", args=[reporting_round.pk, group.pk])


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


def _page_data(response, project) -> dict:
    """The re-shown page's form as the browser posts it: ``form_data``
    keeps one value of a repeated hidden input, the browser sends them all."""
    data = form_data(response.content)
    name = f"p{project.pk}-kept"
    kept = re.findall(rf'name="{name}" value="(\d+)"', response.content.decode())
    if kept:
        data[name] = kept
    return data


def _refused_with_files(client, user, url, project, *files):
    """Open the screen as ``user``, type a wrong percent, choose ``files``
    and save: the save is refused; returns the re-shown page."""
    client.force_login(user)
    page = client.get(url)
    data = _typed(form_data(page.content), project, percent_complete="150")
    data[f"p{project.pk}-evidence"] = list(files)
    data["save"] = "1"
    response = client.post(url, data)
    assert response.status_code == 200
    assert "ร้อยละความก้าวหน้าต้องอยู่ระหว่าง 0 ถึง 100" in response.content.decode()
    return response


def test_a_refused_save_lists_the_chosen_files_and_the_corrected_save_attaches_them(
    client, round1, group_a, project_a, head_a
):
    url = _url(round1, group_a)
    response = _refused_with_files(
        client,
        head_a,
        url,
        project_a,
        SimpleUploadedFile("คำสั่งแต่งตั้ง.pdf", PDF),
        SimpleUploadedFile("ภาพการอบรม.png", small_png()),
    )
    content = response.content.decode()
    assert "ไฟล์ที่แนบไว้แล้ว" in content
    assert "คำสั่งแต่งตั้ง.pdf" in content and "ภาพการอบรม.png" in content
    assert "กรุณาเลือกไฟล์อีกครั้ง" not in content  # nothing to choose again
    assert not ProgressReport.objects.exists()
    assert not Evidence.objects.exists()
    assert KeptEvidence.objects.filter(user=head_a).count() == 2

    # Corrected, without choosing the files again.
    data = _typed(_page_data(response, project_a), project_a, percent_complete="45")
    data["save"] = "1"
    response = client.post(url, data, follow=True)
    assert "แนบหลักฐาน 2 ไฟล์" in response.content.decode()
    report = ProgressReport.objects.get(project=project_a, round=round1)
    assert report.percent_complete == 45
    # the Thai name whole, vowels and tone marks kept (core.storage)
    pdf_name = "คำสั่งแต่งตั้ง.pdf"
    stored = {item.filename: item for item in report.evidence.all()}
    assert set(stored) == {pdf_name, "ภาพการอบรม.png"}
    with stored[pdf_name].file.open("rb") as file:
        assert file.read() == PDF
    assert stored[pdf_name].kind == "pdf"
    assert stored["ภาพการอบรม.png"].uploaded_by == head_a
    assert not KeptEvidence.objects.exists()


def test_a_kept_file_ticked_for_removal_is_not_attached(
    client, round1, group_a, project_a, head_a
):
    url = _url(round1, group_a)
    response = _refused_with_files(
        client, head_a, url, project_a, SimpleUploadedFile("ผิดไฟล์.pdf", PDF)
    )
    kept = KeptEvidence.objects.get()
    data = _typed(_page_data(response, project_a), project_a)
    data[f"p{project_a.pk}-kept_remove"] = [str(kept.pk)]
    data["save"] = "1"
    assert client.post(url, data).status_code == 302
    report = ProgressReport.objects.get(project=project_a, round=round1)
    assert not report.evidence.exists()
    assert not KeptEvidence.objects.exists()


def test_another_user_cannot_claim_a_kept_file_by_its_id(
    client, round1, group_a, project_a, head_a, officer
):
    """The head's own corrected body (valid, the kept file's id in it),
    replayed by the officer named on the same project: refused in Thai, no
    report, no evidence, and the head's kept file is still the head's."""
    url = _url(round1, group_a)
    response = _refused_with_files(
        client, head_a, url, project_a, SimpleUploadedFile("หลักฐาน.pdf", PDF)
    )
    kept = KeptEvidence.objects.get()
    data = _typed(_page_data(response, project_a), project_a, percent_complete="45")
    data["save"] = "1"
    assert data[f"p{project_a.pk}-kept"] == [str(kept.pk)]

    client.force_login(officer)
    assert client.get(url).status_code == 200  # the officer reports it too
    response = client.post(url, data)
    assert response.status_code == 200
    assert ERROR_KEPT_NOT_YOURS in response.content.decode()
    assert "หลักฐาน.pdf" not in response.content.decode()
    assert not ProgressReport.objects.exists()
    assert not Evidence.objects.exists()
    kept.refresh_from_db()
    assert kept.user == head_a
    assert kept.file.storage.exists(kept.file.name)

    # nor remove it
    data[f"p{project_a.pk}-kept_remove"] = [str(kept.pk)]
    response = client.post(url, data)
    assert response.status_code == 200
    assert KeptEvidence.objects.filter(pk=kept.pk).exists()
    assert kept.file.storage.exists(kept.file.name)


def test_a_refused_file_is_not_kept(client, round1, group_a, project_a, head_a):
    url = _url(round1, group_a)
    client.force_login(head_a)
    data = _typed(form_data(client.get(url).content), project_a)
    data[f"p{project_a.pk}-evidence"] = [
        SimpleUploadedFile("โปรแกรม.pdf", b"MZ\x90\x00" + b"0" * 50)
    ]
    data["save"] = "1"
    response = client.post(url, data)
    assert response.status_code == 200
    assert "กรุณาเลือกไฟล์อีกครั้ง" in response.content.decode()
    assert not KeptEvidence.objects.exists()


def test_kept_files_nobody_came_back_for_are_pruned_by_the_scheduler(
    client, round1, group_a, project_a, head_a
):
    url = _url(round1, group_a)
    _refused_with_files(
        client, head_a, url, project_a, SimpleUploadedFile("a.pdf", PDF)
    )
    _refused_with_files(
        client, head_a, url, project_a, SimpleUploadedFile("b.pdf", PDF)
    )
    old, fresh = KeptEvidence.objects.order_by("pk")
    KeptEvidence.objects.filter(pk=old.pk).update(
        kept_at=timezone.now() - datetime.timedelta(days=2)
    )
    call_command("run_scheduled_tasks", stdout=open("/dev/null", "w"))
    assert list(KeptEvidence.objects.all()) == [fresh]
    assert not old.file.storage.exists(old.file.name)
    assert fresh.file.storage.exists(fresh.file.name)
