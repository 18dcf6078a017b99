{#
    Every raw delivery with its rank among the deliveries of the same order and the reason
    it does not reach staging, if any (read by the full build of the staging model and by
    stg_quality__rejected_rows). The latest status update wins (`updated_at`).
#}
with deliveries as (
    select * from {{ ref('base_shop__order_deliveries') }}
),

ranked as (
    select
        *,
        {{ cdp.dedupe_rank('order_id', cdp.delivery_order('updated_at')) }}
            as _delivery_rank,
        -- first *valid* delivery: what the incremental build can know without re-reading
        -- old defective deliveries (macros/incremental/incremental.sql)
        min(case when _invalid_reason is null then _loaded_at end) over (partition by order_id)
            as _first_loaded_at
    from deliveries
)

select
    *,
    {{ cdp.rejection_reason('order_id', invalid_reason='_invalid_reason') }} as rejection_reason
from ranked
