{#
    B2B accounts from the CRM with their contacts, the customers behind them and those
    customers' purchases (a customer in two accounts counts in both).
#}
with accounts as (
    select * from {{ ref('stg_crm__accounts') }}
),

account_contacts as (
    select * from {{ ref('account_contacts') }}
),

activity as (
    select * from {{ ref('int_customers__activity_as_of') }}
),

account_customers as (
    select distinct
        crm_account_id,
        customer_id
    from account_contacts
    where customer_id is not null
),

customer_totals as (
    select
        account_customers.crm_account_id,
        count(*) as customer_count,
        sum(activity.orders_count) as orders_count,
        sum(activity.lifetime_revenue) as lifetime_revenue,
        max(activity.last_order_at) as last_order_at
    from account_customers
    left join activity on account_customers.customer_id = activity.customer_id
    group by account_customers.crm_account_id
),

contact_counts as (
    select
        crm_account_id,
        count(*) as contact_count
    from account_contacts
    group by crm_account_id
),

final as (
    select
        accounts.crm_account_id,
        accounts.account_name,
        accounts.industry,
        accounts.country,
        coalesce(contact_counts.contact_count, 0) as contact_count,
        coalesce(customer_totals.customer_count, 0) as customer_count,
        coalesce(customer_totals.orders_count, 0) as orders_count,
        cast(coalesce(customer_totals.lifetime_revenue, 0) as decimal(18, 2)) as lifetime_revenue,
        customer_totals.last_order_at,
        accounts.created_at,
        accounts.updated_at
    from accounts
    left join contact_counts on accounts.crm_account_id = contact_counts.crm_account_id
    left join customer_totals on accounts.crm_account_id = customer_totals.crm_account_id
)

select * from final
