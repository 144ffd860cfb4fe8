#!/usr/bin/env bash
# Run the background task worker of this settings' backend (Django's Tasks API):
# the database worker by default, RQ's worker when REDIS_URL is set.
#   scripts/worker.sh [extra options of db_worker / rqworker]
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-.venv/bin/python}"
if [ -n "${REDIS_URL:-}" ]; then
    exec "$PYTHON" manage.py rqworker --job-class django_tasks_rq.Job default "$@"
fi
exec "$PYTHON" manage.py db_worker "$@"
