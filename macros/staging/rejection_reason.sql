{#
    The single reason a raw row does not reach staging, or null when it does. Checks are
    taken in order: a row without its key cannot be deduplicated, so `null_key` comes first.

    key:          the record key column (after cleaning)
    rank:         the dedupe_rank column
    extra:        list of (condition, reason) pairs checked after the key
#}
{% macro rejection_reason(key, rank='_delivery_rank', extra=[]) -%}
    case
        when {{ key }} is null then 'null_key'
        {%- for condition, reason in extra %}
        when {{ condition }} then '{{ reason }}'
        {%- endfor %}
        when {{ rank }} > 1 then 'duplicate_delivery'
    end
{%- endmacro %}
