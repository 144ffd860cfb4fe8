"""Evidence files: photos (JPEG, PNG), PDFs, and Word and Excel documents,
recognised by their content.

The extension alone proves nothing (a renamed ``.exe`` is still an ``.exe``), so
the first bytes of the file must match the format its extension claims. The
offices keep much of their evidence as .docx/.xlsx; those are ZIP containers,
so beyond the ZIP magic the archive must hold ``[Content_Types].xml`` and the
part of its own format (``word/`` or ``xl/``), and no macros: a macro-enabled
workbook renamed to .xlsx (or a .docm/.xlsm) would run code on the planner's
machine when opened.
"""

import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError

#: Default upper limit for one evidence file (10 MB).
DEFAULT_MAX_BYTES = 10 * 1024 * 1024

#: What the file inputs offer (the server checks the content regardless).
ACCEPT = ".pdf,.jpg,.jpeg,.png,.docx,.xlsx"
HELP_TEXT = "ภาพถ่าย JPEG/PNG เอกสาร PDF Word (.docx) หรือ Excel (.xlsx) ขนาดไม่เกิน 10 MB"

ERROR_TYPE = (
    "ไฟล์ต้องเป็นภาพถ่าย JPEG หรือ PNG เอกสาร PDF Word (.docx) หรือ Excel (.xlsx) เท่านั้น"
)
ERROR_MACRO = "ไม่รับไฟล์ที่มีแมโคร (.docm, .xlsm) กรุณาบันทึกเป็น .docx หรือ .xlsx ก่อนแนบ"
ERROR_CONTENT = "เนื้อหาไฟล์ไม่ตรงกับนามสกุล “{extension}” ไฟล์อาจเสียหายหรือถูกเปลี่ยนชื่อ"
ERROR_TOO_LARGE = "ไฟล์มีขนาด {size} MB เกินกำหนด {limit} MB"
ERROR_EMPTY = "ไฟล์ว่างเปล่า"

ZIP_MAGIC = b"PK\x03\x04"

#: extension → (kind, signatures the file must start with)
SIGNATURES: dict[str, tuple[str, tuple[bytes, ...]]] = {
    "jpg": ("photo", (b"\xff\xd8\xff",)),
    "jpeg": ("photo", (b"\xff\xd8\xff",)),
    "png": ("photo", (b"\x89PNG\r\n\x1a\n",)),
    "pdf": ("pdf", (b"%PDF-",)),
    "docx": ("word", (ZIP_MAGIC,)),
    "xlsx": ("excel", (ZIP_MAGIC,)),
}

#: Office Open XML: extension → the folder its main part lives in.
OOXML_PARTS = {"docx": "word/", "xlsx": "xl/"}
MACRO_EXTENSIONS = {"docm", "xlsm", "dotm", "xltm", "xlam", "pptm"}


def max_bytes() -> int:
    return int(getattr(settings, "PROGRESS_EVIDENCE_MAX_BYTES", DEFAULT_MAX_BYTES))


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".rstrip("0").rstrip(".")


def _ooxml_ok(file, extension: str) -> bool:
    """A real .docx/.xlsx: a readable ZIP with ``[Content_Types].xml`` and a
    member under its own folder; ``False`` for a broken archive, another
    format renamed, or one carrying macros (``vbaProject.bin`` or a
    macro-enabled content type)."""
    try:
        with zipfile.ZipFile(file) as archive:
            names = archive.namelist()
            if "[Content_Types].xml" not in names:
                return False
            # A few kB in a real file; a huge one would be a ZIP bomb.
            if archive.getinfo("[Content_Types].xml").file_size > 1024 * 1024:
                return False
            types = archive.read("[Content_Types].xml").lower()
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        return False
    if b"macroenabled" in types or any(
        name.lower().endswith("vbaproject.bin") for name in names
    ):
        raise ValidationError(ERROR_MACRO, code="macro")
    return any(name.startswith(OOXML_PARTS[extension]) for name in names)


def evidence_kind(file) -> str:
    """Check ``file`` and return its kind: ``"photo"``, ``"pdf"``, ``"word"``
    or ``"excel"``.

    Raises ``ValidationError`` (codes ``type``, ``macro``, ``content``,
    ``too_large``, ``empty``) with a Thai message.
    """
    name = getattr(file, "name", "") or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension in MACRO_EXTENSIONS:
        raise ValidationError(ERROR_MACRO, code="macro")
    if extension not in SIGNATURES:
        raise ValidationError(ERROR_TYPE, code="type")
    size = getattr(file, "size", None) or 0
    if size == 0:
        raise ValidationError(ERROR_EMPTY, code="empty")
    if size > max_bytes():
        raise ValidationError(
            ERROR_TOO_LARGE.format(
                size=_megabytes(size), limit=_megabytes(max_bytes())
            ),
            code="too_large",
        )
    position = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    head = file.read(16)
    file.seek(0)
    kind, signatures = SIGNATURES[extension]
    try:
        matches = any(head.startswith(signature) for signature in signatures)
        if matches and extension in OOXML_PARTS:
            matches = _ooxml_ok(file, extension)
    finally:
        file.seek(position)
    if not matches:
        raise ValidationError(ERROR_CONTENT.format(extension=extension), code="content")
    return kind


def validate_evidence_file(file) -> None:
    """Model-field validator (the admin and forms run it)."""
    # A stored file that was checked on upload is not re-read on every save.
    if getattr(file, "_committed", False):
        return
    evidence_kind(file)
