"""Compare the Spark run with a DuckDB build of the same raw data: the row count of every
table and view DuckDB built (staging, intermediate, marts, the pseudonymized copies, seeds),
and six tables row by row: the lookup mart (the same customer_id for every source record),
the graph's edges, the match parameters, the scored pairs (numbers rounded to nine
decimals: the engines sum in other orders), `customers` and its pseudonymized copy (the
same golden records, hashed with the same salt).

usage: python compare_engines.py <built cdp.duckdb>   (the Spark virtualenv)
Exit status 1 when anything differs.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import duckdb
from spark_session import session

SCHEMAS = ("staging", "intermediate", "marts", "marts_pseudonymized", "seeds")


def main(database: str) -> None:
    con = duckdb.connect(database, read_only=True)
    relations = con.execute(
        "select table_schema || '.' || table_name from information_schema.tables "
        f"where table_schema in {SCHEMAS} order by 1").fetchall()
    duckdb_counts = {name: con.execute(f"select count(*) from {name}").fetchone()[0]
                     for (name,) in relations}
    spark = session()
    differing = []
    for name, rows in duckdb_counts.items():
        try:
            spark_rows = spark.sql(f"select count(*) from {name}").collect()[0][0]
        except Exception as error:  # a relation Spark did not build
            spark_rows = f"missing ({type(error).__name__})"
        if spark_rows != rows:
            differing.append((name, rows, spark_rows))
    print(f"relations compared {len(duckdb_counts)}, row counts differing {len(differing)}")
    for name, rows, spark_rows in differing:
        print(f"  {name}: DuckDB {rows}, Spark {spark_rows}")

    rows_differing = {name: differing_rows(con, spark, name, columns)
                      for name, columns in ROW_BY_ROW.items()}
    for name, (rows, only_duckdb, only_spark) in rows_differing.items():
        print(f"{name}: {rows} rows on DuckDB; only on DuckDB {only_duckdb}, "
              f"only on Spark {only_spark}")
    # Known difference (decision 0007): the model that reads the snapshot cannot build on
    # Parquet tables
    expected = {"marts.customer_stage_transitions",
                "marts_pseudonymized.customer_stage_transitions"}
    same_rows = all(only_duckdb == only_spark == 0
                    for _, only_duckdb, only_spark in rows_differing.values())
    sys.exit(0 if {d[0] for d in differing} <= expected and same_rows else 1)


# relations compared row by row, with the columns compared (`round:` rounds a double)
ROW_BY_ROW = {
    "marts.customer_identities": ["source", "source_record_id", "customer_id"],
    "intermediate.int_identity__graph_edges": ["node_a", "node_b"],
    "intermediate.int_identity__match_parameters": [
        "comparison", "comparison_level", "m_pairs", "u_pairs", "round:m_probability",
        "round:u_probability", "round:match_weight"],
    "intermediate.int_identity__match_scores": [
        "cluster_id_a", "cluster_id_b", "blocking_rule", "first_name_level", "last_name_level",
        "date_of_birth_level", "address_level", "phone_level", "email_local_part_level",
        "mailbox_name_level", "round:match_weight", "round:match_probability", "veto_reason",
        "is_match"],
    # the golden records, and their salted hashes: the same salt reached both engines
    "marts.customers": ["customer_id", "first_name", "last_name", "email", "phone",
                        "street_address", "postal_code", "date_of_birth"],
    "marts_pseudonymized.customers": ["customer_id", "first_name", "last_name", "email",
                                      "phone", "street_address", "postal_code",
                                      "date_of_birth"],
}


def differing_rows(con, spark, name: str, columns: list[str]) -> tuple[int, int, int]:
    """(rows on DuckDB, distinct rows only on DuckDB, distinct rows only on Spark)."""
    select = ", ".join(f"round({c[6:]}, 9) as {c[6:]}" if c.startswith("round:") else c
                       for c in columns)
    exported = Path(os.environ["CDP_SPARK_WORK"]) / f"{name}.parquet"
    spark.sql(f"select distinct {select} from {name}").write.mode("overwrite").parquet(
        str(exported))
    return con.execute(f"""
        with here as (select distinct {select} from {name}),
        there as (select * from read_parquet('{exported}/*.parquet'))
        select
            (select count(*) from {name}),
            (select count(*) from (select * from here except select * from there)),
            (select count(*) from (select * from there except select * from here))
    """).fetchone()


if __name__ == "__main__":
    main(sys.argv[1])
