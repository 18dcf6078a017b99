{#
    Email as a person wrote it -> lowercase with all whitespace removed. Domain typo fixes
    and provider-specific canonical forms (gmail dots, plus tags) are match keys, built in
    the identity layer (int_identity__identifiers), not here.
#}
{% macro normalize_email(column) -%}
    nullif(lower({{ cdp.regex_replace_all(column, '\\s+', '') }}), '')
{%- endmacro %}

{# Why a normalized email is unusable, or null when it is fine. #}
{% macro email_invalid_reason(normalized) -%}
    case
        when {{ normalized }} is null then null
        when not {{ cdp.regex_full_match(normalized, "[a-z0-9._%+''-]+@[a-z0-9-]+(\\.[a-z0-9-]+)*\\.[a-z]{2,}") }}
            then 'malformed'
    end
{%- endmacro %}
