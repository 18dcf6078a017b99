{#
    The deterministic identity graph: an edge between two usable identifier values carried
    by the same record (cdp.identity_graph_edges: a star per record, none for a record
    whose identifiers belong to several people).

    A view: int_identity__deterministic_components reads it in a full build; an
    incremental run computes only the edges of the records around the components it
    recomputes, with the same macro, instead of rebuilding all of them.
#}
{{ config(materialized='view') }}
-- read where used: buffering all identifiers costs more than reading them twice
with identifiers {{ cdp.inlined_cte() }} (
    select * from {{ ref('int_identity__identifiers') }}
),

nodes as (
    select * from {{ ref('int_identity__graph_nodes') }}
),

rules as (
    select * from {{ ref('identity_identifier_rules') }}
),

{{ cdp.identity_graph_edges('graph_edges', 'identifiers', 'nodes', 'rules') }},

final as (
    select * from graph_edges
)

select * from final
