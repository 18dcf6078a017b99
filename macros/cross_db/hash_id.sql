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

{#
    Every engine must give the same id for the same text, so that a warehouse can move
    between engines and the sample of random pairs (drawn in id order) is the same on each:
    the id is the digest's first 8 bytes read as a little-endian integer, its top bit
    cleared. That is DuckDB's md5_number (the 16 bytes, little-endian) masked to 63 bits.
    tests/python/test_portability.py checks the bytes against Python's hashlib.
#}

{#
    Spark, Databricks and others with conv(): the first 8 bytes of the hex digest in
    reverse order, read as a signed 64-bit number (a negative to_base), then masked.
#}
{% macro default__hash_id(text_expression) -%}
    {%- set digest = 'md5(' ~ text_expression ~ ')' -%}
    (cast(conv(concat(
        {%- for byte in range(7, -1, -1) %}
        substr({{ digest }}, {{ 2 * byte + 1 }}, 2){{ ',' if not loop.last }}
        {%- endfor %}
    ), 16, -10) as bigint) & 9223372036854775807)
{%- endmacro %}

{# md5_number: the digest as a number, with no hex string in between. #}
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


{#
    A 64-bit hash of several values with the engine's own fast function. For comparisons
    inside one run or one warehouse only (a tie-break, a checksum): unlike hash_id, its
    values differ between engines and may change with the engine's version.
#}
{% macro row_hash(expressions) -%}
    {{ return(adapter.dispatch('row_hash', 'cdp')(expressions)) }}
{%- endmacro %}

{% macro default__row_hash(expressions) -%}
    xxhash64({{ expressions | join(', ') }})
{%- endmacro %}

{% macro duckdb__row_hash(expressions) -%}
    hash({{ expressions | join(', ') }})
{%- endmacro %}
