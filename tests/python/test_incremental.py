"""Incremental builds give the same marts as a full refresh of the same data.

A generated landing zone is cut at dates: the rows loaded before the first cut are built
first, then three batches land and are built incrementally. The batches also carry what
makes incremental processing hard: events that arrive late into old sessions, tracking
events re-delivered under another anonymous_id or platform (built first by a run that stops
at the identity source records; four devices lose every event so, and must leave identity,
among them one that alone gave its customer a phone), re-delivered orders with a new
status, shop accounts, email activity and order lines whose loaders lag
behind (order lines two months behind their orders), a CRM
contact whose email belongs to one customer and whose phone to another, which merges the
two, a contact re-delivered without any valid identifier, and guest orders that push a
customer's email over its cap, so that it stops linking (records it alone held together
come apart, and every holder's golden record and lookup rows change). A contact that a
probabilistic match had put in another customer is re-delivered under another name: that
merge must come apart too. A loyalty card scanned at the till before its member record
landed starts linking when it does, and the member joins the customer of the payment card
used with it, although none of that customer's records changed. The first build accepts
no probabilistic match and the later runs do, so customers also merge without new data on
either side, as when the estimated m and u probabilities drift. The last batch also
brings an erasure request, and one run uses another pseudonymization salt (which must
not appear in any file dbt writes: logs, manifest, run results, compiled SQL). Finally a
copy of the warehouse is rebuilt with `--full-refresh` and every table dbt built from the
data (staging, intermediate, marts and their pseudonymized copies; cdp.compare) must hold
exactly the same rows.
"""

from __future__ import annotations

import re
import shutil

import duckdb
import pytest
from conftest import query, run, run_results

from cdp.compare import comparable_tables, compare_warehouses

CUTS = ["2026-05-01", "2026-07-01", "2026-09-01"]  # initial load < CUTS[0] <= batches


def _raw_tables(con) -> list[str]:
    return [t for (t,) in con.execute(
        "select table_name from information_schema.tables where table_schema = 'raw' "
        "order by 1").fetchall()]


def _hold_back(db) -> None:
    """Move every raw row loaded on or after the first cut into schema `held`."""
    with duckdb.connect(str(db)) as con:
        con.execute("create schema held")
        for table in _raw_tables(con):
            con.execute(f"create table held.{table} as select * from raw.{table} "
                        f"where _loaded_at >= timestamp '{CUTS[0]}'")
            con.execute(f"delete from raw.{table} where _loaded_at >= timestamp '{CUTS[0]}'")


def _land(db, start: str, end: str | None, tables: set[str] | None = None) -> int:
    landed = 0
    with duckdb.connect(str(db)) as con:
        for table in _raw_tables(con):
            if tables is not None and table not in tables:
                continue
            upper = f"and _loaded_at < timestamp '{end}'" if end else ""
            landed += con.execute(f"insert into raw.{table} select * from held.{table} "
                                  f"where _loaded_at >= timestamp '{start}' {upper}").fetchone()[0]
    return landed


def _land_late_events_and_order_updates(db, loaded_at: str) -> int:
    """Events that happened long ago but land now, and orders re-delivered as refunded."""
    with duckdb.connect(str(db)) as con:
        con.execute(f"""
            insert into raw.tracking_events by name
            select * replace (
                message_id || '-late' as message_id,
                cast("timestamp" as timestamp) + interval 4 minute as "timestamp",
                cast("timestamp" as timestamp) + interval 4 minute as received_at,
                timestamp '{loaded_at}' as _loaded_at)
            from raw.tracking_events as raw_event
            where exists (  -- the delivery staging kept, so the copy is valid too
                select 1 from staging.stg_tracking__events as staged
                where staged.message_id = raw_event.message_id
                    and staged._loaded_at = raw_event._loaded_at
                    and staged._loaded_at < timestamp '{CUTS[0]}')
            using sample reservoir(60 rows) repeatable (3)""")
        con.execute(f"""
            insert into raw.shop_orders by name
            select * replace ('refunded' as order_status, timestamp '{loaded_at}' as updated_at,
                              timestamp '{loaded_at}' as _loaded_at)
            from raw.shop_orders
            where _loaded_at < timestamp '{CUTS[0]}' and order_status = 'delivered'
            using sample reservoir(20 rows) repeatable (5)""")
        # (the sample is drawn before the filter: count what landed)
        return con.execute("select count(*) from raw.tracking_events "
                           "where message_id like '%-late'").fetchone()[0]


def _land_moved_events(db, loaded_at: str) -> dict:
    """Tracking events re-delivered under another visitor (a corrected anonymous_id or
    platform).

    One moves to a new anonymous_id and leaves a visitor who keeps four other events: their
    sessions change, and so does their device record (the event was their latest load).
    The other is the only event of a visitor on its platform and moves to another platform
    of the same device: that visitor and their session must disappear.
    Four devices lose all their events this way, so their records must leave identity
    (`emptied_devices`: new anonymous_id -> old one).
    """
    with duckdb.connect(str(db)) as con:
        def redeliver(message_id: str, replace: str) -> None:
            con.execute(f"""
                insert into raw.tracking_events by name
                select * replace ({replace}, timestamp '{loaded_at}' as _loaded_at)
                from raw.tracking_events as raw_event
                where exists (
                    select 1 from staging.stg_tracking__events as staged
                    where staged.message_id = ? and staged._loaded_at = raw_event._loaded_at
                        and trim(raw_event.message_id) = staged.message_id)""", [message_id])

        # a device that never logged in, with five events on one platform: the one that
        # landed last moves (alone: its device record's last load changes)
        left_anonymous_id, moved_message = con.execute("""
            with device_events as (
                select
                    anonymous_id,
                    message_id,
                    _loaded_at,
                    count(*) over device as events,
                    count(user_id) over device as logins,
                    min(platform) over device = max(platform) over device as one_platform,
                    row_number() over (device order by _loaded_at desc, message_id) as load_rank,
                    lead(_loaded_at) over (device order by _loaded_at desc, message_id)
                        as next_load
                from staging.stg_tracking__events
                window device as (partition by anonymous_id)
            )
            select anonymous_id, message_id from device_events
            where load_rank = 1 and events = 5 and logins = 0 and one_platform
                and next_load < _loaded_at
            order by 1 limit 1""").fetchone()
        redeliver(moved_message, "'moved-visitor-1' as anonymous_id")
        # a device with a single event, which moves to another platform
        gone_anonymous_id, gone_message, gone_platform = con.execute("""
            select anonymous_id, any_value(message_id), any_value(platform)
            from staging.stg_tracking__events
            group by anonymous_id having count(*) = 1 and count(user_id) = 0
            order by 1 limit 1""").fetchone()
        new_platform = "android" if gone_platform == "ios" else "ios"
        redeliver(gone_message, f"'{new_platform}' as source")
        # devices whose every event moves to a new anonymous_id (a tracker replaying its
        # visitors under corrected ids): each old device is left without events, so its
        # identity record must leave identity and the marts. One never logged in (a
        # customer of its own); one logged in and is one record of a larger customer; one
        # logged in and is the anchor of a larger customer, which gets another id.
        emptied = {}
        for new_id, logins, anchor in (("moved-visitor-2", "= 0", None),
                                       ("moved-visitor-3", "> 0", False),
                                       ("moved-visitor-4", "> 0", True)):
            if anchor is None:  # alone in its customer, with a name (a match profile)
                customer_condition = """
                    and anonymous_id in (
                        select source_record_id from intermediate.int_identity__record_customers
                        where customer_id in (
                            select customer_id from intermediate.int_identity__record_customers
                            group by 1 having count(*) = 1))
                    and anonymous_id in (select anonymous_id from staging.stg_tracking__events
                                         where traits_first_name is not null)"""
            else:
                customer_condition = f"""
                    and anonymous_id in (
                        select device.source_record_id
                        from intermediate.int_identity__record_customers as device
                        inner join intermediate.int_identity__record_customers as other
                            on device.customer_id = other.customer_id
                            and device.record_id <> other.record_id
                        where device.source = 'tracking_events'
                            and (device.anchor_record_id = device.record_id) = {anchor})"""
            found = con.execute(f"""
                select anonymous_id from staging.stg_tracking__events
                where anonymous_id not in (?, ?) {customer_condition}
                group by anonymous_id
                having count(*) between 1 and 3 and count(user_id) {logins}
                order by 1 limit 1""", [left_anonymous_id, gone_anonymous_id]).fetchone()
            assert found, f"the fixture data holds no device for {new_id}"
            emptied[new_id] = found[0]
            emptied[new_id + ":customer_before"] = con.execute(
                "select customer_id from marts.customer_identities "
                "where source = 'tracking_events' and source_record_id = ?",
                [emptied[new_id]]).fetchone()[0]
            for (message,) in con.execute(
                    "select message_id from staging.stg_tracking__events "
                    "where anonymous_id = ? order by 1", [emptied[new_id]]).fetchall():
                redeliver(message, f"'{new_id}' as anonymous_id")
        # the device that gave a customer their phone, replayed anonymized: the customer
        # loses it, and none of their other records changes
        emptied["phone_customer:phone_before"] = con.execute(
            "select phone from marts.customers where customer_id = "
            "(select distinct customer_id from marts.customer_identities "
            " where source = 'tracking_events' and source_record_id = 'phone-device-1')"
        ).fetchone()[0]
        redeliver("phone-device-login", "'moved-visitor-5' as anonymous_id, null as user_id, "
                                        "null as traits")
        emptied["moved-visitor-5"] = "phone-device-1"
    return {"moved_message": moved_message, "moved_from": left_anonymous_id,
            "gone_message": gone_message, "gone_visitor": gone_anonymous_id,
            "gone_platform": gone_platform, "gone_to_platform": new_platform,
            "emptied_devices": emptied}


def _land_phone_device_of_customer(db, loaded_at: str) -> dict[str, str]:
    """A new device whose one identify call logs in as the shop account of a customer who
    has no phone, and carries a phone: it becomes that customer's phone. The call is later
    replayed anonymized under another anonymous_id (_land_moved_events), so the customer
    loses the device although none of their other records changes (another record logs
    in with the account, so it still links)."""
    with duckdb.connect(str(db)) as con:
        customer, account = con.execute("""
            select customers.customer_id, accounts.source_record_id
            from marts.customers
            inner join marts.customer_identities as accounts
                on customers.customer_id = accounts.customer_id
                and accounts.source = 'shop_customers'
            -- another record logs in with the account too, so that the account still links
            -- two records after the device leaves: the shop account's row does not change
            where customers.phone is null and accounts.source_record_id in (
                select identifiers.identifier_value
                from intermediate.int_identity__identifiers as identifiers
                inner join intermediate.int_identity__identifier_assessment as assessment
                    on identifiers.value_id = assessment.value_id
                where identifiers.identifier_type = 'shop_customer_id'
                    and assessment.record_count >= 2)
            order by 1 limit 1""").fetchone()
        con.execute(f"""
            insert into raw.tracking_events (message_id, source, type, anonymous_id, user_id,
                                             traits, context, "timestamp", received_at,
                                             _loaded_at)
            values ('phone-device-login', 'web', 'identify', 'phone-device-1', '{account}',
                    '{{"phone":"415-555-0177"}}', '{{"device":{{"id":null}}}}',
                    timestamp '{loaded_at}', timestamp '{loaded_at}', timestamp '{loaded_at}')""")
    return {"phone_customer": customer}


def _land_bridging_contact(db, loaded_at: str) -> tuple[str, str]:
    """A CRM contact with customer A's email and customer B's phone: A and B must merge.

    Returns (older customer_id, younger customer_id) by their first record's load time.
    """
    with duckdb.connect(str(db)) as con:
        # two single-record shop customers, each the only holder of its email and phone
        pair = con.execute("""
            with singles as (
                select c.customer_id, c.email, c.phone, min(i.first_loaded_at) as first_loaded_at
                from marts.customers as c
                inner join marts.customer_identities as i using (customer_id)
                where c.email is not null and c.phone is not null
                group by 1, 2, 3
                having count(distinct i.source_record_id) filter (
                    where i.source <> 'tracking_events') = 1
            )
            select customer_id, email, phone from singles
            where email not in (
                select identifier_value from marts.customer_identities
                where identifier_type = 'email' and not is_identifier_used_for_stitching)
            order by first_loaded_at, customer_id limit 2""").fetchall()
        (older, older_email, _), (younger, _, younger_phone) = pair
        con.execute(f"""
            insert into raw.crm_contacts (contact_id, first_name, last_name, email, phone,
                                          created_at, updated_at, _loaded_at)
            values ('bridge-1', 'Alex', 'Bridge', '{older_email}', '{younger_phone}',
                    timestamp '{loaded_at}', timestamp '{loaded_at}', timestamp '{loaded_at}')""")
    return older, younger


def _redeliver_contact(con, contact: str, loaded_at: str, changes: str) -> None:
    """Land the contact's latest delivery again at `loaded_at`, with `changes` (a `replace`
    list) and an `updated_at` of that time, as a CRM export of an edited contact would."""
    con.execute(f"""
        insert into raw.crm_contacts by name
        select * replace ({changes},
                          timestamp '{loaded_at}' as updated_at,
                          timestamp '{loaded_at}' as _loaded_at)
        from raw.crm_contacts where contact_id = ?
        order by _loaded_at desc limit 1""", [contact])


def _land_identity_changes(db, loaded_at: str) -> dict:
    """A CRM contact re-delivered with an invalid email and no phone, and guest orders that
    show one customer's email with more phones than the email's cap (3) allows. One of the
    records carrying that email carries nothing else."""
    with duckdb.connect(str(db)) as con:
        # a contact whose email nobody else carries: the value must leave the assessment
        contact = con.execute("""
            select records.source_record_id
            from intermediate.int_identity__identifiers as identifiers
            inner join intermediate.int_identity__identifier_assessment as assessment
                using (value_id)
            inner join intermediate.int_identity__source_records as records using (record_id)
            where identifiers.source = 'crm_contacts' and identifiers.identifier_type = 'email'
                and assessment.record_count = 1
            order by records.source_record_id limit 1""").fetchone()[0]
        _redeliver_contact(con, contact, loaded_at, "'not-an-email' as email, null as phone")
        found = con.execute("""
            select identifier_value, customer_id from marts.customer_identities
            where source = 'shop_customers' and identifier_type = 'email'
                and is_identifier_used_for_stitching
                and customer_id in (select customer_id from marts.customer_identities
                                    group by 1 having count(distinct source_record_id) >= 3)
                -- a record carrying nothing else: once the email stops linking, it has no
                -- node left and only the email's change of usability says to redo it
                and identifier_value in (
                    select any_value(identifier_value)
                    from intermediate.int_identity__identifiers
                    group by record_id
                    having count(*) = 1 and any_value(identifier_type) = 'email')
            order by customer_id desc limit 1""").fetchone()
        assert found, "the fixture data holds no shared email with a carrier of nothing else"
        email, customer = found
        con.execute(f"""
            insert into raw.shop_orders (order_id, email, phone, order_status, currency,
                                         total_amount, ordered_at, updated_at, _loaded_at)
            select 'cap-' || i, '{email}', '+1555010' || (4000 + i), 'delivered', 'USD', 10,
                   timestamp '{loaded_at}', timestamp '{loaded_at}', timestamp '{loaded_at}'
            from range(4) as t(i)""")
    return {"contact": contact, "over_cap_email": email, "over_cap_customer": customer}


def _land_renamed_contact(db, loaded_at: str, other_than: str) -> dict:
    """A CRM contact that a probabilistic match merged into another customer, re-delivered
    under another name: the match fails (first names differ) and the merge comes apart."""
    with duckdb.connect(str(db)) as con:
        found = con.execute("""
            with record_customers as (
                select * from intermediate.int_identity__record_customers
            ),

            cluster_sizes as (
                select cluster_id, count(*) as records from record_customers group by 1
            )

            select contact.source_record_id,
                   min(partner.source || ':' || partner.source_record_id)
            from record_customers as contact
            inner join cluster_sizes using (cluster_id)
            inner join record_customers as partner
                on contact.customer_id = partner.customer_id
                and contact.cluster_id <> partner.cluster_id
            -- alone in its deterministic cluster: the cluster's profile is the contact's
            where contact.source = 'crm_contacts' and contact.matched_by = 'probabilistic'
                and cluster_sizes.records = 1 and contact.source_record_id <> ?
            group by 1
            order by 1 limit 1""", [other_than]).fetchone()
        assert found, "the fixture data holds no CRM contact merged by a probabilistic match"
        contact, partner = found
        _redeliver_contact(con, contact, loaded_at,
                           "'Zebedee' as first_name, 'Quillfeather' as last_name")
    return {"renamed_contact": contact, "renamed_partner": partner}


def _land_member_for_scanned_card(db, loaded_at: str) -> dict:
    """The member record of a loyalty card that was scanned at the till before the record
    landed: the card starts linking, and the member joins the customer of the payment card
    paid with alongside it (whose records did not change)."""
    with duckdb.connect(str(db)) as con:
        found = con.execute("""
            select card.identifier_value, till_record.source_record_id
            from intermediate.int_identity__identifier_assessment as card_assessment
            inner join intermediate.int_identity__identifiers as card using (value_id)
            inner join intermediate.int_identity__source_records as till_record
                on card.record_id = till_record.record_id
            inner join intermediate.int_identity__identifiers as payment_card
                on card.record_id = payment_card.record_id
                and payment_card.identifier_type = 'card_fingerprint'
            inner join intermediate.int_identity__identifier_assessment as payment_assessment
                on payment_card.value_id = payment_assessment.value_id
            where card_assessment.identifier_type = 'loyalty_card_id'
                and card_assessment.unusable_reason = 'not_issued'
                and card_assessment.record_count = 1
                and payment_assessment.is_usable and payment_assessment.record_count > 1
            order by 1 limit 1""").fetchone()
        assert found, "the fixture data holds no unissued card paid with a shared payment card"
        card, till_record = found
        con.execute(f"""
            insert into raw.loyalty_members (loyalty_card_id, first_name, last_name,
                                             enrolled_at, updated_at, _loaded_at)
            values ('{card}', 'Carda', 'Holderby', timestamp '{loaded_at}',
                    timestamp '{loaded_at}', timestamp '{loaded_at}')""")
    return {"scanned_card": card, "scanned_card_till_record": till_record}


def _land_erasure_request(db, loaded_at: str) -> str:
    """An erasure request naming, by email, a customer of several records."""
    with duckdb.connect(str(db)) as con:
        customer, email = con.execute("""
            select customer_id, email from marts.customers
            where email is not null and customer_id in (
                select customer_id from marts.customer_identities
                group by 1 having count(distinct source_record_id) >= 3)
            order by customer_id limit 1""").fetchone()
        con.execute(f"""
            insert into raw.privacy_requests (request_id, identifier_type, identifier_value,
                                              request_type, received_at, _loaded_at)
            values ('erase-1', 'email', '{email}', 'erasure', timestamp '{loaded_at}',
                    timestamp '{loaded_at}')""")
    return customer


def _probabilistic_records(db) -> int:
    return query(db, "select count(*) from intermediate.int_identity__record_customers "
                     "where matched_by = 'probabilistic'")[0][0]


@pytest.fixture(scope="module")
def incremental_and_full(tmp_path_factory):
    work = tmp_path_factory.mktemp("incremental")
    db, target = work / "incremental.duckdb", work / "target"
    run(["cdp", "generate", "--people", "1500", "--seed", "11"], db)
    _hold_back(db)
    # the first build accepts no probabilistic match; the next run does: customers merge
    # although neither side has new data (as when the estimated m and u drift)
    run(["dbt", "build", "--vars", "{cdp_match_weight_threshold: 1000}"], db, target)
    probabilistic_before = _probabilistic_records(db)

    _land(db, CUTS[0], CUTS[1])
    phone_device = _land_phone_device_of_customer(db, "2026-06-30 22:00:00")
    run(["dbt", "run"], db, target)

    _land(db, CUTS[1], CUTS[2])
    late = _land_late_events_and_order_updates(db, "2026-08-31 23:00:00")
    moved = _land_moved_events(db, "2026-08-31 23:10:00") | phone_device
    # a run that stops at the identity source records: the next run's record clusters must
    # still find the records it rewrote (by their run stamp, not this run's), and its
    # sessions and identifiers the visitors the moved events left
    run(["dbt", "run", "-s", "+int_identity__source_records"], db, target)
    # the pseudonymized copy must be rewritten whole, never mix two salts
    run(["dbt", "run"], db, target, env={"CDP_PSEUDONYM_SALT": "another-salt"})
    # (checked in the run that removed the device: later batches bring that customer new
    # records, which would redo their golden record anyway)
    moved["phone_after_removal"] = query(db, "select phone from marts.customers "
                                             "where customer_id = ?",
                                         [phone_device["phone_customer"]])
    # and the salt stays out of everything dbt writes (logs, manifest, run results, SQL)
    salt_written_to = sorted(str(path.relative_to(target)) for path in target.rglob("*")
                             if path.is_file() and b"another-salt" in path.read_bytes())

    # three loaders lag: the other sources land up to November and are built, then the shop
    # accounts, email activity and order lines loaded since September arrive (each has its
    # own clock; the lines' orders were built two months of loads earlier)
    lagging = {"shop_customers", "email_activity", "shop_order_items"}
    with duckdb.connect(str(db)) as con:
        others = set(_raw_tables(con)) - lagging
    _land(db, CUTS[2], None, others)
    run(["dbt", "run"], db, target)
    lagging_rows = _land(db, CUTS[2], None, lagging)
    older, younger = _land_bridging_contact(db, "2026-11-02 23:00:00")
    changes = _land_identity_changes(db, "2026-11-02 23:30:00")
    changes |= _land_renamed_contact(db, "2026-11-02 23:40:00", other_than=changes["contact"])
    changes |= _land_member_for_scanned_card(db, "2026-11-02 23:42:00")
    erased = _land_erasure_request(db, "2026-11-02 23:45:00")
    erased_records = query(db, "select count(*) from marts.customer_identities "
                               "where customer_id = ?", [erased])[0][0]
    (target / "logs" / "dbt.log").unlink()  # keep the last run's log apart
    run(["dbt", "build"], db, target)  # the last batch is also tested
    last_run_log = (target / "logs" / "dbt.log").read_text()
    last_run_tests = [r for r in run_results(target) if r["unique_id"].startswith("test.")]

    full = work / "full.duckdb"
    shutil.copy(db, full)
    run(["dbt", "run", "--full-refresh"], full, work / "target_full")
    return db, full, {"late": late, "older": older, "younger": younger,
                      "lagging_rows": lagging_rows,
                      "probabilistic_before": probabilistic_before,
                      "probabilistic_after": _probabilistic_records(db),
                      "last_run_log": last_run_log, "last_run_tests": last_run_tests,
                      "work": work,
                      "salt_written_to": salt_written_to,
                      "erased": erased, "erased_records": erased_records} | changes | moved


def test_every_built_table_equals_a_full_refresh(incremental_and_full):
    db, full, facts = incremental_and_full
    assert facts["lagging_rows"] >= 20
    assert facts["probabilistic_before"] == 0 < facts["probabilistic_after"]
    tables = comparable_tables(db)
    # every mart, its pseudonymized copies, every staging and intermediate table
    assert len(tables) >= 50
    assert {"marts.customers", "marts_pseudonymized.customer_identities",
            "staging.stg_quality__rejected_rows", "intermediate.int_identity__record_customers",
            "intermediate.int_tracking_events__sessionized"} <= set(tables)
    differences = compare_warehouses(db, full)
    assert {t: n for t, n in differences.items() if n} == {}


def test_the_pseudonymization_salt_is_in_no_dbt_log_or_artifact(incremental_and_full):
    _, _, facts = incremental_and_full
    assert facts["salt_written_to"] == []


def test_late_events_landed_in_old_sessions(incremental_and_full):
    db, _, facts = incremental_and_full
    late = query(db, """
        select count(*), count(*) filter (where late.session_id = original.session_id)
        from marts.events as late
        inner join marts.events as original
            on late.source_event_id = original.source_event_id || '-late'
        where late.occurred_at < timestamp '2026-05-01'""")[0]
    # every late event is in `events`, in the session of the event it followed by 4 minutes
    assert facts["late"] >= 30
    assert late == (facts["late"], facts["late"])


def test_events_re_delivered_under_another_visitor_left_the_old_one(incremental_and_full):
    db, _, facts = incremental_and_full
    assert query(db, "select anonymous_id from marts.events where source_event_id = ?",
                 [facts["moved_message"]]) == [("moved-visitor-1",)]
    # the visitor left behind kept their other events, in sessions that count only those
    kept = query(db, "select count(*) from marts.events where anonymous_id = ?",
                 [facts["moved_from"]])[0][0]
    assert kept == 4
    assert query(db, "select sum(event_count) from marts.sessions where anonymous_id = ?",
                 [facts["moved_from"]])[0][0] == kept
    # the visitor whose only event moved to another platform has no session or event left
    assert query(db, "select platform from marts.events where source_event_id = ?",
                 [facts["gone_message"]]) == [(facts["gone_to_platform"],)]
    for table in ("marts.events", "marts.sessions",
                  "intermediate.int_tracking_events__sessionized"):
        assert query(db, f"select count(*) from {table} where anonymous_id = ? "
                         "and platform = ?", [facts["gone_visitor"], facts["gone_platform"]]
                     )[0][0] == 0, table
    assert query(db, "select count(*) from marts.sessions where anonymous_id = ? "
                     "and platform = ?", [facts["gone_visitor"], facts["gone_to_platform"]]
                 )[0][0] == 1


def test_devices_left_without_events_left_identity_and_the_marts(incremental_and_full):
    db, _, facts = incremental_and_full
    emptied = facts["emptied_devices"]
    for new_id in ("moved-visitor-2", "moved-visitor-3", "moved-visitor-4", "moved-visitor-5"):
        old_id = emptied[new_id]
        for table in ("intermediate.int_identity__source_records",
                      "intermediate.int_identity__record_customers",
                      "marts.customer_identities"):
            holders = query(db, f"select source_record_id, count(*) from {table} "
                                "where source = 'tracking_events' and source_record_id in (?, ?) "
                                "group by 1 order by 1", [new_id, old_id])
            assert [record for record, _ in holders] == [new_id], (table, holders)
        assert query(db, "select count(*) from marts.events where anonymous_id = ?",
                     [old_id])[0][0] == 0
    # the list of records that left identity names the old devices
    listed = {record for (record,) in query(
        db, "select source_record_id from intermediate.int_identity__removed_records")}
    assert {emptied[new_id] for new_id in ("moved-visitor-2", "moved-visitor-3",
                                          "moved-visitor-4", "moved-visitor-5")} <= listed
    # the device that never logged in was a customer of its own: that customer is gone
    lone_customer = emptied["moved-visitor-2:customer_before"]
    assert query(db, "select count(*) from marts.customers where customer_id = ?",
                 [lone_customer])[0][0] == 0
    # the devices that logged in left their customers, and the new ones joined them
    def customer_of(device):
        return query(db, "select customer_id from marts.customer_identities "
                         "where source = 'tracking_events' and source_record_id = ?",
                     [device])[0][0]
    assert customer_of("moved-visitor-3") == emptied["moved-visitor-3:customer_before"]
    # ... or, the old device having been its customer's anchor, a customer of another id
    anchored = emptied["moved-visitor-4:customer_before"]
    assert customer_of("moved-visitor-4") != anchored
    # the retired id is logged, with the id its records now have
    assert query(db, "select surviving_customer_id from marts.customer_id_merges "
                     "where merged_customer_id = ?", [anchored]) == [
        (customer_of("moved-visitor-4"),)]
    for table in ("marts.customers", "marts.customer_identities",
                  "intermediate.int_identity__golden_records"):
        assert query(db, f"select count(*) from {table} where customer_id = ?",
                     [anchored])[0][0] == 0, table
    # the customer that lost the device which gave them their phone has no phone again
    assert emptied["phone_customer:phone_before"] == "+14155550177"
    assert facts["phone_after_removal"] == [(None,)]
    assert query(db, "select phone from marts.customers where customer_id = ?",
                 [facts["phone_customer"]]) == [(None,)]


def test_bridging_record_merged_two_customers_and_the_older_id_survived(incremental_and_full):
    db, _, facts = incremental_and_full
    merges = query(db, "select merged_customer_id, surviving_customer_id, records_moved "
                       "from marts.customer_id_merges")
    assert (facts["younger"], facts["older"]) in [(m, s) for m, s, _ in merges]
    for table in ("customers", "transactions", "events", "customer_identities"):
        assert query(db, f"select count(*) from marts.{table} where customer_id = ?",
                     [facts["younger"]])[0][0] == 0, table
    assert query(db, "select count(*) from marts.customers where customer_id = ?",
                 [facts["older"]])[0][0] == 1


def _renamed_contact_and_partner_customers(db, facts) -> tuple[str, str]:
    """The customers of the renamed contact and of the record it had been merged with."""
    contact = f"crm_contacts:{facts['renamed_contact']}"
    record_key = "source || ':' || source_record_id"
    rows = dict(query(db, f"select {record_key}, customer_id "
                          "from intermediate.int_identity__record_customers "
                          f"where {record_key} in (?, ?)", [contact, facts["renamed_partner"]]))
    return rows[contact], rows[facts["renamed_partner"]]


def test_renamed_contact_left_the_customer_a_probabilistic_match_had_put_it_in(
        incremental_and_full):
    db, _, facts = incremental_and_full
    contact_customer, partner_customer = _renamed_contact_and_partner_customers(db, facts)
    assert contact_customer != partner_customer
    assert query(db, "select matched_by from intermediate.int_identity__record_customers "
                     "where source = 'crm_contacts' and source_record_id = ?",
                 [facts["renamed_contact"]])[0][0] != "probabilistic"
    # the lookup mart followed: the contact's rows name its new customer, and only that one
    assert query(db, "select distinct customer_id from marts.customer_identities "
                     "where source = 'crm_contacts' and source_record_id = ?",
                 [facts["renamed_contact"]]) == [(contact_customer,)]


def test_the_split_log_names_the_merge_that_came_apart(incremental_and_full):
    """The renamed contact's merge came apart: one of the two ids, retired by the merge in
    an earlier run, is back, and the split log says which id it left."""
    db, _, facts = incremental_and_full
    pair = set(_renamed_contact_and_partner_customers(db, facts))
    splits = query(db, "select new_customer_id, split_from_customer_id, was_merged_before, "
                       "split_at from marts.customer_id_splits")
    revived = [(new, left, at) for new, left, was_merged, at in splits
               if {new, left} == pair and was_merged]
    assert len(revived) == 1
    new, left, split_at = revived[0]
    # the merge log retired the revived id into the one it left, in an earlier run
    assert query(db, "select count(*) from marts.customer_id_merges where merged_customer_id = ? "
                     "and surviving_customer_id = ? and merged_at < ?",
                 [new, left, split_at])[0][0] == 1


def test_member_record_of_a_card_scanned_before_joined_the_payment_card_customer(
        incremental_and_full):
    db, _, facts = incremental_and_full
    customers = query(db, """
        select source, customer_id from intermediate.int_identity__record_customers
        where (source = 'loyalty_members' and source_record_id = ?)
            or (source = 'pos_transactions' and source_record_id = ?)""",
                      [facts["scanned_card"], facts["scanned_card_till_record"]])
    assert len(customers) == 2 and len({customer for _, customer in customers}) == 1


def test_incremental_runs_only_rewrote_changed_attribution(incremental_and_full):
    db, _, _ = incremental_and_full
    runs = query(db, "select count(distinct attribution_changed_at) "
                     "from intermediate.int_records__attributed")[0][0]
    assert runs >= 3  # the initial build and at least two incremental runs left their mark
    # identity redoes the clusters around new data, not every record
    stamps = query(db, "select count(*) from intermediate.int_identity__record_clusters "
                       "group by clustered_at order by clustered_at")
    assert len(stamps) >= 3
    assert stamps[-1][0] < sum(n for (n,) in stamps) / 4


def test_written_at_names_the_run_that_last_wrote_each_row(incremental_and_full):
    """The marts' `written_at` is a sync cursor: the last run stamped the rows it wrote,
    those of records whose customer changed in it included, and no other row."""
    db, _, _ = incremental_and_full
    (stamp,) = query(db, "select max(attribution_changed_at) "
                         "from intermediate.int_records__attributed")[0]
    # events: a tracking event belongs to its visitor's record (the anonymous_id)
    event_record = ("case when mart.source = 'tracking_events' then mart.anonymous_id "
                    "else mart.source_event_id end")
    for mart, key in (("transactions", "mart.source_transaction_id"), ("events", event_record)):
        re_attributed, re_attributed_stamped, stamped, total = query(db, f"""
            select
                count(attributed.source_record_id),
                count(attributed.source_record_id) filter (where mart.written_at = ?),
                count(*) filter (where mart.written_at = ?),
                count(*)
            from marts.{mart} as mart
            left join intermediate.int_records__attributed as attributed
                on mart.source = attributed.source and {key} = attributed.source_record_id
                and attributed.attribution_changed_at = ?""", [stamp] * 3)[0]
        # the last run re-attributed some of the mart's records, and re-wrote their rows
        assert re_attributed > 0, mart
        assert re_attributed_stamped == re_attributed, mart
        assert stamped < total / 2, mart  # and did not re-write the whole mart
    for mart in ("transaction_items", "sessions"):
        stamps = query(db, "select count(distinct written_at), max(written_at) "
                           f"from marts.{mart}")[0]
        assert stamps[0] >= 2 and stamps[1] == stamp, mart


def test_identity_changes_reached_the_lookup_and_golden_records(incremental_and_full):
    db, _, facts = incremental_and_full
    # the re-delivered contact carries no identifier any more: one row, no identifier
    assert query(db, "select count(*), count(identifier_value) from marts.customer_identities "
                     "where source = 'crm_contacts' and source_record_id = ?",
                 [facts["contact"]])[0] == (1, 0)
    # the email met more phones than its cap: reported, no longer stitching, no golden email
    assert query(db, "select unusable_reason from intermediate.int_identity__identifier_assessment "
                     "where identifier_type = 'email' and identifier_value = ?",
                 [facts["over_cap_email"]])[0][0] == "over_cap"
    assert query(db, "select count(*) from marts.customer_identities where identifier_value = ? "
                     "and is_identifier_used_for_stitching", [facts["over_cap_email"]])[0][0] == 0
    assert query(db, "select count(*) from intermediate.int_identity__golden_records "
                     "where email = ?", [facts["over_cap_email"]])[0][0] == 0
    # the guest orders that share it did not join the customer who held it
    assert query(db, "select count(*) from marts.customer_identities where source = 'shop_orders' "
                     "and source_record_id like 'cap-%' and customer_id = ?",
                 [facts["over_cap_customer"]])[0][0] == 0


def test_pseudonymized_lookup_followed_the_records_each_run_rewrote(incremental_and_full):
    """The last run updated the lookup's pseudonymized copy instead of copying it whole."""
    db, _, facts = incremental_and_full
    hook = [line for line in facts["last_run_log"].splitlines()
            if 'marts_pseudonymized."customer_identities"' in line]
    assert any(line.lstrip().startswith("delete from") for line in hook)
    assert not any("create or replace" in line for line in hook)
    # the records of a customer erased in that run left the copy too
    assert facts["erased_records"] >= 3
    assert query(db, "select count(*) from marts_pseudonymized.customer_identities "
                     "where customer_id = ?", [facts["erased"]])[0][0] == 0
    # rows written by earlier runs were kept as they were
    assert query(db, "select count(distinct stitched_at) "
                     "from marts_pseudonymized.customer_identities")[0][0] >= 3


def test_tests_marked_written_by_this_run_read_the_rows_the_run_wrote(incremental_and_full):
    """`where: __written_by_this_run__` (macros/tests/get_where_subquery.sql): in an
    incremental `dbt build` the marked tests read the rows the tested model wrote in that
    run (its meta.written_at stamp); `dbt test` reads every row, and so does a marked test
    until it passes again."""
    db, _, facts = incremental_and_full
    run_started_at = query(db, "select max(run_started_at) from audit.run_log "
                               "where command = 'build'")[0][0]
    stamp_filter = re.compile(r'where "(\w+)" = cast\(\'([^\']+)\' as timestamp\)\) dbt_subquery')
    scoped, stamps = {}, set()
    for result in facts["last_run_tests"]:
        match = stamp_filter.search(result["compiled_code"])
        if match:
            assert result["status"] == "pass", result["unique_id"]
            scoped[result["unique_id"].split(".")[2]] = match.group(1)
            stamps.add(match.group(2))
    # one stamp, the last run's start (the run log keeps it to the second)
    (stamp,) = stamps
    assert stamp.startswith(str(run_started_at))
    assert scoped["unique_int_identity__record_clusters_record_id"] == "clustered_at"
    assert scoped["not_null_customer_identities_customer_id"] == "stitched_at"
    assert scoped["unique_events_event_id"] == "written_at"
    assert scoped["unique_sessions_session_id"] == "written_at"
    assert scoped["unique_stg_tracking__events_message_id"] == "_written_at"
    assert scoped["unique_int_tracking_events__sessionized_message_id"] == "_written_at"
    assert scoped["unique_int_identity__source_records_record_id"] == "written_at"
    assert len(scoped) >= 20
    # the tests the macro must never scope read every row
    assert not any(name.startswith(("relationships_", "assert_")) for name in scoped)
    # the run wrote rows for the scoped tests to read
    written = query(db, "select count(*) from intermediate.int_identity__record_clusters "
                        "where clustered_at = cast(? as timestamp)", [stamp])[0][0]
    assert written > 0

    # a duplicate that did not come from a run (an old row copied outside dbt): the marked
    # test leaves it to `dbt test`, which reads every row
    tampered = facts["work"] / "tampered.duckdb"
    shutil.copy(db, tampered)
    with duckdb.connect(str(tampered)) as con:
        con.execute("insert into intermediate.int_identity__record_clusters "
                    "select * from intermediate.int_identity__record_clusters "
                    "where clustered_at < cast(? as timestamp) limit 1", [stamp])
    tested = run(["dbt", "test", "-s", "int_identity__record_clusters"], tampered,
                 facts["work"] / "target_tampered", check=False)
    assert tested.returncode == 1
    failed = [r["unique_id"].split(".")[2]
              for r in run_results(facts["work"] / "target_tampered") if r["status"] == "fail"]
    assert failed == ["unique_int_identity__record_clusters_record_id"]

    # a marked test whose latest result is not a pass reads every row, so the next
    # incremental build fails too, although it did not write the duplicate
    target = facts["work"] / "target_tampered_build"
    # the clusters alone (on this scratch copy): the guard against partial selections
    # would refuse to leave out the models that read their changes
    alone = ["--vars", "{cdp_allow_partial_selection: true}"]
    built = run(["dbt", "build", "-s", "int_identity__record_clusters", *alone], tampered,
                target, check=False)
    assert built.returncode == 1

    def unique_test(target):
        (result,) = [r for r in run_results(target) if r["unique_id"].split(".")[2]
                     == "unique_int_identity__record_clusters_record_id"]
        return result

    assert unique_test(target)["status"] == "fail"
    assert "where 1 = 1" in unique_test(target)["compiled_code"]
    # once the row is fixed the test passes, still over every row; after that pass the
    # marked tests read the rows each run writes again (as in the fixture's last build)
    with duckdb.connect(str(tampered)) as con:
        con.execute("create temp table kept as select distinct * "
                    "from intermediate.int_identity__record_clusters where record_id in ("
                    "select record_id from intermediate.int_identity__record_clusters "
                    "group by 1 having count(*) > 1)")
        assert con.execute("select count(*) from kept").fetchone()[0] == 1
        con.execute("delete from intermediate.int_identity__record_clusters "
                    "where record_id in (select record_id from kept)")
        con.execute("insert into intermediate.int_identity__record_clusters "
                    "select * from kept")
    run(["dbt", "build", "-s", "int_identity__record_clusters", *alone], tampered, target)
    assert unique_test(target)["status"] == "pass"
    assert "where 1 = 1" in unique_test(target)["compiled_code"]
