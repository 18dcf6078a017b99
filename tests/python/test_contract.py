"""The raw landing contract: declared once, in the dbt sources, and created from there."""

from __future__ import annotations

import json

import duckdb
import yaml
from conftest import ROOT

from cdp import contract, warehouse

# The minimum columns of each raw table, copied from DESIGN.md. The contract may add more.
DESIGN_MINIMUM = {
    "crm_contacts": "contact_id account_id first_name last_name email phone street_address city "
                    "postal_code state country date_of_birth lead_status created_at updated_at",
    "crm_accounts": "account_id account_name industry country created_at updated_at",
    "shop_customers": "customer_id email phone first_name last_name accepts_marketing created_at "
                      "updated_at",
    "shop_orders": "order_id customer_id email phone street_address city postal_code country "
                   "order_status currency total_amount discount_amount ordered_at updated_at",
    "shop_order_items": "order_id line_number sku product_name category quantity unit_price",
    "tracking_events": "message_id source type event anonymous_id user_id properties traits "
                       "context timestamp received_at",
    "pos_transactions": "transaction_id store_id loyalty_card_id card_fingerprint currency "
                        "total_amount item_count transacted_at",
    "loyalty_members": "loyalty_card_id email phone first_name last_name postal_code "
                       "date_of_birth enrolled_at updated_at",
    "support_tickets": "ticket_id requester_email requester_phone requester_name channel subject "
                       "status priority created_at resolved_at",
    "email_activity": "activity_id email campaign_id activity_type occurred_at",
    "consent_events": "consent_event_id identifier_type identifier_value purpose status source "
                      "occurred_at",
    "privacy_requests": "request_id identifier_type identifier_value request_type received_at",
}


def test_contract_covers_design_tables_and_columns():
    tables = {t.name: t for t in contract.load_contract(ROOT)}
    assert set(tables) == set(DESIGN_MINIMUM)
    for name, columns in DESIGN_MINIMUM.items():
        missing = (set(columns.split()) | {"_loaded_at"}) - set(tables[name].column_names)
        assert not missing, f"{name} lacks {missing}"


def test_every_source_column_is_documented_and_typed():
    for path in (ROOT / "models" / "staging").glob("*/_*__sources.yml"):
        doc = yaml.safe_load(path.read_text())
        for source in doc["sources"]:
            assert source.get("description"), f"{path.name}: source {source['name']}"
            assert source["config"]["loaded_at_field"] == "_loaded_at"
            assert "freshness" in source["config"]
            for table in source["tables"]:
                assert table.get("description"), f"{table['name']} has no description"
                for column in table["columns"]:
                    assert column.get("description"), f"{table['name']}.{column['name']}"
                    assert column.get("data_type"), f"{table['name']}.{column['name']}"


def test_init_raw_is_idempotent_and_never_drops_data(tmp_path):
    db = tmp_path / "w.duckdb"
    tables = contract.load_contract(ROOT)
    with warehouse.connect(db) as con:
        assert len(warehouse.init_raw(con, tables)) == len(tables)
        con.execute("insert into raw.privacy_requests (request_id) values ('keep-me')")
        assert warehouse.init_raw(con, tables) == []
        assert con.execute("select count(*) from raw.privacy_requests").fetchone()[0] == 1


def test_init_raw_creates_declared_types(tmp_path):
    db = tmp_path / "w.duckdb"
    with warehouse.connect(db) as con:
        warehouse.init_raw(con, contract.load_contract(ROOT))
        types = dict(con.execute(
            "select column_name, data_type from information_schema.columns "
            "where table_schema = 'raw' and table_name = 'shop_orders'").fetchall())
    assert types["total_amount"] == "DECIMAL(18,2)"
    assert types["ordered_at"] == "TIMESTAMP"
    assert types["order_id"] == "VARCHAR"


def test_init_raw_keeps_a_users_extra_columns(tmp_path):
    """A user's table with more columns than the contract is left as it is."""
    db = tmp_path / "w.duckdb"
    with duckdb.connect(str(db)) as con:
        con.execute("create schema raw")
        con.execute("create table raw.crm_accounts (account_id varchar, extra_col int, "
                    "_loaded_at timestamp)")
    with warehouse.connect(db) as con:
        created = warehouse.init_raw(con, contract.load_contract(ROOT))
        cols = [r[0] for r in con.execute(
            "select column_name from information_schema.columns "
            "where table_name = 'crm_accounts'").fetchall()]
    assert "crm_accounts" not in created
    assert "extra_col" in cols


def test_load_appends_by_name_and_reports_extra_and_missing_columns(tmp_path):
    from conftest import run

    db = tmp_path / "w.duckdb"
    csv = tmp_path / "customers.csv"
    csv.write_text("customer_id,email,favourite_colour,created_at\n"
                   "c1,A@Example.com,blue,2024-01-02 03:04:05\n"
                   "c2,b@example.com,red,not a date\n")
    result = run(["cdp", "load", "shop_customers", str(csv)], db)
    assert "2 rows appended" in result.stdout
    assert "favourite_colour" in result.stdout
    with duckdb.connect(str(db)) as con:
        rows = con.execute("select customer_id, created_at is null, _loaded_at is not null "
                           "from raw.shop_customers order by 1").fetchall()
    assert rows == [("c1", False, True), ("c2", True, True)]


def test_load_matches_column_names_whatever_their_case(tmp_path):
    """Exports often capitalize headers (`Email`, `CUSTOMER_ID`); SQL names are not case
    sensitive, so neither is the match."""
    from conftest import run

    db = tmp_path / "w.duckdb"
    csv = tmp_path / "customers.csv"
    csv.write_text("CUSTOMER_ID,Email,First_Name\nc1,a@example.com,Ann\n")
    result = run(["cdp", "load", "shop_customers", str(csv)], db)
    assert "not in the contract" not in result.stdout
    with duckdb.connect(str(db)) as con:
        assert con.execute("select customer_id, email, first_name from raw.shop_customers"
                           ).fetchall() == [("c1", "a@example.com", "Ann")]


def test_load_reports_and_logs_values_that_do_not_cast(tmp_path):
    """A value the contract's type cannot hold lands null, so the row is not lost; the load
    names the column, counts such values, shows examples and logs the counts in
    audit.load_log, and each value itself, with its row's key, in
    audit.load_rejected_values, so the export can be mended. Before, they became null
    without a word; then only counts and two examples were kept."""
    from conftest import run

    db = tmp_path / "w.duckdb"
    csv = tmp_path / "orders.csv"
    csv.write_text("order_id,total_amount,ordered_at\n"
                   "o1,12.50,2026-05-01 10:05:00\n"
                   "o2,abc,2026-05-01 11:00:00\n"
                   "o3,99999999999999999999999,yesterday\n"
                   "o4,,\n")
    result = run(["cdp", "load", "shop_orders", str(csv)], db)
    assert "4 rows appended" in result.stdout
    assert ("did not cast, landed null: total_amount 2 (e.g. '99999999999999999999999', 'abc')"
            in result.stdout)
    assert "ordered_at 1 (e.g. 'yesterday')" in result.stdout
    with duckdb.connect(str(db)) as con:
        logged = con.execute(
            "select table_name, file_path, rows_appended, uncast_values, uncast_by_column, "
            "ignored_columns from audit.load_log").fetchall()
        assert con.execute("select count(*) from raw.shop_orders").fetchone()[0] == 4
        rejected = con.execute(
            "select r.table_name, r.record_key, r.column_name, r.rejected_value "
            "from audit.load_rejected_values as r "
            "inner join audit.load_log as l using (loaded_at, table_name) order by 2, 3"
        ).fetchall()
    assert logged == [("shop_orders", str(csv), 4, 3, '{"total_amount":2,"ordered_at":1}', None)]
    assert rejected == [("shop_orders", "o2", "total_amount", "abc"),
                        ("shop_orders", "o3", "ordered_at", "yesterday"),
                        ("shop_orders", "o3", "total_amount", "99999999999999999999999")]
    assert "audit.load_rejected_values" in result.stdout
    summary = run(["cdp", "summary"], db).stdout
    assert "of which `cdp load`: 4 rows from 1 file, 3 values that did not cast" in summary


def test_load_of_a_column_whose_every_value_fails_is_refused_with_the_way_out(tmp_path):
    """Every value of a column failing to cast is a format, not dirty data (a day-first
    export): landing the file would put rows without times in the warehouse, to be
    quarantined and deleted by hand. The load is refused, nothing lands, and the message
    names the two ways on: the file's time format, or landing the column null on purpose."""
    from conftest import run

    db = tmp_path / "w.duckdb"
    csv = tmp_path / "orders.csv"
    csv.write_text("order_id,ordered_at,total_amount\n"
                   "o1,05/01/2026 10:00,n/a\n"
                   "o2,31/12/2025 23:59,\n")
    refused = run(["cdp", "load", "shop_orders", str(csv)], db, check=False)
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    assert ("orders.csv: every value of ordered_at failed to cast to TIMESTAMP "
            "(e.g. '05/01/2026 10:00', '31/12/2025 23:59')") in refused.stderr
    assert "total_amount" in refused.stderr  # its only value failed too
    assert "--timestamp-format" in refused.stderr and "--accept-uncast" in refused.stderr
    with duckdb.connect(str(db)) as con:
        assert con.execute("select count(*) from raw.shop_orders").fetchone()[0] == 0
        assert con.execute("select count(*) from information_schema.tables "
                           "where table_schema = 'audit'").fetchone()[0] == 0

    loaded = run(["cdp", "load", "shop_orders", str(csv), "--timestamp-format",
                  "%d/%m/%Y %H:%M", "--accept-uncast"], db)
    assert "total_amount 1 (e.g. 'n/a')" in loaded.stdout
    assert "ordered_at" not in loaded.stdout
    with duckdb.connect(str(db)) as con:
        assert con.execute("select order_id, ordered_at::varchar, total_amount "
                           "from raw.shop_orders order by 1").fetchall() == [
            ("o1", "2026-01-05 10:00:00", None), ("o2", "2025-12-31 23:59:00", None)]


def test_load_never_guesses_a_date_format(tmp_path):
    """DuckDB's CSV sniffer took `05/01/2026` for 5 January when the sample held no day
    past the 12th: a US export landed a month off without a word. CSV columns are now
    read as text and cast by ISO 8601 or the formats the load is told."""
    from conftest import run

    db = tmp_path / "w.duckdb"
    csv = tmp_path / "orders.csv"
    csv.write_text("order_id,ordered_at\no1,05/01/2026\no2,06/02/2026\no3,\n")
    refused = run(["cdp", "load", "shop_orders", str(csv)], db, check=False)
    assert refused.returncode == 2 and "every value of ordered_at" in refused.stderr
    run(["cdp", "load", "shop_orders", str(csv), "--timestamp-format", "%m/%d/%Y"], db)
    with duckdb.connect(str(db)) as con:
        assert con.execute("select order_id, ordered_at::varchar from raw.shop_orders "
                           "order by 1").fetchall() == [
            ("o1", "2026-05-01 00:00:00"), ("o2", "2026-06-02 00:00:00"), ("o3", None)]


def test_load_timestamp_format_falls_back_to_iso_and_keeps_offsets(tmp_path):
    """`--timestamp-format` (strptime; repeat it for several) reads the times the file
    writes its own way; ISO times in the same column still read, and an offset in the
    format (`%z`) is applied: raw times are UTC."""
    from conftest import run

    db = tmp_path / "w.duckdb"
    csv = tmp_path / "tickets.csv"
    csv.write_text("ticket_id,created_at,resolved_at\n"
                   "t1,05/01/2026 10:00 +0200,2026-01-06T09:00:00Z\n"
                   "t2,2026-01-07 08:00:00,06.01.2026 12:30\n"
                   "t3,sometime,\n")
    loaded = run(["cdp", "load", "support_tickets", str(csv), "--timestamp-format",
                  "%d/%m/%Y %H:%M %z", "--timestamp-format", "%d.%m.%Y %H:%M"], db)
    assert "created_at 1 (e.g. 'sometime')" in loaded.stdout
    with duckdb.connect(str(db)) as con:
        assert con.execute("select ticket_id, created_at::varchar, resolved_at::varchar "
                           "from raw.support_tickets order by 1").fetchall() == [
            ("t1", "2026-01-05 08:00:00", "2026-01-06 09:00:00"),
            ("t2", "2026-01-07 08:00:00", "2026-01-06 12:30:00"),
            ("t3", None, None)]


def test_load_of_a_file_not_in_utf8_says_so_and_reads_it_given_the_encoding(tmp_path):
    """Excel and older systems export in Windows-1252 or Latin-1. DuckDB's error suggested
    SQL options a `cdp load` user cannot pass; the load now says what is wrong and how to
    go on, and `--encoding` (any Python codec) reads the file."""
    from conftest import run

    db = tmp_path / "w.duckdb"
    csv = tmp_path / "contacts.csv"
    csv.write_bytes("contact_id;first_name;last_name\n"
                    "k1;Jürgen;Müller\nk2;Siobhán;O’Brien\n".encode("cp1252"))
    refused = run(["cdp", "load", "crm_contacts", str(csv)], db, check=False)
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    assert "contacts.csv is not UTF-8" in refused.stderr and "--encoding" in refused.stderr
    run(["cdp", "load", "crm_contacts", str(csv), "--encoding", "cp1252"], db)
    with duckdb.connect(str(db)) as con:
        assert con.execute("select contact_id, first_name, last_name from raw.crm_contacts "
                           "order by 1").fetchall() == [("k1", "Jürgen", "Müller"),
                                                        ("k2", "Siobhán", "O’Brien")]
        assert con.execute("select file_path from audit.load_log").fetchone()[0] == str(csv)
    wrong = run(["cdp", "load", "crm_contacts", str(csv), "--encoding", "klingon"], db,
                check=False)
    assert wrong.returncode == 2 and "unknown encoding: klingon" in wrong.stderr


def test_load_reads_decimal_commas_and_rejects_what_is_ambiguous(tmp_path):
    """Continental exports write 1.234,50. With `--decimal-comma` the comma is the decimal
    mark and full stops group thousands; a value that fits neither reading (12.50 in such
    a file: 12.5 or 1250?) does not cast, and is reported and kept, never guessed."""
    from conftest import run

    db = tmp_path / "w.duckdb"
    csv = tmp_path / "orders.csv"
    csv.write_text("order_id;total_amount;discount_amount\n"
                   "o1;12,50;0\no2;1.234,00;-3,5\no3;7;\no4;12.50;1.000.000\n")
    loaded = run(["cdp", "load", "shop_orders", str(csv), "--decimal-comma"], db)
    assert "total_amount 1 (e.g. '12.50')" in loaded.stdout
    with duckdb.connect(str(db)) as con:
        rows = con.execute("select order_id, total_amount::varchar, discount_amount::varchar "
                           "from raw.shop_orders order by 1").fetchall()
    assert rows == [("o1", "12.50", "0.00"), ("o2", "1234.00", "-3.50"), ("o3", "7.00", None),
                    ("o4", None, "1000000.00")]


def test_load_reads_compressed_and_tab_separated_exports(tmp_path):
    """Exports come gzipped (`.csv.gz`, `.jsonl.gz`) and tab-separated (`.tsv`); DuckDB
    reads them as they are, also when they are not UTF-8 (the UTF-8 copy is decompressed)."""
    import gzip

    from conftest import run

    db = tmp_path / "w.duckdb"
    csv_gz = tmp_path / "a.csv.gz"
    csv_gz.write_bytes(gzip.compress(b"customer_id,email\nc1,a@example.com\n"))
    tsv = tmp_path / "b.tsv"
    tsv.write_text("customer_id\temail\nc2\tb@example.com\n")
    jsonl_gz = tmp_path / "c.jsonl.gz"
    jsonl_gz.write_bytes(gzip.compress(b'{"customer_id": "c3", "email": "c@example.com"}\n'))
    latin_gz = tmp_path / "d.csv.gz"
    latin_gz.write_bytes(gzip.compress("customer_id,last_name\nc4,Müller\n".encode("latin-1")))
    run(["cdp", "load", "shop_customers", str(csv_gz), str(tsv), str(jsonl_gz)], db)
    run(["cdp", "load", "shop_customers", str(latin_gz), "--encoding", "latin-1"], db)
    with duckdb.connect(str(db)) as con:
        assert con.execute("select customer_id, coalesce(email, last_name) "
                           "from raw.shop_customers order by 1").fetchall() == [
            ("c1", "a@example.com"), ("c2", "b@example.com"), ("c3", "c@example.com"),
            ("c4", "Müller")]
    zipped = tmp_path / "e.zip"
    zipped.write_bytes(b"PK")
    refused = run(["cdp", "load", "shop_customers", str(zipped)], db, check=False)
    assert refused.returncode == 2
    assert "e.zip: unsupported file type (use .csv, .tsv, .parquet" in refused.stderr


def test_load_dry_run_reports_without_writing_even_while_the_warehouse_is_busy(tmp_path):
    """`--dry-run` reads the file and says what the load would do (rows, columns left out
    or missing, values that would not cast, a refusal) without writing; the warehouse is
    only read, and not needed at all when another process holds it (a running build)."""
    from conftest import run

    db = tmp_path / "w.duckdb"
    csv = tmp_path / "orders.csv"
    csv.write_text("order_id,total_amount,colour\no1,12.50,red\no2,abc,blue\n")
    run(["cdp", "load", "shop_orders", str(csv)], db)
    dry = run(["cdp", "load", "shop_orders", str(csv), "--dry-run"], db)
    assert "raw.shop_orders: 2 rows would be appended from" in dry.stdout
    assert "not in the contract, left out: colour" in dry.stdout
    assert "total_amount 1 (e.g. 'abc')" in dry.stdout
    assert "was loaded before" in dry.stdout
    with duckdb.connect(str(db)) as con:  # a writer holds the warehouse meanwhile
        assert con.execute("select count(*) from raw.shop_orders").fetchone()[0] == 2
        assert con.execute("select count(*) from audit.load_log").fetchone()[0] == 1
        busy = run(["cdp", "load", "shop_orders", str(csv), "--dry-run"], db)
        assert "2 rows would be appended" in busy.stdout
        assert "not checked against earlier loads" in busy.stdout
        bad = tmp_path / "bad.csv"
        bad.write_text("order_id,ordered_at\no3,05/01/2026\n")
        refused = run(["cdp", "load", "shop_orders", str(bad), "--dry-run"], db, check=False)
        assert refused.returncode == 2 and "every value of ordered_at" in refused.stderr


def test_load_of_the_same_file_again_says_so(tmp_path):
    """Loading one file twice (a retried job, a slip) appends its rows again, which the
    contract allows (staging keeps one version, the copies are duplicate deliveries), but
    the load says so; a file of the same name with other content is a new file."""
    from conftest import run

    db = tmp_path / "w.duckdb"
    csv = tmp_path / "customers.csv"
    csv.write_text("customer_id,email\nc1,a@example.com\n")
    first = run(["cdp", "load", "shop_customers", str(csv)], db)
    assert "loaded before" not in first.stdout
    again = run(["cdp", "load", "shop_customers", str(csv)], db)
    assert "the same file (path, size, modification time) was loaded before, at" in again.stdout
    csv.write_text("customer_id,email\nc2,b@example.com\nc3,c@example.com\n")
    changed = run(["cdp", "load", "shop_customers", str(csv)], db)
    assert "loaded before" not in changed.stdout
    with duckdb.connect(str(db)) as con:
        assert con.execute("select count(*) from raw.shop_customers").fetchone()[0] == 4


def test_load_takes_several_files_and_stops_at_the_first_that_fails(tmp_path):
    """A folder of daily exports (`cdp load shop_customers exports/*.csv`): each file is its
    own load (its own transaction and audit.load_log row). A file that cannot be read stops
    the command with its name; the files before it stay loaded, the ones after it are not
    touched, and the error says which."""
    from conftest import run

    db = tmp_path / "w.duckdb"
    day1, day2, bad, day3 = (tmp_path / n for n in ("d1.csv", "d2.csv", "bad.txt", "d3.csv"))
    day1.write_text("customer_id\nc1\n")
    day2.write_text("customer_id\nc2\nc3\n")
    day3.write_text("customer_id\nc4\n")
    both = run(["cdp", "load", "shop_customers", str(day1), str(day2)], db)
    assert "1 row appended from" in both.stdout and "2 rows appended from" in both.stdout
    stopped = run(["cdp", "load", "shop_customers", str(day3), str(bad), str(day1)], db,
                  check=False)
    assert stopped.returncode == 2 and "Traceback" not in stopped.stderr
    assert "bad.txt: unsupported file type" in stopped.stderr
    assert "d1.csv not loaded" in stopped.stderr
    with duckdb.connect(str(db)) as con:
        assert con.execute("select count(*) from raw.shop_customers").fetchone()[0] == 4
        assert con.execute("select count(*) from audit.load_log").fetchone()[0] == 3


def test_load_json_keeps_nested_payloads_as_json_and_times_in_utc(tmp_path):
    """A Segment export in JSON lines: nested traits and context are objects, which DuckDB
    reads as structs; they land as JSON text (before: a struct's display form, which staging
    rejected as malformed JSON). A timestamp with an offset lands in UTC (before: the
    offset was dropped, two hours off)."""
    from conftest import run

    db = tmp_path / "w.duckdb"
    events = tmp_path / "events.jsonl"
    events.write_text(
        '{"message_id":"m1","type":"identify","anonymous_id":"a1","user_id":"u1",'
        '"traits":{"email":"ann.lee@example.com","address":{"city":"Bonn"}},'
        '"context":{"ip":"1.2.3.4"},"timestamp":"2026-05-01T10:05:00+02:00",'
        '"received_at":"2026-05-01T08:05:01Z"}\n'
        '{"message_id":"m2","type":"track","event":"Order Completed","anonymous_id":"a1",'
        '"properties":{"revenue":12.5,"products":[{"sku":"s1"}]},'
        '"timestamp":"2026-05-01 09:00:00","received_at":"2026-05-01T09:00:01Z"}\n')
    run(["cdp", "load", "tracking_events", str(events)], db)
    with duckdb.connect(str(db)) as con:
        rows = con.execute(
            "select message_id, traits, context, properties, timestamp, received_at "
            "from raw.tracking_events order by 1").fetchall()
    assert [(r[0], json.loads(r[1]) if r[1] else None, r[2], r[3]) for r in rows] == [
        ("m1", {"email": "ann.lee@example.com", "address": {"city": "Bonn"}},
         '{"ip":"1.2.3.4"}', None),
        ("m2", None, None, '{"revenue":12.5,"products":[{"sku":"s1"}]}'),
    ]
    assert [(str(r[4]), str(r[5])) for r in rows] == [
        ("2026-05-01 08:05:00", "2026-05-01 08:05:01"),
        ("2026-05-01 09:00:00", "2026-05-01 09:00:01"),
    ]


def test_load_rejects_unknown_table_and_missing_file_cleanly(tmp_path):
    from conftest import run

    db = tmp_path / "w.duckdb"
    bad_table = run(["cdp", "load", "no_such_table", "x.csv"], db, check=False)
    assert bad_table.returncode == 2 and "not in the contract" in bad_table.stderr
    missing = run(["cdp", "load", "crm_accounts", str(tmp_path / "nope.csv")], db, check=False)
    assert missing.returncode == 2 and "Traceback" not in missing.stderr
