{#
    The edges of the deterministic identity graph contributed by the records in
    `identifiers` (a relation or CTE of int_identity__identifiers rows). Nodes are usable
    identifier values (`nodes`: int_identity__graph_nodes); a record that carries several
    links them as a star from its smallest node. A record carrying more values of a
    one-per-record type than `rules` allow (a device logged into two shop accounts) belongs
    to several people: it links nothing.

    A record's edges depend only on its own identifiers, so the edges among a set of nodes
    are those of the records carrying them: int_identity__graph_edges passes every record,
    the incremental components only the records around the components they recompute.

    Nodes are named by the value's value_id, so a record's nodes are its identifiers' value_ids
    that `nodes` holds.

    Output: CTEs ending in `name` (node_a, node_b), like cdp.connected_components.
#}
{% macro identity_graph_edges(name, identifiers, nodes, rules) -%}
    -- rows first (cheap); distinct values only for the few records over the limit by rows
    {{ name }}_over_limit_by_rows as (
        select
            identifiers.record_id,
            identifiers.identifier_type,
            rules.max_values_per_record
        from {{ identifiers }} as identifiers
        inner join {{ rules }} as rules on identifiers.identifier_type = rules.identifier_type
        group by identifiers.record_id, identifiers.identifier_type, rules.max_values_per_record
        having count(*) > rules.max_values_per_record
    ),

    {{ name }}_conflicting_records as (
        select distinct over_limit.record_id
        from (
            select identifiers.record_id
            from {{ identifiers }} as identifiers
            inner join {{ name }}_over_limit_by_rows as by_rows
                on identifiers.record_id = by_rows.record_id
                and identifiers.identifier_type = by_rows.identifier_type
            group by identifiers.record_id, identifiers.identifier_type, by_rows.max_values_per_record
            having count(distinct identifiers.value_id) > by_rows.max_values_per_record
        ) as over_limit
    ),

    {{ name }}_record_nodes {{ cdp.materialized_cte() }} (
        select
            identifiers.record_id,
            nodes.node_id
        from {{ identifiers }} as identifiers
        inner join {{ nodes }} as nodes on identifiers.value_id = nodes.node_id
        left join {{ name }}_conflicting_records as conflicting_records
            on identifiers.record_id = conflicting_records.record_id
        where conflicting_records.record_id is null
    ),

    -- the hub of each record with two nodes or more: its smallest
    {{ name }}_hubs as (
        select
            record_id,
            min(node_id) as hub_node_id
        from {{ name }}_record_nodes
        group by record_id
        having count(*) > 1
    ),

    {{ name }} as (
        select distinct
            hubs.hub_node_id as node_a,
            record_nodes.node_id as node_b
        from {{ name }}_record_nodes as record_nodes
        inner join {{ name }}_hubs as hubs on record_nodes.record_id = hubs.record_id
        where record_nodes.node_id <> hubs.hub_node_id
    )
{%- endmacro %}
