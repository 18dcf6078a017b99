"""The same local Spark session as profiles.yml, for the scripts beside it."""

from __future__ import annotations

import os

from pyspark.sql import SparkSession


def session() -> SparkSession:
    work = os.environ["CDP_SPARK_WORK"]
    conf = {
        "spark.sql.warehouse.dir": f"{work}/warehouse",
        "spark.hadoop.javax.jdo.option.ConnectionURL":
            f"jdbc:derby:;databaseName={work}/metastore_db;create=true",
        "spark.driver.memory": "4g",
        "spark.sql.shuffle.partitions": "4",
        "spark.ui.enabled": "false",
        "spark.sql.session.timeZone": "UTC",
    }
    builder = SparkSession.builder.enableHiveSupport()
    for key, value in conf.items():
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark
