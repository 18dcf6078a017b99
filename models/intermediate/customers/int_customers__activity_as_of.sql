{{ config(tags=['as_of']) }}

{#
    One row per known customer: purchase and engagement facts computed from data up to the
    end of the as_of date only (var('as_of'), default the day of the latest transaction or
    event; when there is neither, of the latest record, or else of the latest landing).
    Lifecycle stages, churn scores and the customers mart read these facts, so a past as_of
    reproduces exactly what the business could have known that day.
#}
with known_customers as (
    select * from {{ ref('int_identity__known_customers') }}
),

record_customers as (
    select * from {{ ref('int_identity__record_customers') }}
),

transactions as (
    select * from {{ ref('transactions') }}
    where customer_id is not null
),

events as (
    select * from {{ ref('events') }}
    where customer_id is not null
),

as_of_date as (
    select
        {% if var('as_of') -%}
            cast('{{ var("as_of") }}' as date)
        {%- else -%}
            -- with no transaction or event yet (only people landed so far), the latest
            -- record date, so that every customer known by then is a lead; with no dated
            -- record either, the latest landing
            cast(coalesce(
                greatest(
                    (select max(transacted_at) from transactions),
                    (select max(occurred_at) from events)
                ),
                (select max(record_at) from record_customers),
                (select max(last_loaded_at) from {{ ref('int_identity__source_records') }})
            ) as date)
        {%- endif %} as as_of_date
),

as_of as (
    select
        as_of_date,
        cast({{ dbt.dateadd('day', 1, 'as_of_date') }} as timestamp) as as_of_end,
        cast({{ dbt.dateadd('day', 1 - var('cdp_churn_trend_days'), 'as_of_date') }} as timestamp)
            as recent_from,
        cast({{ dbt.dateadd('day', 1 - 2 * var('cdp_churn_trend_days'), 'as_of_date') }} as timestamp)
            as earlier_from,
        cast({{ dbt.dateadd('day', -364, 'as_of_date') }} as timestamp) as year_from
    from as_of_date
),

transactions_until_as_of as (
    select
        transactions.*,
        transactions.transacted_at >= as_of.year_from as is_last_365_days,
        transactions.transacted_at >= as_of.recent_from as is_recent,
        transactions.transacted_at >= as_of.earlier_from
        and transactions.transacted_at < as_of.recent_from as is_earlier
    from transactions
    cross join as_of
    where transactions.transacted_at < as_of.as_of_end
),

transaction_facts as (
    select
        customer_id,
        min(case when is_purchase then transacted_at end) as first_order_at,
        max(case when is_purchase then transacted_at end) as last_order_at,
        sum(case when is_purchase then 1 else 0 end) as orders_count,
        sum(case when is_purchase and channel = 'online' then 1 else 0 end) as online_orders_count,
        sum(case when is_purchase and channel = 'store' then 1 else 0 end) as store_orders_count,
        sum(case when is_purchase and is_last_365_days then 1 else 0 end) as orders_last_365_days,
        sum(case when is_purchase and is_recent then 1 else 0 end) as orders_recent,
        sum(case when is_purchase and is_earlier then 1 else 0 end) as orders_earlier,
        sum(case when transaction_type = 'return' or status = 'refunded' then 1 else 0 end) as returns_count,
        sum(revenue_amount_reporting) as lifetime_revenue,
        sum(case when is_purchase then gross_amount_reporting else 0 end) as lifetime_gross_sales,
        min(transacted_at) as first_transaction_at,
        max(transacted_at) as last_transaction_at,
        -- the order before the last one (the same time when two orders share it); an
        -- aggregate, not a row_number() window: one pass (1M people: 6.9 s -> 5.5 s)
        {{ cdp.second_largest('case when is_purchase then transacted_at end') }} as previous_order_at
    from transactions_until_as_of
    group by customer_id
),

engagement_events as (
    select
        events.*,
        (events.channel in ('web', 'app') or events.event_category = 'email_engagement') as is_engagement,
        events.occurred_at >= as_of.recent_from as is_recent,
        events.occurred_at >= as_of.earlier_from and events.occurred_at < as_of.recent_from as is_earlier
    from events
    cross join as_of
    where events.occurred_at < as_of.as_of_end
),

event_facts as (
    select
        customer_id,
        min(occurred_at) as first_event_at,
        max(occurred_at) as last_event_at,
        max(case when is_engagement then occurred_at end) as last_engaged_at,
        sum(case when channel = 'web' then 1 else 0 end) as web_events_count,
        sum(case when channel = 'app' then 1 else 0 end) as app_events_count,
        sum(case when event_category = 'email_engagement' then 1 else 0 end) as email_engagements_count,
        sum(case when channel = 'support' then 1 else 0 end) as support_tickets_count,
        sum(case when is_engagement and is_recent then 1 else 0 end) as engagements_recent,
        sum(case when is_engagement and is_earlier then 1 else 0 end) as engagements_earlier
    from engagement_events
    group by customer_id
),

first_known as (
    select
        customer_id,
        min(record_at) as first_known_at
    from record_customers
    group by customer_id
),

final as (
    select
        known_customers.customer_id,
        as_of.as_of_date,
        -- a customer whose records carry no date at all is known: nothing says they came later
        coalesce(first_known.first_known_at < as_of.as_of_end, first_known.first_known_at is null)
            as is_known_as_of,
        first_known.first_known_at,
        transaction_facts.first_order_at,
        transaction_facts.last_order_at,
        transaction_facts.previous_order_at,
        cast(coalesce(transaction_facts.orders_count, 0) as bigint) as orders_count,
        cast(coalesce(transaction_facts.online_orders_count, 0) as bigint) as online_orders_count,
        cast(coalesce(transaction_facts.store_orders_count, 0) as bigint) as store_orders_count,
        cast(coalesce(transaction_facts.orders_last_365_days, 0) as bigint) as orders_last_365_days,
        cast(coalesce(transaction_facts.orders_recent, 0) as bigint) as orders_recent,
        cast(coalesce(transaction_facts.orders_earlier, 0) as bigint) as orders_earlier,
        cast(coalesce(transaction_facts.returns_count, 0) as bigint) as returns_count,
        cast(coalesce(transaction_facts.lifetime_revenue, 0) as decimal(18, 2)) as lifetime_revenue,
        cast(coalesce(transaction_facts.lifetime_gross_sales, 0) as decimal(18, 2)) as lifetime_gross_sales,
        cast(coalesce(event_facts.web_events_count, 0) as bigint) as web_events_count,
        cast(coalesce(event_facts.app_events_count, 0) as bigint) as app_events_count,
        cast(coalesce(event_facts.email_engagements_count, 0) as bigint) as email_engagements_count,
        cast(coalesce(event_facts.support_tickets_count, 0) as bigint) as support_tickets_count,
        cast(
            coalesce(event_facts.engagements_recent, 0) + coalesce(transaction_facts.orders_recent, 0)
            as bigint
        ) as activity_recent,
        cast(
            coalesce(event_facts.engagements_earlier, 0) + coalesce(transaction_facts.orders_earlier, 0)
            as bigint
        ) as activity_earlier,
        case
            when transaction_facts.first_transaction_at is null then event_facts.first_event_at
            when event_facts.first_event_at is null then transaction_facts.first_transaction_at
            else least(transaction_facts.first_transaction_at, event_facts.first_event_at)
        end as first_seen_at,
        case
            when transaction_facts.last_transaction_at is null then event_facts.last_event_at
            when event_facts.last_event_at is null then transaction_facts.last_transaction_at
            else greatest(transaction_facts.last_transaction_at, event_facts.last_event_at)
        end as last_seen_at,
        case
            when transaction_facts.last_order_at is null then event_facts.last_engaged_at
            when event_facts.last_engaged_at is null then transaction_facts.last_order_at
            else greatest(transaction_facts.last_order_at, event_facts.last_engaged_at)
        end as last_active_at
    from known_customers
    cross join as_of
    left join first_known on known_customers.customer_id = first_known.customer_id
    left join transaction_facts on known_customers.customer_id = transaction_facts.customer_id
    left join event_facts on known_customers.customer_id = event_facts.customer_id
)

select * from final
