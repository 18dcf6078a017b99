{#
    Every source record with its stitched, stable customer_id.

    customer_id is derived, not stored: `cus_` and the MD5 of the key
    (`source:source_record_id`) of the customer's anchor, the record loaded first (then by
    source and id). New data lands later, so it can never become the anchor of an existing
    customer: rebuilding or adding unrelated data keeps every id.
    When two customers merge, the anchor loaded first wins, so the older id survives.

    Incremental: a customer's anchor depends only on its records, so a run redoes the
    customers that changed and keeps the others. Changed customers (customer clusters):
    those holding or having held a deterministic cluster that changed in this run
    (cdp.identity_clusters_changed_in_this_run), and those holding or having held a cluster
    whose probabilistic merge changed (its customer cluster differs from the stored one).
    The run writes every record of the customer clusters they now form, stamped with the
    run's start in `stitched_at`, and replaces those records' rows (delete+insert on
    record_id). That covers every record stored under one of those customer clusters:
    a record whose customer cluster changed brings both keys into the set. A record that
    left identity (int_identity__removed_records) is in no cluster any more: the post-hook
    deletes its row, and its cluster is among the changed ones.
    The set is read once, before any row is replaced, so it sees the stored merges.
#}
{{
    config(
        materialized='incremental',
        incremental_strategy=cdp.upsert_strategy(),
        unique_key='record_id',
        on_schema_change='fail',
        post_hook="{{ cdp.delete_records_that_left_identity() }}"
    )
}}
-- depends_on: {{ ref('int_identity__record_clusters') }}
-- depends_on: {{ ref('int_identity__removed_records') }}
with record_clusters as (
    select * from {{ ref('int_identity__record_clusters') }}
),

source_records as (
    select * from {{ ref('int_identity__source_records') }}
),

merged_clusters as (
    select * from {{ ref('int_identity__customer_clusters') }}
),

{% if is_incremental() %}
    changed as (
        {{ cdp.identity_customer_clusters_changed_in_this_run() }}
    ),
{% endif %}

records_joined_to_clusters as (
    select
        record_clusters.*,
        -- a cluster no match joined is a customer cluster of its own
        coalesce(merged_clusters.customer_cluster_id, record_clusters.cluster_id)
            as customer_cluster_id
    from record_clusters
    left join merged_clusters on record_clusters.cluster_id = merged_clusters.cluster_id
),

records_to_stitch as (
    select
        records_joined_to_clusters.*,
        source_records.source_record_id
    from records_joined_to_clusters
    inner join source_records on records_joined_to_clusters.record_id = source_records.record_id
    {%- if is_incremental() %}
        where records_joined_to_clusters.customer_cluster_id in (
            select changed.customer_cluster_id from changed
        )
    {%- endif %}
),

-- the anchor of a customer is its record loaded first (then by source and id)
ranked as (
    select
        *,
        row_number() over (
            partition by customer_cluster_id
            order by first_loaded_at nulls last, source, source_record_id
        ) as anchor_rank,
        count(*) over (partition by customer_cluster_id) as customer_record_count
    from records_to_stitch
),

anchors as (
    select
        customer_cluster_id,
        record_id as anchor_record_id,
        cluster_id as anchor_cluster_id,
        {{ cdp.anchor_customer_id('source', 'source_record_id') }} as customer_id
    from ranked
    where anchor_rank = 1
),

final as (
    select
        anchors.customer_id,
        ranked.record_id,
        ranked.source,
        ranked.source_record_id,
        ranked.first_loaded_at,
        ranked.last_loaded_at,
        ranked.record_at,
        ranked.cluster_id,
        ranked.customer_cluster_id,
        anchors.anchor_record_id,
        case
            when ranked.customer_record_count = 1 then 'single_record'
            when ranked.cluster_id <> anchors.anchor_cluster_id then 'probabilistic'
            when ranked.linked_by is not null then {{ dbt.concat(["'deterministic:'", 'ranked.linked_by']) }}
            else 'probabilistic'
        end as matched_by,
        ranked.known_by,
        {{ cdp.run_started_at_timestamp() }} as stitched_at
    from ranked
    inner join anchors on ranked.customer_cluster_id = anchors.customer_cluster_id
)

select * from final
