"""`cdp purge-raw`: carry out erasure requests in the raw landing tables.

The dbt build has already resolved each erasure request to its customer and listed every
record of that customer in `intermediate.int_privacy__erasure_scope`. This deletes those
records' raw rows (every delivery), the order lines of their orders, the tracking rows of
their anonymous ids and shop accounts, the request itself (it holds the identifier), their
profile history in the snapshot and the values of their rows that `cdp load` could not cast
(`audit.load_rejected_values`), in one transaction, and appends one row per request
and raw table to `audit.erasure_log`: ids, counts and time, never personal data. The next
`dbt build` then rebuilds staging, identity and marts without them.
"""

from __future__ import annotations

import duckdb

from cdp import warehouse

# raw table -> (key column, the identity source whose source_record_id it holds)
RECORD_KEYS = {
    "crm_contacts": ("contact_id", "crm_contacts"),
    "shop_customers": ("customer_id", "shop_customers"),
    "shop_orders": ("order_id", "shop_orders"),
    "shop_order_items": ("order_id", "shop_orders"),
    "pos_transactions": ("transaction_id", "pos_transactions"),
    "loyalty_members": ("loyalty_card_id", "loyalty_members"),
    "support_tickets": ("ticket_id", "support_tickets"),
    "email_activity": ("activity_id", "email_activity"),
    "consent_events": ("consent_event_id", "consent_events"),
    "privacy_requests": ("request_id", "privacy_requests"),
    "tracking_events": ("anonymous_id", "tracking_events"),
}
# extra links: tracking rows of an erased shop account, even under another anonymous id
EXTRA_KEYS = {"tracking_events": [("user_id", "shop_customers")]}
# contact columns: quarantined rows without a key (never stitched to anyone) are erased
# when they carry an email or phone of the erased customer's records
CONTACT_COLUMNS = {
    "crm_contacts": ("email", "phone"), "shop_customers": ("email", "phone"),
    "shop_orders": ("email", "phone"), "loyalty_members": ("email", "phone"),
    "support_tickets": ("requester_email", "requester_phone"),
    "email_activity": ("email", None),
    "consent_events": ("identifier_value", "identifier_value"),
    "privacy_requests": ("identifier_value", "identifier_value"),
}
DIGITS = "regexp_replace({}, '[^0-9]', '', 'g')"

AUDIT_DDL = """
create schema if not exists audit;
create table if not exists audit.erasure_log (
    privacy_request_id varchar,
    customer_id varchar,
    raw_table varchar,
    rows_deleted bigint,
    purged_at timestamp
);
"""


def purge_raw(con: duckdb.DuckDBPyConnection, dry_run: bool = False) -> list[dict]:
    has_scope = con.execute(
        "select count(*) from information_schema.tables where table_schema = 'intermediate' "
        "and table_name = 'int_privacy__erasure_scope'").fetchone()[0]
    if not has_scope:
        raise LookupError("intermediate.int_privacy__erasure_scope is missing: run `dbt build` "
                          "first, so that erasure requests are resolved to their customers")
    requests = con.execute(
        "select distinct privacy_request_id, customer_id from "
        "intermediate.int_privacy__erasure_scope order by 1").fetchall()
    has_rejected_values = warehouse.has_table(con, "audit", "load_rejected_values")
    log = []
    con.execute("begin transaction")
    try:
        con.execute(AUDIT_DDL)
        for request_id, customer_id in requests:
            conditions = {table: _record_condition(table) for table in RECORD_KEYS}
            _collect_contacts(con, customer_id, conditions)
            for table, condition in conditions.items():
                if table in CONTACT_COLUMNS:
                    condition = f"({condition}) or ({_quarantined_contact_condition(table)})"
                count_sql = f"select count(*) from raw.{table} where {condition}"
                rows = con.execute(count_sql, {"customer": customer_id}).fetchone()[0]
                if rows and not dry_run:
                    if has_rejected_values:
                        key = RECORD_KEYS[table][0]
                        con.execute(
                            "delete from audit.load_rejected_values where table_name = "
                            f"'{table}' and trim(record_key) in (select trim({key}) "
                            f"from raw.{table} where {condition})", {"customer": customer_id})
                    con.execute(f"delete from raw.{table} where {condition}",
                                {"customer": customer_id})
                log.append({"privacy_request_id": request_id, "customer_id": customer_id,
                            "raw_table": table, "rows_deleted": rows})
        has_snapshot = con.execute(
            "select count(*) from information_schema.tables where table_schema = 'snapshots' "
            "and table_name = 'customers_snapshot'").fetchone()[0]
        if has_snapshot and requests and not dry_run:
            con.execute("delete from snapshots.customers_snapshot where customer_id in "
                        "(select customer_id from intermediate.int_privacy__erasure_scope)")
        if not dry_run and log:
            con.executemany(
                "insert into audit.erasure_log values (?, ?, ?, ?, current_timestamp)",
                [[r["privacy_request_id"], r["customer_id"], r["raw_table"], r["rows_deleted"]]
                 for r in log])
        con.execute("rollback" if dry_run else "commit")
    except Exception:
        con.execute("rollback")
        raise
    return log


def _record_condition(table: str) -> str:
    column, source = RECORD_KEYS[table]
    links = [(column, source)] + EXTRA_KEYS.get(table, [])
    return " or ".join(
        f"trim({col}) in (select source_record_id from intermediate.int_privacy__erasure_scope "
        f"where customer_id = $customer and source = '{src}')" for col, src in links)


def _collect_contacts(con, customer_id: str, conditions: dict[str, str]) -> None:
    """The emails and phones (as delivered, lowercased / digits only) on the customer's rows."""
    con.execute("create or replace temp table erased_contacts (kind varchar, value varchar)")
    for table, (email, phone) in CONTACT_COLUMNS.items():
        where = conditions[table]
        if email:
            con.execute(f"insert into erased_contacts select 'email', lower(trim({email})) "
                        f"from raw.{table} where ({where}) and {email} like '%@%'",
                        {"customer": customer_id})
        if phone:
            con.execute(f"insert into erased_contacts select 'phone', {DIGITS.format(phone)} "
                        f"from raw.{table} where ({where}) and {phone} not like '%@%' "
                        f"and length({DIGITS.format(phone)}) >= 7", {"customer": customer_id})


def _quarantined_contact_condition(table: str) -> str:
    key = RECORD_KEYS[table][0]
    email, phone = CONTACT_COLUMNS[table]
    matches = [f"lower(trim({email})) in (select value from erased_contacts "
               "where kind = 'email')"] if email else []
    if phone:
        matches.append(f"{DIGITS.format(phone)} in (select value from erased_contacts "
                       "where kind = 'phone')")
    return f"nullif(trim({key}), '') is null and ({' or '.join(matches)})"
