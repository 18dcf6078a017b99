{#
    on-run-end: one row per node of the run in audit.run_log: when, what was built or tested,
    its status, failing rows of a test, row count of a table it built, and time taken, so
    operators can trace every change. Ids, counts and statuses only: no data values.
#}
{% macro log_run_results(results) -%}
    {%- if execute and results -%}
        {%- do run_query("create schema if not exists audit") -%}
        {%- set text = dbt.type_string() -%}
        {%- do run_query(
            "create table if not exists audit.run_log ("
            ~ "invocation_id " ~ text ~ ", run_started_at timestamp, logged_at timestamp, "
            ~ "command " ~ text ~ ", node_id " ~ text ~ ", resource_type " ~ text
            ~ ", relation_name " ~ text ~ ", status " ~ text ~ ", failures bigint, row_count bigint, "
            ~ "execution_seconds double, message " ~ text ~ ")"
        ) -%}
        {%- set values = [] -%}
        {%- for result in results -%}
            {%- set node = result.node -%}
            {%- set row_count = 'null' -%}
            {%- if node.resource_type in ('model', 'seed', 'snapshot')
                and node.config.materialized != 'view' and result.status == 'success'
                and node.relation_name -%}
                {%- set counted = run_query('select count(*) from ' ~ node.relation_name) -%}
                {%- set row_count = counted.columns[0].values()[0] -%}
            {%- endif -%}
            {%- set message = (result.message or '') | string | replace("'", "''") -%}
            {%- do values.append(
                "('" ~ invocation_id ~ "', cast('" ~ run_started_at.strftime('%Y-%m-%d %H:%M:%S')
                ~ "' as timestamp), current_timestamp, '" ~ flags.WHICH ~ "', '" ~ node.unique_id
                ~ "', '" ~ node.resource_type ~ "', "
                ~ ("'" ~ node.relation_name | replace("'", "''") ~ "'" if node.relation_name else "null")
                ~ ", '" ~ result.status ~ "', "
                ~ (result.failures if result.failures is not none else 'null') ~ ", "
                ~ row_count ~ ", " ~ (result.execution_time or 0) ~ ", '" ~ message[:500] ~ "')"
            ) -%}
        {%- endfor -%}
        {%- if values -%}
            insert into audit.run_log values {{ values | join(', ') }}
        {%- else -%}
            select 1 as nothing_to_log
        {%- endif -%}
    {%- else -%}
        select 1 as nothing_to_log
    {%- endif -%}
{%- endmacro %}
