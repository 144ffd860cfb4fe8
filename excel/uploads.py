"""Uploaded workbooks kept on the server between preview and confirm.

A workbook is parsed once, when it is uploaded (:func:`excel.workbook.parse`:
sizes, zip, XML and row caps checked there). What is kept is not the file but
its parsed rows and problems as JSON, in this instance's own folder
(``settings.PHAEN_UPLOAD_DIR``, never the host's shared temporary folder),
under a random token. The token is remembered in the user's session with what
the upload is for, and the JSON names the user, so the preview and the
confirm read exactly what was previewed, never parse the file again, and
trust nothing the browser sends back except the token.

Confirming removes the upload; an abandoned one is removed a day later, on
the next upload or by ``manage.py clean_uploads``.
"""

import datetime
import json
import os
import re
import secrets
import time
from pathlib import Path

from django.conf import settings

from excel import workbook

SESSION_KEY = "excel_uploads"
MAX_AGE = datetime.timedelta(days=1)
TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")


def upload_dir() -> Path:
    path = Path(settings.PHAEN_UPLOAD_DIR)
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def _path(token: str) -> Path:
    return upload_dir() / f"{token}.json"


def upload_save(
    *,
    session,
    user,
    uploaded,
    sheets,
    first_sheet: bool = False,
    optional: tuple = (),
    **meta,
) -> str:
    """Parse ``uploaded`` (a Django ``UploadedFile``) and keep the result;
    returns the token. :class:`excel.workbook.FileRefused` when the file
    itself cannot be read; nothing is kept then."""
    clean_uploads()
    parsed = workbook.parse(
        uploaded, sheets, first_sheet=first_sheet, optional=optional
    )
    token = secrets.token_urlsafe(16)
    path = _path(token)
    partial = path.with_suffix(".part")
    partial.write_text(
        json.dumps({"user": user.pk, "parsed": parsed.to_data()}, ensure_ascii=False),
        encoding="utf-8",
    )
    os.replace(partial, path)
    uploads = session.get(SESSION_KEY, {})
    uploads[token] = {**meta, "name": uploaded.name}
    session[SESSION_KEY] = uploads
    return token


def upload_read(token: str, user) -> workbook.Parsed | None:
    """The parsed upload ``token`` if it is ``user``'s (the import task reads
    it in a worker, which has no session), else ``None``."""
    if not TOKEN.fullmatch(token):
        return None
    try:
        stored = json.loads(_path(token).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(stored, dict) or stored.get("user") != user.pk:
        return None
    return workbook.Parsed.from_data(stored["parsed"])


def upload_get(session, user, token: str) -> tuple[workbook.Parsed, dict] | None:
    """The parsed upload and its meta, or ``None`` if it is not this session's
    and this user's (or is gone)."""
    meta = session.get(SESSION_KEY, {}).get(token)
    if meta is None:
        return None
    parsed = upload_read(token, user)
    return None if parsed is None else (parsed, meta)


def upload_meta(session, token: str) -> dict | None:
    """What the session remembers of upload ``token`` (its tasks too)."""
    return session.get(SESSION_KEY, {}).get(token)


def upload_note(session, token: str, **more) -> None:
    """Remember more of upload ``token`` in the session (its task records)."""
    uploads = session.get(SESSION_KEY, {})
    uploads[token] = {**uploads.get(token, {}), **more}
    session[SESSION_KEY] = uploads


def upload_discard(session, token: str) -> None:
    uploads = session.get(SESSION_KEY, {})
    uploads.pop(token, None)
    session[SESSION_KEY] = uploads
    if TOKEN.fullmatch(token):
        _path(token).unlink(missing_ok=True)


def clean_uploads(max_age: datetime.timedelta = MAX_AGE) -> int:
    """Remove uploads (and half-written ones) older than ``max_age``; returns
    how many were removed."""
    oldest = time.time() - max_age.total_seconds()
    removed = 0
    for path in upload_dir().iterdir():
        try:
            if path.is_file() and path.stat().st_mtime < oldest:
                path.unlink()
                removed += 1
        except FileNotFoundError:  # removed by another process meanwhile
            continue
    return removed
