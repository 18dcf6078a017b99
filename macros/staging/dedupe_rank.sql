{#
    Rank the deliveries of one record: 1 is the version staging keeps (latest business
    update, then latest load). Every other rank is a collapsed re-delivery or an older
    version, reported as such in stg_quality__rejected_rows.
#}
{% macro dedupe_rank(key, order_by) -%}
    row_number() over (
        partition by {{ key }}
        order by {{ order_by }}
    )
{%- endmacro %}


{#
    The order in which deliveries of one record compete: valid ones first, then the latest
    business update (`updated_at`, for records that carry one), then the latest load.
    Shared by the base models and the incremental staging path
    (macros/incremental/incremental.sql), which must pick the same winner.
#}
{% macro delivery_order(updated_at=none) -%}
    (_invalid_reason is not null),
    {%- if updated_at %} {{ updated_at }} desc nulls last,{% endif %} _loaded_at desc
{%- endmacro %}
