{#
    Cast to timestamp without failing the build: unparseable values become null and the
    base model tags the row (see `rejection_reason`).
#}
{% macro to_timestamp(column) -%}
    {{ dbt.safe_cast(column, dbt.type_timestamp()) }}
{%- endmacro %}
