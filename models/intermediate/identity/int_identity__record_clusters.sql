{#
    Every source record with its deterministic cluster: the graph component of its usable
    identifiers, or a cluster of its own when it has none (or conflicts, like a shared
    tablet). `linked_by` is the strongest identifier type it shares with another record.
    Two facts about the record itself ride along, so that the per-customer models read
    them from int_identity__record_customers without joining every record again:
    `known_by` (why it names a known person, if it does) and `record_at`.

    The cluster id is the smallest record_id of the component's records (a record outside
    any component, or conflicting, is a cluster of its own: its own record_id). It depends
    only on which records belong together, so incremental runs, which recompute a few
    components, and a full refresh give the same ids.

    Incremental: a run redoes the records of the components recomputed in this run, the
    records carrying a value whose usability changed in this run, and records that
    int_identity__source_records wrote since this model's last write (its run stamp) and
    that carry no usable identifier. Every record of a recomputed component is among them,
    so the smallest record_id is exact. That covers every record whose row can change:
    its cluster, link and conflict flag depend on its nodes, their components and which
    of its values more than one record carries, and a value whose carriers changed was
    reassessed, so the component of its node was recomputed
    (int_identity__deterministic_components).

    Of the records redone, only those that changed are written: a new record, or one whose
    cluster, link, conflict flag or landing times changed, or that carries a phone or email
    whose usability changed (its match profile changes). A customer's new order redoes
    their whole component, but only the new record changes. `clustered_at` marks the rows
    written in this run and `previous_cluster_id` keeps the cluster such a row had before
    (null for a new record, and in a full build): the per-cluster models downstream
    (profiles, record_customers) redo exactly the clusters these rows left or joined.

    A record that left identity (int_identity__removed_records) loses its row (post-hook),
    and the other records of its cluster are written again, unchanged but for the stamp, so
    that the models downstream redo that cluster. A cluster the record was alone in is
    named by its record_id, which cdp.identity_clusters_changed_in_this_run lists.
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
-- depends_on: {{ ref('int_identity__graph_nodes') }}
-- depends_on: {{ ref('int_identity__removed_records') }}
with source_records as (
    select * from {{ ref('int_identity__source_records') }}
),

all_identifiers as (
    select * from {{ ref('int_identity__identifiers') }}
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

{% if is_incremental() %}
    -- the records int_identity__source_records wrote since this model last wrote a row
    -- (its run stamp, not the landing times: a device an event was re-delivered away from
    -- is rewritten with older ones). Also right after a build that selected the source
    -- records without this model. A record rewritten in the run of this model's last
    -- write was clustered in that run.
    landed_records as (
        select source_records.record_id from source_records
        where source_records.written_at > (
            select coalesce(max(clustered_at), cast('1900-01-01' as {{ dbt.type_timestamp() }}))
            from {{ this }}
        )
    ),

    -- the records' identifiers first, then their nodes: left to itself, DuckDB joins all
    -- 18M identifiers to the nodes before it keeps the few records in scope (at 1M)
    landed_identifiers {{ cdp.materialized_cte() }} (
        select * from all_identifiers
        where record_id in (select landed_records.record_id from landed_records)
    ),

    landed_records_with_nodes as (
        select landed_identifiers.record_id
        from landed_identifiers
        inner join {{ ref('int_identity__graph_nodes') }} as nodes
            on landed_identifiers.value_id = nodes.node_id
    ),

    -- the nodes recomputed in this run, picked out first: left to itself, DuckDB may join
    -- all 16M identifiers of usable values to the components before filtering
    recomputed_nodes {{ cdp.materialized_cte() }} (
        select node_id from components
        where computed_at = {{ cdp.run_started_at_timestamp() }}
    ),

    -- records carrying a value that became usable or unusable in this run: redone (one
    -- that lost its only node is in no recomputed component) and written (its profile's
    -- phone or email changed)
    usability_changed_records {{ cdp.materialized_cte() }} (
        {{ cdp.identity_records_carrying_values_changed_in_this_run('usability_changed_at') }}
    ),

    -- the other records of the clusters that records which left identity were in
    records_left_by_removed_records {{ cdp.materialized_cte() }} (
        select record_id from {{ this }}
        where cluster_id in (
            select removed.cluster_id from {{ this }} as removed
            where removed.record_id in ({{ cdp.identity_removed_records() }})
        )
            and record_id not in ({{ cdp.identity_removed_records() }})
    ),

    records_in_scope as (
        select record_id from records_left_by_removed_records
        union
        -- records of the components recomputed in this run
        select all_identifiers.record_id
        from all_identifiers
        inner join recomputed_nodes on all_identifiers.value_id = recomputed_nodes.node_id
        union
        select record_id from usability_changed_records
        union
        -- records that landed without any usable identifier (new, or re-delivered without one)
        select record_id from landed_records
        where record_id not in (select landed_records_with_nodes.record_id from landed_records_with_nodes)
    ),

    scoped_records as (
        select * from source_records
        where record_id in (select records_in_scope.record_id from records_in_scope)
    ),

    identifiers {{ cdp.materialized_cte() }} (
        select * from all_identifiers
        where record_id in (select records_in_scope.record_id from records_in_scope)
    ),
{%- else %}
    scoped_records as (
        select * from source_records
    ),

    identifiers as (
        select * from all_identifiers
    ),
{%- endif %}

-- a node's id is its value's value_id, and a node exists while the value is usable
record_nodes as (
    select
        identifiers.record_id,
        identifiers.identifier_type,
        components.component_id,
        rules.priority,
        assessment.record_count
    from identifiers
    inner join components on identifiers.value_id = components.node_id
    inner join rules on identifiers.identifier_type = rules.identifier_type
    inner join assessment on identifiers.value_id = assessment.value_id
),

record_component as (
    select
        record_id,
        min(component_id) as component_id,
        count(distinct component_id) as component_count,
        min(case when record_count > 1 then priority end) as linked_priority
    from record_nodes
    group by record_id
),

component_clusters as (
    select
        component_id,
        min(record_id) as cluster_id
    from record_component
    where component_count = 1
    group by component_id
),

-- records carrying an email, phone or account id, usable for linking or not (known_by)
personal_records as (
    select distinct record_id
    from identifiers
    where identifier_type in ('email', 'phone', 'shop_customer_id', 'loyalty_card_id')
),

clustered as (
    select
        scoped_records.record_id,
        scoped_records.source,
        scoped_records.first_loaded_at,
        scoped_records.last_loaded_at,
        scoped_records.record_at,
        -- a conflicting record's nodes may sit in several components: it links none, and
        -- neither does a record without a usable identifier: each is a cluster of its own
        case
            when record_component.component_count = 1 then component_clusters.cluster_id
            else scoped_records.record_id
        end as cluster_id,
        case
            when record_component.component_count = 1 then rules.identifier_type
        end as linked_by,
        coalesce(record_component.component_count > 1, false) as has_conflicting_identifiers,
        -- what makes the record a trace of a known person (int_identity__known_customers)
        case
            when scoped_records.source in ('crm_contacts', 'shop_customers', 'loyalty_members')
                then 'system_of_people'
            when personal_records.record_id is not null then 'personal_identifier'
            when scoped_records.first_name_normalized is not null
                or scoped_records.last_name_normalized is not null
                then 'name'
        end as known_by
    from scoped_records
    left join record_component on scoped_records.record_id = record_component.record_id
    left join component_clusters on record_component.component_id = component_clusters.component_id
    left join rules on record_component.linked_priority = rules.priority
    left join personal_records on scoped_records.record_id = personal_records.record_id
),

final as (
    select
        clustered.*,
        {%- if is_incremental() %}
            previous.cluster_id as previous_cluster_id,
        {%- else %}
            cast(null as {{ dbt.type_bigint() }}) as previous_cluster_id,
        {%- endif %}
        {{ cdp.run_started_at_timestamp() }} as clustered_at
    from clustered
    {%- if is_incremental() %}
        left join {{ this }} as previous on clustered.record_id = previous.record_id
        -- only rows that changed are written (and stamped), so that the models downstream
        -- redo only what changed
        where previous.record_id is null
            or clustered.cluster_id <> previous.cluster_id
            or clustered.linked_by is distinct from previous.linked_by
            or clustered.has_conflicting_identifiers <> previous.has_conflicting_identifiers
            or clustered.record_at is distinct from previous.record_at
            or clustered.known_by is distinct from previous.known_by
            or clustered.first_loaded_at is distinct from previous.first_loaded_at
            or clustered.last_loaded_at is distinct from previous.last_loaded_at
            -- its profile's phone or email became usable or unusable
            or clustered.record_id in (
                select usability_changed_records.record_id from usability_changed_records
            )
            -- a record of its cluster left identity
            or clustered.record_id in (
                select records_left_by_removed_records.record_id from records_left_by_removed_records
            )
    {%- endif %}
)

select * from final
