{# True when the whole value matches the regular expression. #}
{% macro regex_full_match(column, pattern) -%}
    {{ return(adapter.dispatch('regex_full_match', 'cdp')(column, pattern)) }}
{%- endmacro %}

{% macro default__regex_full_match(column, pattern) -%}
    regexp_like({{ column }}, '^(?:{{ pattern }})$')
{%- endmacro %}

{% macro duckdb__regex_full_match(column, pattern) -%}
    regexp_full_match({{ column }}, '{{ pattern }}')
{%- endmacro %}

{% macro spark__regex_full_match(column, pattern) -%}
    ({{ column }} rlike '^(?:{{ pattern }})$')
{%- endmacro %}


{# Replace every match of the pattern. #}
{% macro regex_replace_all(column, pattern, replacement) -%}
    {{ return(adapter.dispatch('regex_replace_all', 'cdp')(column, pattern, replacement)) }}
{%- endmacro %}

{% macro default__regex_replace_all(column, pattern, replacement) -%}
    regexp_replace({{ column }}, '{{ pattern }}', '{{ replacement }}')
{%- endmacro %}

{% macro duckdb__regex_replace_all(column, pattern, replacement) -%}
    regexp_replace({{ column }}, '{{ pattern }}', '{{ replacement }}', 'g')
{%- endmacro %}


{# Remove diacritics: José -> Jose. #}
{% macro strip_accents(column) -%}
    {{ return(adapter.dispatch('strip_accents', 'cdp')(column)) }}
{%- endmacro %}

{% macro default__strip_accents(column) -%}
    translate({{ column }},
        'ÀÁÂÃÄÅàáâãäåÈÉÊËèéêëÌÍÎÏìíîïÒÓÔÕÖØòóôõöøÙÚÛÜùúûüÑñÇçÝýÿ',
        'AAAAAAaaaaaaEEEEeeeeIIIIiiiiOOOOOOooooooUUUUuuuuNnCcYyy')
{%- endmacro %}

{% macro duckdb__strip_accents(column) -%}
    strip_accents({{ column }})
{%- endmacro %}


{# Parse text with the first of several strptime formats that fits; null if none does. #}
{% macro try_parse_date(column, formats) -%}
    {{ return(adapter.dispatch('try_parse_date', 'cdp')(column, formats)) }}
{%- endmacro %}

{% macro default__try_parse_date(column, formats) -%}
    coalesce(
        {%- for format in formats %}
        try_to_date({{ column }}, '{{ format }}'){% if not loop.last %},{% endif %}
        {%- endfor %}
    )
{%- endmacro %}

{% macro duckdb__try_parse_date(column, formats) -%}
    cast(try_strptime({{ column }}, [{% for format in formats %}'{{ format }}'{% if not loop.last %}, {% endif %}{% endfor %}]) as date)
{%- endmacro %}
