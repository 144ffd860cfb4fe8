"""Benchmark: 20 offices ask for their plan books at once, 2 RQ workers render.

A throwaway PostgreSQL cluster (as ``bench/load.py``; ``BENCH_DATABASE_URL``
for your own empty database) and a throwaway ``redis-server`` on a free port.
It builds 20 small offices with ``bench/plan_book.py``'s builder (3 projects,
12 activities, 30 cost lines each: a demo-sized book), then
asks for every office's plan book at once the way the download page does
(:func:`reports.services.document_job_request`: a progress record and one task
each, through the RQ backend), starts 2 ``manage.py rqworker --burst``
subprocesses (scripts/worker.sh's command) and waits for them to empty the
queue. It prints the total time from the first request to the last stored
PDF, each book's state (done / lost: not done, or done without its file), and
each worker's peak resident memory (its own and its work horses', from
``wait4``: RQ forks a work horse per job). Exits 1 if a book is lost.

Run: ``.venv/bin/python bench/rq_offices.py [--offices 20] [--workers 2]``.
On a shared 2-core machine the time is the "loaded machine" figure.
"""

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path[:0] = [str(ROOT), str(BENCH)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from load import HOST, exit_on_signal, free_port, open_database  # noqa: E402

PROJECTS, ACTIVITIES, LINES = 3, 12, 30


def start_redis(work: Path) -> tuple[subprocess.Popen, str]:
    binary = shutil.which("redis-server")
    if binary is None:
        raise SystemExit("redis-server is missing: run scripts/system-deps.sh")
    port = free_port()
    server = subprocess.Popen(  # noqa: S603 (Debian's redis-server, fixed arguments)
        [binary, "--port", str(port), "--bind", HOST, "--save", ""]
        + ["--appendonly", "no", "--dir", str(work)],
        stdout=subprocess.DEVNULL,
    )
    url = f"redis://{HOST}:{port}/0"
    import redis

    client = redis.Redis.from_url(url)
    for _ in range(200):
        try:
            client.ping()
            return server, url
        except redis.ConnectionError:
            time.sleep(0.05)
    server.terminate()
    raise SystemExit("redis-server did not start")


def build(offices: int) -> list:
    """``offices`` small offices, each renamed out of the builder's way."""
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    call_command("loaddata", "budget_sources", "expense_categories", verbosity=0)
    from plan_book import build_office

    plans = []
    for number in range(1, offices + 1):
        plan = build_office(PROJECTS, ACTIVITIES, LINES)
        office = plan.organization
        office.name = f"สำนักงานเขตพื้นที่การศึกษาทดสอบคิว เขต {number}"
        office.short_name = f"สพป.คิว เขต {number}"
        office.save()
        plans.append(plan)
    return plans


def wait_workers(workers: list, asked: float, jobs: list) -> list:
    """Wait for every worker, printing each book as it is done; per worker
    its exit code and peak RSS in MB (its own and its waited-for work
    horses', ``wait4``)."""
    from django.db import connections

    from reports.models import DocumentJob

    peaks: dict[int, tuple[int, float]] = {}
    seen = 0
    while len(peaks) < len(workers):
        for worker in workers:
            if worker.pid in peaks:
                continue
            pid, status, usage = os.wait4(worker.pid, os.WNOHANG)
            if pid:
                worker.returncode = os.waitstatus_to_exitcode(status)
                peaks[worker.pid] = (worker.returncode, usage.ru_maxrss / 1024)
        done = DocumentJob.objects.filter(
            pk__in=[job.pk for job in jobs], state=DocumentJob.State.DONE
        ).count()
        if done != seen:
            seen = done
            print(f"  {time.perf_counter() - asked:6.1f} s: {done} books done")
        connections.close_all()
        time.sleep(1)
    return [peaks[worker.pid] for worker in workers]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--offices", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, exit_on_signal)
    signal.signal(signal.SIGINT, exit_on_signal)
    work = Path(tempfile.mkdtemp(prefix="phaen-bench-rq."))
    cluster = redis_server = None
    workers: list[subprocess.Popen] = []
    try:
        database, described, cluster = open_database(work)
        redis_server, redis_url = start_redis(work)
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DJANGO_ENV": "development",
            "DJANGO_DEBUG": "false",
            "DATABASE_URL": database,
            "REDIS_URL": redis_url,
            "PHAEN_VAR_DIR": str(work / "var"),
            "PHAEN_DOCUMENT_DIR": str(work / "documents"),
            "PHAEN_DOCUMENT_PRERENDER": "false",
            "MEDIA_ROOT": str(work / "media"),
        }
        os.environ.update(env)
        started = time.perf_counter()
        plans = build(args.offices)
        print(
            f"database: {described}; redis-server on {redis_url}; {args.offices} "
            f"offices of {PROJECTS} projects / {ACTIVITIES} activities / {LINES} "
            f"cost lines built in {time.perf_counter() - started:.1f} s"
        )
        from django.db import connections

        from reports import documents, services
        from reports.digits import chosen_digits
        from reports.models import DocumentJob

        specs = [documents.plan_book_spec(plan, chosen_digits(None)) for plan in plans]
        asked = time.perf_counter()
        jobs = [services.document_job_request(spec=spec) for spec in specs]
        connections.close_all()
        for _ in range(args.workers):
            workers.append(
                subprocess.Popen(  # noqa: S603 (this interpreter, fixed arguments)
                    [sys.executable, "manage.py", "rqworker", "--burst"]
                    + ["--job-class", "django_tasks_rq.Job", "default"],
                    cwd=ROOT,
                    env=env,
                    stdout=subprocess.DEVNULL,
                    stderr=open(work / "workers.log", "ab"),  # noqa: SIM115
                )
            )
        peaks = wait_workers(workers, asked, jobs)
        total = time.perf_counter() - asked

        lost = 0
        print()
        for plan, spec, job in zip(plans, specs, jobs, strict=True):
            job = DocumentJob.objects.get(pk=job.pk)
            stored = spec.stored()
            ok = job.state == DocumentJob.State.DONE and stored is not None
            lost += not ok
            size = f"{stored.stat().st_size / 1024:.0f} KB" if stored else "-"
            verdict = "done" if ok else "LOST"
            office = plan.organization.short_name
            print(f"  {office:18} {spec.title[:45]:45} {verdict} ({job.state}, {size})")
        print()
        print(
            f"{args.offices} plan books asked at once, {args.workers} RQ workers: "
            f"{args.offices - lost} done, {lost} lost, total {total:.1f} s "
            f"(loaded machine: {os.cpu_count()} CPUs shared)"
        )
        for number, (code, peak) in enumerate(peaks, 1):
            print(f"  worker {number}: exit {code}, peak RSS {peak:.0f} MB")
        if lost:
            print(f"worker log: {work / 'workers.log'}")
            sys.exit(1)
    finally:
        for worker in workers:
            if worker.returncode is None:
                worker.terminate()
        if redis_server is not None:
            redis_server.terminate()
            redis_server.wait(10)
        if cluster is not None:
            cluster.stop()
        if "lost" not in locals() or not lost:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
