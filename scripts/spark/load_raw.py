"""Land a DuckDB warehouse's raw tables in Spark (schema `raw`), through Parquet files.

usage: python load_raw.py <cdp.duckdb>    (with CDP_SPARK_WORK set; the Spark virtualenv)
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import duckdb
from spark_session import session


def main(database: str) -> None:
    parquet = Path(os.environ["CDP_SPARK_WORK"]) / "raw_parquet"
    parquet.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(database, read_only=True)
    tables = [row[0] for row in con.execute(
        "select table_name from information_schema.tables where table_schema = 'raw' "
        "order by table_name").fetchall()]
    for table in tables:
        con.execute(f"copy raw.{table} to '{parquet / table}.parquet' (format parquet)")
    con.close()
    spark = session()
    spark.sql("create database if not exists raw")
    for table in tables:
        frame = spark.read.parquet(str(parquet / f"{table}.parquet"))
        frame.write.mode("overwrite").saveAsTable(f"raw.{table}")
        print(f"raw.{table}: {spark.table(f'raw.{table}').count()} rows")


if __name__ == "__main__":
    main(sys.argv[1])
