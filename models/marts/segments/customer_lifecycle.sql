{{ config(tags=['as_of']) }}

{#
    Every customer known by the as_of date in exactly one lifecycle stage
    (docs/decisions/0004-lifecycle-and-churn.md). "Within N days" means fewer than N whole
    days before the as_of date: an order on the as_of date is 0 days old.
#}
with activity as (
    select * from {{ ref('int_customers__activity_as_of') }}
    where is_known_as_of
),

day_counts as (
    select
        *,
        {{ dbt.datediff('cast(first_order_at as date)', 'as_of_date', 'day') }} as days_since_first_order,  -- noqa: LT05
        {{ dbt.datediff('cast(last_order_at as date)', 'as_of_date', 'day') }} as days_since_last_order,  -- noqa: LT05
        {{ dbt.datediff('cast(previous_order_at as date)', 'cast(last_order_at as date)', 'day') }}
            as days_between_last_two_orders
    from activity
),

final as (
    select
        customer_id,
        as_of_date,
        case
            when orders_count = 0 then 'lead'
            when days_since_first_order < {{ var('cdp_lifecycle_new_days') }} then 'new'
            when days_since_last_order < {{ var('cdp_lifecycle_active_days') }}
                and days_between_last_two_orders > {{ var('cdp_lifecycle_churned_days') }}
                then 'reactivated'
            when days_since_last_order < {{ var('cdp_lifecycle_active_days') }} then 'active'
            when days_since_last_order < {{ var('cdp_lifecycle_churned_days') }} then 'at_risk'
            else 'churned'
        end as lifecycle_stage,
        orders_count,
        first_order_at,
        last_order_at,
        previous_order_at,
        days_since_first_order,
        days_since_last_order,
        days_between_last_two_orders
    from day_counts
)

select * from final
