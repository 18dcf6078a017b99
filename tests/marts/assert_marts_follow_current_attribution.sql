{#
    Incremental marts re-emit the rows of records whose attribution changed in the same
    run (macros/incremental/incremental.sql). If they ever drift from the current
    attribution (a selection that ran identity without the marts, a bug), rows here name
    the mart row whose customer_id is stale. Run `dbt build --full-refresh -s events+
    transactions+` to repair.
#}
-- read where used, each join with the sources it can match (transactions.source is
-- tested to be one of the two), so no join hashes all 11M records (1M people: 5.6-6.4 s
-- -> 5.2 s)
with attributed_records {{ cdp.inlined_cte() }} (
    select * from {{ ref('int_records__attributed') }}
),

stale_transactions as (
    select
        'transactions' as mart,
        transactions.transaction_id as row_id
    from {{ ref('transactions') }} as transactions
    inner join attributed_records
        on attributed_records.source in ('shop_orders', 'pos_transactions')
        and transactions.source = attributed_records.source
        and transactions.source_transaction_id = attributed_records.source_record_id
    where transactions.customer_id is distinct from attributed_records.customer_id
),

stale_events as (
    select
        'events' as mart,
        events.event_id as row_id
    from {{ ref('events') }} as events
    inner join attributed_records
        on attributed_records.source in ('email_activity', 'support_tickets')
        and events.source = attributed_records.source
        and events.source_event_id = attributed_records.source_record_id
    where events.source in ('email_activity', 'support_tickets')
        and events.customer_id is distinct from attributed_records.customer_id
),

stale_browsing as (
    -- a visitor attributed to a known customer: all their events carry that customer
    select
        'events' as mart,
        events.event_id as row_id
    from {{ ref('events') }} as events
    inner join attributed_records
        on attributed_records.source = 'tracking_events'
        and events.anonymous_id = attributed_records.source_record_id
    where attributed_records.customer_id is not null
        and events.customer_id is distinct from attributed_records.customer_id
)

select * from stale_transactions
union all
select * from stale_events
union all
select * from stale_browsing
