{#
    Postal code -> match key: uppercase, no spaces; US ZIP+4 -> ZIP; a US ZIP that lost
    its leading zero in a spreadsheet (4 digits) gets it back.
#}
{% macro normalize_postal_code(column) -%}
    {%- set compact = cdp.regex_replace_all('upper(' ~ column ~ ')', '[^A-Z0-9]', '') -%}
    case
        when {{ column }} is null then null
        when {{ cdp.regex_full_match(compact, '[0-9]{9}') }} then substr({{ compact }}, 1, 5)
        when {{ cdp.regex_full_match(compact, '[0-9]{4}') }} then '0' || {{ compact }}
        else nullif({{ compact }}, '')
    end
{%- endmacro %}

{#
    Street address -> match key: lowercase, punctuation removed, common suffixes
    abbreviated the same way ("12 Main Street" and "12 main st." both -> "12 main st").
#}
{% macro normalize_street(column) -%}
    {%- set cleaned = cdp.regex_replace_all(
        cdp.regex_replace_all('lower(' ~ cdp.strip_accents(column) ~ ')', '[^a-z0-9 ]', ''),
        '\\s+', ' ') -%}
    nullif(trim(
        {{ cdp.regex_replace_all(cdp.regex_replace_all(cdp.regex_replace_all(cdp.regex_replace_all(
            cdp.regex_replace_all(cdp.regex_replace_all(cdp.regex_replace_all(cleaned,
            '\\bstreet\\b', 'st'), '\\bavenue\\b', 'ave'), '\\broad\\b', 'rd'), '\\blane\\b', 'ln'),
            '\\bdrive\\b', 'dr'), '\\bcourt\\b', 'ct'), '\\bplace\\b', 'pl') }}
    ), '')
{%- endmacro %}

{# Country as entered -> ISO 3166 alpha-2 for the common spellings; other values uppercased. #}
{% macro normalize_country(column) -%}
    case
        when {{ column }} is null then null
        when upper(trim({{ column }})) in ('US', 'USA', 'UNITED STATES', 'UNITED STATES OF AMERICA') then 'US'
        when upper(trim({{ column }})) in ('GB', 'UK', 'UNITED KINGDOM', 'GREAT BRITAIN', 'ENGLAND', 'SCOTLAND', 'WALES')
            then 'GB'
        else upper(trim({{ column }}))
    end
{%- endmacro %}
