{#
    Deterministic clusters joined by accepted probabilistic matches (connected components
    again, over clusters this time), each with the customer cluster it ends up in: the
    smallest cluster key of its component. Only clusters that a match joined are listed;
    every other deterministic cluster is a customer cluster of its own
    (int_identity__record_customers), so this table stays as small as the matches.
#}
with matches as (
    select
        cluster_key_a,
        cluster_key_b
    from {{ ref('int_identity__match_scores') }}
    where is_match
),

matched_clusters as (
    select cluster_key_a as cluster_key from matches
    union
    select cluster_key_b from matches
),

graph_nodes as (
    select
        cluster_key,
        row_number() over (order by cluster_key) as node_id
    from matched_clusters
),

graph_edges as (
    select
        node_a.node_id as node_a,
        node_b.node_id as node_b
    from matches
    inner join graph_nodes as node_a on matches.cluster_key_a = node_a.cluster_key
    inner join graph_nodes as node_b on matches.cluster_key_b = node_b.cluster_key
),

{{ cdp.connected_components('graph_nodes', 'graph_edges') }},

final as (
    select
        graph_nodes.cluster_key,
        root.cluster_key as customer_cluster_key
    from graph_nodes
    inner join components on graph_nodes.node_id = components.node_id
    inner join graph_nodes as root on components.component_id = root.node_id
)

select * from final
