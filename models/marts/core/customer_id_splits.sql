{#
    The split log, the merge log's counterpart: one row per customer_id that appeared in a
    run by taking records from a customer that still exists, with that customer's id.
    A merge comes apart when its evidence no longer holds (a probabilistic match that fell
    below the threshold, an email pushed over its cap): the records that leave get the id
    of their oldest record, which is often an id the merge log retired before
    (`was_merged_before`). Downstream tools that re-keyed that id to the surviving one
    split the customer again with it.

    Append-only history like customer_id_merges: `--full-refresh` does not rebuild it, and
    a full build logs nothing (every id is new to it).
#}
{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        full_refresh=false,
        on_schema_change='fail'
    )
}}
-- read where used (moved records, ids held before) instead of buffering every record
with attributed_records {{ cdp.inlined_cte() }} (
    select * from {{ ref('int_records__attributed') }}
),

record_customers as (
    select * from {{ ref('int_identity__record_customers') }}
),

merge_log as (
    select * from {{ ref('customer_id_merges') }}
),

-- the records customer_id_merges starts from too; written out in both models rather than in
-- a macro, because a unit test can set the run's start only in the model's own SQL
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

-- ids that records carried before this run: rows this run did not re-attribute, and rows
-- whose attribution changed without a change of customer (a new match type, an erasure)
ids_held_before as (
    select distinct identity_customer_id
    from attributed_records
    where identity_customer_id in (select moved_records.identity_customer_id from moved_records)
        and (
            attribution_changed_at < {{ cdp.run_started_at_timestamp() }}
            or previous_identity_customer_id = identity_customer_id
        )
),

ids_merged_before as (
    select distinct merged_customer_id
    from merge_log
    where merged_at < {{ cdp.run_started_at_timestamp() }}
),

remaining_customers as (
    select distinct customer_id
    from record_customers
    where customer_id in (select moved_records.previous_identity_customer_id from moved_records)
),

final as (
    select
        moved_records.identity_customer_id as new_customer_id,
        moved_records.previous_identity_customer_id as split_from_customer_id,
        moved_records.attribution_changed_at as split_at,
        count(*) as records_moved,
        ids_merged_before.merged_customer_id is not null as was_merged_before
    from moved_records
    inner join remaining_customers
        on moved_records.previous_identity_customer_id = remaining_customers.customer_id
    left join ids_held_before
        on moved_records.identity_customer_id = ids_held_before.identity_customer_id
    left join ids_merged_before
        on moved_records.identity_customer_id = ids_merged_before.merged_customer_id
    where ids_held_before.identity_customer_id is null
    group by
        moved_records.identity_customer_id,
        moved_records.previous_identity_customer_id,
        moved_records.attribution_changed_at,
        ids_merged_before.merged_customer_id
)

select * from final
