"""The local Spark session of profiles.yml (its server_side_parameters), for the scripts
beside it, so that they open the same metastore and warehouse folder as dbt."""

from __future__ import annotations

import os
from pathlib import Path

import yaml

PROFILE = Path(__file__).with_name("profiles.yml")


def spark_conf() -> dict[str, str]:
    """The profile's Spark settings, with CDP_SPARK_WORK put in as dbt's env_var would."""
    text = PROFILE.read_text().replace("{{ env_var('CDP_SPARK_WORK') }}",
                                       os.environ["CDP_SPARK_WORK"])
    output = yaml.safe_load(text)["cdp"]["outputs"]["spark"]
    return {key: str(value) for key, value in output["server_side_parameters"].items()}


def session():
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.enableHiveSupport()
    for key, value in spark_conf().items():
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark
