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

    Output: CTEs ending in `name` (node_a, node_b), like cdp.connected_components.
#}
{% macro identity_graph_edges(name, identifiers, nodes, rules) -%}
    {{ name }}_conflicting_records as (
        select record_key
        from (
            select
                identifiers.record_key,
                identifiers.identifier_type
            from {{ identifiers }} as identifiers
            inner join {{ rules }} as rules on identifiers.identifier_type = rules.identifier_type
            group by identifiers.record_key, identifiers.identifier_type, rules.max_values_per_record
            having count(distinct identifiers.identifier_value) > rules.max_values_per_record
        ) as over_limit
        group by record_key
    ),

    {{ name }}_record_nodes as (
        select
            identifiers.record_key,
            nodes.node_id
        from {{ identifiers }} as identifiers
        inner join {{ nodes }} as nodes
            on identifiers.identifier_type = nodes.identifier_type
            and identifiers.identifier_value = nodes.identifier_value
        left join {{ name }}_conflicting_records as conflicting_records
            on identifiers.record_key = conflicting_records.record_key
        where conflicting_records.record_key is null
    ),

    {{ name }}_stars as (
        select
            record_key,
            node_id,
            min(node_id) over (partition by record_key) as hub_node_id
        from {{ name }}_record_nodes
    ),

    {{ name }} as (
        select distinct
            hub_node_id as node_a,
            node_id as node_b
        from {{ name }}_stars
        where node_id <> hub_node_id
    )
{%- endmacro %}
