{# `with x as materialized (...)`: compute a CTE once even when it is read several times. #}
{% macro materialized_cte() -%}
    {{ return(adapter.dispatch('materialized_cte', 'cdp')()) }}
{%- endmacro %}

{% macro default__materialized_cte() -%}as{%- endmacro %}

{% macro duckdb__materialized_cte() -%}as materialized{%- endmacro %}


{# An expression that stops the query with `message` when it is evaluated. #}
{% macro raise_error(message) -%}
    {{ return(adapter.dispatch('raise_error', 'cdp')(message)) }}
{%- endmacro %}

{% macro default__raise_error(message) -%}
    raise_error('{{ message }}')
{%- endmacro %}

{% macro duckdb__raise_error(message) -%}
    error('{{ message }}')
{%- endmacro %}
