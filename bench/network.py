"""Benchmark: the network pages (issue 20) over a generated national network.

Generates, with ``network.services.generate_network`` (bulk inserts), a small
network of 10 offices and the full one of 245 (~60 projects, ~400 activities,
~2,000 cost lines per office, 4 progress rounds, policy links, indicators
and the roll-up the pages read), prints the generation time
and the database size, counts the queries of each overseer page at both
sizes (they must be equal), then serves the project with gunicorn as
``bench/load.py`` does and drives 8 concurrent clients over

- the overseer pages (compliance, money, policy, indicators) as an OBEC
  overseer of the 245 offices: target p95 < 500 ms;
- an office's own pages (director dashboard, budget report, project list)
  as the director of one of the 245 offices: target p95 < 300 ms.

Run: ``.venv/bin/python bench/network.py [--offices 245] [--clients 8]
[--seconds 30]``. Exits 1 when a target is missed. The database is a
throwaway PostgreSQL cluster (or ``BENCH_DATABASE_URL``), as in load.py.
"""

import argparse
import secrets
import signal
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

from load import (
    count_queries,
    drive,
    exit_on_signal,
    free_port,
    login,
    open_database,
    percentile,
    server_environment,
    setup_django,
    start_gunicorn,
    teardown,
)

NETWORK_P95_MS = 500
OFFICE_P95_MS = 300


def _login(office, role: str, username: str, password: str):
    from django.contrib.auth.models import Group, User

    from core.models import Person

    user = User.objects.create_user(username, password=password)
    user.groups.set([Group.objects.get(name=role)])
    Person.objects.create(organization=office, first_name=username, user=user)
    return user


def build(offices: int, password: str, fiscal_year: int):
    """Both networks; an OBEC overseer of each and a director of one office of
    the large one. Returns the users and the generation time of the large."""
    from django.db import connection
    from django.utils import timezone

    from core.models import Organization
    from core.roles import Role
    from network.services import generate_network

    today = timezone.localdate()
    generate_network(offices=10, fiscal_year=fiscal_year, today=today, prefix="เล็ก")
    started = time.perf_counter()
    made = generate_network(
        offices=offices, fiscal_year=fiscal_year, today=today, prefix="ใหญ่"
    )
    seconds = time.perf_counter() - started
    small_root = Organization.objects.get(short_name="เล็ก สพฐ.")
    large_root = Organization.objects.get(short_name="ใหญ่ สพฐ.")
    office = Organization.objects.offices().under(large_root).order_by("pk").first()
    users = {
        "small": _login(small_root, Role.OVERSEER, "overseer-small", password),
        "large": _login(large_root, Role.OVERSEER, "overseer-large", password),
        "director": _login(office, Role.DIRECTOR, "director-large", password),
    }
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
            cursor.execute(
                "SELECT pg_size_pretty(pg_database_size(current_database()))"
            )
            size = cursor.fetchone()[0]
    else:
        size = "(SQLite)"
    return users, made, seconds, size


def network_urls(fiscal_year: int) -> list[tuple[str, str]]:
    from django.urls import reverse

    year = urlencode({"fiscal_year": fiscal_year})
    return [
        (f"network {slug}", f"{reverse('network:page', args=[slug])}?{year}")
        for slug in ("compliance", "money", "policy", "indicators")
    ]


def office_urls(fiscal_year: int) -> list[tuple[str, str]]:
    from django.urls import reverse

    year = urlencode({"fiscal_year": fiscal_year})
    return [
        ("director dashboard", f"{reverse('home:home')}?{year}"),
        ("budget report", f"{reverse('reports:budget_report')}?{year}"),
        ("project list", f"{reverse('projects:list')}?{year}"),
    ]


def report(samples, urls, target_ms: float) -> bool:
    passed = True
    print(f"{'page':<22}{'requests':>9}{'median':>9}{'p95':>9}{'max':>9}{'errors':>8}")
    for page, _url in urls:
        times = sorted(s.seconds * 1000 for s in samples if s.page == page)
        errors = sum(1 for s in samples if s.page == page and s.error)
        if not times:
            print(f"{page:<22}{0:>9}")
            passed = False
            continue
        p95 = percentile(times, 0.95)
        passed = passed and p95 < target_ms and not errors
        print(
            f"{page:<22}{len(times):>9}{percentile(times, 0.5):>7.0f}ms"
            f"{p95:>7.0f}ms{times[-1]:>7.0f}ms{errors:>8}"
        )
    return passed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--offices", type=int, default=245)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--warmup", type=float, default=5)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, exit_on_signal)
    signal.signal(signal.SIGINT, exit_on_signal)
    work = Path(tempfile.mkdtemp(prefix="phaen-bench-network."))
    (work / "static").mkdir()
    cluster = server = None
    try:
        database, described, cluster = open_database(work)
        env = server_environment(work, database)
        setup_django()
        from django.db import connections

        from core.thai import current_fiscal_year

        fiscal_year = current_fiscal_year() - 1  # a whole year: 4 rounds due
        password = secrets.token_urlsafe(16)
        users, made, seconds, size = build(args.offices, password, fiscal_year)
        print(f"database: {described}")
        print(
            f"generated {made.offices} offices, {made.projects} projects, "
            f"{made.activities} activities, {made.cost_lines} cost lines, "
            f"{made.disbursements} payments, {made.reports} progress reports, "
            f"{made.policy_links} policy links, {made.indicators} indicators "
            f"({made.results} results) and their roll-up in {seconds:.1f} s "
            f"(plus a 10-office network); database size {size}"
        )
        urls = network_urls(fiscal_year)
        large = count_queries(users["large"], urls)
        small = count_queries(users["small"], urls)
        print("queries per overseer page (10 offices / all offices):")
        for page, _url in urls:
            print(f"  {page:<20}{small[page]:>4}{large[page]:>6}")
        equal = large == small
        offices = office_urls(fiscal_year)
        count_queries(users["director"], offices)  # every office page answers 200
        connections.close_all()

        port = free_port()
        server = start_gunicorn(
            env, port, args.workers, args.threads, work / "gunicorn.log"
        )
        postmaster = cluster.postmaster_pid() if cluster else None
        results = []
        for who, pages, target in (
            ("large", urls, NETWORK_P95_MS),
            ("director", offices, OFFICE_P95_MS),
        ):
            cookies = [
                login(port, users[who].username, password) for _ in range(args.clients)
            ]
            samples, _window, usage = drive(
                port, cookies, pages, args, server, postmaster
            )
            print(
                f"\n{args.clients} clients as {users[who].username}, "
                f"{args.seconds:.0f} s; machine {usage.busy:.0%} busy "
                f"(others ~{usage.others:.0%}); target p95 < {target} ms"
            )
            results.append(report(samples, pages, target))
        verdict = "PASS" if all(results) and equal else "FAIL"
        print(f"\n{verdict}: p95 targets and equal query counts at both sizes")
        if verdict == "FAIL":
            raise SystemExit(1)
    finally:
        teardown(server, cluster, work)


if __name__ == "__main__":
    main()
