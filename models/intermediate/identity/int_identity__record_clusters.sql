{#
    Every source record with its deterministic cluster: the graph component of its usable
    identifiers, or a cluster of its own when it has none (or conflicts, like a shared
    tablet). `linked_by` is the strongest identifier type it shares with another record.
#}
with source_records as (
    select * from {{ ref('int_identity__source_records') }}
),

identifiers as (
    select * from {{ ref('int_identity__identifiers') }}
),

nodes as (
    select * from {{ ref('int_identity__graph_nodes') }}
),

components as (
    select * from {{ ref('int_identity__deterministic_components') }}
),

assessment as (
    select * from {{ ref('int_identity__identifier_assessment') }}
),

rules as (
    select * from {{ ref('identity_identifier_rules') }}
),

record_nodes as (
    select
        identifiers.record_key,
        identifiers.identifier_type,
        components.component_id,
        rules.priority,
        assessment.record_count
    from identifiers
    inner join nodes
        on identifiers.identifier_type = nodes.identifier_type
        and identifiers.identifier_value = nodes.identifier_value
    inner join components on nodes.node_id = components.node_id
    inner join rules on identifiers.identifier_type = rules.identifier_type
    inner join assessment
        on identifiers.identifier_type = assessment.identifier_type
        and identifiers.identifier_value = assessment.identifier_value
),

record_component as (
    select
        record_key,
        min(component_id) as component_id,
        count(distinct component_id) as component_count,
        min(case when record_count > 1 then priority end) as linked_priority
    from record_nodes
    group by record_key
),

final as (
    select
        source_records.record_key,
        source_records.source,
        source_records.source_record_id,
        source_records.first_loaded_at,
        source_records.last_loaded_at,
        case
            -- a conflicting record's nodes may sit in several components: it links none
            when record_component.component_count = 1
                then {{ dbt.concat([
                    "'c'", dbt.safe_cast('record_component.component_id', dbt.type_string())
                ]) }}
            else {{ dbt.concat(["'r:'", 'source_records.record_key']) }}
        end as cluster_key,
        case
            when record_component.component_count = 1 then rules.identifier_type
        end as linked_by,
        coalesce(record_component.component_count > 1, false) as has_conflicting_identifiers
    from source_records
    left join record_component on source_records.record_key = record_component.record_key
    left join rules on record_component.linked_priority = rules.priority
)

select * from final
