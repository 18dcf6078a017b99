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
from itertools import zip_longest
from pathlib import Path

from .incremental_check import (
    failed_nodes,
    full_refresh_differences,
    hold_back_newest,
    land_held,
    raw_tables,
)


def _commit() -> str | None:
    result = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True)
    return result.stdout.strip() or None


def _machine() -> dict:
    return {
        "cpus": os.cpu_count(),
        "commit": _commit(),
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
    ("hooks", lambda uid: uid.startswith("operation.")),
)

# Runs a command and prints the peak RSS of its process tree's largest process (KiB->MB),
# so every measured step reports its own peak, not the benchmark's.
_MEASURED_CHILD = """
import json, resource, subprocess, sys, time
started = time.perf_counter()
code = subprocess.run(sys.argv[2:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
seconds = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
open(sys.argv[1], "w").write(json.dumps({"returncode": code, "seconds": seconds, "peak_mb": peak}))
"""


def _measured(cmd: list[str], env: dict, cwd: Path, report: Path) -> dict:
    subprocess.run([sys.executable, "-c", _MEASURED_CHILD, str(report), *cmd],
                   cwd=cwd, env=env, check=True)
    return json.loads(report.read_text())


def _layer_seconds(run_results: dict) -> dict:
    totals = {name: 0.0 for name, _ in LAYERS}
    for result in run_results["results"]:
        for name, matches in LAYERS:
            if matches(result["unique_id"]):
                totals[name] += result["execution_time"]
                break
    return {name: round(seconds, 2) for name, seconds in totals.items()}


def _slowest_nodes(run_results: dict, n: int = 12) -> list[dict]:
    """The nodes to profile first: dbt's execution time per node, slowest first."""
    results = sorted(run_results["results"], key=lambda r: -r["execution_time"])[:n]
    return [{"node": r["unique_id"].split(".", 2)[-1], "seconds": round(r["execution_time"], 2)}
            for r in results]


def _test_profile(run_results: dict, n: int = 12) -> dict:
    """Where the tests layer's time goes: data and unit tests counted and summed apart,
    and the slowest tests (unit tests run every build whatever the data; data tests scan
    the tables they test)."""
    tests = [r for r in run_results["results"]
             if r["unique_id"].startswith(("test.", "unit_test."))]
    data = [r for r in tests if r["unique_id"].startswith("test.")]
    unit = [r for r in tests if r["unique_id"].startswith("unit_test.")]
    return {
        "data_tests": len(data),
        "data_test_seconds": round(sum(r["execution_time"] for r in data), 2),
        "unit_tests": len(unit),
        "unit_test_seconds": round(sum(r["execution_time"] for r in unit), 2),
        "slowest": _slowest_nodes({"results": tests}, n),
    }


def read_once_floor(db: Path) -> dict:
    """The floor: read every raw row once (a hash over all its columns) and write a table
    with one row count per raw table and per mart. The build is reported as a multiple."""
    import time

    import duckdb

    with duckdb.connect(str(db)) as con:
        started = time.perf_counter()
        selects = [f"select '{t}' as table_name, count(*) as row_count, sum(hash(t)) as checksum "
                   f"from raw.{t} as t" for t in raw_tables(con)]
        con.execute("create or replace table main.read_once_floor as "
                    + " union all ".join(selects))
        seconds = time.perf_counter() - started
        rows = con.execute("select sum(row_count) from main.read_once_floor").fetchone()[0]
        con.execute("drop table main.read_once_floor")
    return {"seconds": round(seconds, 2), "raw_rows": int(rows)}


def benchmark_build(root: Path, scales: list[int], out: Path,
                    incremental_share: float = 0.01, dbt_threads: int = 1,
                    check_full_refresh: bool = False) -> tuple[Path, Path]:
    """Per scale, on a fresh warehouse: generate N people, hold back the newest 1% of every
    raw table, time the full `dbt build` (models, data and unit tests), land the 1% and time
    an incremental `dbt build`, time the read-once floor, evaluate identity. With
    `check_full_refresh`, also rebuild a copy of the warehouse with `dbt run --full-refresh`
    and count the rows in which each built table differs from the incremental result
    (cdp.compare; not timed).

    Layer figures are the sum of dbt's per-node execution times. dbt runs `dbt_threads`
    nodes at once (CDP_THREADS); each DuckDB query uses every core either way. With one
    node at a time a node's time is its own, not inflated by the nodes running beside it.
    """
    bin_dir = Path(sys.executable).parent
    runs = []
    with tempfile.TemporaryDirectory() as tmp:
        for people in scales:
            db = Path(tmp) / f"bench_{people}.duckdb"
            target = Path(tmp) / f"target_{people}"
            env = os.environ | {"CDP_DUCKDB_PATH": str(db), "DO_NOT_TRACK": "1",
                                "DBT_PROFILES_DIR": str(root), "CDP_THREADS": str(dbt_threads)}
            dbt = [str(bin_dir / "dbt"), "build", "--target-path", str(target),
                   "--log-path", str(target / "logs")]
            subprocess.run([str(bin_dir / "cdp"), "generate", "--people", str(people)],
                           cwd=root, env=env, check=True, capture_output=True)
            held = hold_back_newest(db, incremental_share)

            full = _measured(dbt, env, root, Path(tmp) / "full.json")
            full_results = json.loads((target / "run_results.json").read_text())
            floor = read_once_floor(db)

            land_held(db)
            incremental = _measured(dbt, env, root, Path(tmp) / "incremental.json")
            incremental_results = json.loads((target / "run_results.json").read_text())

            evaluated = subprocess.run(
                [str(bin_dir / "cdp"), "evaluate-identity"], cwd=root, env=env,
                capture_output=True, text=True)
            if evaluated.returncode != 0:
                # a build that failed early leaves no lookup to evaluate: say which nodes failed
                failed = failed_nodes(full_results) + failed_nodes(incremental_results)
                reason = (evaluated.stderr.strip().splitlines() or ["no message"])[-1]
                raise ValueError(
                    f"benchmark at {people:,} people: the identity evaluation failed ({reason})"
                    + (f"; failed dbt nodes: {', '.join(failed[:5])}" if failed else ""))
            evaluation = json.loads(evaluated.stdout)
            raw_rows = floor["raw_rows"]
            full_refresh_check = (full_refresh_differences(db, bin_dir / "dbt", root, Path(tmp))
                                  if check_full_refresh else None)
            runs.append({
                "people": people,
                "dbt_threads": dbt_threads,
                "raw_rows": raw_rows,
                "full_build": {
                    "ok": full["returncode"] == 0,
                    "failed_nodes": failed_nodes(full_results),
                    "seconds": round(full["seconds"], 1),
                    "raw_rows_per_second": round(raw_rows / full["seconds"]),
                    "layer_seconds": _layer_seconds(full_results),
                    "slowest_nodes": _slowest_nodes(full_results),
                    "tests": _test_profile(full_results),
                    "peak_memory_mb": round(full["peak_mb"]),
                },
                "floor": floor | {"build_multiple": round(full["seconds"] / floor["seconds"], 1)},
                "incremental_build": {
                    "new_raw_rows": held,
                    "ok": incremental["returncode"] == 0,
                    "failed_nodes": failed_nodes(incremental_results),
                    "seconds": round(incremental["seconds"], 1),
                    "share_of_full": round(incremental["seconds"] / full["seconds"], 3),
                    "layer_seconds": _layer_seconds(incremental_results),
                    "slowest_nodes": _slowest_nodes(incremental_results),
                    "tests": _test_profile(incremental_results),
                    "peak_memory_mb": round(incremental["peak_mb"]),
                },
                "identity_linkable": evaluation["linkable"],
            } | ({"incremental_equals_full_refresh": full_refresh_check}
                 if full_refresh_check else {}))
            db.unlink()
    out.mkdir(parents=True, exist_ok=True)
    json_path = out / "build.json"
    json_path.write_text(json.dumps({"machine": _machine(), "runs": runs}, indent=2) + "\n")
    chart = _build_chart(runs, out / "build.png")
    md_path = out / "build.md"
    md_path.write_text(_build_markdown(runs, chart.name))
    return json_path, md_path


def _build_markdown(runs: list[dict], chart_name: str) -> str:
    machine = _machine()
    threads = runs[0].get("dbt_threads", 2) if runs else 2
    nodes_at_once = "one node at a time" if threads == 1 else f"{threads} nodes at once"
    lines = [
        "# Build benchmark",
        "",
        f"`cdp benchmark build` at commit {machine['commit']}, {machine['cpus']} cores, "
        "DuckDB memory limit from the profile "
        "(`CDP_DUCKDB_MEMORY_LIMIT`, default 6GB). Per scale, a fresh warehouse: generate, hold "
        "back the newest 1% of every raw table (by `_loaded_at`), full `dbt build` (models, "
        "data tests, unit tests, hooks), then land the 1% and run `dbt build` again "
        "(incremental). Wall seconds include dbt's start-up and parsing. dbt runs "
        f"{nodes_at_once} (`CDP_THREADS={threads}`); every DuckDB query uses all cores. Layer "
        "columns are summed dbt node times (with several nodes at once they can exceed the "
        "wall time). Peak memory is the "
        "largest process of each dbt run. Floor: DuckDB reading every raw row once (a hash "
        "over all columns) and writing one row count per table.",
        "",
        f"![build time against scale]({chart_name})",
        "",
        "| people | raw rows | full build s | raw rows/s | staging s | identity s | marts s | "
        "tests s | peak MB | floor s | × floor | +1% incremental s | share of full | "
        "incremental peak MB |",
        "|" + " ---: |" * 14,
    ]
    for r in runs:
        f, i, fl = r["full_build"], r["incremental_build"], r["floor"]
        ls = f["layer_seconds"]
        lines.append(
            f"| {r['people']:,} | {r['raw_rows']:,} | "
            f"{f['seconds']}{'' if f['ok'] else ' (failed)'} | "
            f"{f['raw_rows_per_second']:,} | {ls['staging']} | {ls['identity']} | "
            f"{ls['marts']} | {ls['tests']} | {f['peak_memory_mb']:,} | {fl['seconds']} | "
            f"{fl['build_multiple']} | "
            f"{i['seconds']}{'' if i['ok'] else ' (failed)'} | {i['share_of_full']:.0%} | "
            f"{i['peak_memory_mb']:,} |")
    lines += ["", "Incremental run by layer (summed node seconds):", "",
              "| people | new raw rows | staging s | identity s | marts s | tests s |",
              "|" + " ---: |" * 6]
    for r in runs:
        i = r["incremental_build"]
        ls = i["layer_seconds"]
        lines.append(f"| {r['people']:,} | {i['new_raw_rows']:,} | {ls['staging']} | "
                     f"{ls['identity']} | {ls['marts']} | {ls['tests']} |")
    lines += ["", "Identity against the generator's truth (linkable records):", "",
              "| people | matching | precision | recall | unification | over-merge |",
              "| ---: | --- |" + " ---: |" * 4]
    for r in runs:
        for stage, label in (("deterministic", "deterministic"),
                             ("with_probabilistic", "+ probabilistic")):
            q = r["identity_linkable"][stage]
            lines.append(f"| {r['people']:,} | {label} | {q['pairwise_precision']:.4f} | "
                         f"{q['pairwise_recall']:.4f} | {q['unification_rate']:.4f} | "
                         f"{q['over_merge_rate']:.4f} |")
    checked = [r for r in runs if "incremental_equals_full_refresh" in r]
    if checked:
        lines += ["", "Incremental equals full refresh (`--check-full-refresh`: a copy of the "
                  "warehouse after the +1% run, rebuilt with `dbt run --full-refresh`; rows "
                  "that differ in either direction, run stamps aside, `cdp.compare`):", "",
                  "| people | tables compared | differing rows | differing tables |",
                  "| ---: | ---: | ---: | --- |"]
        for r in checked:
            c = r["incremental_equals_full_refresh"]
            differing = ", ".join(f"`{t}` ({n:,})" for t, n in c["differing_tables"].items())
            lines.append(f"| {r['people']:,} | {c['tables']} | {c['differing_rows']:,} | "
                         f"{differing or 'none'} |")
    largest = runs[-1] if runs else None
    if largest and "slowest_nodes" in largest["full_build"]:
        full_nodes = largest["full_build"]["slowest_nodes"]
        incremental_nodes = largest["incremental_build"]["slowest_nodes"]
        lines += ["", f"Slowest nodes at {largest['people']:,} people (dbt execution seconds):",
                  "", "| full build | s | incremental build | s |", "| --- | ---: | --- | ---: |"]
        blank = {"node": "", "seconds": ""}
        for f_node, i_node in zip_longest(full_nodes, incremental_nodes, fillvalue=blank):
            lines.append(f"| `{f_node['node']}` | {f_node['seconds']} | "
                         f"`{i_node['node']}` | {i_node['seconds']} |")
    if largest and "tests" in largest["incremental_build"]:
        lines += ["", f"Tests at {largest['people']:,} people (summed dbt execution seconds):", "",
                  "| build | data tests | s | unit tests | s |",
                  "| --- | ---: | ---: | ---: | ---: |"]
        for label, key in (("full", "full_build"), ("+1% incremental", "incremental_build")):
            t = largest[key]["tests"]
            lines.append(f"| {label} | {t['data_tests']} | {t['data_test_seconds']} | "
                         f"{t['unit_tests']} | {t['unit_test_seconds']} |")
        lines += ["", "Slowest tests in the incremental build:", "", "| test | s |",
                  "| --- | ---: |"]
        lines += [f"| `{t['node']}` | {t['seconds']} |"
                  for t in largest["incremental_build"]["tests"]["slowest"]]
    failed = [(r["people"], n) for r in runs for k in ("full_build", "incremental_build")
              for n in r[k]["failed_nodes"]]
    if failed:
        lines += ["", "Failed nodes: " + ", ".join(f"{p:,}: `{n}`" for p, n in failed)]
    return "\n".join(lines) + "\n"


def _build_chart(runs: list[dict], path: Path) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    people = [r["people"] for r in runs]
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    left.plot(people, [r["full_build"]["seconds"] for r in runs], "o-", label="full dbt build")
    left.plot(people, [r["incremental_build"]["seconds"] for r in runs], "s-",
              label="incremental build, +1% data")
    left.plot(people, [r["floor"]["seconds"] for r in runs], "^--", label="read-once floor")
    left.axhline(120, color="grey", linewidth=0.8, linestyle=":", label="target at 1M: 120 s")
    left.set(xscale="log", yscale="log", xlabel="people", ylabel="seconds (wall)",
             title="Build time")
    left.legend(fontsize=8)
    right.plot(people, [r["full_build"]["peak_memory_mb"] / 1024 for r in runs], "o-",
               label="full build")
    right.plot(people, [r["incremental_build"]["peak_memory_mb"] / 1024 for r in runs], "s-",
               label="incremental build")
    right.axhline(8, color="grey", linewidth=0.8, linestyle=":", label="target: 8 GB")
    right.set(xscale="log", xlabel="people", ylabel="GB", title="Peak memory")
    right.legend(fontsize=8)
    fig.suptitle(f"dbt build on DuckDB, {_machine()['cpus']} cores")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


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
