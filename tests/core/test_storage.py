"""Stored file names keep their Thai (core.storage): Django's own rule kept
only ``[-\\w.]`` and ``\\w`` misses the Thai vowels and tone marks (Mn), so
"คำสั่งแต่งตั้ง.pdf" became "คำสงแตงตง.pdf"."""

import unicodedata

import pytest
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from hypothesis import given
from hypothesis import strategies as st

from core.storage import MAX_NAME_BYTES, FileSystemStorage, valid_file_name
from core.storage_s3 import S3Storage


@pytest.mark.parametrize(
    ("name", "stored"),
    [
        ("คำสั่งแต่งตั้ง.pdf", "คำสั่งแต่งตั้ง.pdf"),
        ("รูป กิจกรรม ๑.jpg", "รูป_กิจกรรม_๑.jpg"),
        ("  ผลการนิเทศ ครั้งที่ 2.docx ", "ผลการนิเทศ_ครั้งที่_2.docx"),
        ("report-2568_final.xlsx", "report-2568_final.xlsx"),
        # Django's answer for a path: no separators left, so no way out.
        ("../../etc/passwd", "....etcpasswd"),
        ("..\\..\\boot.ini", "....boot.ini"),
        # Control characters (a newline would split a header) are dropped.
        ("ภาพ\nกิจกรรม\x00\x1b\t.png", "ภาพกิจกรรม.png"),
        ('คำสั่ง<ที่>:"1"|?*.pdf', "คำสั่งที่1.pdf"),
    ],
)
def test_a_stored_name_keeps_thai_and_nothing_unsafe(name, stored):
    assert valid_file_name(name) == stored


def test_a_decomposed_name_is_stored_composed():
    """A Mac sends NFD: "แต่งตั้ง" with a decomposed accent elsewhere must
    be the same stored name as the composed one."""
    decomposed = unicodedata.normalize("NFD", "คำสั่ง café.pdf")
    assert decomposed != "คำสั่ง café.pdf"
    assert valid_file_name(decomposed) == "คำสั่ง_café.pdf"


@pytest.mark.parametrize("name", ["", "   ", ".", "..", "/", "\x00\n", "???"])
def test_a_name_with_nothing_left_is_refused_like_django(name):
    with pytest.raises(SuspiciousFileOperation):
        valid_file_name(name)


def test_a_long_thai_name_is_cut_before_a_consonant_and_keeps_its_extension():
    name = "คำสั่งแต่งตั้ง" * 30 + ".pdf"
    stored = valid_file_name(name)
    assert len(stored.encode()) <= MAX_NAME_BYTES
    assert stored.endswith(".pdf")
    assert name.startswith(stored.removesuffix(".pdf"))
    # The character before ".pdf" is not left without its vowel or tone mark.
    cut = len(stored) - len(".pdf")
    assert unicodedata.category(name[cut]) not in ("Mn", "Mc")


def test_the_local_storage_saves_a_thai_name_intact(tmp_path):
    storage = FileSystemStorage(location=tmp_path)

    name = storage.save(
        storage.generate_filename("progress/คำสั่งแต่งตั้ง.pdf"),
        ContentFile(b"%PDF-1.7\n"),
    )

    assert name == "progress/คำสั่งแต่งตั้ง.pdf"
    assert (tmp_path / "progress" / "คำสั่งแต่งตั้ง.pdf").read_bytes() == b"%PDF-1.7\n"
    # A second upload of the same name keeps both, the Thai still whole.
    again = storage.save(
        storage.generate_filename("progress/คำสั่งแต่งตั้ง.pdf"),
        ContentFile(b"%PDF-1.7\n"),
    )
    assert again != name
    assert again.startswith("progress/คำสั่งแต่งตั้ง_")


def test_both_backends_use_the_rule(settings):
    assert settings.STORAGES["default"]["BACKEND"] == "core.storage.FileSystemStorage"
    assert isinstance(storages["default"], FileSystemStorage)
    bucket = S3Storage(bucket_name="phaen-evidence")
    assert bucket.get_valid_name("คำสั่งแต่งตั้ง.pdf") == "คำสั่งแต่งตั้ง.pdf"


@given(st.text())
def test_any_name_is_refused_or_safe_for_a_path(name):
    """Whatever a browser sends: no separator, no control or format
    character, composed, short enough for a file system, and the rule given
    its own answer changes nothing."""
    try:
        stored = valid_file_name(name)
    except SuspiciousFileOperation:
        return
    assert stored not in {"", ".", ".."}
    assert "/" not in stored and "\\" not in stored
    assert all(unicodedata.category(char)[0] not in "CZ" for char in stored)
    assert unicodedata.is_normalized("NFC", stored)
    assert len(stored.encode()) <= MAX_NAME_BYTES
    assert valid_file_name(stored) == stored
