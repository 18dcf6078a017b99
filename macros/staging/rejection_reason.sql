{#
    The single reason a raw row does not reach staging, or null when it does. Checks are
    taken in order: a row without its key cannot be deduplicated, so `null_key` comes first,
    then the row's own defect (the base model's `_invalid_reason`: unparseable_timestamp,
    future_timestamp, malformed_json, invalid_email, negative_quantity, negative_amount),
    then `duplicate_delivery`. Base models rank valid deliveries of a record before
    defective ones, so a bad re-delivery never hides a good one.

    key:            the record key column (after cleaning)
    rank:           the dedupe_rank column
    invalid_reason: column holding the row's defect, if the base model checks any
#}
{% macro rejection_reason(key, rank='_delivery_rank', invalid_reason=none) -%}
    case
        when {{ key }} is null then 'null_key'
        {%- if invalid_reason %}
        when {{ invalid_reason }} is not null then {{ invalid_reason }}
        {%- endif %}
        when {{ rank }} > 1 then 'duplicate_delivery'
    end
{%- endmacro %}


{#
    A business timestamp later than the row's load by more than
    var('cdp_future_tolerance_hours'): a clock error or a placeholder like 9999-12-31.
#}
{% macro is_future(column, loaded_at='_loaded_at') -%}
    {{ column }} > {{ dbt.dateadd('hour', var('cdp_future_tolerance_hours'), loaded_at) }}
{%- endmacro %}
