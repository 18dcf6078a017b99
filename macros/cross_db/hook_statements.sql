{#
    The SQL of a hook that runs several statements. DuckDB runs a script of statements
    separated by `;` as the hook's one query, so dbt logs every statement it ran. dbt-spark
    sends a hook's SQL as one statement, which Spark cannot parse when it holds several
    (decision 0007): there the statements run one by one, now, and the hook itself is a
    no-op query.
#}
{% macro hook_statements(statements) -%}
    {{ return(adapter.dispatch('hook_statements', 'cdp')(statements)) }}
{%- endmacro %}

{% macro default__hook_statements(statements) -%}
    {{ return(statements | join(';\n')) }}
{%- endmacro %}

{% macro spark__hook_statements(statements) -%}
    {%- for statement in statements -%}
        {%- do run_query(statement) -%}
    {%- endfor -%}
    {{ return('select ' ~ statements | length ~ ' as statements_run') }}
{%- endmacro %}
