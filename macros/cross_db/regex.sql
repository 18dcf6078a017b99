{# True when the whole value matches the regular expression. #}
{% macro regex_full_match(column, pattern) -%}
    {{ return(adapter.dispatch('regex_full_match', 'cdp')(column, pattern)) }}
{%- endmacro %}

{% macro default__regex_full_match(column, pattern) -%}
    regexp_like({{ column }}, {{ cdp.string_literal('^(?:' ~ pattern ~ ')$') }})
{%- endmacro %}

{% macro duckdb__regex_full_match(column, pattern) -%}
    regexp_full_match({{ column }}, '{{ pattern }}')
{%- endmacro %}


{#
    `text` as a SQL string literal. Spark SQL reads a backslash in a literal as an escape
    ('\s' is 's') and does not read a doubled quote as a quote, where DuckDB and ANSI SQL
    keep the backslash and do: the default regex and date macros quote their patterns
    with it, so Spark needs no regex macros of its own.
#}
{% macro string_literal(text) -%}
    {{ return(adapter.dispatch('string_literal', 'cdp')(text)) }}
{%- endmacro %}

{% macro default__string_literal(text) -%}
    '{{ text | replace("'", "''") }}'
{%- endmacro %}

{% macro spark__string_literal(text) -%}
    '{{ text | replace('\\', '\\\\') | replace("'", "\\'") }}'
{%- endmacro %}


{# Replace every match of the pattern. #}
{% macro regex_replace_all(column, pattern, replacement) -%}
    {{ return(adapter.dispatch('regex_replace_all', 'cdp')(column, pattern, replacement)) }}
{%- endmacro %}

{% macro default__regex_replace_all(column, pattern, replacement) -%}
    regexp_replace({{ column }}, {{ cdp.string_literal(pattern) }}, {{ cdp.string_literal(replacement) }})
{%- endmacro %}

{% macro duckdb__regex_replace_all(column, pattern, replacement) -%}
    regexp_replace({{ column }}, '{{ pattern }}', '{{ replacement }}', 'g')
{%- endmacro %}


{# The text of one capture group of the first match ('' when nothing matches). #}
{% macro regex_extract(column, pattern, group) -%}
    {{ return(adapter.dispatch('regex_extract', 'cdp')(column, pattern, group)) }}
{%- endmacro %}

{% macro default__regex_extract(column, pattern, group) -%}
    regexp_extract({{ column }}, {{ cdp.string_literal(pattern) }}, {{ group }})
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
        cast(try_to_timestamp({{ column }}, {{ cdp.string_literal(cdp.datetime_pattern(format)) }}) as date)
        {%- if not loop.last %},{% endif %}
        {%- endfor %}
    )
{%- endmacro %}

{#
    A strptime format as a Java/Spark datetime pattern: '%d/%m/%Y' -> 'd/M/yyyy'. Covers
    the directives the project uses; a letter outside them is quoted as a literal ('T').
    strptime reads a day or month of one digit or two (`August 1, 1986`); Java's `dd`
    needs two, `d` takes either, so separated fields get the one-letter forms. Fields with
    no separator between them (`%Y%m%d`) keep their fixed widths, which tell them apart.
#}
{% macro datetime_pattern(strptime_format) -%}
    {%- set adjacent = namespace(found=false) -%}
    {%- for position in range((strptime_format | length) - 2) -%}
        {%- if strptime_format[position] == '%' and strptime_format[position + 2] == '%' -%}
            {%- set adjacent.found = true -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if adjacent.found -%}
        {%- set directives = {'%Y': 'yyyy', '%m': 'MM', '%d': 'dd', '%B': 'MMMM', '%H': 'HH',
                              '%M': 'mm', '%S': 'ss'} -%}
    {%- else -%}
        {%- set directives = {'%Y': 'yyyy', '%m': 'M', '%d': 'd', '%B': 'MMMM', '%H': 'H',
                              '%M': 'm', '%S': 's'} -%}
    {%- endif -%}
    {%- set pattern = namespace(text='', rest=strptime_format) -%}
    {%- for _ in range(strptime_format | length) if pattern.rest -%}
        {%- if pattern.rest[:2] in directives -%}
            {%- set pattern.text = pattern.text ~ directives[pattern.rest[:2]] -%}
            {%- set pattern.rest = pattern.rest[2:] -%}
        {%- else -%}
            {%- set character = pattern.rest[0] -%}
            {%- set pattern.text = pattern.text
                ~ ("'" ~ character ~ "'" if character.isalpha() else character) -%}
            {%- set pattern.rest = pattern.rest[1:] -%}
        {%- endif -%}
    {%- endfor -%}
    {{ pattern.text }}
{%- endmacro %}

{% macro duckdb__try_parse_date(column, formats) -%}
    cast(try_strptime({{ column }}, [{% for format in formats %}'{{ format }}'{% if not loop.last %}, {% endif %}{% endfor %}]) as date)
{%- endmacro %}
