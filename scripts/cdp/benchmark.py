"""Benchmarks that write their figures to files (never timed assertions in tests).

Each scale runs in its own process on a fresh DuckDB file, so the peak memory a run
reports (ru_maxrss of that process) is its own.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import tempfile
from datetime import datetime, timezone
from pathlib import Path


def _machine() -> dict:
    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "measured_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }


def benchmark_generate(root: Path, scales: list[int], out: Path) -> tuple[Path, Path]:
    runs = []
    with tempfile.TemporaryDirectory() as tmp:
        for people in scales:
            db = Path(tmp) / f"bench_{people}.duckdb"
            result = subprocess.run(
                [sys.executable, "-m", "cdp.cli", "--database", str(db), "generate",
                 "--people", str(people), "--json"],
                cwd=root, capture_output=True, text=True, check=True,
            )
            report = json.loads(result.stdout)
            report["rows_per_second"] = round(report["raw_rows_total"] / report["seconds"])
            report["database_mb"] = round(db.stat().st_size / 2**20, 1)
            report.pop("database")
            runs.append(report)
            db.unlink()
    out.mkdir(parents=True, exist_ok=True)
    json_path = out / "generator.json"
    json_path.write_text(json.dumps({"machine": _machine(), "runs": runs}, indent=2) + "\n")

    tables = list(runs[0]["raw_rows"])
    lines = [
        "# Generator benchmark",
        "",
        f"`cdp benchmark generate`, {_machine()['cpus']} cores. Seconds are wall time of the "
        "generation (one DuckDB transaction); memory is the process's peak RSS.",
        "",
        "| people | seconds | raw rows | rows/s | peak memory (MB) | DuckDB file (MB) |",
        "| ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in runs:
        lines.append(f"| {r['people']:,} | {r['seconds']:.1f} | {r['raw_rows_total']:,} | "
                     f"{r['rows_per_second']:,} | {r['peak_memory_mb']:,.0f} | "
                     f"{r['database_mb']:,.0f} |")
    lines += ["", "Rows per raw table:", "",
              "| table | " + " | ".join(f"{r['people']:,}" for r in runs) + " |",
              "| --- | " + " | ".join("---:" for _ in runs) + " |"]
    for table in tables:
        lines.append(f"| {table} | " + " | ".join(f"{r['raw_rows'][table]:,}" for r in runs)
                     + " |")
    md_path = out / "generator.md"
    md_path.write_text("\n".join(lines) + "\n")
    return json_path, md_path


LAYERS = (
    ("staging", lambda uid: uid.startswith("model.") and (".stg_" in uid or ".base_" in uid)),
    ("identity", lambda uid: uid.startswith("model.")
        and (".int_identity__" in uid or uid.endswith(".customer_identities"))),
    # marts and the intermediate models that only feed them, seeds and the snapshot
    ("marts", lambda uid: uid.startswith(("model.", "seed.", "snapshot."))),
    ("tests", lambda uid: uid.startswith(("test.", "unit_test."))),
)


def _layer_seconds(run_results: dict) -> dict:
    totals = {name: 0.0 for name, _ in LAYERS}
    for result in run_results["results"]:
        for name, matches in LAYERS:
            if matches(result["unique_id"]):
                totals[name] += result["execution_time"]
                break
    return {name: round(seconds, 2) for name, seconds in totals.items()}


def benchmark_build(root: Path, scales: list[int], out: Path) -> tuple[Path, Path]:
    """Generate N people, run `dbt build`, evaluate identity; one fresh warehouse per scale.

    Layer figures are the sum of dbt's per-node execution times (nodes run on 2 threads,
    so layers can add up to more than the wall time).
    """
    import resource
    import time

    bin_dir = Path(sys.executable).parent
    runs = []
    with tempfile.TemporaryDirectory() as tmp:
        for people in scales:
            db = Path(tmp) / f"bench_{people}.duckdb"
            target = Path(tmp) / f"target_{people}"
            env = os.environ | {"CDP_DUCKDB_PATH": str(db), "DO_NOT_TRACK": "1",
                                "DBT_PROFILES_DIR": str(root)}
            subprocess.run([str(bin_dir / "cdp"), "generate", "--people", str(people)],
                           cwd=root, env=env, check=True, capture_output=True)
            started = time.perf_counter()
            build = subprocess.run(
                [str(bin_dir / "dbt"), "build", "--target-path", str(target),
                 "--log-path", str(target / "logs")],
                cwd=root, env=env, capture_output=True, text=True)
            wall = time.perf_counter() - started
            peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
            run_results = json.loads((target / "run_results.json").read_text())
            evaluation = json.loads(subprocess.run(
                [str(bin_dir / "cdp"), "evaluate-identity"], cwd=root, env=env,
                check=True, capture_output=True, text=True).stdout)
            raw_rows = sum(json.loads(subprocess.run(
                [sys.executable, "-c",
                 "import duckdb,json,sys; c=duckdb.connect(sys.argv[1], read_only=True); "
                 "print(json.dumps([c.execute(f'select count(*) from raw.{t}').fetchone()[0] "
                 "for (t,) in c.execute(\"select table_name from information_schema.tables "
                 "where table_schema='raw'\").fetchall()]))", str(db)],
                check=True, capture_output=True, text=True).stdout))
            runs.append({
                "people": people,
                "build_ok": build.returncode == 0,
                "build_seconds": round(wall, 1),
                "raw_rows": raw_rows,
                "raw_rows_per_second": round(raw_rows / wall),
                "layer_seconds": _layer_seconds(run_results),
                "peak_memory_mb_so_far": round(peak_mb),
                "identity_linkable": evaluation["linkable"],
            })
            db.unlink()
    out.mkdir(parents=True, exist_ok=True)
    json_path = out / "build.json"
    json_path.write_text(json.dumps({"machine": _machine(), "runs": runs}, indent=2) + "\n")
    lines = [
        "# Build benchmark",
        "",
        f"`cdp benchmark build`, {_machine()['cpus']} cores: `dbt build` (models, data tests, "
        "unit tests) on freshly generated data. Layer columns are summed dbt node times "
        "(2 threads). Peak memory is the largest child process so far (scales run in "
        "increasing order).",
        "",
        "| people | raw rows | build s | raw rows/s | staging s | identity s | marts s | tests s | "
        "peak MB | precision | recall | unification | over-merge |",
        "|" + " ---: |" * 13,
    ]
    for r in runs:
        q = r["identity_linkable"]["with_probabilistic"]
        ls = r["layer_seconds"]
        lines.append(
            f"| {r['people']:,} | {r['raw_rows']:,} | {r['build_seconds']} | "
            f"{r['raw_rows_per_second']:,} | {ls['staging']} | {ls['identity']} | {ls['marts']} | "
            f"{ls['tests']} | "
            f"{r['peak_memory_mb_so_far']:,} | {q['pairwise_precision']:.4f} | "
            f"{q['pairwise_recall']:.4f} | {q['unification_rate']:.4f} | "
            f"{q['over_merge_rate']:.4f} |")
    md_path = out / "build.md"
    md_path.write_text("\n".join(lines) + "\n")
    return json_path, md_path


# What a BI tool asks first; {customer_id} is the customer with the most events.
BI_QUERIES = {
    "customers by lifecycle stage and country": """
        select lifecycle_stage, country_code, count(*) as customers,
               sum(lifetime_revenue) as revenue
        from marts.customers group by 1, 2 order by 1, 2""",
    "monthly revenue by channel": """
        select date_trunc('month', transacted_at) as month, channel,
               sum(revenue_amount_reporting) as revenue, count(*) as transactions
        from marts.transactions group by 1, 2 order by 1, 2""",
    "churn segments with email consent": """
        select churn_segment, count(*) as customers,
               count(*) filter (where consent_email_marketing = 'granted') as contactable
        from marts.customers group by 1""",
    "one customer's full timeline": """
        select transacted_at as occurred_at, 'transaction' as kind, channel, status as what
        from marts.transactions where customer_id = '{customer_id}'
        union all
        select occurred_at, 'event', channel, event_name
        from marts.events where customer_id = '{customer_id}'
        order by occurred_at""",
    "one customer's profile and identities": """
        select c.*, i.source, i.source_record_id, i.identifier_type
        from marts.customers as c
        inner join marts.customer_identities as i using (customer_id)
        where c.customer_id = '{customer_id}'""",
    "sessions and conversion by platform and month": """
        select platform, date_trunc('month', started_at) as month, count(*) as sessions,
               avg(case when has_order_completed then 1 else 0 end) as conversion
        from marts.sessions group by 1, 2""",
}


def benchmark_queries(database: Path, out: Path, repeats: int = 5) -> tuple[Path, Path]:
    """Median wall time of each BI query on an existing warehouse (first run excluded)."""
    import statistics
    import time

    import duckdb

    with duckdb.connect(str(database), read_only=True) as con:
        people = con.execute("select count(*) from truth.people").fetchone()[0] \
            if con.execute("select count(*) from information_schema.tables "
                           "where table_schema = 'truth' and table_name = 'people'"
                           ).fetchone()[0] else None
        customer_id = con.execute(
            "select customer_id from marts.events where customer_id is not null "
            "group by 1 order by count(*) desc limit 1").fetchone()[0]
        results = []
        for name, sql in BI_QUERIES.items():
            sql = sql.format(customer_id=customer_id)
            rows = len(con.execute(sql).fetchall())
            seconds = []
            for _ in range(repeats):
                started = time.perf_counter()
                con.execute(sql).fetchall()
                seconds.append(time.perf_counter() - started)
            results.append({"query": name, "rows": rows,
                            "median_ms": round(statistics.median(seconds) * 1000, 1),
                            "max_ms": round(max(seconds) * 1000, 1)})
        counts = {t: con.execute(f"select count(*) from marts.{t}").fetchone()[0]
                  for t in ("customers", "transactions", "events", "sessions")}
    out.mkdir(parents=True, exist_ok=True)
    json_path = out / "queries.json"
    json_path.write_text(json.dumps({"machine": _machine(), "people": people,
                                     "mart_rows": counts, "queries": results}, indent=2) + "\n")
    lines = [
        "# BI query benchmark",
        "",
        f"`cdp benchmark queries` on a built warehouse of {people:,} people "
        f"({', '.join(f'{t} {n:,}' for t, n in counts.items())}), DuckDB, "
        f"{_machine()['cpus']} cores; median of {repeats} runs after one warm-up.",
        "",
        "| query | rows | median ms | max ms |",
        "| --- | ---: | ---: | ---: |",
    ]
    for r in results:
        lines.append(f"| {r['query']} | {r['rows']:,} | {r['median_ms']} | {r['max_ms']} |")
    md_path = out / "queries.md"
    md_path.write_text("\n".join(lines) + "\n")
    return json_path, md_path
