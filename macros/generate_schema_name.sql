{#
    Put models in the schema named by their folder (`staging`, `intermediate`, `marts`,
    `seeds`) without dbt's default `<target>_` prefix, so BI tools see stable names.
    Models without a custom schema fall back to the target schema.
#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
