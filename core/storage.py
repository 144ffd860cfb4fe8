"""Stored file names that keep their Thai.

Django's ``Storage.get_valid_name`` (``django.utils.text.get_valid_filename``)
keeps only ``[-\\w.]``, and Python's ``\\w`` does not match combining marks
(Unicode categories Mn/Mc): Thai above and below vowels and tone marks
(ั ิ ี ึ ื ุ ู ็ ่ ้ ๊ ๋ ์ …) were dropped, so an evidence file "คำสั่งแต่งตั้ง.pdf"
was stored, listed and downloaded as "คำสงแตงตง.pdf", garbled Thai in front
of the office. :func:`valid_file_name` is the one rule for a stored name;
:class:`ThaiNameMixin` gives it to both backends ``config.settings.
storage_from_env`` names: :class:`FileSystemStorage` here and
``core.storage_s3.S3Storage`` (a module of its own so that only an S3
deployment imports django-storages and boto3).
"""

import unicodedata

from django.core.exceptions import SuspiciousFileOperation
from django.core.files import storage as django_storage

#: Characters kept besides letters, digits and combining marks (as Django).
KEPT_PUNCTUATION = "-_."
#: Categories of the combining marks ``\\w`` misses: Thai vowels and tone
#: marks are Mn; Mc covers the spacing marks of the neighbouring scripts.
COMBINING_MARKS = ("Mn", "Mc")
#: A stored name's longest UTF-8 form. A Thai character is three bytes and
#: most file systems allow 255 bytes a name; the rest is room for the
#: ``_abc1234`` Django adds to a name that is taken.
MAX_NAME_BYTES = 200


def _kept(char: str) -> bool:
    return (
        char.isalnum()
        or char in KEPT_PUNCTUATION
        or unicodedata.category(char) in COMBINING_MARKS
    )


def _shortened(name: str) -> str:
    """Cut the part before the extension so the name fits MAX_NAME_BYTES,
    never between a Thai consonant and its vowel or tone mark (a mark left
    without its consonant would show as a dotted circle)."""
    if len(name.encode()) <= MAX_NAME_BYTES:
        return name
    stem, dot, extension = name.rpartition(".")
    if not dot or not stem or len(extension.encode()) > MAX_NAME_BYTES // 2:
        stem, dot, extension = name, "", ""
    room = MAX_NAME_BYTES - len((dot + extension).encode())
    cut = len(stem)
    while cut and len(stem[:cut].encode()) > room:
        cut -= 1
    # stem[cut] is the first character left out: if it is a mark, its
    # consonant goes too.
    while 0 < cut < len(stem) and unicodedata.category(stem[cut]) in COMBINING_MARKS:
        cut -= 1
    return stem[:cut] + dot + extension


def valid_file_name(name) -> str:
    """The name a file is stored under: NFC, spaces as ``_``, only letters,
    digits, combining marks, ``-``, ``_`` and ``.`` kept (so no ``/``, ``\\``
    or control characters), at most MAX_NAME_BYTES of UTF-8.

    NFC because a Mac sends decomposed names: the same Thai name must be the
    same stored name. Like Django, a name that is left empty, ``.`` or ``..``
    is refused with SuspiciousFileOperation (the form and the service see a
    clean error, never a file called ``..``).
    """
    text = str(name).strip()
    text = "".join("_" if unicodedata.category(char) == "Zs" else char for char in text)
    # NFC after the filter: a dropped character may have stood between a
    # letter and its mark.
    kept = unicodedata.normalize("NFC", "".join(char for char in text if _kept(char)))
    cleaned = _shortened(kept)
    if cleaned in {"", ".", ".."}:
        raise SuspiciousFileOperation(
            f"ตั้งชื่อไฟล์จาก {name!r} ไม่ได้ (could not derive a file name)"
        )
    return cleaned


class ThaiNameMixin:
    """``get_valid_name`` by :func:`valid_file_name`: FileField names the
    file through ``Storage.generate_filename``, which calls this for the last
    part of the path (the folders come from ``upload_to``)."""

    def get_valid_name(self, name):
        return valid_file_name(name)


class FileSystemStorage(ThaiNameMixin, django_storage.FileSystemStorage):
    """Files under MEDIA_ROOT (``PHAEN_STORAGE=local``), Thai names kept."""
