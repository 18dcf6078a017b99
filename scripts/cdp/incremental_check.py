"""Replay the newest raw data in batches and check incremental builds against a full refresh.

`cdp check-incremental` works on a copy: the raw tables of a warehouse (or freshly
generated demo data) go into a scratch DuckDB file; the newest `share` of every raw table
(by `_loaded_at`) is held back; `dbt build` runs on the rest; the held rows then land in
`batches` slices of load time, oldest first, with an incremental `dbt build` after each.
Late events, re-deliveries and records that bridge two customers arrive as they landed in
the real tables. Finally a copy is rebuilt with `dbt run --full-refresh`, and every table
dbt built from the data is compared with it (cdp.compare).

The pytest suite proves the same property on a small hand-made fixture; this runs it on
your own data, or on generated data at any scale, with as many batches as you like.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from pathlib import Path

import duckdb

from .compare import compare_warehouses


def raw_tables(con) -> list[str]:
    return [t for (t,) in con.execute(
        "select table_name from information_schema.tables "
        "where table_catalog = current_database() and table_schema = 'raw' "
        "order by 1").fetchall()]


def failed_nodes(run_results: dict) -> list[str]:
    """The nodes of a dbt invocation (its run_results.json) that errored or failed."""
    return [r["unique_id"] for r in run_results["results"]
            if r["status"] in ("error", "fail", "runtime error")]


def copy_raw(source: Path, target: Path) -> int:
    """Copy every table of schema `raw` from `source` into a new DuckDB file `target`."""
    with duckdb.connect(str(target)) as con:
        quoted = str(source).replace("'", "''")
        con.execute(f"attach '{quoted}' as source_warehouse (read_only)")
        tables = [t for (t,) in con.execute(
            "select table_name from information_schema.tables "
            "where table_catalog = 'source_warehouse' and table_schema = 'raw' "
            "order by 1").fetchall()]
        if not tables:
            raise ValueError(f"{source} has no raw tables: run `cdp init-raw` and load data first")
        con.execute("create schema raw")
        for table in tables:
            con.execute(f"create table raw.{table} as select * from source_warehouse.raw.{table}")
        rows = sum(con.execute(f"select count(*) from raw.{t}").fetchone()[0] for t in tables)
        con.execute("detach source_warehouse")
    return rows


def hold_back_newest(db: Path, share: float) -> int:
    """Move the newest `share` of every raw table (by _loaded_at) to schema `held`.
    Rows without a load time stay in raw (they cannot be placed in time)."""
    held = 0
    with duckdb.connect(str(db)) as con:
        con.execute("create schema if not exists held")
        for table in raw_tables(con):
            con.execute(f"""
                create or replace table held.{table} as
                select * from raw.{table}
                where _loaded_at >= (select quantile_disc(_loaded_at, {1 - share})
                                     from raw.{table})""")
            held += con.execute(f"select count(*) from held.{table}").fetchone()[0]
            con.execute(f"""
                delete from raw.{table}
                where _loaded_at >= (select min(_loaded_at) from held.{table})""")
    return held


def batch_bounds(db: Path, batches: int) -> list[tuple]:
    """(after, up_to) load-time bounds that cut the held rows into `batches` slices of about
    equal size, oldest first; None leaves a side open."""
    with duckdb.connect(str(db), read_only=True) as con:
        loaded = " union all ".join(f"select _loaded_at from held.{t}"
                                    for t in raw_tables(con))
        cuts = []
        if batches > 1:
            shares = ", ".join(str(i / batches) for i in range(1, batches))
            cuts = list(con.execute(f"select quantile_disc(_loaded_at, [{shares}]) "
                                    f"from ({loaded})").fetchone()[0] or [])
    bounds = [None, *cuts, None]
    return list(zip(bounds[:-1], bounds[1:], strict=True))


def land_batch(db: Path, after, up_to) -> int:
    """Append the held rows loaded in (after, up_to] to the raw tables; returns the rows."""
    conditions = ["true"]
    parameters = []
    if after is not None:
        conditions.append("_loaded_at > ?")
        parameters.append(after)
    if up_to is not None:
        conditions.append("_loaded_at <= ?")
        parameters.append(up_to)
    landed = 0
    with duckdb.connect(str(db)) as con:
        for table in raw_tables(con):
            landed += con.execute(
                f"insert into raw.{table} select * from held.{table} "
                f"where {' and '.join(conditions)}", parameters).fetchone()[0]
    return landed


def land_held(db: Path) -> int:
    """Append every held row to the raw tables and drop schema `held`."""
    landed = land_batch(db, None, None)
    with duckdb.connect(str(db)) as con:
        con.execute("drop schema held cascade")
    return landed


def run_dbt(dbt: Path, args: list[str], db: Path, root: Path, target: Path,
            dbt_vars: str | None = None) -> dict:
    """Run one dbt invocation against `db`; its status, wall seconds and failed nodes."""
    env = os.environ | {"CDP_DUCKDB_PATH": str(db), "DO_NOT_TRACK": "1",
                        "DBT_PROFILES_DIR": os.environ.get("DBT_PROFILES_DIR", str(root))}
    results = target / "run_results.json"
    results.unlink(missing_ok=True)  # a run that stops before writing it must not show the last
    started = time.perf_counter()
    result = subprocess.run(
        [str(dbt), *args, "--target-path", str(target), "--log-path", str(target / "logs"),
         *(["--vars", dbt_vars] if dbt_vars else [])],
        cwd=root, env=env, capture_output=True, text=True)
    outcome = {"ok": result.returncode == 0,
               "seconds": round(time.perf_counter() - started, 1),
               "failed_nodes": failed_nodes(json.loads(results.read_text()))
               if results.exists() else []}
    if not outcome["ok"] and not outcome["failed_nodes"]:
        # failed before running any node (a compilation error): dbt's last words say why
        lines = (result.stdout.strip() or result.stderr.strip()).splitlines()
        outcome["message"] = lines[-1] if lines else f"exit code {result.returncode}"
    return outcome


def _outcome(build: dict) -> str:
    text = f"{'ok' if build['ok'] else 'FAILED'} in {build['seconds']} s"
    if build["failed_nodes"]:
        return text + f"; failed: {', '.join(build['failed_nodes'][:5])}"
    return text + (f"; {build['message']}" if "message" in build else "")


def full_refresh_differences(db: Path, dbt: Path, root: Path, work: Path,
                             dbt_vars: str | None = None) -> dict:
    """Rebuild a copy of the incrementally built warehouse `db` with `dbt run --full-refresh`
    and count, per built table, the rows in which the two differ (either way)."""
    copy = work / f"full_refresh_{db.name}"
    shutil.copy(db, copy)
    try:
        rebuilt = run_dbt(dbt, ["run", "--full-refresh"], copy, root,
                          work / "target_full_refresh", dbt_vars)
        if not rebuilt["ok"]:
            raise ValueError("the full refresh of the incrementally built warehouse failed"
                             + (f" ({', '.join(rebuilt['failed_nodes'][:5])})"
                                if rebuilt["failed_nodes"] else f": {rebuilt['message']}"))
        differences = compare_warehouses(db, copy)
    finally:
        copy.unlink(missing_ok=True)
    return {"tables": len(differences),
            "differing_rows": sum(differences.values()),
            "differing_tables": {table: n for table, n in differences.items() if n}}


def check_arguments(share: float, batches: int) -> None:
    if not 0 < share < 1:
        raise ValueError(f"--share must be between 0 and 1 (exclusive), not {share}")
    if batches < 1:
        raise ValueError(f"--batches must be at least 1, not {batches}")


def _progress(message: str) -> None:
    print(message, flush=True)  # a long replay's progress shows up in a piped log too


def check_incremental(db: Path, root: Path, work: Path, share: float, batches: int,
                      dbt: Path, log=_progress, dbt_vars: str | None = None) -> dict:
    """On the scratch warehouse `db` (raw tables only, modified in place): hold back the
    newest `share`, build, replay it in `batches` incremental builds, then compare with a
    full refresh. Returns a report; `report["ok"]` is false if any build failed or any
    table differs."""
    check_arguments(share, batches)
    held = hold_back_newest(db, share)
    if held == 0:
        raise ValueError("the raw tables hold no rows with a _loaded_at to replay")
    log(f"held back the newest {share:.0%} of every raw table: {held:,} rows")
    builds = []
    initial = run_dbt(dbt, ["build"], db, root, work / "target", dbt_vars)
    builds.append({"batch": 0, "landed_rows": 0} | initial)
    log(f"initial build: {_outcome(initial)}")
    for number, (after, up_to) in enumerate(batch_bounds(db, batches), start=1):
        landed = land_batch(db, after, up_to)
        build = run_dbt(dbt, ["build"], db, root, work / "target", dbt_vars)
        builds.append({"batch": number, "landed_rows": landed,
                       "loaded_after": str(after) if after is not None else None,
                       "loaded_up_to": str(up_to) if up_to is not None else None} | build)
        log(f"batch {number}/{batches}: {landed:,} rows, incremental build {_outcome(build)}")
    # the slices are open at both ends, so every held row lands exactly once
    landed = sum(b["landed_rows"] for b in builds)
    if landed != held:
        raise ValueError(f"replayed {landed:,} rows of the {held:,} held back")
    with duckdb.connect(str(db)) as con:
        con.execute("drop schema held cascade")
    comparison = full_refresh_differences(db, dbt, root, work, dbt_vars)
    log(f"full refresh: {comparison['tables']} tables compared, "
        f"{comparison['differing_rows']:,} rows differ"
        + (f" in {', '.join(comparison['differing_tables'])}"
           if comparison["differing_tables"] else ""))
    return {"share": share, "batches": batches, "held_rows": held, "builds": builds,
            "incremental_equals_full_refresh": comparison,
            "ok": all(b["ok"] for b in builds) and comparison["differing_rows"] == 0}
