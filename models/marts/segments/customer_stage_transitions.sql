{#
    Lifecycle stage and churn segment changes, from the customers_snapshot history: one row
    per snapshot version whose stage or segment differs from the version before.
    Customers who asked to be erased are left out: their history leaves the snapshot only
    at the end of the run in which the request landed (cdp.apply_erasures_to_snapshots).
#}
with erasure_scope as (
    select * from {{ ref('int_privacy__erasure_scope') }}
),

snapshot_versions as (
    select * from {{ ref('customers_snapshot') }}
    where customer_id not in (select erasure_scope.customer_id from erasure_scope)
),

with_previous as (
    select
        customer_id,
        lifecycle_stage,
        churn_segment,
        as_of_date,
        dbt_valid_from,
        lag(lifecycle_stage) over (partition by customer_id order by dbt_valid_from) as previous_stage,
        lag(churn_segment) over (partition by customer_id order by dbt_valid_from) as previous_churn_segment,
        row_number() over (partition by customer_id order by dbt_valid_from) as version_number
    from snapshot_versions
),

final as (
    select
        customer_id,
        previous_stage as from_stage,
        lifecycle_stage as to_stage,
        previous_churn_segment as from_churn_segment,
        churn_segment as to_churn_segment,
        dbt_valid_from as changed_at,
        as_of_date
    from with_previous
    where version_number = 1
        or coalesce(previous_stage, '') <> coalesce(lifecycle_stage, '')
        or coalesce(previous_churn_segment, '') <> coalesce(churn_segment, '')
)

select * from final
