{#
    One node per usable identifier value. A node's id is its value's value_id (a stable
    integer from type and value, cdp.value_id), so a node keeps its id from run to run
    without any stored numbering, and incremental runs and a full refresh name every node
    alike. `usability_changed_at`: the run in which the value became usable (or first
    appeared); the incremental components recompute the components around such nodes.

    A view: the assessment already holds every value, and the graph reads the nodes once.
#}
{{ config(materialized='view') }}
with assessment as (
    select * from {{ ref('int_identity__identifier_assessment') }}
),

final as (
    select
        value_id as node_id,
        identifier_type,
        identifier_value,
        usability_changed_at
    from assessment
    where is_usable
)

select * from final
