"""`cdp`: the non-dbt jobs of the warehouse CDP.

    cdp init-raw                 create the raw landing tables (idempotent, never drops data)
    cdp load TABLE FILE...       append CSV/Parquet/JSON files to a raw table, by column name
    cdp generate --people N      fill raw.* with generated demo data and truth.* with its answers
    cdp evaluate-identity        precision, recall, unification vs the generator's truth
    cdp evaluate-churn           churn score ROC AUC vs who really churned after a cut-off
    cdp check-incremental        replay the newest raw data in batches, compare with a full refresh
    cdp validate                 great-expectations suites on the raw landing tables
    cdp purge-raw                delete erased customers' raw rows, with an audit log
    cdp summary                  raw rows in, customers out, last dbt test results

dbt itself is run as `dbt build` from the project directory.
"""

from __future__ import annotations

import argparse
import codecs
import json
import resource
import sys
from pathlib import Path

import duckdb

from . import contract, load, warehouse


def _fail(message: str) -> int:
    print(f"cdp: error: {message}", file=sys.stderr)
    return 2


def cmd_init_raw(args) -> int:
    root = contract.project_root()
    tables = contract.load_contract(root)
    path = warehouse.database_path(root, args.database)
    with warehouse.connect(path) as con:
        created = warehouse.init_raw(con, tables)
    print(f"{path}: {len(tables)} raw tables in the contract, {len(created)} created"
          + (f" ({', '.join(created)})" if created else " (all existed, nothing changed)"))
    return 0


def cmd_load(args) -> int:
    root = contract.project_root()
    tables = {t.name: t for t in contract.load_contract(root)}
    if args.table not in tables:
        return _fail(f"raw.{args.table} is not in the contract ({', '.join(tables)})")
    for fmt in args.timestamp_format or ():
        try:
            duckdb.execute("select try_strptime('', ?)", [fmt])
        except duckdb.Error as exc:
            return _fail(f"--timestamp-format {fmt!r}: {exc}")
    if args.encoding:
        try:
            codecs.lookup(args.encoding)
        except LookupError as exc:
            return _fail(f"--encoding: {exc}")
    options = load.LoadOptions(tuple(args.timestamp_format or ()), args.decimal_comma,
                               args.encoding, args.accept_uncast)
    path = warehouse.database_path(root, args.database)
    if args.dry_run:
        con, unchecked = _dry_run_connection(path)
    else:
        con, unchecked = warehouse.connect(path), None
        warehouse.init_raw(con, tables.values())
    with con:
        for i, file in enumerate(args.files):
            try:
                report = load.load_file(con, tables[args.table], Path(file), options,
                                        write=not args.dry_run)
            except (FileNotFoundError, ValueError, duckdb.Error) as exc:
                rest = args.files[i + 1:]
                return _fail(f"{exc}" + (f" ({', '.join(Path(f).name for f in rest)} not "
                                         "loaded; the files before it were)" if rest else ""))
            _print_load(report, file, args.dry_run)
            if unchecked:
                print(f"  not checked against earlier loads: {unchecked}")
    return 0


def _dry_run_connection(path: Path) -> tuple[duckdb.DuckDBPyConnection, str | None]:
    """The warehouse read-only, to check a file against earlier loads; a connection of its
    own when there is no warehouse yet or another process (a build) holds it."""
    if not path.exists():
        return duckdb.connect(), f"no warehouse at {path} yet"
    try:
        return warehouse.connect(path, read_only=True), None
    except duckdb.IOException:
        return duckdb.connect(), f"{path} is in use by another process"


def _print_load(report: dict, file: str, dry_run: bool = False) -> None:
    rows = report["rows"]
    print(f"raw.{report['table']}: {rows:,} row{'' if rows == 1 else 's'} "
          + ("would be appended" if dry_run else "appended") + f" from {file}"
          + (" (dry run: nothing written)" if dry_run else ""))
    if report["loaded_before"]:
        print("  the same file (path, size, modification time) was loaded before, at "
              f"{report['loaded_before']:%Y-%m-%d %H:%M:%S} UTC: its rows landed again, and "
              "staging keeps one version of each record (the copies: duplicate_delivery)")
    if report["ignored_columns"]:
        print(f"  not in the contract, left out: {', '.join(report['ignored_columns'])}")
    if report["missing_columns"]:
        print(f"  not in the file, left null: {', '.join(report['missing_columns'])}")
    if report["uncast"]:
        print("  did not cast, landed null: " + "; ".join(
            f"{column} {u['count']:,} (e.g. {', '.join(repr(v) for v in u['examples'])})"
            + (", the load time instead" if column == "_loaded_at" else "")
            for column, u in report["uncast"].items())
            + " (each value with its row's key: audit.load_rejected_values)")


def _raw_rows(con) -> dict[str, int]:
    tables = con.execute(
        "select table_name from information_schema.tables where table_schema = 'raw' "
        "order by table_name").fetchall()
    return {t: con.execute(f'select count(*) from raw."{t}"').fetchone()[0] for (t,) in tables}


def cmd_generate(args) -> int:
    from .generate import generate

    root = contract.project_root()
    tables = contract.load_contract(root)
    path = warehouse.database_path(root, args.database)
    with warehouse.connect(path) as con:
        warehouse.init_raw(con, tables)
        generated_before = con.execute(
            "select count(*) from information_schema.tables "
            "where table_schema = 'truth' and table_name = 'generation'").fetchone()[0]
        if not generated_before and any(_raw_rows(con).values()) and not args.force:
            return _fail(
                f"{path} holds raw data that the generator did not make; "
                "refusing to replace it (use --force, or another CDP_DUCKDB_PATH)")
        if args.memory_limit:
            con.execute(f"set memory_limit = '{args.memory_limit}'")
        if args.threads:
            con.execute(f"set threads = {int(args.threads)}")

        def progress(step, seconds):
            if args.verbose:
                print(f"  {step:<32} {seconds:8.2f}s", file=sys.stderr)

        report = generate(con, people=args.people, seed=args.seed, progress=progress)
    summary = {
        "database": str(path),
        "peak_memory_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "people": report.people,
        "seed": report.seed,
        "seconds": report.seconds,
        "raw_rows": report.raw_rows,
        "raw_rows_total": report.total_raw_rows,
        "truth_rows": report.truth_rows,
        "dropped_schemas": report.dropped_schemas,
    }
    if args.json:
        print(json.dumps(summary | {"step_seconds": report.step_seconds}, indent=2))
    else:
        print(f"generated {report.people:,} people (seed {report.seed}) into {path} "
              f"in {report.seconds:.1f}s: {report.total_raw_rows:,} raw rows")
        for table, rows in report.raw_rows.items():
            print(f"  raw.{table:<20} {rows:>12,}")
        if report.dropped_schemas:
            print(f"dropped what dbt built from the replaced data "
                  f"({', '.join(report.dropped_schemas)}): run `dbt build`")
    return 0


def cmd_benchmark(args) -> int:
    from .benchmark import benchmark_build, benchmark_generate, benchmark_queries

    root = contract.project_root()
    out = root / args.out
    if args.stage == "queries":
        path = warehouse.database_path(root, args.database)
        if not path.exists():
            return _fail(f"no warehouse at {path}: generate and `dbt build` first")
        json_path, md_path = benchmark_queries(path, out)
        print(md_path.read_text())
        print(f"written: {json_path.relative_to(root)}, {md_path.relative_to(root)}")
        return 0
    if args.stage == "build":
        json_path, md_path = benchmark_build(root, args.scales, out, dbt_threads=args.dbt_threads,
                                             check_full_refresh=args.check_full_refresh)
    else:
        json_path, md_path = benchmark_generate(root, args.scales, out)
    print(md_path.read_text())
    print(f"written: {json_path}, {md_path}")
    return 0


def cmd_check_incremental(args) -> int:
    import tempfile

    from .incremental_check import check_arguments, check_incremental, copy_raw

    check_arguments(args.share, args.batches)
    root = contract.project_root()
    source = warehouse.database_path(root, args.database)
    if args.people is None and not source.exists():
        return _fail(f"no warehouse at {source}: load raw data first, or pass --people N "
                     "to replay generated demo data")
    work_parent = Path(args.workdir) if args.workdir else source.parent
    work_parent.mkdir(parents=True, exist_ok=True)
    bin_dir = Path(sys.executable).parent
    with tempfile.TemporaryDirectory(prefix="check_incremental_", dir=work_parent) as tmp:
        work = Path(tmp)
        scratch = work / "replay.duckdb"
        if args.people is not None:
            from .generate import generate

            with warehouse.connect(scratch) as con:
                warehouse.init_raw(con, contract.load_contract(root))
                generate(con, people=args.people)
            print(f"generated {args.people:,} people into a scratch warehouse", flush=True)
        else:
            rows = copy_raw(source, scratch)
            print(f"copied {rows:,} raw rows of {source} into a scratch warehouse "
                  "(the warehouse itself is not changed)", flush=True)
        report = check_incremental(scratch, root, work, args.share, args.batches,
                                   bin_dir / "dbt", dbt_vars=args.vars)
    out = root / args.out
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"written: {out}")
    if not report["ok"]:
        print("incremental builds do NOT match a full refresh (or a build failed): see above",
              file=sys.stderr)
        return 1
    print("every built table matches a full refresh")
    return 0


def cmd_evaluate_identity(args) -> int:
    from .evaluate import evaluate

    root = contract.project_root()
    path = warehouse.database_path(root, args.database)
    with warehouse.connect(path, read_only=True) as con:
        missing = [name for name in ("truth.source_records",
                                     "intermediate.int_identity__record_customers")
                   if not warehouse.has_table(con, *name.split("."))]
        if missing:
            return _fail(f"{path} has no {', '.join(missing)}: run `cdp generate` and "
                         "`dbt build` first (evaluation needs generated data with truth)")
        result = evaluate(con)
    print(json.dumps(result, indent=2))
    return 0


def cmd_evaluate_churn(args) -> int:
    from datetime import date, timedelta

    from .churn import evaluate, rebuild_as_of

    root = contract.project_root()
    path = warehouse.database_path(root, args.database)
    with warehouse.connect(path, read_only=True) as con:
        has = {name for (name,) in con.execute(
            "select table_schema || '.' || table_name from information_schema.tables").fetchall()}
        if not {"truth.generation", "marts.transactions"} <= has:
            return _fail(f"{path} has no truth.generation or marts.transactions: run "
                         "`cdp generate` and `dbt build` first (validation needs ground truth)")
        end = con.execute("select end_date from truth.generation").fetchone()[0]
    try:
        default = end - timedelta(days=args.horizon_days)
        cutoff = date.fromisoformat(args.cutoff) if args.cutoff else default
    except ValueError:
        return _fail(f"--cutoff must be a date like 2026-05-01, not {args.cutoff!r}")
    if not cutoff < end:
        return _fail(f"the cut-off {cutoff} must be before the end of the data ({end})")
    try:
        rebuild_as_of(root, cutoff, path)
    except RuntimeError as error:
        return _fail(str(error))
    with warehouse.connect(path, read_only=True) as con:
        result = evaluate(con, cutoff)
    print(json.dumps(result, indent=2))
    return 0


def cmd_validate(args) -> int:
    from .validate import validate

    root = contract.project_root()
    path = warehouse.database_path(root, args.database)
    if not path.exists():
        return _fail(f"no warehouse at {path}: run `cdp init-raw` or `cdp generate` first")
    tables = contract.load_contract(root)
    with warehouse.connect(path, read_only=True) as con:
        missing = [t.name for t in tables if not warehouse.has_table(con, "raw", t.name)]
        if missing:
            return _fail(f"raw tables missing: {', '.join(missing)} (run `cdp init-raw`)")
        results, seconds, docs = validate(con, tables, root / args.out,
                                          batch_rows=args.batch_rows)
    failed = [r for r in results if r.failures]
    for r in results:
        status = "FAIL" if r.failures else "ok"
        print(f"  {status:<4} raw.{r.table:<20} {r.rows:>12,} rows in {r.batches} batch(es)")
        for f in r.failures:
            print(f"         batch {f['batch']}: {f['expectation']} on {f['column']}: "
                  f"{f['observed']}")
    print(f"great-expectations: {len(results) - len(failed)}/{len(results)} tables passed "
          f"in {seconds:.1f}s; Data Docs: {docs}")
    return 1 if failed else 0


def cmd_purge_raw(args) -> int:
    from .privacy import purge_raw

    root = contract.project_root()
    path = warehouse.database_path(root, args.database)
    if not path.exists():
        return _fail(f"no warehouse at {path}")
    with warehouse.connect(path) as con:
        try:
            has_review = warehouse.has_table(con, "intermediate", "int_privacy__erasure_review")
            review = con.execute(
                "select count(distinct customer_id) from intermediate.int_privacy__erasure_review"
            ).fetchone()[0] if has_review else 0
            log = purge_raw(con, dry_run=args.dry_run)
        except LookupError as error:
            return _fail(str(error))
    requests = {r["privacy_request_id"] for r in log}
    deleted = sum(r["rows_deleted"] for r in log)
    verb = "would delete" if args.dry_run else "deleted"
    print(f"{len(requests)} erasure request(s): {verb} {deleted:,} raw rows")
    for r in log:
        if r["rows_deleted"]:
            print(f"  {r['privacy_request_id']}  raw.{r['raw_table']:<18} {r['rows_deleted']:>8,}")
    if not args.dry_run and requests:
        # incremental models keep rows whose raw source is gone: only a full refresh forgets
        print("logged in audit.erasure_log; run `dbt build --full-refresh` to rebuild "
              "everything without them (incremental tables still hold their staged rows)")
    if review:
        print(f"{review} remaining customer(s) share a full name with an erased one: see "
              "intermediate.int_privacy__erasure_review (names are never erased automatically)")
    return 0


def cmd_summary(args) -> int:
    root = contract.project_root()
    path = warehouse.database_path(root, args.database)
    with warehouse.connect(path, read_only=True) as con:
        raw = _raw_rows(con)
        marts = {
            t: con.execute(f'select count(*) from marts."{t}"').fetchone()[0]
            for (t,) in con.execute(
                "select table_name from information_schema.tables where table_schema = 'marts' "
                "order by table_name").fetchall()
        }
        customers = None
        if "customers" in marts:
            customers = marts["customers"]
        elif "customer_identities" in marts:
            customers = con.execute(
                "select count(distinct customer_id) from marts.customer_identities").fetchone()[0]
        tests = _latest_test_results(con)
        joined = _example_joined_customer(con)
        loads = None
        if warehouse.has_table(con, "audit", "load_log"):
            loads = con.execute("select count(*), sum(rows_appended), sum(uncast_values) "
                                "from audit.load_log").fetchone()
    print(f"warehouse: {path}")
    print(f"raw rows in:   {sum(raw.values()):>12,} across {len(raw)} tables")
    if loads:
        print(f"  of which `cdp load`: {loads[1]:,} rows from {loads[0]:,} "
              f"file{'' if loads[0] == 1 else 's'}, {loads[2]:,} values that did not cast "
              "(audit.load_log; the values: audit.load_rejected_values)")
    if customers is not None:
        print(f"customers out: {customers:>12,}")
    for table, rows in marts.items():
        print(f"  marts.{table:<32} {rows:>12,}")
    if tests:
        started_at, counts = tests
        print(f"dbt tests of the run started {started_at:%Y-%m-%d %H:%M} (audit.run_log): "
              + ", ".join(f"{n} {status}" for status, n in sorted(counts.items())))
    if joined:
        print("why records are one customer (here one that probabilistic matching joined):\n"
              "  dbt show --select customer_evidence --limit 500 --output json"
              f" --vars '{{customer_id: {joined}}}'")
    return 0


def _latest_test_results(con) -> tuple | None:
    """When the latest `dbt build` or `dbt test` that ran tests started, and its test
    results by status, from the warehouse's own run log."""
    if not warehouse.has_table(con, "audit", "run_log"):
        return None
    rows = con.execute("""
        with latest as (
            select invocation_id, min(run_started_at) as started_at
            from audit.run_log
            where command in ('build', 'test') and resource_type in ('test', 'unit_test')
            group by invocation_id
            order by started_at desc
            limit 1
        )
        select latest.started_at, run_log.status, count(*)
        from audit.run_log
        inner join latest on run_log.invocation_id = latest.invocation_id
        where run_log.resource_type in ('test', 'unit_test')
        group by all""").fetchall()
    if not rows:
        return None
    return rows[0][0], {status: n for _, status, n in rows}


def _example_joined_customer(con) -> str | None:
    """A known customer whose records probabilistic matching joined, from the most
    source systems (ties by id), or None."""
    if not (warehouse.has_table(con, "intermediate", "int_identity__record_customers")
            and warehouse.has_table(con, "marts", "customers")):
        return None
    row = con.execute("""
        select record_customers.customer_id
        from intermediate.int_identity__record_customers as record_customers
        inner join marts.customers on record_customers.customer_id = customers.customer_id
        group by record_customers.customer_id
        having count(*) filter (where record_customers.matched_by = 'probabilistic') > 0
        order by count(distinct record_customers.source) desc, record_customers.customer_id
        limit 1""").fetchone()
    return row[0] if row else None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cdp", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", help="DuckDB file (default: $CDP_DUCKDB_PATH or "
                                           "warehouse/cdp.duckdb)")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("init-raw", help="create the raw landing tables of the contract")
    p.set_defaults(func=cmd_init_raw)

    p = sub.add_parser("load", help="append CSV, Parquet or JSON files to a raw table")
    p.add_argument("table", help="raw contract table, e.g. shop_customers")
    p.add_argument("files", nargs="+", metavar="file",
                   help="files to load, one load each (a shell glob works: exports/*.csv); "
                        "columns are matched by name")
    p.add_argument("--timestamp-format", action="append", metavar="FORMAT",
                   help="how the files write times, as strptime (%%d/%%m/%%Y %%H:%%M; repeat "
                        "for several); ISO 8601 times still read")
    p.add_argument("--decimal-comma", action="store_true",
                   help="numbers written 1.234,50: the comma is the decimal mark, full stops "
                        "group thousands (a value that fits neither reading does not cast)")
    p.add_argument("--encoding", metavar="CODEC",
                   help="the files' encoding if not UTF-8 (cp1252, latin-1, utf-16; CSV and "
                        "JSON)")
    p.add_argument("--dry-run", action="store_true",
                   help="read the files and say what the load would do, writing nothing (the "
                        "warehouse is only read, and not needed while a build holds it)")
    p.add_argument("--accept-uncast", action="store_true",
                   help="land a column whose every value fails to cast null (each value kept "
                        "in audit.load_rejected_values) instead of refusing the file")
    p.set_defaults(func=cmd_load)

    p = sub.add_parser("generate", help="generate demo data with ground truth")
    p.add_argument("--people", type=int, default=10_000, help="number of real people")
    p.add_argument("--seed", type=int, default=42, help="random seed (same seed, same data)")
    p.add_argument("--force", action="store_true",
                   help="replace raw data even if the generator did not make it")
    p.add_argument("--memory-limit", default="8GB", help="DuckDB memory limit")
    p.add_argument("--threads", type=int, help="DuckDB threads (default: all cores)")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.add_argument("-v", "--verbose", action="store_true", help="print each step's time")
    p.set_defaults(func=cmd_generate)

    p = sub.add_parser("benchmark", help="measure a stage at several scales; figures go to "
                                         "benchmarks/")
    p.add_argument("stage", choices=["generate", "build", "queries"],
                   help="generate: the data generator; build: generate, full dbt build, +1%% "
                        "incremental build, read-once floor, identity evaluation, chart; "
                        "queries: BI queries on the current, built warehouse")
    p.add_argument("--scales", type=int, nargs="+", default=[10_000, 100_000, 1_000_000],
                   help="numbers of people")
    p.add_argument("--out", default="benchmarks", help="folder for the JSON and Markdown")
    p.add_argument("--dbt-threads", type=int, default=1,
                   help="build: dbt nodes run at once (CDP_THREADS; default 1, so each node's "
                        "time is its own; DuckDB uses every core in each query)")
    p.add_argument("--check-full-refresh", action="store_true",
                   help="build: after the +1%% run, rebuild a copy with `dbt run --full-refresh` "
                        "and count the rows in which each built table differs (not timed)")
    p.set_defaults(func=cmd_benchmark)

    p = sub.add_parser("check-incremental",
                       help="on a scratch copy of the raw data: hold back the newest share, "
                            "build, land it in batches with an incremental `dbt build` after "
                            "each, then compare every built table with a full refresh; "
                            "non-zero exit on any difference or failed build")
    p.add_argument("--share", type=float, default=0.05,
                   help="share of every raw table to replay, newest by _loaded_at (0.05)")
    p.add_argument("--batches", type=int, default=5,
                   help="slices of load time the held rows land in, oldest first (5)")
    p.add_argument("--people", type=int,
                   help="replay freshly generated demo data of this many people instead of "
                        "the warehouse's raw tables")
    p.add_argument("--workdir", help="folder for the scratch warehouse and its full-refresh "
                                     "copy (default: beside the warehouse file)")
    p.add_argument("--vars", help="passed to every dbt run, as `dbt --vars` takes it "
                                   "(e.g. \"{cdp_incremental_lookback_hours: 240}\")")
    p.add_argument("--out", default="target/check_incremental.json",
                   help="JSON report: every build's time and failed nodes, differing rows "
                        "per table")
    p.set_defaults(func=cmd_check_incremental)

    p = sub.add_parser("evaluate-identity",
                       help="compare stitched customers with the generator's truth (JSON)")
    p.set_defaults(func=cmd_evaluate_identity)

    p = sub.add_parser("evaluate-churn",
                       help="rebuild churn scores as of a past cut-off and rank them against "
                            "who really churned after it (ROC AUC, top-decile precision; JSON)")
    p.add_argument("--cutoff", help="as_of date for the features (default: end of data minus "
                                    "--horizon-days)")
    p.add_argument("--horizon-days", type=int, default=180,
                   help="days between the default cut-off and the end of the data (180)")
    p.set_defaults(func=cmd_evaluate_churn)

    p = sub.add_parser("validate",
                       help="great-expectations suites on the raw landing tables, batch by "
                            "batch; non-zero exit if any expectation fails")
    p.add_argument("--out", default="target/great_expectations",
                   help="folder for the GX project and its Data Docs")
    p.add_argument("--batch-rows", type=int, default=500_000,
                   help="rows per data frame batch (bounds memory)")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("purge-raw",
                       help="delete the raw rows of customers who asked to be erased (after "
                            "`dbt build` resolved the requests); audit in audit.erasure_log")
    p.add_argument("--dry-run", action="store_true", help="count, delete nothing")
    p.set_defaults(func=cmd_purge_raw)

    p = sub.add_parser("summary", help="raw rows in, customers out, test results")
    p.set_defaults(func=cmd_summary)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except (contract.ContractError, FileNotFoundError, ValueError, duckdb.Error) as exc:
        return _fail(str(exc))


if __name__ == "__main__":
    sys.exit(main())
