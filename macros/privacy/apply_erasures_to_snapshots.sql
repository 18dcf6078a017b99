{#
    on-run-end: delete the profile history of customers who asked to be erased from the
    customers_snapshot (a snapshot keeps old versions forever otherwise). Returns the SQL
    the hook runs; a no-op until both relations exist.
#}
{% macro apply_erasures_to_snapshots() -%}
    {%- if execute -%}
        {%- set snapshot = adapter.get_relation(
            database=target.database, schema='snapshots', identifier='customers_snapshot') -%}
        {%- set scope = adapter.get_relation(
            database=target.database, schema='intermediate', identifier='int_privacy__erasure_scope') -%}
        {%- if snapshot and scope -%}
            delete from {{ snapshot }} where customer_id in (select customer_id from {{ scope }})
        {%- else -%}
            select 1 as no_snapshot_to_clean
        {%- endif -%}
    {%- else -%}
        select 1 as no_snapshot_to_clean
    {%- endif -%}
{%- endmacro %}
