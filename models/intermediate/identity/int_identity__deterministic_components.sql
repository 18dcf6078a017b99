{# Connected components of the deterministic graph: node -> component (its smallest node). #}
with graph_nodes as (
    select node_id from {{ ref('int_identity__graph_nodes') }}
),

graph_edges as (
    select
        node_a,
        node_b
    from {{ ref('int_identity__graph_edges') }}
),

{{ cdp.connected_components('graph_nodes', 'graph_edges') }},

final as (
    select
        node_id,
        component_id
    from components
)

select * from final
