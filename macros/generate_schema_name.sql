{#
    Put models in the schema named by their folder (`staging`, `intermediate`, `marts`,
    `seeds`) without dbt's default `<target>_` prefix, so BI tools see stable names.
    Models without a custom schema fall back to the target schema.

    Models tagged `as_of` (everything computed as of var('as_of')) go to the schema in
    var('cdp_as_of_schema') when it is set: `cdp evaluate-churn` rebuilds them as of a past
    date there, next to the production tables, without touching those.
#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- set as_of_schema = var('cdp_as_of_schema', none) -%}
    {%- if as_of_schema and 'as_of' in (node.tags or []) -%}
        {{ as_of_schema | trim }}
    {%- elif custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
