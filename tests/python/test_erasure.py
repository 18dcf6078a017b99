"""Erasure: a person who asked to be forgotten is gone from every table but the audit."""

from __future__ import annotations

import shutil

import duckdb
import pytest
from conftest import query, run

SCOPE = "select source_record_id from intermediate.int_privacy__erasure_scope where source = '{}'"
# raw table, key column, identity source, email column, phone column, has names
RAW = [
    ("crm_contacts", "contact_id", "crm_contacts", "email", "phone", True),
    ("shop_customers", "customer_id", "shop_customers", "email", "phone", True),
    ("shop_orders", "order_id", "shop_orders", "email", "phone", False),
    ("loyalty_members", "loyalty_card_id", "loyalty_members", "email", "phone", True),
    ("support_tickets", "ticket_id", "support_tickets", "requester_email", "requester_phone",
     False),
    ("email_activity", "activity_id", "email_activity", "email", None, False),
]


@pytest.fixture(scope="module")
def erased(built_db, tmp_path_factory):
    """A copy of the built warehouse after `cdp purge-raw` and a rebuild, with what the
    erased customers' records said about them (emails, phones, names) before."""
    db, _ = built_db
    folder = tmp_path_factory.mktemp("erasure")
    copy = folder / "cdp.duckdb"
    shutil.copy(db, copy)
    emails, phones, names = set(), set(), set()
    for table, key, source, email, phone, has_names in RAW:
        where = f"trim({key}) in ({SCOPE.format(source)})"
        emails |= {e for (e,) in query(copy, f"select lower(trim({email})) from raw.{table} "
                                             f"where {where} and {email} like '%@%'")}
        if phone:
            phones |= {p for (p,) in query(
                copy, f"select regexp_replace({phone}, '[^0-9]', '', 'g') from raw.{table} "
                      f"where {where} and length(regexp_replace({phone}, '[^0-9]', '', 'g')) >= 9")}
        if has_names:
            names |= set(query(copy, f"select first_name, last_name from raw.{table} where {where} "
                                     "and first_name is not null and last_name is not null"))
    assert emails, "the generator makes erasure requests that reach customers"
    before = {
        "customers": query(copy, "select count(*) from marts.customers")[0][0],
        "scope": query(copy, "select count(distinct customer_id) "
                             "from intermediate.int_privacy__erasure_scope")[0][0],
        "erased_in_marts": query(copy, """
            select count(*) from marts.customers where customer_id in
            (select customer_id from intermediate.int_privacy__erasure_scope)""")[0][0],
    }
    # names are not identifiers: a customer left with an erased customer's full name (one
    # identity could not link) must be listed for review before the purge
    before["unreviewed_namesakes"] = [
        (first, last) for first, last in names
        for (customer_id,) in query(copy, """
            select customer_id from marts.customers where first_name = ? and last_name = ?""",
            [first, last])
        if not query(copy, "select count(*) from intermediate.int_privacy__erasure_review "
                           "where customer_id = ?", [customer_id])[0][0]]
    purge = run(["cdp", "purge-raw"], copy)
    run(["dbt", "build", "--full-refresh"], copy, folder / "target")
    return copy, (emails, phones, names), before, purge.stdout


def _text_columns(con):
    return con.execute("""
        select table_schema, table_name, column_name from information_schema.columns
        where table_schema not in ('truth', 'audit', 'information_schema', 'pg_catalog')
          and data_type = 'VARCHAR'""").fetchall()


def test_erased_customers_leave_the_marts_on_the_next_build(erased):
    _, _, before, _ = erased
    assert before["scope"] >= 1
    assert before["erased_in_marts"] == 0
    assert before["unreviewed_namesakes"] == []


def test_no_value_of_an_erased_customer_remains_outside_the_audit(erased):
    """Every email and phone their records carried is gone from every schema but the audit
    (and `truth`, the generator's answer key), incl. quarantined rows without a key."""
    db, (emails, phones, names), _, _ = erased
    leaks = []
    with duckdb.connect(str(db), read_only=True) as con:
        columns = _text_columns(con)
        for schema, table, column in columns:
            relation = f'"{schema}"."{table}"'
            for email in emails:
                local = email.split("@")[0]
                if con.execute(f'select count(*) from {relation} where "{column}" ilike $n',
                               {"n": f"%{local}%"}).fetchone()[0]:
                    leaks.append((schema, table, column, local))
            for phone in phones:
                if con.execute(
                        f"select count(*) from {relation} where regexp_replace(\"{column}\", "
                        "'[^0-9]', '', 'g') like $n", {"n": f"%{phone[-9:]}%"}).fetchone()[0]:
                    leaks.append((schema, table, column, phone))
    assert leaks == [], "\n".join(map(str, leaks))


def test_erasure_is_audited_without_personal_data(erased):
    db, (emails, _, names), before, stdout = erased
    log = query(db, "select privacy_request_id, customer_id, raw_table, rows_deleted "
                    "from audit.erasure_log")
    assert sum(row[3] for row in log) > 0
    assert len({row[1] for row in log}) == before["scope"]
    flat = " ".join(str(value) for row in log for value in row)
    assert not any(email.split("@")[0] in flat for email in emails)
    assert not any(last in flat for _, last in names)
    assert "erasure request(s)" in stdout


def test_other_customers_are_untouched(erased):
    db, _, before, _ = erased
    after = query(db, "select count(*) from marts.customers")[0][0]
    # the erased were already out of the marts before the purge: the count does not move
    assert after == before["customers"]
    # their sales stay countable, just unattributed: transactions still reconcile (dbt tests)
    assert query(db, "select count(*) from snapshots.customers_snapshot")[0][0] > 0


def test_values_a_load_could_not_cast_are_purged_with_their_record(tmp_path):
    """`cdp load` keeps each value that did not cast, with its row's key, in
    audit.load_rejected_values (an amount, a time: personal data once tied to an order).
    The purge deletes those of the erased records with the raw rows; others stay."""
    db = tmp_path / "w.duckdb"
    csv = tmp_path / "orders.csv"
    csv.write_text("order_id,total_amount,ordered_at\n"
                   "o1,abc,2026-05-01 10:05:00\n"
                   " o2 ,12.50,yesterday\n"
                   "o3,1O.00,2026-05-01 11:00:00\n")
    run(["cdp", "load", "shop_orders", str(csv)], db)
    with duckdb.connect(str(db)) as con:
        con.execute("create schema intermediate")
        con.execute("""
            create table intermediate.int_privacy__erasure_scope as
            select * from (values ('r1', 'c1', 'shop_orders', 'o1'),
                                  ('r1', 'c1', 'shop_orders', 'o2')
            ) as t (privacy_request_id, customer_id, source, source_record_id)""")
    run(["cdp", "purge-raw"], db)
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("select trim(order_id) from raw.shop_orders").fetchall() == [("o3",)]
        assert con.execute("select record_key, column_name, rejected_value "
                           "from audit.load_rejected_values").fetchall() == [
            ("o3", "total_amount", "1O.00")]
