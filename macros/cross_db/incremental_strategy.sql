{#
    The incremental strategy of the models that replace rows by their unique_key (an
    upsert). DuckDB, Postgres, Snowflake and most adapters run `delete+insert`; dbt-spark
    does not offer it and upserts with `merge`, which needs Delta Lake, Iceberg or Hudi
    tables (`+file_format: delta` in dbt_project.yml; Databricks' default). Models that
    only add rows use `append` everywhere and do not call this.

    The var `cdp_upsert_strategy` overrides the adapter's choice. Its one use here: a
    `dbt run --full-refresh` on plain Parquet Spark tables, which never upserts, with
    `append` (decision 0007); an incremental run there would fail at the first delete.
#}
{% macro upsert_strategy() -%}
    {{ return(var('cdp_upsert_strategy', none) or adapter.dispatch('upsert_strategy', 'cdp')()) }}
{%- endmacro %}

{% macro default__upsert_strategy() -%}
    {{ return('delete+insert') }}
{%- endmacro %}

{% macro spark__upsert_strategy() -%}
    {{ return('merge') }}
{%- endmacro %}
