"""What no row-level verdict can hold stops the run, or the source, with the reason and the
fix: a raw table or column of the contract that does not exist, a landing time that would
hide rows from incremental runs, and a tolerance that would let one through. (Bad values
inside rows are quarantined or flagged: test_bad_input.py.)"""

from __future__ import annotations

import duckdb
from conftest import query, run, run_results

LOADED = "timestamp '2026-01-10 00:00:00'"


def test_a_landing_time_missing_or_in_the_future_stops_its_source(tmp_path):
    """Incremental models pick rows by landing time. A row without one is never picked by an
    incremental run, and one dated a year ahead (a loader's clock) becomes the high-water
    mark, so every row that lands before that date is skipped: `dbt build` failed
    `assert_every_raw_row_is_accounted_for` from then on, and a full refresh staged the
    row again. Now a source test fails first and skips the source's models (its failing
    row holds the counts); once the loader's rows are corrected, the build goes through."""
    db = tmp_path / "cdp.duckdb"
    run(["cdp", "init-raw"], db)
    with duckdb.connect(str(db)) as con:
        con.execute("""
            insert into raw.shop_orders (order_id, email, order_status, currency, total_amount,
                                         ordered_at, updated_at, _loaded_at)
            values ('O1', 'ann@example.com', 'paid', 'EUR', 5, timestamp '2026-01-02',
                    timestamp '2026-01-02', current_timestamp::timestamp + interval 365 day)""")
        con.execute("""
            insert into raw.email_activity (activity_id, email, campaign_id, activity_type,
                                            occurred_at, _loaded_at)
            values ('E1', 'ann@example.com', 'C', 'open', timestamp '2026-01-01', null)""")
    target = tmp_path / "target"
    stopped = run(["dbt", "build"], db, target, check=False)
    assert stopped.returncode == 1 and "Traceback" not in stopped.stdout
    status = {r["unique_id"].split(".")[2]: r["status"] for r in run_results(target)}
    failed = sorted(name for name, s in status.items() if s == "fail")
    assert failed == ["cdp_source_landing_time_is_usable_email_email_activity__loaded_at",
                      "cdp_source_landing_time_is_usable_shop_shop_orders__loaded_at"]
    assert status["stg_shop__orders"] == status["stg_email__activity"] == "skipped"
    assert status["stg_crm__contacts"] == "success"  # other sources go on

    # `dbt run` runs no tests: it is refused before anything runs, with the counts
    refused = run(["dbt", "run"], db, target, check=False)
    assert refused.returncode != 0 and "Traceback" not in refused.stdout
    assert "START sql" not in refused.stdout
    assert "raw.email_activity: 1 row without a landing time" in refused.stdout
    assert "raw.shop_orders: 1 row landed more than 24 h after this run's start" in refused.stdout

    with duckdb.connect(str(db)) as con:  # the loader's rows corrected
        con.execute(f"update raw.shop_orders set _loaded_at = {LOADED}")
        con.execute(f"update raw.email_activity set _loaded_at = {LOADED}")
    run(["dbt", "build"], db, target)
    assert query(db, "select count(*) from staging.stg_shop__orders")[0][0] == 1
    assert query(db, "select count(*) from staging.stg_email__activity")[0][0] == 1


def test_a_landing_time_tolerance_beyond_the_lookback_is_refused(tmp_path):
    """A tolerance at or past the lookback would let through a landing time that hides
    rows from incremental runs: the configuration is refused, with both values."""
    db = tmp_path / "cdp.duckdb"
    run(["cdp", "init-raw"], db)
    refused = run(["dbt", "test", "-s", "source:shop", "--vars",
                   "{cdp_future_tolerance_hours: 72}"], db, tmp_path / "target", check=False)
    assert refused.returncode != 0 and "Traceback" not in refused.stdout
    assert ("cdp_future_tolerance_hours (72) must be below cdp_incremental_lookback_hours (72)"
            in refused.stdout)


def test_raw_tables_missing_from_the_contract_are_refused_with_the_fix(tmp_path):
    """A loader's own raw table without a contract column made the base view fail with
    DuckDB's "Column "discount_amount" referenced that exists in the SELECT clause - but
    this column cannot be referenced before it is defined", and a missing table with
    "does not exist". Now the run stops before anything runs, naming each table and
    column, and the statements that fix it work."""
    db = tmp_path / "cdp.duckdb"
    run(["cdp", "init-raw"], db)
    with duckdb.connect(str(db)) as con:
        con.execute("alter table raw.shop_orders drop column discount_amount")
        con.execute("alter table raw.shop_orders drop column currency")
        con.execute("drop table raw.support_tickets")
    target = tmp_path / "target"
    refused = run(["dbt", "build"], db, target, check=False)
    out = refused.stdout
    assert refused.returncode != 0 and "Traceback" not in out
    assert "START sql" not in out  # nothing ran
    assert "raw.support_tickets does not exist" in out
    fix = ("alter table raw.shop_orders add column currency varchar; "
           "alter table raw.shop_orders add column discount_amount decimal(18,2);")
    assert fix in out

    with duckdb.connect(str(db)) as con:
        con.execute(fix)
    run(["cdp", "init-raw"], db)
    run(["dbt", "build"], db, target)
