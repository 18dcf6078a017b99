{#
    The deterministic identity graph. Nodes are usable identifier values (dense integer
    ids); a record that carries several usable identifiers links them (a star from its
    smallest node). Records that carry more values of a one-per-record type than allowed
    (a device logged into two shop accounts) belong to several people: they link nothing.
#}
-- read where used: buffering all identifiers costs more than reading them twice
with identifiers {{ cdp.inlined_cte() }} (
    select * from {{ ref('int_identity__identifiers') }}
),

nodes as (
    select * from {{ ref('int_identity__graph_nodes') }}
),

rules as (
    select * from {{ ref('identity_identifier_rules') }}
),

conflicting_records as (
    select record_key
    from (
        select
            identifiers.record_key,
            identifiers.identifier_type
        from identifiers
        inner join rules on identifiers.identifier_type = rules.identifier_type
        group by identifiers.record_key, identifiers.identifier_type, rules.max_values_per_record
        having count(distinct identifiers.identifier_value) > rules.max_values_per_record
    ) as over_limit
    group by record_key
),

record_nodes as (
    select
        identifiers.record_key,
        nodes.node_id
    from identifiers
    inner join nodes
        on identifiers.identifier_type = nodes.identifier_type
        and identifiers.identifier_value = nodes.identifier_value
    left join conflicting_records on identifiers.record_key = conflicting_records.record_key
    where conflicting_records.record_key is null
),

stars as (
    select
        record_key,
        node_id,
        min(node_id) over (partition by record_key) as hub_node_id
    from record_nodes
),

final as (
    select distinct
        hub_node_id as node_a,
        node_id as node_b
    from stars
    where node_id <> hub_node_id
)

select * from final
