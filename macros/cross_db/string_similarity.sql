{# Jaro-Winkler similarity in [0, 1]; engines without it fall back to normalized Levenshtein. #}
{% macro string_similarity(left, right) -%}
    {{ return(adapter.dispatch('string_similarity', 'cdp')(left, right)) }}
{%- endmacro %}

{% macro default__string_similarity(left, right) -%}
    (1.0 - cast(levenshtein({{ left }}, {{ right }}) as double)
        / greatest(length({{ left }}), length({{ right }}), 1))
{%- endmacro %}

{% macro duckdb__string_similarity(left, right) -%}
    jaro_winkler_similarity({{ left }}, {{ right }})
{%- endmacro %}
