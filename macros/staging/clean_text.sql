{#
    Text as delivered -> trimmed text, empty strings as null. Works on any input type,
    so a loader that lands a number or a boolean in a text column does not break staging.
#}
{% macro clean_text(column) -%}
    nullif(trim(cast({{ column }} as {{ dbt.type_string() }})), '')
{%- endmacro %}
