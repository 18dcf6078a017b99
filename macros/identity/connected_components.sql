{#
    Connected components of an undirected graph in plain SQL, without recursive CTEs.

    Input: two CTEs (or relations) already defined by the calling model:
      nodes: one row per node, integer column `node_id`
      edges: integer columns `node_a`, `node_b` (either direction; self-loops allowed)

    Output: CTEs ending in `components` (node_id, component_id), where component_id is the
    smallest node_id of the component.

    Method: min-label propagation with pointer jumping, over a frontier.
    - Round 0 labels every node with the smallest of itself and its neighbours.
    - Each round, the nodes next to a node whose label fell in the previous round (the
      frontier; round 1 starts from every node) take the smallest of those labels, then
      jump: they take that label's own current label if it is smaller still.
    - A label only ever falls, so a node's current label is the smallest it was given:
      `cc_moved_<n>` keeps the labels that changed, not a copy of every node per round.
    Only the frontier's edges are read after the first round, so a round costs what
    changed in it, and rounds after the fixed point cost almost nothing.

    The fixed point is exact: a node whose label fell passed it on to all its neighbours
    in the next round, so when a round changes nothing, neighbours hold equal labels and
    every component carries its smallest node. `max_rounds` rounds are unrolled; if the
    last round still changed a label the query fails with an error instead of returning a
    partial answer. Raise the var `cdp_identity_graph_max_rounds` if that ever happens.
#}
{% macro connected_components(nodes, edges, max_rounds=none) -%}
    {{ return(adapter.dispatch('connected_components', 'cdp')(nodes, edges, max_rounds)) }}
{%- endmacro %}

{% macro default__connected_components(nodes, edges, max_rounds=none) -%}
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

    cc_changed_0 as (
        select node_id, label from cc_labels_0
    ),

    cc_moved_0 as (
        select node_id, label from cc_labels_0 where 1 = 0
    ),
    {%- for round in range(1, rounds + 1) %}

    cc_offered_{{ round }} {{ cdp.materialized_cte() }} (
        select
            cc_edges.node_id,
            min(changed.label) as label
        from cc_changed_{{ round - 1 }} as changed
        inner join cc_edges on changed.node_id = cc_edges.neighbour_id
        group by cc_edges.node_id
    ),

    cc_changed_{{ round }} {{ cdp.materialized_cte() }} (
        select
            offered.node_id,
            least(offered.label, coalesce(label_moved.label, label_start.label)) as label
        from cc_offered_{{ round }} as offered
        inner join cc_labels_0 as node_start on offered.node_id = node_start.node_id
        left join cc_moved_{{ round - 1 }} as node_moved on offered.node_id = node_moved.node_id
        inner join cc_labels_0 as label_start on offered.label = label_start.node_id
        left join cc_moved_{{ round - 1 }} as label_moved on offered.label = label_moved.node_id
        where least(offered.label, coalesce(label_moved.label, label_start.label))
            < coalesce(node_moved.label, node_start.label)
    ),

    cc_moved_{{ round }} {{ cdp.materialized_cte() }} (
        select
            node_id,
            min(label) as label
        from (
            select node_id, label from cc_moved_{{ round - 1 }}
            union all
            select node_id, label from cc_changed_{{ round }}
        ) as moved
        group by node_id
    ),
    {%- endfor %}

    cc_guard as (
        select
            case
                when count(*) > 0 then {{ cdp.raise_error(
                    'identity graph did not converge in ' ~ rounds ~ ' rounds: raise var cdp_identity_graph_max_rounds'
                ) }}
            end as not_converged
        from cc_changed_{{ rounds }}
    ),

    components as (
        select
            cc_labels_0.node_id,
            coalesce(cc_moved_{{ rounds }}.label, cc_labels_0.label) as component_id
        from cc_labels_0
        left join cc_moved_{{ rounds }} on cc_labels_0.node_id = cc_moved_{{ rounds }}.node_id
        cross join cc_guard
        where cc_guard.not_converged is null
    )
{%- endmacro %}


{#
    Spark inlines every CTE that holds no random function into each place that reads it
    (its optimizer's InlineCTE rule); there is no `materialized`. Above, a round reads the
    previous round's CTEs three or four times, so the query Spark plans grows by that
    factor per round: at 12 rounds the model had not finished after 14 minutes on 3,000
    people (decision 0007).

    So Spark gets plain min-label propagation in which each round reads the round before
    it once: a node takes the smallest label among itself and its neighbours. The plan
    grows by one join and one aggregation per round. Without pointer jumping and without a
    frontier, a round reads every node and edge, and the rounds needed are the longest
    path from a node to the smallest node of its component, not its logarithm: the var
    `cdp_identity_graph_propagation_rounds` unrolls them. The last round is the check: if
    it still changed a label, the query fails with an error instead of returning a partial
    answer. Same output as above: every node of `nodes` with the smallest node_id of its
    component (edges join nodes of `nodes` only).
#}
{% macro spark__connected_components(nodes, edges, max_rounds=none) -%}
    {%- set rounds = max_rounds or var('cdp_identity_graph_propagation_rounds') -%}
    cc_neighbours as (
        select node_a as node_id, node_b as neighbour_id from {{ edges }}
        union all
        select node_b as node_id, node_a as neighbour_id from {{ edges }}
        union all
        select node_id, node_id as neighbour_id from {{ nodes }}
    ),

    cc_labels_0 as (
        select node_id, node_id as label from {{ nodes }}
    ),
    {%- for round in range(1, rounds + 1) %}

    cc_labels_{{ round }} as (
        select
            cc_neighbours.node_id,
            min(previous.label) as label
        from cc_labels_{{ round - 1 }} as previous
        inner join cc_neighbours on previous.node_id = cc_neighbours.neighbour_id
        group by cc_neighbours.node_id
    ),
    {%- endfor %}

    cc_guard as (
        select
            case
                when count(*) > 0 then {{ cdp.raise_error(
                    'identity graph did not converge in ' ~ rounds ~ ' rounds: raise var cdp_identity_graph_propagation_rounds'
                ) }}
            end as not_converged
        from cc_labels_{{ rounds }} as last_round
        inner join cc_labels_{{ rounds - 1 }} as round_before
            on last_round.node_id = round_before.node_id
        where last_round.label <> round_before.label
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
