-- One customer's full timeline: orders, store visits, web and app events, emails, tickets.
-- Set the customer with: dbt compile --select customer_timeline --vars '{customer_id: cus_...}'
{% set customer_id = var('customer_id', 'cus_replace_me') %}

select
    transacted_at as occurred_at,
    'transaction' as kind,
    channel,
    {{ dbt.concat(['transaction_type', "' '", 'status']) }} as what,
    cast(revenue_amount_reporting as varchar) as detail
from {{ ref('transactions') }}
where customer_id = '{{ customer_id }}'

union all

select
    occurred_at,
    'event' as kind,
    channel,
    event_name as what,
    coalesce(page_url, product_name, campaign_name, page_title) as detail
from {{ ref('events') }}
where customer_id = '{{ customer_id }}'

order by occurred_at
