{#
    Every source record with its stitched, stable customer_id.

    customer_id is derived, not stored: it is a hash of the cluster's anchor, the record
    loaded first (then by source and id). New data lands later, so it can never become the
    anchor of an existing customer: rebuilding or adding unrelated data keeps every id.
    When two customers merge, the anchor loaded first wins, so the older id survives.

    Incremental: a customer's anchor depends only on its records, so a run redoes the
    customers that changed and keeps the others. Changed customers (customer clusters):
    those holding or having held a deterministic cluster that changed in this run
    (cdp.identity_clusters_changed_in_this_run), and those holding or having held a cluster
    whose probabilistic merge changed (its customer cluster differs from the stored one).
    The run writes every record of the customer clusters they now form, stamped with the
    run's start in `stitched_at`, and replaces those records' rows (delete+insert on
    record_key). That covers every record stored under one of those customer clusters:
    a record whose customer cluster changed brings both keys into the set. Records never
    leave int_identity__record_clusters, so no stored row is left without a record.
    The set is read once, before any row is replaced, so it sees the stored merges.
#}
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='record_key',
        on_schema_change='fail'
    )
}}
-- depends_on: {{ ref('int_identity__record_clusters') }}
with record_clusters as (
    select * from {{ ref('int_identity__record_clusters') }}
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
        coalesce(merged_clusters.customer_cluster_key, record_clusters.cluster_key)
            as customer_cluster_key
    from record_clusters
    left join merged_clusters on record_clusters.cluster_key = merged_clusters.cluster_key
),

records_to_stitch as (
    select * from records_joined_to_clusters
    {%- if is_incremental() %}
        where customer_cluster_key in (select changed.customer_cluster_key from changed)
    {%- endif %}
),

anchored as (
    select
        *,
        first_value(record_key) over (
            partition by customer_cluster_key
            order by first_loaded_at nulls last, source, source_record_id
            rows between unbounded preceding and unbounded following
        ) as anchor_record_key,
        first_value(cluster_key) over (
            partition by customer_cluster_key
            order by first_loaded_at nulls last, source, source_record_id
            rows between unbounded preceding and unbounded following
        ) as anchor_cluster_key,
        count(*) over (partition by customer_cluster_key) as customer_record_count
    from records_to_stitch
),

final as (
    select
        {{ dbt.concat(["'cus_'", dbt.safe_cast(dbt.hash('anchor_record_key'), dbt.type_string())]) }}
            as customer_id,
        record_key,
        source,
        source_record_id,
        first_loaded_at,
        last_loaded_at,
        record_at,
        cluster_key,
        customer_cluster_key,
        anchor_record_key,
        case
            when customer_record_count = 1 then 'single_record'
            when cluster_key <> anchor_cluster_key then 'probabilistic'
            when linked_by is not null then {{ dbt.concat(["'deterministic:'", 'linked_by']) }}
            else 'probabilistic'
        end as matched_by,
        known_by,
        {{ cdp.run_started_at_timestamp() }} as stitched_at
    from anchored
)

select * from final
