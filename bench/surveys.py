"""Survey results benchmark: `python -m bench.surveys [--database-url URL] [--write]`.

Builds one closed SIPAS-style campaign (thanthien/surveys/data/questionnaires/sipas-xa.json)
with N responses (default 100,000) over three months, ten hamlets and three channels (online,
phone, paper — each paper response with its printed form), each with its ResponseScore rows
(six satisfaction answers a response), written with COPY on PostgreSQL and executemany on
SQLite. A later run on the same PostgreSQL database with the same N reuses them.

Then it times, median of --repeat runs, against a baseline measured in the same run:

- `campaign_results` without the answer distribution, and the staff results page
  (/staff/khao-sat/<pk>/ket-qua/: the selector, the charts and the template), against the raw
  SQL GROUP BY of the same counts (factor, question, hamlet, channel and month of the score
  rows, and responses per hamlet);
- `question_distributions` (one aggregate over the responses' JSON answers) against a raw
  `COUNT(*)` scan of the campaign's responses;
- the public results page /khao-sat/<code>/ket-qua/ against the same raw GROUP BY.

Default database: a fresh SQLite file; PostgreSQL with --database-url (or BENCH_PG_URL).
`--write` replaces this engine's table in docs/PERFORMANCE.md. Never part of the test suite.
"""

import argparse
import json
import os
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.__main__ import timed

ROOT = Path(__file__).resolve().parent.parent
SEED = 20_261_121
PUBLIC_CODE = "bench-sipas"
HAMLETS = 10
SATISFACTION = (
    "access_satisfaction",
    "procedure_satisfaction",
    "officials_satisfaction",
    "result_satisfaction",
    "feedback_satisfaction",
    "overall_satisfaction",
)


def markers(engine: str) -> tuple[str, str]:
    return f"<!-- bench-surveys-{engine}:start -->", f"<!-- bench-surveys-{engine}:end -->"


def log(text: str) -> None:
    print(f"[{datetime.now(UTC):%H:%M:%S}] {text}", flush=True)


def setup_django(url: str) -> str:
    if url.startswith("postgres"):
        from bench.dossiers import ensure_database

        ensure_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0, interactive=False)
    return connection.vendor


def bench_commune():
    """A commune of its own with ten hamlets and a leader account (created once)."""
    from thanthien.people.models import User
    from thanthien.people.roles import Role
    from thanthien.places.models import Commune, Hamlet, Province

    province, _ = Province.objects.get_or_create(
        code=99,
        defaults={
            "name": "Tỉnh Đo Hiệu Năng",
            "division_type": "tỉnh",
            "codename": "tinh_do_hieu_nang",
            "slug": "tinh-do-hieu-nang",
        },
    )
    commune, _ = Commune.objects.get_or_create(
        code=999_001,
        defaults={
            "name": "Xã Đo Hiệu Năng",
            "division_type": Commune.DivisionType.XA,
            "province": province,
            "codename": "xa_do_hieu_nang",
            "slug": "xa-do-hieu-nang",
        },
    )
    hamlets = list(Hamlet.objects.filter(commune=commune).order_by("pk"))
    for number in range(len(hamlets), HAMLETS):
        hamlets.append(Hamlet.objects.create(commune=commune, name=f"Thôn {number + 1}"))
    leader, created = User.objects.get_or_create(
        username="bench.surveys.lanhdao",
        defaults={"role": Role.COMMUNE_LEADER, "commune": commune, "full_name": "Bench"},
    )
    if created:
        leader.set_unusable_password()
        leader.save(update_fields=["password"])
    return commune, hamlets, leader


def answer(rng: random.Random) -> dict:
    """One plausible set of SIPAS answers, most people satisfied."""

    def likert():
        return rng.choices((4, 3, 2, 1), weights=(35, 50, 10, 5))[0]

    given = rng.random() < 0.3
    answers = {
        "submitted_how": rng.choice(("desk", "online", "post", "someone_else")),
        "access_place": rng.choice(("yes", "yes", "partly", "no")),
        "access_info": rng.choice(("yes", "partly", "no")),
        "procedure_papers": rng.choice(("yes", "partly", "no")),
        "officials_manner": rng.choice(("yes", "partly", "no")),
        "result_correct": rng.choice(("yes", "partly", "no")),
        "feedback_given": "yes" if given else "no",
        "gender": rng.choice(("female", "male", "not_say")),
    }
    for question in SATISFACTION:
        if question != "feedback_satisfaction" or given:
            answers[question] = likert()
    return answers


def columns(model) -> list[str]:
    return [field.column for field in model._meta.concrete_fields]


def generate(campaign, hamlets, *, total: int, now: datetime):
    """(paper forms, responses, scores) as tuples in each table's column order."""
    from thanthien.surveys.definitions import parse_definition
    from thanthien.surveys.models import PaperForm, Response, ResponseScore

    questionnaire = parse_definition(campaign.definition)
    factor = {q: questionnaire.question(q).factor or "" for q in SATISFACTION}
    keys = {q: questionnaire.question(q).scale.index_keys for q in SATISFACTION}
    rng = random.Random(SEED)
    start = datetime(2026, 9, 1, tzinfo=UTC)
    span = 91 * 24 * 3600
    form_cols, response_cols, score_cols = (
        columns(PaperForm),
        columns(Response),
        columns(ResponseScore),
    )
    forms, responses, scores = [], [], []
    score_id = 0
    for number in range(1, total + 1):
        hamlet = hamlets[rng.randrange(len(hamlets))]
        channel = rng.choices(("online", "phone", "paper"), weights=(60, 25, 15))[0]
        at = start + timedelta(seconds=rng.randrange(span))
        form_id = None
        if channel == "paper":
            form_id = len(forms) + 1
            row = {
                "id": form_id,
                "created_at": now,
                "updated_at": now,
                "commune_id": campaign.commune_id,
                "campaign_id": campaign.pk,
                "number": f"B{number:07d}",
                "hamlet_id": hamlet.pk,
                "printed_at": start,
            }
            forms.append(tuple(row[c] for c in form_cols))
        answers = answer(rng)
        row = {
            "id": number,
            "created_at": now,
            "updated_at": now,
            "commune_id": campaign.commune_id,
            "campaign_id": campaign.pk,
            "channel": channel,
            "hamlet_id": hamlet.pk,
            "answers": json.dumps(answers),
            "submitted_at": at,
            "entered_by_id": None,
            "paper_form_id": form_id,
            "idempotency_key": None,
            "consent_contact": False,
            "contact_phone": "",
        }
        responses.append(tuple(row[c] for c in response_cols))
        for question in SATISFACTION:
            if question not in answers:
                continue
            score_id += 1
            row = {
                "id": score_id,
                "response_id": number,
                "campaign_id": campaign.pk,
                "hamlet_id": hamlet.pk,
                "channel": channel,
                "submitted_at": at,
                "question_id": question,
                "factor": factor[question],
                "key": keys[question][answers[question] - 1],
            }
            scores.append(tuple(row[c] for c in score_cols))
    return (form_cols, forms), (response_cols, responses), (score_cols, scores)


def write(vendor: str, table: str, cols: list[str], rows: list[tuple]) -> None:
    from django.db import connection

    quoted = ", ".join(f'"{c}"' for c in cols)
    with connection.cursor() as cursor:
        if vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT MAX(id) FROM {table}))"
            )
        else:
            marks = ", ".join(["%s"] * len(cols))
            sql = f"INSERT INTO {table} ({quoted}) VALUES ({marks})"
            for offset in range(0, len(rows), 20_000):
                cursor.executemany(sql, rows[offset : offset + 20_000])


def ensure_campaign(vendor: str, *, total: int):
    """The bench campaign with `total` responses: reused if it has them, else rebuilt."""
    from django.db import connection, transaction

    from thanthien.surveys.definitions import SHIPPED_DIR
    from thanthien.surveys.models import Campaign, Response

    commune, hamlets, leader = bench_commune()
    campaign = Campaign.objects.filter(public_code=PUBLIC_CODE).first()
    if campaign and Response.objects.filter(campaign=campaign).count() == total:
        log(f"reusing {total:,} responses")
        return campaign, leader, None
    definition = json.loads((SHIPPED_DIR / "sipas-xa.json").read_text(encoding="utf-8"))
    with connection.cursor() as cursor:
        # A bench database holds nothing else in these tables.
        for table in ("surveys_responsescore", "surveys_response", "surveys_paperform"):
            cursor.execute(f"DELETE FROM {table}")
    Campaign.objects.filter(public_code=PUBLIC_CODE).delete()
    campaign = Campaign.objects.create(
        commune=commune,
        title="Khảo sát SIPAS quý IV/2026",
        questionnaire_id="sipas-xa",
        questionnaire_version=definition["version"],
        definition=definition,
        starts_on=datetime(2026, 9, 1).date(),
        ends_on=datetime(2026, 11, 30).date(),
        channels=["online", "phone", "paper"],
        target_per_hamlet={str(h.pk): total // HAMLETS for h in hamlets},
        satisfaction_target=0.9,
        state=Campaign.State.CLOSED,
        public_code=PUBLIC_CODE,
        results_public=True,
        created_by=leader,
    )
    started = time.perf_counter()
    forms, responses, scores = generate(campaign, hamlets, total=total, now=datetime.now(UTC))
    python_seconds = time.perf_counter() - started
    started = time.perf_counter()
    with transaction.atomic():
        write(vendor, "surveys_paperform", *forms)
        write(vendor, "surveys_response", *responses)
        write(vendor, "surveys_responsescore", *scores)
    with connection.cursor() as cursor:
        for table in ("surveys_paperform", "surveys_response", "surveys_responsescore"):
            cursor.execute(f"ANALYZE {table}")
    write_seconds = time.perf_counter() - started
    rows = len(forms[1]) + len(responses[1]) + len(scores[1])
    log(
        f"generated {len(responses[1]):,} responses, {len(scores[1]):,} scores, "
        f"{len(forms[1]):,} paper forms in {python_seconds:.0f} s, written in "
        f"{write_seconds:.0f} s"
    )
    return campaign, leader, {"rows": rows, "scores": len(scores[1]), "write": write_seconds}


def raw_queries(vendor: str, campaign_id: int, question_ids: list[str]) -> dict[str, list]:
    """The raw SQL the selectors stand for, as (sql, params): "indices" are the GROUP BYs of
    the score rows over (question, factor, hamlet, channel, key) and over (Vietnamese month,
    key) and the responses per hamlet; "answers" the walk over the JSON answers."""
    if vendor == "postgresql":
        month = "CAST(date_trunc('month', submitted_at AT TIME ZONE INTERVAL '+07:00') AS date)"
        walk = (
            "SELECT j.key, j.value, COUNT(*) FROM surveys_response r "
            "CROSS JOIN LATERAL jsonb_each_text(r.answers) j "
            "WHERE r.campaign_id = %s AND j.key = ANY(%s) GROUP BY j.key, j.value",
            [campaign_id, question_ids],
        )
    else:
        month = "strftime('%%Y-%%m-01', submitted_at, '+7 hours')"
        walk = (
            "SELECT j.key, j.value, COUNT(*) FROM surveys_response r, json_each(r.answers) j "
            "WHERE r.campaign_id = %s AND j.key IN (SELECT value FROM json_each(%s)) "
            "GROUP BY j.key, j.value",
            [campaign_id, json.dumps(question_ids)],
        )
    cells = (
        "SELECT question_id, factor, hamlet_id, channel, key, COUNT(*) "
        "FROM surveys_responsescore WHERE campaign_id = %s "
        "GROUP BY question_id, factor, hamlet_id, channel, key"
    )
    months = (
        f"SELECT {month}, key, COUNT(*) FROM surveys_responsescore WHERE campaign_id = %s "
        f"GROUP BY {month}, key"
    )
    hamlets = (
        "SELECT hamlet_id, COUNT(*) FROM surveys_response WHERE campaign_id = %s GROUP BY hamlet_id"
    )
    indices = [(cells, [campaign_id]), (months, [campaign_id]), (hamlets, [campaign_id])]
    return {"indices": indices, "answers": [walk]}


def raw(queries: list):
    from django.db import connection

    def run():
        with connection.cursor() as cursor:
            for sql, params in queries:
                cursor.execute(sql, params)
                cursor.fetchall()

    return run


def run(vendor: str, *, total: int, repeat: int) -> tuple[list, dict | None]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from thanthien.surveys.results import campaign_results, question_distributions

    campaign, leader, built = ensure_campaign(vendor, total=total)
    client = Client()
    client.force_login(leader)

    def get(url):
        def call():
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)

        return call

    staff_url = reverse("staff:campaign_results", args=[campaign.pk])
    public_url = reverse("surveys:campaign_results", args=[campaign.public_code])
    with CaptureQueriesContext(connection) as queries:
        get(staff_url)()
    page_queries = len(queries)
    with CaptureQueriesContext(connection) as queries:
        campaign_results(campaign)
    selector_queries = len(queries)

    distributions = question_distributions(campaign)
    sql = raw_queries(vendor, campaign.pk, [q.question_id for q in distributions])
    base_indices = timed(raw(sql["indices"]), repeat=repeat)
    base_answers = timed(raw(sql["answers"]), repeat=repeat)
    base_all = timed(raw(sql["indices"] + sql["answers"]), repeat=repeat)
    indices = timed(lambda: campaign_results(campaign, with_questions=False), repeat=repeat)
    answers = timed(lambda: question_distributions(campaign), repeat=repeat)
    staff = timed(get(staff_url), repeat=repeat)
    public = timed(get(public_url), repeat=repeat)
    everything = f"the same raw SQL (4 queries): {base_all * 1000:,.0f} ms"
    rows = [
        (
            f"campaign_results, indices only ({selector_queries - 1} queries)",
            indices,
            base_indices,
            f"the same raw SQL (the score GROUP BYs, responses per hamlet): "
            f"{base_indices * 1000:,.0f} ms",
        ),
        (
            f"question_distributions: {len(distributions)} single/Likert questions, one walk "
            "over the JSON answers",
            answers,
            base_answers,
            f"the same raw SQL: {base_answers * 1000:,.0f} ms",
        ),
        (
            f"staff results page (selector, 6 SVG charts, tables), {page_queries} queries "
            f"({selector_queries} of the selector)",
            staff,
            base_all,
            everything,
        ),
        ("public results page", public, base_all, everything),
    ]
    return rows, built


def render(rows, vendor: str, *, total: int, built: dict | None, seconds: float) -> str:
    from thanthien.surveys.models import ResponseScore

    scores = ResponseScore.objects.count()
    engine = "PostgreSQL" if vendor == "postgresql" else "SQLite"
    lines = [
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {engine}, Python "
        f"{sys.version.split()[0]}, {os.cpu_count()} CPU cores; whole run {seconds / 60:.1f} min.",
        "",
        f"Data: one campaign, {total:,} responses with {scores:,} satisfaction answers "
        f"(ResponseScore rows), 10 hamlets, 3 channels, 3 months"
        + (
            f"; written in {built['write']:.0f} s ({built['rows'] / built['write']:,.0f} rows/s)."
            if built
            else ", generated by an earlier run."
        ),
        "",
        "| what | median | ratio | baseline |",
        "|---|---:|---:|---|",
    ]
    for label, seconds_, base, note in rows:
        lines.append(f"| {label} | {seconds_ * 1000:,.0f} ms | {seconds_ / base:.1f}× | {note} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_SURVEYS_URL", ""))
    parser.add_argument("--responses", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--write", action="store_true", help="update docs/PERFORMANCE.md")
    args = parser.parse_args()
    started = time.perf_counter()
    url = args.database_url
    if not url:
        tmp = Path(tempfile.mkdtemp(prefix="thanthien-bench-surveys-"))
        url = f"sqlite:///{tmp / 'bench.sqlite3'}"
    vendor = setup_django(url)
    rows, built = run(vendor, total=args.responses, repeat=args.repeat)
    table = render(
        rows, vendor, total=args.responses, built=built, seconds=time.perf_counter() - started
    )
    print(table)
    if args.write:
        start, end = markers(vendor)
        doc = ROOT / "docs" / "PERFORMANCE.md"
        text = doc.read_text(encoding="utf-8")
        if start not in text:
            raise SystemExit(f"docs/PERFORMANCE.md has no {start} marker")
        head, _, rest = text.partition(start)
        _, _, tail = rest.partition(end)
        doc.write_text(f"{head}{start}\n{table}\n{end}{tail}", encoding="utf-8")


if __name__ == "__main__":
    main()
