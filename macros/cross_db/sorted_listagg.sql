{#
    The sorted concatenation of a text column over a group, like
    dbt.listagg(expression, delimiter, 'order by <expression>'), for a column sorted by
    itself. dbt's listagg on DuckDB is `string_agg(... order by ...)`, an ordered aggregate
    that buffers and sorts every group separately: for customers.source_systems at 1M
    people (905k groups) it took a third of the model's time. DuckDB collects a list and
    sorts it instead (same text: nulls are skipped, values sorted ascending).
    `delimiter_text` is a SQL string literal, e.g. "','".
#}
{% macro sorted_listagg(expression, delimiter_text) -%}
    {{ return(adapter.dispatch('sorted_listagg', 'cdp')(expression, delimiter_text)) }}
{%- endmacro %}

{% macro default__sorted_listagg(expression, delimiter_text) -%}
    {{ dbt.listagg(expression, delimiter_text, 'order by ' ~ expression) }}
{%- endmacro %}

{% macro duckdb__sorted_listagg(expression, delimiter_text) -%}
    array_to_string(list_sort(list({{ expression }})), {{ delimiter_text }})
{%- endmacro %}
