#!/usr/bin/env bash
# Install, with apt, the system parts the test suite needs when they are missing:
# PostgreSQL server binaries, redis-server (the RQ task backend's tests start
# one on a free port, like PostgreSQL), Pango with libthai (WeasyPrint), Debian's Chromium and
# poppler-utils (pdftotext, to read back the PDFs in tests) and LibreOffice Calc
# without a GUI (soffice --headless: the tests open, convert and re-save every
# exported workbook the way offices do).
set -euo pipefail

missing=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
ldconfig -p | grep -q 'libpango-1.0.so.0' || missing+=(libpango-1.0-0)
ldconfig -p | grep -q 'libpangoft2-1.0.so.0' || missing+=(libpangoft2-1.0-0)
ldconfig -p | grep -q 'libthai.so.0' || missing+=(libthai0)
command -v /usr/bin/chromium >/dev/null 2>&1 || missing+=(chromium)
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-calc-nogui)

if [ ${#missing[@]} -eq 0 ]; then
    echo "system-deps: PostgreSQL, Redis, Pango/libthai, Chromium, poppler-utils and LibreOffice Calc are present"
    exit 0
fi

echo "system-deps: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        SUDO="sudo"
    else
        echo "system-deps: need root or sudo to install: ${missing[*]}" >&2
        exit 1
    fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
