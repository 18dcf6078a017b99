{#
    Name -> match key: lowercase, accents stripped, letters only ("O'Brien" -> "obrien",
    "Van der Berg" -> "vanderberg"). Display values stay in the source columns.
#}
{% macro normalize_name(column) -%}
    nullif({{ cdp.regex_replace_all('lower(' ~ cdp.strip_accents(column) ~ ')', '[^a-z]', '') }}, '')
{%- endmacro %}

{# "First Last" or "First Middle Last" -> first token / last token. #}
{% macro first_token(column) -%}
    nullif(split_part(trim({{ column }}), ' ', 1), '')
{%- endmacro %}

{% macro last_token(column) -%}
    case
        when {{ dbt.position("' '", 'trim(' ~ column ~ ')') }} > 0
            then nullif({{ cdp.regex_replace_all('trim(' ~ column ~ ')', '^.*\\s', '') }}, '')
    end
{%- endmacro %}
