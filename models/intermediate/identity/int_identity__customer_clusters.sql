{#
    Deterministic clusters joined by accepted probabilistic matches (connected components
    again, over clusters this time), each with the customer cluster it ends up in: the
    smallest cluster_id of its component. Only clusters that a match joined are listed;
    every other deterministic cluster is a customer cluster of its own
    (int_identity__record_customers), so this table stays as small as the matches.
#}
with matches as (
    select
        cluster_id_a,
        cluster_id_b
    from {{ ref('int_identity__match_scores') }}
    where is_match
),

matched_clusters as (
    select cluster_id_a as cluster_id from matches
    union
    select cluster_id_b from matches
),

-- the graph's nodes are the clusters, named by their (integer) cluster_id
graph_nodes as (
    select cluster_id as node_id from matched_clusters
),

graph_edges as (
    select
        cluster_id_a as node_a,
        cluster_id_b as node_b
    from matches
),

{{ cdp.connected_components('graph_nodes', 'graph_edges') }},

final as (
    select
        node_id as cluster_id,
        component_id as customer_cluster_id
    from components
)

select * from final
