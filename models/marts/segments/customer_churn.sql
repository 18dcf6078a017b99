{{ config(tags=['as_of']) }}

{#
    Churn risk per customer as of the as_of date: RFM scores, an engagement trend across
    web, app, email and store, a rule-based risk score in [0, 1] and a segment
    (docs/decisions/0004-lifecycle-and-churn.md). Validated against the generator's truth by
    `cdp evaluate-churn` (ROC AUC, precision in the top decile).
#}
{%- set weight_total = var('cdp_churn_weight_recency') + var('cdp_churn_weight_overdue')
    + var('cdp_churn_weight_trend') + var('cdp_churn_weight_frequency') -%}

with activity as (
    select * from {{ ref('int_customers__activity_as_of') }}
),

lifecycle as (
    select * from {{ ref('customer_lifecycle') }}
),

features as (
    select
        lifecycle.customer_id,
        lifecycle.as_of_date,
        lifecycle.lifecycle_stage,
        lifecycle.days_since_last_order as recency_days,
        activity.orders_count as frequency,
        activity.lifetime_revenue as monetary,
        activity.orders_last_365_days,
        lifecycle.days_since_first_order,
        {{ dbt.datediff('cast(activity.last_active_at as date)', 'lifecycle.as_of_date', 'day') }}
            as days_since_last_active,
        activity.activity_recent,
        activity.activity_earlier
    from lifecycle
    inner join activity on lifecycle.customer_id = activity.customer_id
),

rfm_scored as (
    select
        customer_id,
        ntile(5) over (order by recency_days desc, customer_id asc) as recency_score,
        ntile(5) over (order by frequency, customer_id) as frequency_score,
        ntile(5) over (order by monetary, customer_id) as monetary_score
    from features
    where frequency > 0
),

risk_components as (
    select
        features.*,
        rfm_scored.recency_score,
        rfm_scored.frequency_score,
        rfm_scored.monetary_score,
        cast(features.activity_recent + 1 as double) / (features.activity_earlier + 1)
            as engagement_trend,
        case
            when features.days_since_last_active is null then 1.0
            else least(
                    cast(features.days_since_last_active as double)
                    / {{ var('cdp_lifecycle_churned_days') }}, 1.0
                )
        end as recency_risk,
        cast(features.activity_earlier + 1 as double)
        / (features.activity_recent + features.activity_earlier + 2) as trend_risk,
        -- days since the last order against the customer's own rhythm: tenure / orders,
        -- plus a month so that a one-order customer is not overdue the day after
        case
            when features.frequency = 0 then 1.0
            else least(
                    features.recency_days
                    / (cast(features.days_since_first_order as double) / features.frequency + 30)
                    / 2, 1.0
                )
        end as overdue_risk,
        1.0 / (1 + features.orders_last_365_days) as frequency_risk
    from features
    left join rfm_scored on features.customer_id = rfm_scored.customer_id
),

scored as (
    select
        *,
        (
            {{ var('cdp_churn_weight_recency') }} * recency_risk
            + {{ var('cdp_churn_weight_overdue') }} * overdue_risk
            + {{ var('cdp_churn_weight_trend') }} * trend_risk
            + {{ var('cdp_churn_weight_frequency') }} * frequency_risk
        ) / {{ weight_total }} as churn_risk_score
    from risk_components
),

final as (
    select
        customer_id,
        as_of_date,
        lifecycle_stage,
        recency_days,
        frequency,
        monetary,
        recency_score,
        frequency_score,
        monetary_score,
        {{ dbt.concat([dbt.safe_cast('recency_score', dbt.type_string()),
                       dbt.safe_cast('frequency_score', dbt.type_string()),
                       dbt.safe_cast('monetary_score', dbt.type_string())]) }} as rfm_code,
        days_since_last_active,
        activity_recent,
        activity_earlier,
        cast(engagement_trend as decimal(10, 4)) as engagement_trend,
        cast(recency_risk as decimal(6, 4)) as recency_risk,
        cast(overdue_risk as decimal(6, 4)) as overdue_risk,
        cast(trend_risk as decimal(6, 4)) as trend_risk,
        cast(frequency_risk as decimal(6, 4)) as frequency_risk,
        cast(churn_risk_score as decimal(6, 4)) as churn_risk_score,
        case
            when lifecycle_stage = 'lead' then 'prospect'
            when lifecycle_stage = 'churned' and (activity_recent > 0 or monetary_score >= 4) then 'win_back'
            when lifecycle_stage = 'churned' then 'churned'
            when churn_risk_score >= {{ var('cdp_churn_at_risk_from') }} then 'at_risk'
            when churn_risk_score >= {{ var('cdp_churn_cooling_from') }} then 'cooling'
            else 'healthy'
        end as churn_segment
    from scored
)

select * from final
