"""Evidence on shared storage (issue 20 item 5): with ``PHAEN_STORAGE=s3``
every upload goes to an S3-compatible bucket that all app servers share, and
is read back from it by the download view and the PDF's photo fetcher;
nothing is written under MEDIA_ROOT.

The bucket is real S3 over HTTP: moto's server (``ThreadedMotoServer``) on
a free loopback port, configured through the same environment variables as
production (:func:`config.settings.storage_from_env`).
"""

import socket
from urllib.parse import quote

import boto3
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from config.settings import storage_from_env
from progress.models import Evidence
from reports.pdf import StaticOnlyURLFetcher
from tests.factories import ProgressReportFactory

pytestmark = pytest.mark.django_db

BUCKET = "phaen-evidence"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
PDF = b"%PDF-1.7\n" + b"0" * 100


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def bucket(settings, tmp_path, monkeypatch):
    """A moto S3 server with an empty bucket, and STORAGES["default"] built
    from the environment a deployment would set."""
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    s3 = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="phaen",
        aws_secret_access_key="phaen-secret",
    )
    s3.create_bucket(Bucket=BUCKET)
    for name, value in {
        "PHAEN_STORAGE": "s3",
        "PHAEN_S3_BUCKET": BUCKET,
        "PHAEN_S3_ENDPOINT_URL": endpoint,
        "PHAEN_S3_REGION": "us-east-1",
        "PHAEN_S3_ACCESS_KEY_ID": "phaen",
        "PHAEN_S3_SECRET_ACCESS_KEY": "phaen-secret",
        "PHAEN_S3_PREFIX": "media",
    }.items():
        monkeypatch.setenv(name, value)
    settings.STORAGES = {**settings.STORAGES, "default": storage_from_env()}
    settings.MEDIA_ROOT = str(tmp_path / "media")
    try:
        yield s3
    finally:
        server.stop()


def keys(s3) -> list[str]:
    return [
        item["Key"] for item in s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])
    ]


def test_evidence_is_uploaded_to_the_bucket_and_read_back(
    client, head_a, project_a, round1, bucket, tmp_path
):
    report = ProgressReportFactory(project=project_a, round=round1)
    client.force_login(head_a)

    response = client.post(
        reverse("progress:evidence_upload", args=[report.pk]),
        {"file": SimpleUploadedFile("อบรม.png", PNG), "caption": "ภาพการอบรมครู"},
    )

    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert keys(bucket) == [f"media/{evidence.file.name}"]
    stored = bucket.get_object(Bucket=BUCKET, Key=f"media/{evidence.file.name}")
    assert stored["Body"].read() == PNG
    assert not (tmp_path / "media").exists()  # nothing on this machine's disk

    download = client.get(reverse("progress:evidence_file", args=[evidence.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PNG

    # The PDFs' photos are read from the bucket too, not from a local path.
    fetched = StaticOnlyURLFetcher().fetch(f"file:///progress/evidence/{evidence.pk}/")
    assert fetched.read() == PNG
    fetched.close()

    deleted = client.post(reverse("progress:evidence_delete", args=[evidence.pk]))
    assert deleted.status_code == 302
    assert keys(bucket) == []


def test_a_thai_name_is_kept_in_the_bucket(client, head_a, project_a, round1, bucket):
    """django-storages names objects by Django's rule, which dropped the Thai
    vowels and tone marks: the key and the download were "คำสงแตงตง.pdf"."""
    report = ProgressReportFactory(project=project_a, round=round1)
    client.force_login(head_a)

    response = client.post(
        reverse("progress:evidence_upload", args=[report.pk]),
        {"file": SimpleUploadedFile("คำสั่งแต่งตั้ง.pdf", PDF), "caption": ""},
    )

    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert evidence.filename == "คำสั่งแต่งตั้ง.pdf"
    assert keys(bucket) == [f"media/{evidence.file.name}"]
    assert keys(bucket)[0].endswith("/คำสั่งแต่งตั้ง.pdf")
    download = client.get(reverse("progress:evidence_file", args=[evidence.pk]))
    assert download["Content-Disposition"] == (
        "inline; filename*=utf-8''" + quote("คำสั่งแต่งตั้ง.pdf")
    )
    assert b"".join(download.streaming_content) == PDF


def test_local_storage_is_the_default(monkeypatch):
    monkeypatch.delenv("PHAEN_STORAGE", raising=False)
    assert storage_from_env() == {"BACKEND": "core.storage.FileSystemStorage"}


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"PHAEN_STORAGE": "ftp"}, "ต้องเป็น local หรือ s3"),
        ({"PHAEN_STORAGE": "s3", "PHAEN_S3_BUCKET": ""}, "PHAEN_S3_BUCKET"),
    ],
)
def test_a_wrong_storage_setting_is_refused_in_thai(monkeypatch, env, message):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ImproperlyConfigured, match=message):
        storage_from_env()
