{#
    Connected components of an undirected graph in plain SQL, without recursive CTEs.

    Input: two CTEs (or relations) already defined by the calling model:
      nodes: one row per node, integer column `node_id`
      edges: integer columns `node_a`, `node_b` (either direction; self-loops allowed)

    Output: CTEs ending in `components` (node_id, component_id), where component_id is the
    smallest node_id of the component.

    Method: rounds of min-label propagation (every node takes the smallest label among
    itself and its neighbours) followed by pointer jumping (a node takes its label's label),
    which halves path lengths each round, so rounds grow with the logarithm of a
    component's diameter. The fixed point is exact: neighbours end with equal labels.
    `max_rounds` rounds are unrolled; if the last round still changed any label the query
    fails with an error instead of returning a partial answer. Raise the var
    `cdp_identity_graph_max_rounds` if that ever happens.
#}
{% macro connected_components(nodes, edges, max_rounds=none) -%}
    {%- set rounds = max_rounds or var('cdp_identity_graph_max_rounds') -%}
    cc_edges {{ cdp.materialized_cte() }} (
        select node_a as node_id, node_b as neighbour_id from {{ edges }}
        union all
        select node_b as node_id, node_a as neighbour_id from {{ edges }}
    ),

    cc_labels_0 {{ cdp.materialized_cte() }} (
        select
            nodes.node_id,
            least(nodes.node_id, coalesce(min(cc_edges.neighbour_id), nodes.node_id)) as label
        from {{ nodes }} as nodes
        left join cc_edges on nodes.node_id = cc_edges.node_id
        group by nodes.node_id
    ),
    {%- for round in range(1, rounds + 1) %}

    cc_hooked_{{ round }} {{ cdp.materialized_cte() }} (
        select
            labels.node_id,
            least(labels.label, coalesce(min(neighbours.label), labels.label)) as label
        from cc_labels_{{ round - 1 }} as labels
        left join cc_edges on labels.node_id = cc_edges.node_id
        left join cc_labels_{{ round - 1 }} as neighbours on cc_edges.neighbour_id = neighbours.node_id
        group by labels.node_id, labels.label
    ),

    cc_labels_{{ round }} {{ cdp.materialized_cte() }} (
        select
            hooked.node_id,
            least(hooked.label, parent.label) as label
        from cc_hooked_{{ round }} as hooked
        inner join cc_hooked_{{ round }} as parent on hooked.label = parent.node_id
    ),
    {%- endfor %}

    cc_guard as (
        select
            case
                when count(*) > 0 then {{ cdp.raise_error(
                    'identity graph did not converge in ' ~ rounds ~ ' rounds: raise var cdp_identity_graph_max_rounds'
                ) }}
            end as not_converged
        from cc_labels_{{ rounds }} as last_round
        inner join cc_labels_{{ rounds - 1 }} as previous_round
            on last_round.node_id = previous_round.node_id
        where last_round.label <> previous_round.label
    ),

    components as (
        select
            cc_labels_{{ rounds }}.node_id,
            cc_labels_{{ rounds }}.label as component_id
        from cc_labels_{{ rounds }}
        cross join cc_guard
        where cc_guard.not_converged is null
    )
{%- endmacro %}
