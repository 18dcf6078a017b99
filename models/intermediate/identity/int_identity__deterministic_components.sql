{#
    Connected components of the deterministic graph: node -> component (its smallest node).

    Incremental: only the components around what changed in this run are recomputed. The
    records to redo carry a value the assessment wrote in this run (new or re-delivered
    carriers, a carrier that dropped the value, a change of usability). Every component
    holding a node of such a record, or a node that was added or removed, is recomputed
    from scratch over its nodes and their edges; the others keep their rows. That is exact:
    a record that was not redone carries no changed value, so its edges lie inside one
    component, and either all of that component is recomputed or none of it.
    `computed_at` marks the nodes recomputed in this run (int_identity__record_clusters
    redoes their records). Removed nodes get a placeholder row, deleted by the post-hook.
#}
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='node_id',
        on_schema_change='fail',
        post_hook="delete from {{ this }} where component_id is null"
    )
}}
-- depends_on: {{ ref('int_identity__identifiers') }}
-- depends_on: {{ ref('int_identity__identifier_assessment') }}
with all_nodes as (
    select * from {{ ref('int_identity__graph_nodes') }}
),

all_edges as (
    select
        node_a,
        node_b
    from {{ ref('int_identity__graph_edges') }}
),

{% if is_incremental() %}
    records_to_redo as (
        {{ cdp.identity_records_carrying_values_changed_in_this_run('assessed_at', ['record_key']) }}
    ),

    removed_nodes as (
        select node_id from {{ this }}
        where node_id not in (select all_nodes.node_id from all_nodes)
    ),

    touched_nodes as (
        select all_nodes.node_id
        from {{ ref('int_identity__identifiers') }} as identifiers
        inner join records_to_redo on identifiers.record_key = records_to_redo.record_key
        inner join all_nodes
            on identifiers.identifier_type = all_nodes.identifier_type
            and identifiers.identifier_value = all_nodes.identifier_value
        union
        select node_id from removed_nodes
        union
        select node_id from all_nodes
        where added_at = {{ cdp.run_started_at_timestamp() }}
    ),

    affected_components as (
        select distinct previous.component_id
        from {{ this }} as previous
        inner join touched_nodes on previous.node_id = touched_nodes.node_id
    ),

    graph_nodes as (
        select all_nodes.node_id
        from all_nodes
        left join {{ this }} as previous on all_nodes.node_id = previous.node_id
        where previous.node_id is null
            or all_nodes.added_at = {{ cdp.run_started_at_timestamp() }}
            or previous.component_id in (select affected_components.component_id from affected_components)
    ),

    graph_edges as (
        select
            node_a,
            node_b
        from all_edges
        where node_a in (select graph_nodes.node_id from graph_nodes)
            and node_b in (select graph_nodes.node_id from graph_nodes)
    ),
{%- else %}
    graph_nodes as (
        select node_id from all_nodes
    ),

    graph_edges as (
        select * from all_edges
    ),
{%- endif %}

{{ cdp.connected_components('graph_nodes', 'graph_edges') }},

final as (
    select
        node_id,
        component_id,
        {{ cdp.run_started_at_timestamp() }} as computed_at
    from components
    {%- if is_incremental() %}

    union all

    select
        node_id,
        null as component_id,
        null as computed_at
    from removed_nodes
    {%- endif %}
)

select * from final
