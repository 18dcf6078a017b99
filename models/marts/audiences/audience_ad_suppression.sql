{#
    Ad platforms: customer emails to upload as a suppression list (recent buyers are not
    shown acquisition ads). Only customers who granted personalized_ads consent and have
    not asked not to have their data sold or shared (do_not_sell) may be uploaded at all.
#}
with customers as (
    select * from {{ ref('customers') }}
),

consents as (
    select * from {{ ref('customer_consents') }}
    where purpose = 'personalized_ads' and is_consented
),

final as (
    select
        customers.customer_id,
        customers.email,
        customers.last_order_at,
        customers.as_of_date
    from customers
    inner join consents on customers.customer_id = consents.customer_id
    where not customers.has_do_not_sell_request
        and customers.email is not null
        and customers.last_order_at is not null
        and {{ dbt.datediff('cast(customers.last_order_at as date)', 'customers.as_of_date', 'day') }}
        < {{ var('cdp_ad_suppression_recent_buyer_days') }}
)

select * from final
