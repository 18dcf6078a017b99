{#
    The merge log: one row per customer_id that disappeared in a run because its records
    now belong to another customer (two customers bridged by a new record: the id anchored
    on the record loaded first survives), with the id the records moved to (the one that
    took most of them, when a customer came apart and its parts joined two others).
    Downstream tools that stored a customer_id (a CRM sync, an ad audience) re-key with it.

    Append-only history: `--full-refresh` does not rebuild it (full_refresh=false), since
    a rebuild cannot know ids that no longer exist. Incremental runs append the merges of
    the current run.
#}
{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        full_refresh=false,
        on_schema_change='fail'
    )
}}
with attributed_records as (
    select * from {{ ref('int_records__attributed') }}
),

record_customers as (
    select * from {{ ref('int_identity__record_customers') }}
),

moved_records as (
    select
        previous_identity_customer_id,
        identity_customer_id,
        attribution_changed_at
    from attributed_records
    where attribution_changed_at = {{ cdp.run_started_at_timestamp() }}
        and previous_identity_customer_id is not null
        and previous_identity_customer_id <> identity_customer_id
),

retired_ids as (
    select moved_records.*
    from moved_records
    left join record_customers
        on moved_records.previous_identity_customer_id = record_customers.customer_id
    where record_customers.customer_id is null
),

moves as (
    select
        previous_identity_customer_id,
        identity_customer_id,
        attribution_changed_at,
        count(*) as records_moved
    from retired_ids
    group by previous_identity_customer_id, identity_customer_id, attribution_changed_at
),

-- a customer that came apart in this run while its parts joined two other customers (a
-- match rule changed, a bridge was vetoed) is logged once: with the customer that took most
-- of its records (ties: the smaller id), so that a downstream tool re-keys it to one id
successors as (
    select
        *,
        row_number() over (
            partition by previous_identity_customer_id
            order by records_moved desc, identity_customer_id asc
        ) as successor_rank
    from moves
),

final as (
    select
        previous_identity_customer_id as merged_customer_id,
        identity_customer_id as surviving_customer_id,
        attribution_changed_at as merged_at,
        records_moved
    from successors
    where successor_rank = 1
)

select * from final
