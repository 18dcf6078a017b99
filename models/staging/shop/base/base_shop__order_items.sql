{#
    Every raw delivery with its rank among the deliveries of the same record and the reason
    it does not reach staging, if any (read by the full build of the staging model and by
    stg_quality__rejected_rows).
#}
with deliveries as (
    select * from {{ ref('base_shop__order_item_deliveries') }}
),

ranked as (
    select
        *,
        {{ cdp.dedupe_rank('order_item_id', cdp.delivery_order()) }}
            as _delivery_rank,
        -- first *valid* delivery: what the incremental build can know without re-reading
        -- old defective deliveries (macros/incremental/incremental.sql)
        min(case when _invalid_reason is null then _loaded_at end) over (partition by order_item_id)
            as _first_loaded_at
    from deliveries
)

select
    *,
    {{ cdp.rejection_reason('order_item_id', invalid_reason='_invalid_reason') }} as rejection_reason
from ranked
