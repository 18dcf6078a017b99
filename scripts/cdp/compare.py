"""Does an incrementally built warehouse hold the same rows as a full refresh of the same data?

Used by the incremental test (tests/python/test_incremental.py, small and hand-made batches)
and by `cdp benchmark build --check-full-refresh` (generated data at scale, a natural 1%
batch). Every table dbt built from the data is compared, so a new incremental model is
covered without being listed anywhere.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

# the schemas of what dbt builds from the data. Not compared: audit (the run log),
# snapshots (history over time) and seeds (not built from the data)
BUILT_SCHEMAS = ("staging", "intermediate", "marts", "marts_pseudonymized")
# which run changed a row, and what the row was before that run: differ by design
RUN_STAMP_COLUMNS = frozenset({"usability_changed_at", "assessed_at", "computed_at",
                               "clustered_at", "previous_cluster_id", "stitched_at",
                               "attribution_changed_at", "record_changed_at",
                               "previous_identity_customer_id", "written_at",
                               "previous_anonymous_id", "previous_platform",
                               "_written_at"})
# what earlier runs did, which a rebuild cannot know: the ids they retired or revived
# (append-only history), and the records they built and then had to remove (a full build
# never builds them, so it lists none)
HISTORY_TABLES = frozenset({"marts.customer_id_merges", "marts.customer_id_splits",
                            "intermediate.int_identity__removed_records"})


def _built_tables(con, catalog: str) -> list[str]:
    rows = con.execute(
        "select table_schema || '.' || table_name from information_schema.tables "
        "where table_catalog = ? and table_type = 'BASE TABLE' "
        f"and table_schema in ({', '.join('?' for _ in BUILT_SCHEMAS)}) "
        "order by table_schema, table_name", [catalog, *BUILT_SCHEMAS]).fetchall()
    return [table for (table,) in rows if table not in HISTORY_TABLES]


def comparable_tables(db: Path) -> list[str]:
    """Every base table (`schema.table`) in the built schemas, except the history tables."""
    with duckdb.connect(str(db), read_only=True) as con:
        return _built_tables(con, con.execute("select current_database()").fetchone()[0])


def _differing_rows(con, table: str) -> int:
    """Rows of `table` in this warehouse and not in the attached `other`, both ways,
    duplicates counted (`except all`), over every column but the run stamps.

    A row count and a sum of row hashes are compared first: two streaming scans, where
    `except all` over the 18M rows of customer_identities at 1M people holds both sides in
    memory (11 GB). Equal multisets of rows give equal sums; only tables whose sums differ
    are compared row by row."""
    columns = ", ".join(f'"{column}"' for (column,) in con.execute(
        "select column_name from information_schema.columns "
        "where table_catalog = current_database() and table_schema || '.' || table_name = ? "
        "order by ordinal_position", [table]).fetchall() if column not in RUN_STAMP_COLUMNS)
    checksum = f"select count(*), sum(cast(hash({columns}) as hugeint)) from "
    if con.execute(checksum + table).fetchone() == con.execute(
            checksum + "other." + table).fetchone():
        return 0
    return con.execute(f"""
        select (select count(*) from (select {columns} from {table}
                                      except all select {columns} from other.{table}))
             + (select count(*) from (select {columns} from other.{table}
                                      except all select {columns} from {table}))
    """).fetchone()[0]


def compare_warehouses(db_a: Path, db_b: Path) -> dict[str, int]:
    """Differing rows per table (0: identical). Fails if the two hold different tables."""
    with duckdb.connect(str(db_a), read_only=True) as con:
        con.execute(f"attach '{db_b}' as other (read_only)")
        tables_a = _built_tables(con, con.execute("select current_database()").fetchone()[0])
        tables_b = _built_tables(con, "other")
        if tables_a != tables_b:
            only_a = sorted(set(tables_a) - set(tables_b))
            only_b = sorted(set(tables_b) - set(tables_a))
            raise ValueError(f"the warehouses hold different tables: only in {db_a.name}: "
                             f"{only_a or 'none'}; only in {db_b.name}: {only_b or 'none'}")
        return {table: _differing_rows(con, table) for table in tables_a}
