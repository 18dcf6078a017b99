-- Churn segments: size, average risk and its components, revenue at stake, and how many
-- may be contacted by email (granted email_marketing consent).
with churn as (
    select * from {{ ref('customer_churn') }}
),

customers as (
    select * from {{ ref('customers') }}
)

select
    churn.churn_segment,
    count(*) as customers,
    round(avg(churn.churn_risk_score), 3) as average_risk,
    round(avg(churn.recency_risk), 3) as average_recency_risk,
    round(avg(churn.overdue_risk), 3) as average_overdue_risk,
    round(avg(churn.trend_risk), 3) as average_trend_risk,
    round(avg(churn.frequency_risk), 3) as average_frequency_risk,
    sum(churn.monetary) as lifetime_revenue_at_stake,
    sum(case when customers.consent_email_marketing = 'granted' then 1 else 0 end) as email_contactable
from churn
inner join customers on churn.customer_id = customers.customer_id
group by churn.churn_segment
order by average_risk desc
