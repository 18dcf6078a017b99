{#
    JSON helpers for event payloads that arrive as text. Dialects differ, so these go
    through adapter.dispatch: add `spark__json_get` etc. for another engine.
#}

{# A scalar at a JSON path ('$.device.id') as text; null when missing or not valid JSON. #}
{% macro json_get(column, path) -%}
    {{ return(adapter.dispatch('json_get', 'cdp')(column, path)) }}
{%- endmacro %}

{% macro default__json_get(column, path) -%}
    json_extract_scalar({{ column }}, '{{ path }}')
{%- endmacro %}

{% macro duckdb__json_get(column, path) -%}
    case when json_valid({{ column }}) then json_extract_string({{ column }}, '{{ path }}') end
{%- endmacro %}

{% macro spark__json_get(column, path) -%}
    get_json_object({{ column }}, '{{ path }}')
{%- endmacro %}


{# True when the text parses as JSON, false when it does not, null when it is null. #}
{% macro json_is_valid(column) -%}
    {{ return(adapter.dispatch('json_is_valid', 'cdp')(column)) }}
{%- endmacro %}

{% macro default__json_is_valid(column) -%}
    case when {{ column }} is null then null else try_parse_json({{ column }}) is not null end
{%- endmacro %}

{% macro duckdb__json_is_valid(column) -%}
    json_valid({{ column }})
{%- endmacro %}

{% macro spark__json_is_valid(column) -%}
    case when {{ column }} is null then null else from_json({{ column }}, 'map<string,string>') is not null end
{%- endmacro %}
