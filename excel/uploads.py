"""Uploaded workbooks kept on the server between preview and confirm.

The file is stored under a random token in a private temporary directory and
the token is remembered in the user's session with what the upload is for, so
the confirm step re-reads the very file that was previewed and trusts nothing
the browser sends back except the token, which must be in the session.
"""

import secrets
import tempfile
from pathlib import Path

SESSION_KEY = "excel_uploads"


def upload_dir() -> Path:
    path = Path(tempfile.gettempdir()) / "phaen-excel-uploads"
    path.mkdir(mode=0o700, exist_ok=True)
    return path


def upload_save(*, session, uploaded, **meta) -> str:
    """Store ``uploaded`` (a Django ``UploadedFile``); returns the token."""
    token = secrets.token_urlsafe(16)
    with open(upload_dir() / f"{token}.xlsx", "wb") as handle:
        for chunk in uploaded.chunks():
            handle.write(chunk)
    uploads = session.get(SESSION_KEY, {})
    uploads[token] = {**meta, "name": uploaded.name}
    session[SESSION_KEY] = uploads
    return token


def upload_get(session, token: str) -> tuple[Path, dict] | None:
    """The stored file and its meta, or ``None`` if not this session's upload."""
    meta = session.get(SESSION_KEY, {}).get(token)
    path = upload_dir() / f"{token}.xlsx"
    if meta is None or not path.exists():
        return None
    return path, meta


def upload_discard(session, token: str) -> None:
    uploads = session.get(SESSION_KEY, {})
    uploads.pop(token, None)
    session[SESSION_KEY] = uploads
    (upload_dir() / f"{token}.xlsx").unlink(missing_ok=True)
