"""The generator: reproducible, realistic coverage, dirt and traps at known rates, truth."""

from __future__ import annotations

import pytest
from conftest import TEST_PEOPLE, query, run

RAW_TABLES = ["crm_contacts", "crm_accounts", "shop_customers", "shop_orders",
              "shop_order_items", "tracking_events", "pos_transactions", "loyalty_members",
              "support_tickets", "email_activity", "consent_events", "privacy_requests"]


def table_fingerprint(db, table):
    return query(db, f"select count(*), sum(hash(columns(*))) from raw.{table}")[0]


def test_same_seed_same_data_other_seed_other_data(generated_db, tmp_path):
    again = tmp_path / "again.duckdb"
    run(["cdp", "generate", "--people", str(TEST_PEOPLE), "--seed", "7", "--threads", "1"], again)
    other = tmp_path / "other.duckdb"
    run(["cdp", "generate", "--people", str(TEST_PEOPLE), "--seed", "8"], other)
    for table in RAW_TABLES:
        assert table_fingerprint(generated_db, table) == table_fingerprint(again, table), table
    assert table_fingerprint(generated_db, "tracking_events") != table_fingerprint(
        other, "tracking_events")


def test_every_raw_table_is_filled(generated_db):
    for table in RAW_TABLES:
        assert query(generated_db, f"select count(*) from raw.{table}")[0][0] > 0, table


def test_truth_maps_every_keyed_customer_record(generated_db):
    keyed = {
        "crm_contacts": "contact_id", "shop_customers": "customer_id", "shop_orders": "order_id",
        "pos_transactions": "transaction_id", "loyalty_members": "loyalty_card_id",
        "support_tickets": "ticket_id", "email_activity": "activity_id",
        "consent_events": "consent_event_id", "privacy_requests": "request_id",
    }
    for table, key in keyed.items():
        unmapped = query(generated_db, f"""
            select count(*) from (select distinct {key} as id from raw.{table}
                                  where {key} is not null) as r
            left join truth.source_records as t
              on t.source = '{table}' and t.source_record_id = r.id
            where t.person_id is null""")[0][0]
        assert unmapped == 0, table
    # every anonymous id seen in tracking has an owner
    assert query(generated_db, """
        select count(*) from (select distinct anonymous_id from raw.tracking_events) as e
        left join truth.anonymous_ids as a using (anonymous_id)
        where a.person_id is null""")[0][0] == 0
    assert query(generated_db, "select count(*) from truth.people")[0][0] == TEST_PEOPLE


def share(db, sql):
    return query(db, sql)[0][0]


@pytest.mark.parametrize("name, sql, low, high", [
    ("uppercase in emails",
     "select avg(case when email <> lower(email) then 1.0 else 0 end) from raw.shop_customers "
     "where email is not null", 0.05, 0.25),
    ("whitespace around emails",
     "select avg(case when email <> trim(email) then 1.0 else 0 end) from raw.shop_customers "
     "where email is not null", 0.02, 0.15),
    ("gmail plus tags",
     "select avg(case when email like '%+%@%' then 1.0 else 0 end) from raw.shop_customers "
     "where email is not null", 0.01, 0.10),
    ("domain typos",
     "select avg(case when regexp_matches(lower(email), "
     "'@(gmial|gmai|gnail|yaho|hotmial|outlok)\\.') then 1.0 else 0 end) "
     "from raw.shop_customers where email is not null", 0.003, 0.05),
    ("malformed emails",
     "select avg(case when email not like '%_@_%.__%' or email like '%@@%' then 1.0 else 0 end) "
     "from raw.shop_customers where email is not null", 0.002, 0.04),
    ("missing emails", "select avg(case when email is null then 1.0 else 0 end) "
     "from raw.shop_customers", 0.01, 0.10),
    ("phones not in E.164",
     "select avg(case when not regexp_full_match(phone, '\\+[0-9]{11,12}') then 1.0 else 0 end) "
     "from raw.shop_customers where phone is not null", 0.6, 0.95),
    ("guest checkouts", "select avg(case when customer_id is null then 1.0 else 0 end) "
     "from raw.shop_orders", 0.05, 0.5),
    ("duplicate deliveries",
     "select 1 - count(distinct order_id) / count(order_id) from raw.shop_orders", 0.005, 0.05),
    ("null keys", "select avg(case when order_id is null then 1.0 else 0 end) from raw.shop_orders",
     0.0005, 0.01),
    ("negative quantities", "select avg(case when quantity < 0 then 1.0 else 0 end) "
     "from raw.shop_order_items", 0.001, 0.02),
    ("broken JSON", "select avg(case when not json_valid(properties) then 1.0 else 0 end) "
     "from raw.tracking_events", 0.001, 0.02),
    ("late events (> 1h)", "select avg(case when received_at > timestamp + interval 1 hour "
     "then 1.0 else 0 end) from raw.tracking_events", 0.01, 0.06),
    ("unparseable dates of birth",
     "select avg(case when date_of_birth in ('unknown', '00/00/0000', '31/31/1990', '1990-13-45', "
     "'n/a') then 1.0 else 0 end) from raw.loyalty_members where date_of_birth is not null",
     0.003, 0.05),
    ("anonymous events", "select avg(case when user_id is null then 1.0 else 0 end) "
     "from raw.tracking_events", 0.3, 0.9),
])
def test_dirt_rates(generated_db, name, sql, low, high):
    value = float(share(generated_db, sql))
    assert low <= value <= high, f"{name}: {value:.4f} not in [{low}, {high}]"


def test_several_date_of_birth_formats(generated_db):
    formats = query(generated_db, """
        select count(distinct case
            when regexp_full_match(date_of_birth, '\\d{4}-\\d{2}-\\d{2}') then 'iso'
            when regexp_full_match(date_of_birth, '\\d{2}/\\d{2}/\\d{4}') then 'slash'
            when regexp_full_match(date_of_birth, '\\d{2}\\.\\d{2}\\.\\d{4}') then 'dot'
            when regexp_full_match(date_of_birth, '\\d{8}') then 'compact'
            when regexp_full_match(date_of_birth, '[A-Z][a-z]+ \\d{1,2}, \\d{4}') then 'long'
        end) from raw.loyalty_members""")[0][0]
    assert formats == 5


def test_junk_identifiers_are_shared_by_many_people(generated_db):
    people_on_test_email = query(generated_db, """
        select count(distinct t.person_id)
        from raw.shop_orders as o
        inner join truth.source_records as t
            on t.source = 'shop_orders' and t.source_record_id = o.order_id
        where lower(trim(o.email)) in ('test@test.com', 'noemail@example.com', 'none@none.com')
    """)[0][0]
    assert people_on_test_email >= 3
    shared_devices = query(generated_db,
                           "select count(*) from truth.anonymous_ids where is_shared_device")[0][0]
    assert shared_devices >= 3
    zeroed_idfa = query(generated_db, """
        select count(distinct anonymous_id) from raw.tracking_events
        where context like '%00000000-0000-0000-0000-000000000000%'""")[0][0]
    assert zeroed_idfa >= 3
    store_cards_people = query(generated_db, """
        select max(n) from (
            select p.loyalty_card_id, count(distinct t.person_id) as n
            from raw.pos_transactions as p
            inner join truth.source_records as t
                on t.source = 'pos_transactions' and t.source_record_id = p.transaction_id
            where p.loyalty_card_id like '6399%'
            group by 1)""")[0][0]
    assert store_cards_people >= 2


def test_hard_negatives_exist(generated_db):
    twins = query(generated_db, """
        select count(*) from truth.people as a
        inner join truth.people as b
            on a.household_idx = b.household_idx and a.person_idx < b.person_idx
           and a.date_of_birth = b.date_of_birth and a.last_name = b.last_name""")[0][0]
    assert twins >= 10
    namesakes = query(generated_db, """
        select count(*) from (
            select first_name, last_name, city from truth.people
            group by all having count(distinct household_idx) > 1)""")[0][0]
    assert namesakes >= 10


def test_anonymous_browsing_before_login(generated_db):
    """Devices that identify later carry events without user_id first."""
    devices = query(generated_db, """
        select count(*) from (
            select anonymous_id,
                   min(case when user_id is null then timestamp end) as first_anon,
                   min(case when user_id is not null then timestamp end) as first_known
            from raw.tracking_events group by 1)
        where first_anon < first_known""")[0][0]
    assert devices >= 50


def test_linkable_devices_have_an_event_naming_their_person(generated_db):
    """A device whose planned login fell after the end date carries no evidence."""
    unsupported, linkable = query(generated_db, """
        select
            count(*) filter (where not exists (
                select 1 from raw.tracking_events as e
                where e.anonymous_id = a.anonymous_id
                  and (e.user_id is not null or e.traits is not null))),
            count(*)
        from truth.anonymous_ids as a
        where a.is_linkable""")[0]
    assert linkable > 0
    assert unsupported == 0


def test_churn_ground_truth(generated_db):
    churners, total = query(generated_db, """
        select count(*) filter (where churned_at is not null), count(*) from truth.people""")[0]
    assert 0.2 < churners / total < 0.5
    # nobody buys after they churned
    late_orders = query(generated_db, """
        select count(*) from raw.shop_orders as o
        inner join truth.source_records as t
            on t.source = 'shop_orders' and t.source_record_id = o.order_id
        inner join truth.people as p on p.person_idx = t.person_id
        where o.ordered_at > p.churned_at""")[0][0]
    assert late_orders == 0


def test_generate_refuses_to_overwrite_foreign_data(tmp_path):
    db = tmp_path / "users.duckdb"
    run(["cdp", "init-raw"], db)
    import duckdb
    with duckdb.connect(str(db)) as con:
        con.execute("insert into raw.crm_accounts (account_id) values ('mine')")
    result = run(["cdp", "generate", "--people", "10"], db, check=False)
    assert result.returncode == 2
    assert "refusing" in result.stderr
    assert "Traceback" not in result.stderr


def test_regenerating_drops_what_was_built_from_the_old_data(tmp_path):
    """Incremental tables built over the replaced data would mix two datasets."""
    db = tmp_path / "regen.duckdb"
    run(["cdp", "generate", "--people", "10"], db)
    import duckdb
    with duckdb.connect(str(db)) as con:
        con.execute("create schema staging")
        con.execute("create table staging.stg_tracking__events as select 1 as stale")
        con.execute("create schema audit")
        con.execute("create table audit.run_log as select 1 as kept")
    result = run(["cdp", "generate", "--people", "10", "--seed", "9"], db)
    assert "dropped what dbt built" in result.stdout
    schemas = {row[0] for row in query(db, "select schema_name from information_schema.schemata")}
    assert "staging" not in schemas
    assert {"raw", "truth", "audit"} <= schemas
