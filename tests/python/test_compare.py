"""cdp.compare: the check behind "incremental equals full refresh", on two small warehouses."""

from __future__ import annotations

import duckdb
import pytest

from cdp.compare import comparable_tables, compare_warehouses

SETUP = """
    create schema staging; create schema marts; create schema audit; create schema seeds;
    create table staging.stg_orders (order_id varchar, amount decimal(18, 2));
    insert into staging.stg_orders values ('o1', 10), ('o2', 20), ('o2', 20);
    create table marts.customers (customer_id varchar, email varchar, stitched_at timestamp);
    insert into marts.customers values ('c1', 'a@x.org', timestamp '2026-01-01');
    create view marts.customers_view as select * from marts.customers;
    create table marts.customer_id_merges (retired_customer_id varchar);
    create table marts.customer_id_splits (new_customer_id varchar);
    create table audit.run_log (node varchar);
    create table seeds.name_nicknames (nickname varchar);
"""


@pytest.fixture
def warehouses(tmp_path):
    paths = tmp_path / "incremental.duckdb", tmp_path / "full.duckdb"
    for path in paths:
        with duckdb.connect(str(path)) as con:
            con.execute(SETUP)
    return paths


def _change(path, sql):
    with duckdb.connect(str(path)) as con:
        con.execute(sql)


def test_only_the_tables_built_from_the_data_are_compared(warehouses):
    # no views, no run log, seeds, merge or split history (a rebuild cannot know them)
    assert comparable_tables(warehouses[0]) == ["marts.customers", "staging.stg_orders"]


def test_identical_warehouses_differ_nowhere(warehouses):
    # run stamps say which run wrote a row: they differ by design
    _change(warehouses[1], "update marts.customers set stitched_at = timestamp '2026-02-01'")
    _change(warehouses[1], "insert into marts.customer_id_merges values ('c9')")
    _change(warehouses[1], "insert into marts.customer_id_splits values ('c8')")
    assert compare_warehouses(*warehouses) == {"marts.customers": 0, "staging.stg_orders": 0}


def test_a_changed_value_and_a_lost_duplicate_are_counted(warehouses):
    _change(warehouses[1], "update marts.customers set email = 'b@x.org'")
    _change(warehouses[1], "delete from staging.stg_orders where order_id = 'o2'; "
                           "insert into staging.stg_orders values ('o2', 20)")
    # the changed row is missing on one side and extra on the other; one 'o2' is missing
    assert compare_warehouses(*warehouses) == {"marts.customers": 2, "staging.stg_orders": 1}


def test_a_table_missing_on_one_side_is_an_error(warehouses):
    _change(warehouses[1], "drop table staging.stg_orders")
    with pytest.raises(ValueError, match=r"only in incremental\.duckdb: \['staging\.stg_orders'\]"):
        compare_warehouses(*warehouses)
