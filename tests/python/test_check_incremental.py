"""cdp check-incremental: holding back, slicing and replaying raw rows, then comparing.

dbt is replaced by a small script with the same command line, so these tests check the
replay itself (every held row lands once, in load-time order, a build after each batch,
a difference or a failed build is reported) in seconds. The real models are checked against
a full refresh by test_incremental.py.
"""

from __future__ import annotations

import json
import stat
import sys

import duckdb
import pytest

from cdp import cli
from cdp.incremental_check import batch_bounds, check_incremental, copy_raw, hold_back_newest

# A stand-in for dbt: `build` copies each raw table into staging, incrementally by load
# time unless the table is new or --full-refresh is given. FAKE_DBT_SKIP names a table whose
# increments it drops (a broken incremental model); FAKE_DBT_FAIL_AT fails the build that
# sees that many raw rows; FAKE_DBT_CRASH_AT (a row count, or "--full-refresh") stops
# without run results, as a compilation error does. It logs each invocation to FAKE_DBT_LOG.
FAKE_DBT = """
import json, os, sys
from pathlib import Path
import duckdb

args = sys.argv[1:]
target = Path(args[args.index("--target-path") + 1])
target.mkdir(parents=True, exist_ok=True)
full_refresh = "--full-refresh" in args
with duckdb.connect(os.environ["CDP_DUCKDB_PATH"]) as con:
    con.execute("create schema if not exists staging")
    listed = "select table_name from information_schema.tables where table_schema = "
    tables = [t for (t,) in con.execute(listed + "'raw'").fetchall()]
    built = {t for (t,) in con.execute(listed + "'staging'").fetchall()}
    for t in tables:
        if full_refresh or t not in built:
            con.execute(f"create or replace table staging.{t} as select * from raw.{t}")
        elif t != os.environ.get("FAKE_DBT_SKIP"):
            con.execute(f"insert into staging.{t} select * from raw.{t} where _loaded_at > "
                        f"(select coalesce(max(_loaded_at), '-infinity') from staging.{t})")
    raw_rows = sum(con.execute(f"select count(*) from raw.{t}").fetchone()[0] for t in tables)
with open(os.environ["FAKE_DBT_LOG"], "a") as log:
    log.write(json.dumps({"args": args[:2], "raw_rows": raw_rows,
                          "vars": args[args.index("--vars") + 1] if "--vars" in args else None})
              + "\\n")
if os.environ.get("FAKE_DBT_CRASH_AT") in (str(raw_rows), args[1]):
    print("Compilation Error in model customers: no such column")
    sys.exit(2)
failed = str(raw_rows) == os.environ.get("FAKE_DBT_FAIL_AT")
(target / "run_results.json").write_text(json.dumps({"results": [
    {"unique_id": "test.cdp.unique_orders_order_id", "status": "fail" if failed else "pass"}]}))
sys.exit(1 if failed else 0)
"""

# two raw tables loaded over ten days; one row has no load time
RAW = """
    create schema raw;
    create table raw.shop_orders as
    select 'o' || i as order_id, timestamp '2026-01-01' + to_hours(i) as _loaded_at
    from range(200) as t(i);
    create table raw.email_activity as
    select 'e' || i as email_activity_id, timestamp '2026-01-01' + to_hours(2 * i) as _loaded_at
    from range(100) as t(i);
    insert into raw.email_activity values ('no_load_time', null);
"""


@pytest.fixture
def fake_dbt(tmp_path, monkeypatch):
    script = tmp_path / "dbt"
    script.write_text(f"#!{sys.executable}\n{FAKE_DBT}")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("FAKE_DBT_LOG", str(tmp_path / "dbt.log"))
    return script


@pytest.fixture
def warehouse(tmp_path):
    db = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(db)) as con:
        con.execute(RAW)
    return db


def _invocations(tmp_path) -> list[dict]:
    return [json.loads(line) for line in (tmp_path / "dbt.log").read_text().splitlines()]


def test_the_newest_rows_land_in_load_time_slices_with_a_build_after_each(
        tmp_path, warehouse, fake_dbt):
    report = check_incremental(warehouse, tmp_path, tmp_path, share=0.1, batches=4,
                               dbt=fake_dbt, log=lambda message: None)
    # the newest 10% of each table, from its 90th percentile load time on (21 + 11 rows);
    # the row without a load time stays put
    assert report["held_rows"] == 32
    builds = report["builds"]
    assert [b["landed_rows"] for b in builds] == [0, 8, 8, 9, 7]
    assert all(b["ok"] for b in builds)
    # one initial build, one per batch, then the full refresh of the copy, in that order
    calls = _invocations(tmp_path)
    assert [c["args"] for c in calls] == (
        [["build", "--target-path"]] * 5 + [["run", "--full-refresh"]])
    assert [c["raw_rows"] for c in calls] == [269, 277, 285, 294, 301, 301]
    # slices follow load time: each batch's bounds continue the previous batch's
    assert [b["loaded_up_to"] for b in builds[1:-1]] == [b["loaded_after"] for b in builds[2:]]
    assert report["incremental_equals_full_refresh"] == {
        "tables": 2, "differing_rows": 0, "differing_tables": {}}
    assert report["ok"]
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("select count(*) from information_schema.schemata "
                           "where schema_name = 'held'").fetchone()[0] == 0


def test_an_incremental_model_that_drops_new_rows_is_caught(
        tmp_path, warehouse, fake_dbt, monkeypatch):
    monkeypatch.setenv("FAKE_DBT_SKIP", "email_activity")
    report = check_incremental(warehouse, tmp_path, tmp_path, share=0.1, batches=3,
                               dbt=fake_dbt, log=lambda message: None)
    assert report["incremental_equals_full_refresh"]["differing_tables"] == {
        "staging.email_activity": 11}
    assert not report["ok"]


def test_vars_reach_every_dbt_run(tmp_path, warehouse, fake_dbt):
    check_incremental(warehouse, tmp_path, tmp_path, share=0.1, batches=2, dbt=fake_dbt,
                      log=lambda message: None, dbt_vars="{cdp_incremental_lookback_hours: 240}")
    assert [c["vars"] for c in _invocations(tmp_path)] == (
        ["{cdp_incremental_lookback_hours: 240}"] * 4)


def test_a_failed_build_is_reported_with_its_nodes_and_the_replay_goes_on(
        tmp_path, warehouse, fake_dbt, monkeypatch):
    monkeypatch.setenv("FAKE_DBT_FAIL_AT", "285")
    report = check_incremental(warehouse, tmp_path, tmp_path, share=0.1, batches=4,
                               dbt=fake_dbt, log=lambda message: None)
    assert [b["ok"] for b in report["builds"]] == [True, True, False, True, True]
    assert report["builds"][2]["failed_nodes"] == ["test.cdp.unique_orders_order_id"]
    assert not report["ok"]


def test_a_build_that_stops_before_any_node_says_why(tmp_path, warehouse, fake_dbt, monkeypatch):
    # batch 1 fails a test, batch 2 stops at compilation: batch 1's run results, still in the
    # target folder, must not be reported as batch 2's
    monkeypatch.setenv("FAKE_DBT_FAIL_AT", "277")
    monkeypatch.setenv("FAKE_DBT_CRASH_AT", "285")
    report = check_incremental(warehouse, tmp_path, tmp_path, share=0.1, batches=4,
                               dbt=fake_dbt, log=lambda message: None)
    failed, stopped = report["builds"][1:3]
    assert failed["failed_nodes"] == ["test.cdp.unique_orders_order_id"]
    assert not stopped["ok"] and stopped["failed_nodes"] == []
    assert stopped["message"] == "Compilation Error in model customers: no such column"


def test_a_full_refresh_that_stops_before_any_node_is_an_error(
        tmp_path, warehouse, fake_dbt, monkeypatch):
    monkeypatch.setenv("FAKE_DBT_CRASH_AT", "--full-refresh")
    with pytest.raises(ValueError, match=r"full refresh of the incrementally built warehouse "
                                         r"failed: Compilation Error in model customers"):
        check_incremental(warehouse, tmp_path, tmp_path, share=0.1, batches=2,
                          dbt=fake_dbt, log=lambda message: None)


def test_one_batch_and_ties_in_load_time(tmp_path):
    db = tmp_path / "ties.duckdb"
    with duckdb.connect(str(db)) as con:
        # one bulk load: every row has the same load time
        con.execute("create schema raw; create table raw.shop_orders as "
                    "select 'o' || i as order_id, timestamp '2026-01-01' as _loaded_at "
                    "from range(50) as t(i)")
    assert hold_back_newest(db, 0.1) == 50
    assert batch_bounds(db, 1) == [(None, None)]
    # a single load time cannot be cut: the first slice takes it all, the rest are empty
    first, *rest = batch_bounds(db, 3)
    assert first[0] is None and all(after == up_to for after, up_to in rest[:-1])


def test_copy_raw_takes_only_the_raw_schema(tmp_path, warehouse):
    with duckdb.connect(str(warehouse)) as con:
        con.execute("create schema marts; create table marts.customers as select 1 as id")
    copy = tmp_path / "copy.duckdb"
    assert copy_raw(warehouse, copy) == 301
    with duckdb.connect(str(copy), read_only=True) as con:
        assert con.execute("select distinct table_schema from information_schema.tables"
                           ).fetchall() == [("raw",)]


def test_cli_errors_are_one_line(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("CDP_DUCKDB_PATH", str(tmp_path / "missing.duckdb"))
    assert cli.main(["check-incremental"]) == 2
    assert "no warehouse at" in capsys.readouterr().err
    empty = tmp_path / "empty.duckdb"
    duckdb.connect(str(empty)).close()
    assert cli.main(["--database", str(empty), "check-incremental"]) == 2
    assert "has no raw tables" in capsys.readouterr().err
    assert cli.main(["check-incremental", "--share", "1"]) == 2
    assert "--share must be between 0 and 1" in capsys.readouterr().err
    assert cli.main(["check-incremental", "--batches", "0"]) == 2
    assert "--batches must be at least 1" in capsys.readouterr().err
