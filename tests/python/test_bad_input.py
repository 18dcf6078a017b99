"""Bad input never crashes the build: every kind lands in staging or in the quarantine
with a reason, and `data_quality` counts it. The landing zone is empty except for the
rows below, so every other table is also tested empty. What no row can hold stops the run
or the source instead: test_raw_boundary.py."""

from __future__ import annotations

import duckdb
import pytest
from conftest import query, run

LONG = "x" * 10_240
LOADED = "timestamp '2026-01-10 00:00:00'"

ROWS = [
    # a clean customer, with emoji and right-to-left text in the name, to check nothing breaks
    f"""insert into raw.shop_customers (customer_id, email, first_name, last_name, created_at,
            updated_at, _loaded_at)
        values ('C1', 'dana@example.org', 'Dana 😀', 'כהן', timestamp '2025-01-01',
                timestamp '2025-01-01', {LOADED})""",
    # a 10 KB name
    f"""insert into raw.crm_contacts (contact_id, first_name, last_name, email, created_at,
            updated_at, _loaded_at)
        values ('K1', '{LONG}', 'Long', 'long@example.org', timestamp '2025-01-01',
                timestamp '2025-01-01', {LOADED})""",
    # a null key
    f"""insert into raw.crm_contacts (contact_id, first_name, _loaded_at)
        values (null, 'Nobody', {LOADED})""",
    # broken JSON, a year-9999 timestamp, and a good event, in tracking
    f"""insert into raw.tracking_events (message_id, source, type, event, anonymous_id, user_id,
            properties, traits, context, "timestamp", received_at, _loaded_at)
        values
        ('M1', 'web', 'track', 'Product Viewed', 'A1', null, '{{"sku": "X-1"', null, null,
         timestamp '2026-01-09', timestamp '2026-01-09', {LOADED}),
        ('M2', 'web', 'page', null, 'A1', null, '{{}}', null, null,
         timestamp '9999-12-31', timestamp '2026-01-09', {LOADED}),
        ('M3', 'web', 'identify', null, 'A1', 'C1', null, '{{"email": "dana@example.org"}}',
         null, timestamp '2026-01-09 10:00:00', timestamp '2026-01-09', {LOADED})""",
    # an email activity whose address is not an email
    f"""insert into raw.email_activity (activity_id, email, campaign_id, activity_type,
            occurred_at, _loaded_at)
        values ('E1', 'not-an-email', 'C', 'open', timestamp '2026-01-01', {LOADED}),
               ('E2', 'dana@example.org', 'C', 'open', timestamp '2026-01-01', {LOADED})""",
    # an order line with a negative quantity, and a good one
    f"""insert into raw.shop_order_items (order_id, line_number, sku, quantity, unit_price,
            _loaded_at)
        values ('O1', 1, 'X-1', -2, 10, {LOADED}), ('O1', 2, 'X-2', 1, 10, {LOADED})""",
    f"""insert into raw.shop_orders (order_id, customer_id, email, order_status, currency,
            total_amount, discount_amount, ordered_at, updated_at, _loaded_at)
        values ('O1', 'C1', 'dana@example.org', 'placed', 'USD', 10, 0,
                timestamp '2026-01-02', timestamp '2026-01-02', {LOADED})""",
    # a re-delivery: the same store transaction twice, the later copy with a broken clock
    f"""insert into raw.pos_transactions (transaction_id, store_id, currency, total_amount,
            item_count, transacted_at, _loaded_at)
        values ('P1', 'S1', 'USD', 5, 1, timestamp '2026-01-03', {LOADED}),
               ('P1', 'S1', 'USD', 5, 1, timestamp '9999-01-01', {LOADED} + interval 1 hour)""",
]


@pytest.fixture(scope="module")
def bad_input_db(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bad_input")
    db = folder / "cdp.duckdb"
    run(["cdp", "init-raw"], db)
    with duckdb.connect(str(db)) as con:
        for sql in ROWS:
            con.execute(sql)
        # a column the contract does not know, added by a loader
        con.execute("alter table raw.shop_customers add column loyalty_tier varchar")
        con.execute("update raw.shop_customers set loyalty_tier = 'gold'")
        # a loader that lands times as text, with an offset: the same instant as before
        con.execute("alter table raw.email_activity alter occurred_at type varchar")
        con.execute("update raw.email_activity set occurred_at = '2026-01-01T01:00:00+01:00' "
                    "where activity_id = 'E2'")
    # wrong types through the file loader: uncastable values land null and are flagged
    csv = folder / "pos.csv"
    csv.write_text("transaction_id,store_id,currency,total_amount,item_count,transacted_at\n"
                   "P2,S1,USD,abc,two,not a date\n")
    loaded = run(["cdp", "load", "pos_transactions", str(csv), "--accept-uncast"], db)
    assert "1" in loaded.stdout
    target = folder / "target"
    result = run(["dbt", "build"], db, target, check=False)
    assert result.returncode == 0, result.stdout[-4000:]
    return db


def _outcomes(db, table):
    return dict(query(db, "select outcome, row_count from marts.data_quality "
                          "where source_table = ?", [table]))


def test_each_bad_input_is_quarantined_with_its_reason(bad_input_db):
    db = bad_input_db
    assert _outcomes(db, "crm_contacts") == {"staged": 1, "null_key": 1}
    assert _outcomes(db, "tracking_events") == {
        "staged": 1, "malformed_json": 1, "future_timestamp": 1}
    assert _outcomes(db, "email_activity") == {"staged": 1, "invalid_email": 1}
    assert _outcomes(db, "shop_order_items") == {"staged": 1, "negative_quantity": 1}
    # the good delivery wins over the later one with a broken clock; the bad CSV row is flagged
    assert _outcomes(db, "pos_transactions") == {
        "staged": 1, "future_timestamp": 1, "unparseable_timestamp": 1}
    assert query(db, "select transacted_at::date::varchar from staging.stg_pos__transactions"
                 ) == [("2026-01-03",)]


def test_a_time_landed_as_text_with_an_offset_is_read_in_utc(bad_input_db):
    """Raw times are UTC. A loader's own table may hold them as text; an offset in the text
    is applied (before, DuckDB's cast dropped it: an hour off here; Spark applied it)."""
    assert query(bad_input_db, "select occurred_at::varchar from staging.stg_email__activity"
                 ) == [("2026-01-01 00:00:00",)]


def test_every_raw_row_is_counted(bad_input_db):
    db = bad_input_db
    tables = [t for (t,) in query(db, "select table_name from information_schema.tables "
                                      "where table_schema = 'raw'")]
    raw = sum(query(db, f"select count(*) from raw.{t}")[0][0] for t in tables)
    counted = query(db, "select sum(row_count) from marts.data_quality")[0][0]
    assert raw == counted == 14
    # every contract table is listed, the empty ones with 0 rows
    assert query(db, "select count(distinct source_table) from marts.data_quality")[0][0] == 12
    assert query(db, "select row_count from marts.data_quality "
                     "where source_table = 'loyalty_members'")[0][0] == 0


def test_odd_but_valid_values_flow_through_to_the_customer(bad_input_db):
    db = bad_input_db
    names = dict(query(db, "select last_name, first_name from marts.customers"))
    assert names["כהן"] == "Dana 😀"
    assert len(names["Long"]) == 10_240
    # the unknown column is ignored, the row is staged; anonymous browsing joins Dana
    assert query(db, "select count(*) from staging.stg_shop__customers")[0][0] == 1
    dana = query(db, "select customer_id from marts.customers where last_name = 'כהן'")[0][0]
    assert query(db, "select count(*) from marts.events where customer_id = ?", [dana]
                 )[0][0] == 2  # the identify call and the email open


def test_validate_reports_a_broken_feed_without_a_traceback(bad_input_db, tmp_path):
    result = run(["cdp", "validate", "--out", str(tmp_path / "gx")], bad_input_db, check=False)
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert "FAIL raw.tracking_events" in result.stdout
    assert "expect_column_values_to_be_json_parseable on properties" in result.stdout
    assert "FAIL raw.pos_transactions" in result.stdout  # year 9999 and an unparseable date


@pytest.mark.parametrize("name", ["raw", "marts"])
def test_a_warehouse_file_named_like_a_schema_is_refused_with_the_reason(name, tmp_path):
    # DuckDB names the catalog after the file: raw.duckdb makes `raw.<table>` ambiguous
    db = tmp_path / f"{name}.duckdb"
    cli = run(["cdp", "init-raw"], db, check=False)
    assert cli.returncode == 2 and "Traceback" not in cli.stderr
    assert f"the warehouse file is named {name}.duckdb, like the schema {name}" in cli.stderr
    built = run(["dbt", "build"], db, tmp_path / "target", check=False)
    assert built.returncode != 0
    assert f'The warehouse file is named "{name}", like a schema of this project' in built.stdout
    assert "START sql" not in built.stdout  # nothing ran
