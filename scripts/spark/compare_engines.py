"""Compare the Spark run with a DuckDB build of the same raw data: the row count of every
table and view DuckDB built (staging, intermediate, marts, the pseudonymized copies, seeds),
and the lookup mart record by record (the same customer_id for every source record).

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

    lookup = Path(os.environ["CDP_SPARK_WORK"]) / "customer_identities.parquet"
    spark.sql(
        "select distinct source, source_record_id, customer_id from marts.customer_identities"
    ).write.mode("overwrite").parquet(str(lookup))
    same, records, only_one_side = con.execute(f"""
        with here as (
            select distinct source, source_record_id, customer_id from marts.customer_identities
        ),
        there as (select * from read_parquet('{lookup}/*.parquet'))
        select
            count(*) filter (where here.customer_id = there.customer_id),
            count(*),
            count(*) filter (where here.customer_id is null or there.customer_id is null)
        from here full join there using (source, source_record_id)
    """).fetchone()
    print(f"customer_identities: {records} source records, the same customer_id for {same}, "
          f"on one engine only {only_one_side}")
    # Known differences (decision 0007): the model that reads the snapshot cannot build on
    # Parquet tables; record and value ids are 63-bit numbers taken from other bits of the
    # MD5 on each engine, so each record's star of edges has another hub (the distinct
    # edges differ, the components do not) and the u sample of random pairs, drawn in id
    # order, differs (a rare level may be missing from it)
    expected = {"marts.customer_stage_transitions",
                "marts_pseudonymized.customer_stage_transitions",
                "intermediate.int_identity__graph_edges",
                "intermediate.int_identity__match_parameters"}
    sys.exit(0 if {d[0] for d in differing} <= expected and same == records else 1)


if __name__ == "__main__":
    main(sys.argv[1])
