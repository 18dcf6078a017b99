"""Two deliveries of one record that tie on validity, business update time and landing
time, but differ in content (a loader that wrote two versions of an order into one batch,
or a retried file). Staging keeps the same one whatever the order the rows landed in, in a
full build and in an incremental one, so incremental equals full refresh for such records
too (decision 0001, "Deliveries that tie")."""

from __future__ import annotations

import duckdb
from conftest import query, run

LOADED = "timestamp '2026-01-10 00:00:00'"

# (order status, email activity type) of the two versions
VERSIONS = {"first": ("placed", "open"), "second": ("shipped", "click")}

# the staging models that keep a winner, and the quarantine that reports the loser
MODELS = ["+stg_shop__orders", "+stg_email__activity", "+stg_quality__rejected_rows"]


def land(db, version: str) -> None:
    status, activity = VERSIONS[version]
    with duckdb.connect(str(db)) as con:
        con.execute(f"""
            insert into raw.shop_orders (order_id, customer_id, email, order_status, currency,
                total_amount, discount_amount, ordered_at, updated_at, _loaded_at)
            values ('T1', 'C1', 'tie@example.org', '{status}', 'USD', 10, 0,
                    timestamp '2026-01-02', timestamp '2026-01-02', {LOADED})""")
        con.execute(f"""
            insert into raw.email_activity (activity_id, email, campaign_id, activity_type,
                occurred_at, _loaded_at)
            values ('A1', 'tie@example.org', 'C', '{activity}', timestamp '2026-01-01',
                    {LOADED})""")


def kept(db) -> tuple[str, str]:
    (status,), = query(
        db, "select order_status from staging.stg_shop__orders where order_id = 'T1'")
    (activity,), = query(
        db, "select activity_type from staging.stg_email__activity where email_activity_id = 'A1'")
    return status, activity


def rejected(db) -> list[tuple]:
    return query(db, """
        select source_table, source_record_id, rejection_reason, delivery_rank
        from staging.stg_quality__rejected_rows order by all""")


def warehouse(tmp_path, name: str, *versions: str):
    db = tmp_path / name / "cdp.duckdb"
    db.parent.mkdir()
    run(["cdp", "init-raw"], db)
    for version in versions:
        land(db, version)
    return db


def test_tied_deliveries_keep_the_same_version_in_any_landing_order_and_run(tmp_path):
    runs = {}
    for name, versions in {"landed_in_order": ("first", "second"),
                           "landed_reversed": ("second", "first")}.items():
        db = warehouse(tmp_path, name, *versions)
        run(["dbt", "run", "-s", *MODELS], db, tmp_path / name / "target")
        runs[name] = kept(db), rejected(db)
    assert runs["landed_in_order"] == runs["landed_reversed"]
    winner, quarantined = runs["landed_in_order"]
    assert quarantined == [("email_activity", "A1", "duplicate_delivery", 2),
                           ("shop_orders", "T1", "duplicate_delivery", 2)]

    # the losing version lands first and is staged; the winning one lands later with the
    # same landing time (a retried file, inside the lookback): the incremental run swaps them
    winning = next(name for name, version in VERSIONS.items() if version == winner)
    losing = next(name for name in VERSIONS if name != winning)
    db = warehouse(tmp_path, "incremental", losing)
    target = tmp_path / "incremental" / "target"
    run(["dbt", "run", "-s", *MODELS], db, target)
    assert kept(db) == VERSIONS[losing]
    land(db, winning)
    run(["dbt", "run", "-s", *MODELS], db, target)
    assert kept(db) == winner
    assert rejected(db) == quarantined

    # a run without new data re-reads both versions (inside the lookback): the stored
    # winner beats its own delivery, so nothing is written again
    written = "select _written_at from staging.stg_shop__orders"
    before = query(db, written)
    run(["dbt", "run", "-s", *MODELS], db, target)
    assert query(db, written) == before
    assert kept(db) == winner
