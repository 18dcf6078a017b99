{#
    A stable 63-bit integer id (a non-negative BIGINT) for a text key: the identity layer
    names records (`record_id`, from source and source record id) and identifier values
    (`value_id`, from type and value) by such numbers instead of long strings. Joins,
    aggregates and writes over 10-20M rows cost far less on an integer than on a key like
    `tracking_events:6f1c...` (decision 0006, "Tenth pass").

    Stable means: the same text gives the same id in every run and on every version of the
    engine, because incremental tables keep the ids of earlier runs. So it is built on MD5,
    not on an engine's internal hash function, which may change between releases.
    Distinct keys colliding is astronomically unlikely at these sizes (about 1e-5 for 10M
    records); the `unique` tests on record_id and value_id would fail the build if it happened.
#}
{% macro hash_id(text_expression) -%}
    {{ return(adapter.dispatch('hash_id', 'cdp')(text_expression)) }}
{%- endmacro %}

{# The first 15 hex digits of the MD5 digest (60 bits): Spark, Databricks and others with conv(). #}
{% macro default__hash_id(text_expression) -%}
    cast(conv(substr(md5({{ text_expression }}), 1, 15), 16, 10) as bigint)
{%- endmacro %}

{# The low 63 bits of the MD5 digest as a number (md5_number: no hex string in between). #}
{% macro duckdb__hash_id(text_expression) -%}
    cast(md5_number({{ text_expression }}) & 9223372036854775807 as bigint)
{%- endmacro %}


{# record_id of a source record: its source table and its key in that table. #}
{% macro record_id(source, source_record_id) -%}
    {{ cdp.hash_id(dbt.concat([source, "':'", source_record_id])) }}
{%- endmacro %}


{# value_id of an identifier value (also its node_id in the identity graph). #}
{% macro value_id(identifier_type, identifier_value) -%}
    {{ cdp.hash_id(dbt.concat([identifier_type, "':'", identifier_value])) }}
{%- endmacro %}


{#
    customer_id of the customer whose anchor (the record loaded first) is this record:
    `cus_` and the MD5 of `source:source_record_id` (int_identity__record_customers).
#}
{% macro anchor_customer_id(source, source_record_id) -%}
    {{ dbt.concat(["'cus_'", dbt.hash(dbt.concat([source, "':'", source_record_id]))]) }}
{%- endmacro %}
