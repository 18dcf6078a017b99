-- Revenue on `customers` adds up to the attributed revenue in `transactions` up to the
-- as_of date: no customer's purchases are lost or counted twice.
with as_of as (
    select max(as_of_date) as as_of_date from {{ ref('customers') }}
),

customer_total as (
    select sum(lifetime_revenue) as revenue
    from {{ ref('customers') }}
),

transaction_total as (
    select sum(transactions.revenue_amount_reporting) as revenue
    from {{ ref('transactions') }} as transactions
    cross join as_of
    where transactions.customer_id is not null
        and cast(transactions.transacted_at as date) <= as_of.as_of_date
)

select
    customer_total.revenue as customer_revenue,
    transaction_total.revenue as transaction_revenue
from customer_total
cross join transaction_total
where coalesce(customer_total.revenue, 0) <> coalesce(transaction_total.revenue, 0)
