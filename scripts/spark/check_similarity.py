"""Compare Spark's Jaro-Winkler (cdp.spark__string_similarity) with DuckDB's
jaro_winkler_similarity on pairs of the warehouse's names and streets, lowercased and
without accents like the matcher's keys: random pairs, pairs sharing their first three
letters, and typos made from each value (two letters swapped, one dropped, one doubled,
the value reversed).

usage: python check_similarity.py <cdp.duckdb> <compiled.sql>   (the Spark virtualenv)
compiled.sql: `select <the similarity of p.a and p.b> as sim from pairs as p`, compiled
by dbt from cdp.spark__string_similarity (scripts/spark/run.sh does both).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import duckdb
from spark_session import session

PAIRS = """
with texts as (
    -- the keys the matcher compares are accent-free (cdp.strip_accents): DuckDB's
    -- jaro_winkler_similarity compares UTF-8 bytes, Spark's version characters
    select distinct strip_accents(lower(trim(v))) as v from (
        select first_name as v from raw.crm_contacts union all select last_name from raw.crm_contacts
        union all select street_address from raw.crm_contacts
        union all select first_name from raw.shop_customers union all select last_name from raw.shop_customers
        union all select first_name from raw.loyalty_members union all select last_name from raw.loyalty_members
    ) where v is not null and trim(v) <> ''
),
numbered as (select v, row_number() over (order by hash(v)) as n, count(*) over () as total from texts),
pairs as (
    select x.v as a, y.v as b from numbered as x join numbered as y on y.n = (x.n * 7919) % x.total + 1
    union all
    select x.v, y.v from numbered as x join numbered as y on y.n = (x.n * 104729 + 13) % x.total + 1
    union all
    select x.v, y.v from numbered as x join numbered as y on left(x.v, 3) = left(y.v, 3) and x.v < y.v
    union all
    select v, substr(v, 1, 1) || substr(v, 3, 1) || substr(v, 2, 1) || substr(v, 4) from texts where length(v) >= 3
    union all select v, left(v, length(v) - 1) from texts where length(v) >= 2
    union all select v, substr(v, 1, 2) || substr(v, 2) from texts
    union all select v, reverse(v) from texts
    union all select 'capmbell', 'campbell' union all select 'martin', 'martinez'
    union all select 'ab', 'ba' union all select 'x', 'y' union all select '', 'abc'
)
select a, b, jaro_winkler_similarity(a, b) as duckdb_sim from pairs
"""


def main(database: str, compiled: str) -> None:
    path = Path(os.environ["CDP_SPARK_WORK"]) / "similarity_pairs.parquet"
    con = duckdb.connect(database, read_only=True)
    con.execute(f"copy ({PAIRS}) to '{path}' (format parquet)")
    con.close()
    spark = session()
    spark.read.parquet(str(path)).createOrReplaceTempView("pairs")
    sql = Path(compiled).read_text().replace(" from pairs as p", ", p.a, p.b, p.duckdb_sim from pairs as p")
    spark.sql(sql).createOrReplaceTempView("compared")
    row = spark.sql("""
        select count(*) as pairs,
            max(abs(duckdb_sim - sim)) as largest_difference,
            sum(case when abs(duckdb_sim - sim) > 1e-9 then 1 else 0 end) as differing,
            sum(case when (duckdb_sim >= 0.92) <> (sim >= 0.92) or (duckdb_sim >= 0.8) <> (sim >= 0.8)
                then 1 else 0 end) as band_changes
        from compared
    """).collect()[0]
    print(f"pairs {row.pairs}, largest difference {row.largest_difference}, "
          f"differing (> 1e-9) {row.differing}, level band changes {row.band_changes}")
    for diff in spark.sql("select * from compared where abs(duckdb_sim - sim) > 1e-9 limit 10").collect():
        print(diff)
    sys.exit(1 if row.differing else 0)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
