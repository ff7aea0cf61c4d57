"""Benchmarks: `make bench` (or `python -m bench [--write]`).

Each result is a ratio against a baseline measured in the same run, so numbers compare across
machines: portal pages against a bare Django view, selectors against the raw SQL query they
stand for. Uses a fresh SQLite file (or BENCH_DATABASE_URL, e.g. PostgreSQL) with the demo
commune. `--write` replaces the results table in docs/PERFORMANCE.md.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS_START = "<!-- bench:start -->"
RESULTS_END = "<!-- bench:end -->"


def setup_django() -> str:
    tmp = Path(tempfile.mkdtemp(prefix="thanthien-bench-"))
    url = os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{tmp / 'bench.sqlite3'}")
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thanthien.settings.test")
    import django
    from django.conf import settings

    django.setup()
    settings.ROOT_URLCONF = "bench.urls"
    settings.DEBUG = False
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_demo", verbosity=0)
    return url.split(":", 1)[0]


def timed(fn, *, repeat: int, warmup: int = 3) -> float:
    """Median seconds of one call of fn."""
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def peak_kib(fn) -> float:
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1024


def run(repeat: int) -> list[tuple[str, float, float, str]]:
    from django.db import connection
    from django.test import Client

    from thanthien.core import workdays
    from thanthien.places.selectors import commune_search

    client = Client()

    def get(url):
        def call():
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)

        return call

    rows = []
    bare = timed(get("/__bench__/bare/"), repeat=repeat)
    for label, url in [
        ("commune home page", "/xa-kien-minh/"),
        ("officials directory (~25 officials)", "/xa-kien-minh/can-bo/"),
        ("reception schedule", "/xa-kien-minh/lich-tiep-cong-dan/"),
        ("find commune: 'kien minh' among 3,321", "/?q=kien+minh"),
        ("A4 QR poster (SVG)", "/xa-kien-minh/ma-qr/"),
    ]:
        seconds = timed(get(url), repeat=repeat)
        memory = peak_kib(get(url))
        rows.append((label, seconds, seconds / bare, f"bare Django view; peak {memory:.0f} KiB"))

    def raw_search():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT c.id, c.name, p.name FROM places_commune c "
                "JOIN places_province p ON p.id = c.province_id "
                "WHERE c.search_name LIKE %s ORDER BY c.search_name, p.name LIMIT 100",
                ["%tan%"],
            )
            cursor.fetchall()

    raw = timed(raw_search, repeat=repeat)
    orm = timed(lambda: list(commune_search(query="Tân")[:100]), repeat=repeat)
    rows.append(("commune_search('Tân'), 100 rows", orm, orm / raw, "the same raw SQL query"))

    def raw_overrides():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT date, is_working_day FROM core_workdayoverride "
                "WHERE date BETWEEN %s AND %s",
                ["2026-01-01", "2026-03-31"],
            )
            cursor.fetchall()

    received = datetime(2026, 2, 13, 16, 30, tzinfo=UTC)
    raw = timed(raw_overrides, repeat=repeat)
    due = timed(lambda: workdays.due_date(received, 15), repeat=repeat)
    rows.append(("workdays.due_date across Tết, 15 days", due, due / raw, "one raw SQL query"))
    return rows


def render(rows, engine: str) -> str:
    lines = [
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, database {engine}, Python "
        f"{sys.version.split()[0]}, median of each.",
        "",
        "| what | median | ratio | baseline |",
        "|---|---:|---:|---|",
    ]
    for label, seconds, ratio, baseline in rows:
        lines.append(f"| {label} | {seconds * 1000:.2f} ms | {ratio:.1f}× | {baseline} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--write", action="store_true", help="update docs/PERFORMANCE.md")
    args = parser.parse_args()
    engine = setup_django()
    table = render(run(args.repeat), engine)
    print(table)
    if args.write:
        doc = ROOT / "docs" / "PERFORMANCE.md"
        text = doc.read_text(encoding="utf-8")
        head, _, rest = text.partition(RESULTS_START)
        _, _, tail = rest.partition(RESULTS_END)
        doc.write_text(f"{head}{RESULTS_START}\n{table}\n{RESULTS_END}{tail}", encoding="utf-8")


if __name__ == "__main__":
    main()
