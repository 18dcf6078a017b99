-- Customers, revenue and average order value by lifecycle stage and country.
select
    lifecycle_stage,
    country_code,
    count(*) as customers,
    sum(orders_count) as orders,
    sum(lifetime_revenue) as lifetime_revenue,
    round(sum(lifetime_revenue) / nullif(sum(orders_count), 0), 2) as average_order_value,
    max(reporting_currency) as reporting_currency
from {{ ref('customers') }}
group by lifecycle_stage, country_code
order by lifecycle_stage, country_code
