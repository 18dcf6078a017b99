"""`cdp validate`: great-expectations suites on the raw landing tables."""

from __future__ import annotations

from conftest import run


def test_generated_landing_zone_passes_every_suite(generated_db, tmp_path):
    result = run(["cdp", "validate", "--out", str(tmp_path / "gx"), "--batch-rows", "4096"],
                 generated_db)
    assert "12/12 tables passed" in result.stdout
    # small batches: the large tables were read in several data frames
    assert "batch(es)" in result.stdout and " 1 batch(es)" not in result.stdout.split(
        "tracking_events")[1].splitlines()[0]
    assert (tmp_path / "gx" / "gx" / "uncommitted" / "data_docs" / "local_site"
            / "index.html").is_file()


def test_a_landing_time_ahead_of_now_is_reported(tmp_path):
    """The batch with a landing time a year ahead, which would hide later rows from
    incremental runs (the dbt source test stops the source; this names the batch)."""
    import duckdb

    db = tmp_path / "cdp.duckdb"
    run(["cdp", "init-raw"], db)
    with duckdb.connect(str(db)) as con:
        con.execute("insert into raw.shop_orders (order_id, _loaded_at) values "
                    "('O1', current_timestamp::timestamp + interval 365 day)")
    result = run(["cdp", "validate", "--out", str(tmp_path / "gx")], db, check=False)
    assert result.returncode == 1 and "Traceback" not in result.stdout + result.stderr
    assert "FAIL raw.shop_orders" in result.stdout
    assert "expect_column_values_to_be_between on _loaded_at" in result.stdout
