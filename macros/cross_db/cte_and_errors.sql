{# `with x as materialized (...)`: compute a CTE once even when it is read several times. #}
{% macro materialized_cte() -%}
    {{ return(adapter.dispatch('materialized_cte', 'cdp')()) }}
{%- endmacro %}

{% macro default__materialized_cte() -%}as{%- endmacro %}

{% macro duckdb__materialized_cte() -%}as materialized{%- endmacro %}


{#
    `with x as not materialized (...)`: read a CTE where it is used instead of buffering it.
    DuckDB buffers every CTE read more than once; for an import CTE over a large table
    (`select * from ref(...)`) that copies every row and column before the query starts.
#}
{% macro inlined_cte() -%}
    {{ return(adapter.dispatch('inlined_cte', 'cdp')()) }}
{%- endmacro %}

{% macro default__inlined_cte() -%}as{%- endmacro %}

{% macro duckdb__inlined_cte() -%}as not materialized{%- endmacro %}


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


{#
    An order-independent checksum of a set of rows, as an aggregate: the XOR of a 64-bit hash
    of each row's `expressions`. Two sets with the same checksum are (almost surely) equal;
    used to find identifier values whose set of carrying records changed.
#}
{% macro set_checksum(expressions) -%}
    bit_xor({{ cdp.row_hash(expressions) }})
{%- endmacro %}
