"""Dossier benchmarks on PostgreSQL: `python -m bench.dossiers [--dossiers N] [--write]`.

Run by `make bench` (BENCH_DOSSIERS=20000 for a quick run). Needs PostgreSQL: COPY is the
baseline of the import. The database (BENCH_PG_URL, default …/thanthien_bench) is created if
missing and migrated; it holds the real administrative divisions (`load_divisions`).

1. Data: N dossiers (default 1,000,000) received over the past year by the first 100 communes
   of Hải Phòng, each played forward to now by thanthien.onestop.generate (history,
   supplements, apology slips), written with COPY. A later run with the same size reuses them
   (--regenerate to rebuild). No messages: no benchmark reads the outbox.
2. (a) Province import: `dossiers_import` of an M-row CSV in the documented layout, against
   COPY of the very same dossier rows into onestop_dossier.
3. (b) Status lookup under gunicorn: GET /api/v1/dossiers/{code}?phone_last4=NNNN against a
   bare Django view doing one indexed lookup by code, same server, same client, same run.
4. (c) Desk dashboard: `desk_dashboard` for one commune and for a province evaluator over
   the 100 communes, against the raw SQL GROUP BY of the same counts.

`--write` replaces the dossier table in docs/PERFORMANCE.md. Never part of the test suite.
"""

import argparse
import io
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS_START = "<!-- bench-dossiers:start -->"
RESULTS_END = "<!-- bench-dossiers:end -->"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/thanthien_bench"
DEMO_COMMUNE_CODE = 11725  # Xã Kiến Minh: its province's communes are the bench's
SEED = 20_260_101
BENCH_PREFIX = "bench."


def log(text: str) -> None:
    print(f"[{datetime.now(UTC):%H:%M:%S}] {text}", flush=True)


@contextmanager
def stopwatch():
    """`with stopwatch() as t: …` then t() is the seconds it took."""
    start = time.perf_counter()
    end = None

    def elapsed() -> float:
        return (end or time.perf_counter()) - start

    yield elapsed
    end = time.perf_counter()


# --- The database ---------------------------------------------------------------------------


def ensure_database(url: str) -> None:
    """Create the PostgreSQL database of `url` if it does not exist yet."""
    import psycopg
    from psycopg import sql

    info = psycopg.conninfo.conninfo_to_dict(url)
    name = info.get("dbname")
    admin = psycopg.conninfo.make_conninfo(url, dbname="postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        log(f"created database {name}")


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_divisions", verbosity=0)


# --- The communes and their staff -----------------------------------------------------------


def bench_communes(count: int):
    """The first `count` communes of Kiến Minh's province by code (Kiến Minh among them),
    and one more for the import."""
    from thanthien.places.models import Commune

    demo = Commune.objects.select_related("province").get(code=DEMO_COMMUNE_CODE)
    communes = list(Commune.objects.filter(province=demo.province).order_by("code"))
    if len(communes) < count + 1:
        raise SystemExit(f"{demo.province.name} has only {len(communes)} communes.")
    chosen = communes[:count]
    if demo not in chosen:
        chosen[-1] = demo
    spare = next(c for c in communes if c not in chosen)
    return chosen, spare


SEATS = [
    # key, position code, office
    ("desk_1", "cong-chuc-tu-phap-ho-tich", "Trung tâm Phục vụ hành chính công"),
    ("desk_2", "chuyen-vien", "Trung tâm Phục vụ hành chính công"),
    ("civil_status", "cong-chuc-tu-phap-ho-tich", "Trung tâm Phục vụ hành chính công"),
    ("land", "cong-chuc-dia-chinh", "Phòng Kinh tế"),
    ("social", "cong-chuc-van-hoa-xa-hoi", "Phòng Văn hóa – Xã hội"),
    ("clerk", "cong-chuc-van-phong-thong-ke", "Văn phòng HĐND và UBND"),
    ("vice_chairman_1", "pho-chu-tich-ubnd", "Văn phòng HĐND và UBND"),
    ("vice_chairman_2", "pho-chu-tich-ubnd", "Văn phòng HĐND và UBND"),
]
SPECIALISTS = {
    "ho-tich": ("civil_status",),
    "chung-thuc": ("civil_status", "desk_1"),
    "dat-dai": ("land",),
    "lao-dong-tbxh": ("social",),
    "": ("clerk",),
}


def name_pool(size: int) -> list[str]:
    from faker import Faker

    from thanthien.core.demo import vietnamese_name

    fake = Faker("vi_VN")
    fake.seed_instance(SEED)
    return sorted({vietnamese_name(fake, male=fake.boolean()) for _ in range(size)})


def commune_staff(communes, *, names: list[str]) -> dict[int, dict]:
    """Per commune: the catalogue, the offices, eight officials and two accounts (created once)."""
    from thanthien.onestop.catalogue import procedures_catalogue_setup
    from thanthien.people.models import Official, Position, User
    from thanthien.people.roles import Role
    from thanthien.people.services import commune_offices_setup

    positions = {p.code: p for p in Position.objects.all()}
    staff = {}
    for number, commune in enumerate(communes):
        procedures_catalogue_setup(commune=commune)
        offices = {o.name: o for o in commune_offices_setup(commune=commune)}
        existing = {
            o.badge_number: o
            for o in Official.objects.filter(commune=commune, badge_number__startswith="BENCH-")
        }
        missing = [
            Official(
                commune=commune,
                full_name=names[(number * len(SEATS) + i) % len(names)],
                position=positions[code],
                office=offices[office],
                phone=f"09{commune.code % 10**5:05d}{i:03d}",
                badge_number=f"BENCH-{key}",
                order=100 + i,
            )
            for i, (key, code, office) in enumerate(SEATS)
            if f"BENCH-{key}" not in existing
        ]
        for official in Official.objects.bulk_create(missing):
            existing[official.badge_number] = official
        accounts = {}
        for suffix, role in (("motcua", Role.COMMUNE_OFFICIAL), ("lanhdao", Role.COMMUNE_LEADER)):
            user, created = User.objects.get_or_create(
                username=f"{BENCH_PREFIX}{commune.code}.{suffix}",
                defaults={"role": role, "commune": commune, "full_name": f"Bench {suffix}"},
            )
            if created:
                user.set_unusable_password()
                user.save(update_fields=["password"])
            accounts[suffix] = user
        staff[commune.pk] = {
            "officials": {key[len("BENCH-") :]: o for key, o in existing.items()},
            "accounts": accounts,
        }
    return staff


def commune_spec(commune, staff: dict, procedures):
    from thanthien.onestop.generate import CommuneSpec, Person

    officials = staff["officials"]

    def people(*keys):
        return tuple(Person(officials[k].pk, officials[k].office_id) for k in keys)

    where = f"{commune.name}, {commune.province.name}"
    return CommuneSpec(
        id=commune.pk,
        code=commune.code,
        name=commune.name,
        procedures=procedures,
        desk=people("desk_1", "desk_2"),
        specialists={field: people(*keys) for field, keys in SPECIALISTS.items()},
        signers=people("vice_chairman_1", "vice_chairman_2"),
        desk_user_ids=(staff["accounts"]["motcua"].pk,),
        leader_user_id=staff["accounts"]["lanhdao"].pk,
        addresses=tuple(f"Thôn {n}, {where}" for n in range(1, 13)),
    )


# --- 1. Generate and COPY -------------------------------------------------------------------


def copy_rows(cursor, sql: str, rows) -> None:
    with cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)


def next_ids(cursor, writer) -> dict[str, int]:
    ids = {}
    for key in writer.models:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {writer.table(key)}")
        ids[key] = cursor.fetchone()[0]
    return ids


def generate_and_copy(communes, staff, *, total: int, now: datetime) -> dict:
    """Fill the communes with `total` dossiers; returns the timings and row counts."""
    from django.db import connection

    from thanthien.onestop.generate import (
        CopyWriter,
        DossierGenerator,
        WorkCalendar,
        procedure_specs,
    )

    names = name_pool(6000)
    procedures = procedure_specs(commune_ids=[c.pk for c in communes])
    today = now.date()
    calendar = WorkCalendar(today - timedelta(days=380), today + timedelta(days=400))
    ids = [c.pk for c in communes]
    with connection.cursor() as cursor:
        # Everything that hangs off a dossier goes with it (a bench database holds nothing else).
        cursor.execute("TRUNCATE onestop_dossier, onestop_dossiercounter CASCADE")
        writer = CopyWriter({key: 1 for key in ("dossier", "event", "supplement", "apology")})
        writer.next_id = next_ids(cursor, writer)
        counts = dict.fromkeys(writer.models, 0)
        python_seconds = copy_seconds = 0.0
        per_commune, extra = divmod(total, len(communes))
        for number, commune in enumerate(communes):
            size = per_commune + (1 if number < extra else 0)
            with stopwatch() as made:
                generator = DossierGenerator(
                    commune=commune_spec(commune, staff[commune.pk], procedures[commune.pk]),
                    seed=SEED + commune.code,
                    now=now,
                    names=names,
                    calendar=calendar,
                    messages=False,
                )
                rows = writer.rows(generator.generate(size))
                rows["apology"] = writer.apology_rows(generator)
                rows["counter"] = writer.counter_rows(generator)
            python_seconds += made()
            with stopwatch() as copied:
                for key, items in rows.items():
                    copy_rows(cursor, writer.copy_sql(key), items)
                    counts[key] += len(items)
            copy_seconds += copied()
            if number % 10 == 9 or number == len(communes) - 1:
                log(
                    f"  {number + 1}/{len(communes)} communes, {counts['dossier']:,} dossiers, "
                    f"{counts['event']:,} events (python {python_seconds:.0f} s, "
                    f"COPY {copy_seconds:.0f} s)"
                )
        for statement in writer.sequence_sql():
            cursor.execute(statement)
        with stopwatch() as analyzed:
            for key in writer.models:
                cursor.execute(f"ANALYZE {writer.table(key)}")
        cursor.execute("SELECT count(*) FROM onestop_dossier WHERE commune_id = ANY(%s)", [ids])
        stored = cursor.fetchone()[0]
    return {
        "counts": counts,
        "stored": stored,
        "python_seconds": python_seconds,
        "copy_seconds": copy_seconds,
        "analyze_seconds": analyzed(),
    }


def stored_dossiers(communes) -> int:
    from thanthien.onestop.models import Dossier

    return Dossier.objects.filter(commune__in=communes).count()


def stored_counts(communes) -> dict[str, int]:
    """What hangs off the communes' dossiers, for a run that reuses them."""
    from thanthien.onestop.models import ApologySlip, DossierEvent, DossierSupplement

    return {
        "event": DossierEvent.objects.filter(dossier__commune__in=communes).count(),
        "supplement": DossierSupplement.objects.filter(dossier__commune__in=communes).count(),
        "apology": ApologySlip.objects.filter(dossier__commune__in=communes).count(),
    }


# --- 2. (a) Province import against COPY ----------------------------------------------------


def import_benchmark(commune, staff, *, rows: int, now: datetime) -> dict:
    from django.db import connection

    from thanthien.onestop.generate import DossierGenerator, WorkCalendar, procedure_specs
    from thanthien.onestop.models import Dossier, DossierEvent, Procedure
    from thanthien.onestop.province_import import dossiers_import
    from thanthien.onestop.province_import_io import dossiers_csv
    from thanthien.people.models import User
    from thanthien.people.roles import Role

    procedures = procedure_specs(commune_ids=[commune.pk])[commune.pk]
    today = now.date()
    generator = DossierGenerator(
        commune=commune_spec(commune, staff, procedures),
        seed=SEED,
        now=now,
        names=name_pool(3000),
        calendar=WorkCalendar(today - timedelta(days=380), today + timedelta(days=400)),
        messages=False,
    )
    by_id = {p.pk: p for p in Procedure.objects.filter(commune=commune)}
    fields = {f.attname for f in Dossier._meta.concrete_fields}
    dossiers = []
    for generated in generator.generate(rows):
        dossier = Dossier(**{k: v for k, v in generated.values.items() if k in fields})
        dossier.procedure = by_id[dossier.procedure_id]
        dossiers.append(dossier)
    data = dossiers_csv(dossiers)
    admin, _ = User.objects.get_or_create(
        username=f"{BENCH_PREFIX}{commune.code}.quantri",
        defaults={"role": Role.COMMUNE_ADMIN, "commune": commune, "full_name": "Bench admin"},
    )

    def clear():
        with connection.cursor() as cursor:
            cursor.execute(
                "DELETE FROM onestop_dossierevent WHERE dossier_id IN "
                "(SELECT id FROM onestop_dossier WHERE commune_id = %s)",
                [commune.pk],
            )
            cursor.execute("DELETE FROM onestop_dossier WHERE commune_id = %s", [commune.pk])

    clear()
    log(f"  importing {len(dossiers):,} rows ({len(data) / 1e6:.1f} MB CSV)")
    with stopwatch() as first:
        report = dossiers_import(
            actor=admin, commune=commune, file=io.BytesIO(data), filename="ho-so.csv"
        )
    if report.file_error or report.created != len(dossiers):
        raise SystemExit(f"import failed: {report.file_error or report.errors[:3]}")
    with stopwatch() as again:
        second = dossiers_import(
            actor=admin, commune=commune, file=io.BytesIO(data), filename="ho-so.csv"
        )
    if second.unchanged != len(dossiers):
        raise SystemExit(f"second import changed rows: {second}")
    events = DossierEvent.objects.filter(dossier__commune=commune).count()

    # The baseline: the very rows the import stored, copied back into the table.
    with connection.cursor() as cursor:
        buffer = io.BytesIO()
        select = f"SELECT * FROM onestop_dossier WHERE commune_id = {int(commune.pk)}"
        with cursor.copy(f"COPY ({select}) TO STDOUT") as copy:
            for chunk in copy:
                buffer.write(chunk)
        copies = []
        for _ in range(3):
            clear()
            with stopwatch() as copied, cursor.copy("COPY onestop_dossier FROM STDIN") as copy:
                copy.write(buffer.getvalue())
            copies.append(copied())
    clear()
    copy_seconds = statistics.median(copies)
    return {
        "rows": len(dossiers),
        "events": events,
        "import_seconds": first(),
        "reimport_seconds": again(),
        "copy_seconds": copy_seconds,
    }


# --- 3. (b) Status lookup under gunicorn ----------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def lookup_samples(count: int) -> list[tuple[str, str]]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT setseed(0.42)")
        cursor.execute(
            "SELECT code, right(applicant_phone, 4) FROM onestop_dossier "
            "ORDER BY random() LIMIT %s",
            [count],
        )
        return list(cursor.fetchall())


def lookup_benchmark(url: str, *, workers: int, clients: int, seconds: float) -> dict:
    from bench.load import run_phase, wait_until_up

    samples = lookup_samples(5000)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "bench.settings"}
    logfile = Path(tempfile.mkdtemp(prefix="thanthien-bench-")) / "gunicorn.log"
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "thanthien.wsgi:application",
        f"--bind=127.0.0.1:{port}",
        f"--workers={workers}",
        "--log-level=warning",
        f"--error-logfile={logfile}",
    ]
    server = subprocess.Popen(command, cwd=ROOT, env=env)  # noqa: S603
    try:
        wait_until_up(f"{base}/__bench__/bare/")
        bare = [f"/__bench__/dossiers/{code}/" for code, _ in samples]
        api = [f"/api/v1/dossiers/{code}?phone_last4={last4}" for code, last4 in samples]
        common = {"base_url": base, "clients": clients, "max_requests": 500_000}
        for paths in (bare, api):  # warm every worker's connection and code paths
            run_phase(label="warm-up", paths=paths, seconds=2, **common)
        phases = {"bare": None, "api": None}
        for _round in range(2):  # alternate, so a slow moment of the machine hits both
            for key, paths in (("bare", bare), ("api", api)):
                phase = run_phase(label=key, paths=paths, seconds=seconds / 2, **common)
                phases[key] = phase if phases[key] is None else phases[key].merge(phase)
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
    for key, phase in phases.items():
        bad = phase.requests - phase.statuses.get(200, 0)
        if bad:
            raise SystemExit(f"{key}: {bad} of {phase.requests} answers were not 200: {phase}")
    return {"bare": phases["bare"], "api": phases["api"], "workers": workers, "clients": clients}


# --- 4. (c) Desk dashboard ------------------------------------------------------------------

RAW_CELLS = """
SELECT procedure_id, handling_official_id,
       date_trunc('month', received_at AT TIME ZONE 'Asia/Ho_Chi_Minh') AS month,
       count(*) AS received,
       count(*) FILTER (WHERE finished AND ready < due_date) AS early,
       count(*) FILTER (WHERE finished AND ready = due_date) AS on_time,
       count(*) FILTER (WHERE (finished AND ready > due_date)
                        OR (running AND due_date < %(today)s)) AS late,
       count(*) FILTER (WHERE finished AND ready < COALESCE(original_due_date, due_date))
           AS early_original,
       count(*) FILTER (WHERE finished AND ready = COALESCE(original_due_date, due_date))
           AS on_time_original,
       count(*) FILTER (WHERE (finished AND ready > COALESCE(original_due_date, due_date))
                        OR (running AND COALESCE(original_due_date, due_date) < %(today)s))
           AS late_original
FROM (
    SELECT procedure_id, handling_official_id, received_at, due_date, original_due_date,
           state IN ('result_ready', 'returned') AND result_ready_day IS NOT NULL AS finished,
           state IN ('received', 'in_progress') AS running,
           result_ready_day AS ready
    FROM onestop_dossier
    WHERE commune_id = ANY(%(communes)s) AND received_at >= %(start)s AND received_at < %(end)s
) AS d
GROUP BY 1, 2, 3
"""


def timed(fn, *, repeat: int) -> float:
    fn()  # warm-up
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def dashboard_benchmark(communes, staff, *, repeat: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from thanthien.core import tenancy
    from thanthien.onestop.dashboard import desk_dashboard
    from thanthien.onestop.dossier_selectors import LOCAL_TZ, today_local
    from thanthien.people.models import User
    from thanthien.people.roles import Role

    demo = next(c for c in communes if c.code == DEMO_COMMUNE_CODE)
    labels = {"commune": demo.name, "province": f"province evaluator, {demo.province.name}"}
    official = staff[demo.pk]["accounts"]["motcua"]
    evaluator, _ = User.objects.get_or_create(
        username=f"{BENCH_PREFIX}thamdinh",
        defaults={
            "role": Role.PROVINCE_EVALUATOR,
            "province": demo.province,
            "full_name": "Bench evaluator",
        },
    )
    today = today_local()
    start, end = today - timedelta(days=364), today
    results = {}
    for key, user in (("commune", official), ("province", evaluator)):
        scope = tenancy.visible_commune_ids(user)
        params = {
            "communes": list(scope),
            "today": today,
            "start": datetime.combine(start, datetime.min.time(), tzinfo=LOCAL_TZ),
            "end": datetime.combine(end + timedelta(days=1), datetime.min.time(), tzinfo=LOCAL_TZ),
        }

        def raw(params=params):
            with connection.cursor() as cursor:
                cursor.execute(RAW_CELLS, params)
                return cursor.fetchall()

        def dashboard(user=user):
            return desk_dashboard(user=user, start=start, end=end, today=today)

        with CaptureQueriesContext(connection) as queries:
            board = dashboard()
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM onestop_dossier WHERE commune_id = ANY(%(communes)s) "
                "AND received_at >= %(start)s AND received_at < %(end)s",
                params,
            )
            dossiers = cursor.fetchone()[0]
        if board.total.received != dossiers:
            raise SystemExit(f"dashboard counted {board.total.received}, SQL {dossiers}")
        results[key] = {
            "label": labels[key],
            "dossiers": dossiers,
            "communes": len(scope),
            "queries": len(queries),
            "dashboard": timed(dashboard, repeat=repeat),
            "raw": timed(raw, repeat=repeat),
        }
    return results


# --- Report -----------------------------------------------------------------------------------


def render(results: dict, *, total_seconds: float) -> str:
    data, imp, look, dash = (results.get(k) for k in ("data", "import", "lookup", "dashboard"))
    lines = [
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, PostgreSQL, Python "
        f"{sys.version.split()[0]}, {os.cpu_count()} CPU cores shared by server, client and "
        f"database; whole run {total_seconds / 60:.1f} min.",
        "",
    ]
    if data:
        counts = data["counts"]
        if data.get("reused"):
            lines.append(
                f"Data: {data['stored']:,} dossiers of {data['communes']} communes with "
                f"{counts['event']:,} history rows, {counts['supplement']:,} supplement requests "
                f"and {counts['apology']:,} apology slips, generated by an earlier run."
            )
        else:
            rows = sum(counts.values())
            lines.append(
                f"Data: {counts['dossier']:,} dossiers of {data['communes']} communes over the "
                f"past year with {counts['event']:,} history rows, {counts['supplement']:,} "
                f"supplement requests and {counts['apology']:,} apology slips: generated in "
                f"{data['python_seconds']:.0f} s of Python, written by COPY in "
                f"{data['copy_seconds']:.0f} s ({rows / data['copy_seconds']:,.0f} rows/s)."
            )
        lines.append("")
    lines += ["| what | result | ratio | baseline |", "|---|---:|---:|---|"]
    if imp:
        rate = imp["rows"] / imp["import_seconds"]
        copy_rate = imp["rows"] / imp["copy_seconds"]
        lines.append(
            f"| (a) province import, {imp['rows']:,} rows CSV (+{imp['events']:,} history "
            f"rows) | {rate:,.0f} rows/s | {copy_rate / rate:.1f}× slower | COPY of the same "
            f"rows into onestop_dossier: {copy_rate:,.0f} rows/s |"
        )
        again = imp["rows"] / imp["reimport_seconds"]
        lines.append(
            f"| (a) the same file again (nothing changes) | {again:,.0f} rows/s | "
            f"{copy_rate / again:.1f}× slower | the same COPY |"
        )
    if look:
        bare, api = look["bare"], look["api"]
        where = f"gunicorn {look['workers']} sync workers, {look['clients']} client threads"
        lines.append(
            f"| (b) status lookup API, {where} | {api.rate:,.0f} req/s, p50 "
            f"{api.p50 * 1000:.1f} ms, p95 {api.p95 * 1000:.1f} ms | {bare.rate / api.rate:.1f}× "
            f"fewer req/s | bare view, one indexed lookup: {bare.rate:,.0f} req/s, p50 "
            f"{bare.p50 * 1000:.1f} ms, p95 {bare.p95 * 1000:.1f} ms |"
        )
    if dash:
        for key in ("commune", "province"):
            row = dash[key]
            communes = f", {row['communes']} communes" if row["communes"] > 1 else ""
            lines.append(
                f"| (c) desk dashboard, {row['label']}{communes}: {row['dossiers']:,} dossiers "
                f"received in the year, {row['queries']} queries | "
                f"{row['dashboard'] * 1000:,.0f} ms | {row['dashboard'] / row['raw']:.1f}× | "
                f"raw SQL GROUP BY of the same counts: {row['raw'] * 1000:,.0f} ms |"
            )
    return "\n".join(lines)


def write_results(table: str) -> None:
    doc = ROOT / "docs" / "PERFORMANCE.md"
    text = doc.read_text(encoding="utf-8")
    if RESULTS_START not in text:
        raise SystemExit(f"docs/PERFORMANCE.md has no {RESULTS_START} marker")
    head, _, rest = text.partition(RESULTS_START)
    _, _, tail = rest.partition(RESULTS_END)
    doc.write_text(f"{head}{RESULTS_START}\n{table}\n{RESULTS_END}{tail}", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_PG_URL", DEFAULT_URL),
        help="PostgreSQL database, created if missing",
    )
    parser.add_argument("--dossiers", type=int, default=1_000_000)
    parser.add_argument("--communes", type=int, default=100)
    parser.add_argument("--import-rows", type=int, default=20_000)
    parser.add_argument("--seconds", type=float, default=20, help="load time per endpoint")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--clients", type=int, default=8, help="client threads")
    parser.add_argument("--repeat", type=int, default=5, help="dashboard timings (median)")
    parser.add_argument("--regenerate", action="store_true", help="rebuild the dossiers")
    parser.add_argument(
        "--only", choices=["data", "import", "lookup", "dashboard"], action="append"
    )
    parser.add_argument("--write", action="store_true", help="update docs/PERFORMANCE.md")
    args = parser.parse_args()
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("The dossier benchmarks need PostgreSQL (COPY is their baseline).")
    wanted = set(args.only or ["data", "import", "lookup", "dashboard"])

    with stopwatch() as whole:
        ensure_database(args.database_url)
        setup_django(args.database_url)
        from django.utils import timezone

        communes, spare = bench_communes(args.communes)
        log(f"{len(communes)} communes of {communes[0].province.name}; import into {spare.name}")
        with stopwatch() as prepared:
            staff = commune_staff([*communes, spare], names=name_pool(2000))
        log(f"catalogue, offices, officials, accounts: {prepared():.0f} s")
        now = timezone.now()
        results = {}
        stored = stored_dossiers(communes)
        if stored == args.dossiers and not args.regenerate:
            log(f"reusing the {stored:,} dossiers already generated (--regenerate to rebuild)")
            results["data"] = {"reused": True, "stored": stored, "counts": stored_counts(communes)}
        elif "data" in wanted or stored != args.dossiers:
            log(f"generating {args.dossiers:,} dossiers")
            results["data"] = generate_and_copy(communes, staff, total=args.dossiers, now=now)
        results["data"]["communes"] = len(communes)
        if "import" in wanted:
            log(f"(a) province import of {args.import_rows:,} rows")
            results["import"] = import_benchmark(
                spare, staff[spare.pk], rows=args.import_rows, now=now
            )
        if "dashboard" in wanted:
            log("(c) desk dashboard")
            results["dashboard"] = dashboard_benchmark(communes, staff, repeat=args.repeat)
        if "lookup" in wanted:
            log("(b) status lookup under gunicorn")
            from django.db import connections

            connections.close_all()
            results["lookup"] = lookup_benchmark(
                args.database_url,
                workers=args.workers,
                clients=args.clients,
                seconds=args.seconds,
            )
    table = render(results, total_seconds=whole())
    print(table)
    if args.write:
        write_results(table)


if __name__ == "__main__":
    main()
