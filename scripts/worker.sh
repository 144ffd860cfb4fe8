#!/usr/bin/env bash
# Run the background task worker of this settings' backend (Django's Tasks API):
# the database worker by default, RQ's worker when REDIS_URL is set.
#   scripts/worker.sh [extra options of db_worker / rqworker]
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-.venv/bin/python}"
# Tasks (PDF renders: the plan book takes both cores for ~17 s) run at a lower
# CPU priority than the web workers, so pages stay quick during a render.
NICE="${PHAEN_WORKER_NICE:-10}"
if [ -n "${REDIS_URL:-}" ]; then
    exec nice -n "$NICE" "$PYTHON" manage.py rqworker --job-class django_tasks_rq.Job default "$@"
fi
exec nice -n "$NICE" "$PYTHON" manage.py db_worker "$@"
