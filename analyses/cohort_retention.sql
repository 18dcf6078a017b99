-- Monthly cohort retention: of the customers whose first purchase was in a month, the share
-- who purchased again N months later.
with purchases as (
    select
        customer_id,
        cast({{ dbt.date_trunc('month', 'transacted_at') }} as date) as purchase_month
    from {{ ref('transactions') }}
    where is_purchase and customer_id is not null
    group by customer_id, purchase_month
),

cohorts as (
    select
        customer_id,
        min(purchase_month) as cohort_month
    from purchases
    group by customer_id
),

activity as (
    select
        cohorts.cohort_month,
        {{ dbt.datediff('cohorts.cohort_month', 'purchases.purchase_month', 'month') }} as months_since_first,  -- noqa: LT05
        count(distinct purchases.customer_id) as customers
    from purchases
    inner join cohorts on purchases.customer_id = cohorts.customer_id
    group by cohorts.cohort_month, months_since_first
),

cohort_sizes as (
    select
        cohort_month,
        customers as cohort_size
    from activity
    where months_since_first = 0
)

select
    activity.cohort_month,
    cohort_sizes.cohort_size,
    activity.months_since_first,
    activity.customers,
    round(activity.customers * 1.0 / cohort_sizes.cohort_size, 4) as retention
from activity
inner join cohort_sizes on activity.cohort_month = cohort_sizes.cohort_month
order by activity.cohort_month asc, activity.months_since_first asc
