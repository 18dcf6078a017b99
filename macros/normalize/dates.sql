{#
    Date of birth text in any of the delivered formats -> date. Slash dates are ambiguous
    (03/04/1990): `day_first` (a boolean SQL expression, e.g. the record's country is not
    US) decides; the other order is tried second.
#}
{% macro parse_date_of_birth(column, day_first='false') -%}
    {%- set unambiguous = ['%Y-%m-%d', '%Y%m%d', '%d.%m.%Y', '%B %d, %Y', '%Y-%m-%dT%H:%M:%S'] -%}
    coalesce(
        {{ cdp.try_parse_date(column, unambiguous) }},
        case
            when {{ day_first }} then {{ cdp.try_parse_date(column, ['%d/%m/%Y', '%m/%d/%Y']) }}
            else {{ cdp.try_parse_date(column, ['%m/%d/%Y', '%d/%m/%Y']) }}
        end
    )
{%- endmacro %}

{% macro date_of_birth_invalid_reason(column, parsed) -%}
    case
        when {{ column }} is null then null
        when {{ parsed }} is null then 'unparseable'
        when {{ parsed }} < cast('1900-01-01' as date) then 'out_of_range'
        when {{ parsed }} > current_date then 'out_of_range'
    end
{%- endmacro %}
