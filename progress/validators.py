"""Evidence files: photos (JPEG, PNG) and PDFs, recognised by their content.

The extension alone proves nothing (a renamed ``.exe`` is still an ``.exe``), so
the first bytes of the file must match the format its extension claims.
"""

from django.conf import settings
from django.core.exceptions import ValidationError

#: Default upper limit for one evidence file (10 MB).
DEFAULT_MAX_BYTES = 10 * 1024 * 1024

ERROR_TYPE = "ไฟล์ต้องเป็นภาพถ่าย JPEG หรือ PNG หรือเอกสาร PDF เท่านั้น"
ERROR_CONTENT = "เนื้อหาไฟล์ไม่ตรงกับนามสกุล “{extension}” ไฟล์อาจเสียหายหรือถูกเปลี่ยนชื่อ"
ERROR_TOO_LARGE = "ไฟล์มีขนาด {size} MB เกินกำหนด {limit} MB"
ERROR_EMPTY = "ไฟล์ว่างเปล่า"

#: extension → (kind, signatures the file must start with)
SIGNATURES: dict[str, tuple[str, tuple[bytes, ...]]] = {
    "jpg": ("photo", (b"\xff\xd8\xff",)),
    "jpeg": ("photo", (b"\xff\xd8\xff",)),
    "png": ("photo", (b"\x89PNG\r\n\x1a\n",)),
    "pdf": ("pdf", (b"%PDF-",)),
}


def max_bytes() -> int:
    return int(getattr(settings, "PROGRESS_EVIDENCE_MAX_BYTES", DEFAULT_MAX_BYTES))


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".rstrip("0").rstrip(".")


def evidence_kind(file) -> str:
    """Check ``file`` and return its kind, ``"photo"`` or ``"pdf"``.

    Raises ``ValidationError`` (codes ``type``, ``content``, ``too_large``,
    ``empty``) with a Thai message.
    """
    name = getattr(file, "name", "") or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
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
    file.seek(position)
    kind, signatures = SIGNATURES[extension]
    if not any(head.startswith(signature) for signature in signatures):
        raise ValidationError(ERROR_CONTENT.format(extension=extension), code="content")
    return kind


def validate_evidence_file(file) -> None:
    """Model-field validator (the admin and forms run it)."""
    # A stored file that was checked on upload is not re-read on every save.
    if getattr(file, "_committed", False):
        return
    evidence_kind(file)
