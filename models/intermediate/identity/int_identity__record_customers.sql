{#
    Every source record with its stitched, stable customer_id.

    customer_id is derived, not stored: it is a hash of the cluster's anchor, the record
    loaded first (then by source and id). New data lands later, so it can never become the
    anchor of an existing customer: rebuilding or adding unrelated data keeps every id.
    When two customers merge, the anchor loaded first wins, so the older id survives.
#}
with record_clusters as (
    select * from {{ ref('int_identity__record_clusters') }}
),

customer_clusters as (
    select * from {{ ref('int_identity__customer_clusters') }}
),

records_joined_to_clusters as (
    select
        record_clusters.*,
        customer_clusters.customer_cluster_key,
        customer_clusters.is_probabilistically_merged
    from record_clusters
    inner join customer_clusters on record_clusters.cluster_key = customer_clusters.cluster_key
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
    from records_joined_to_clusters
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
        cluster_key,
        anchor_record_key,
        case
            when customer_record_count = 1 then 'single_record'
            when cluster_key <> anchor_cluster_key then 'probabilistic'
            when linked_by is not null then {{ dbt.concat(["'deterministic:'", 'linked_by']) }}
            else 'probabilistic'
        end as matched_by
    from anchored
)

select * from final
