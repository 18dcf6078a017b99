{# One node per usable identifier value, with a dense integer id (stable for equal inputs). #}
with assessment as (
    select * from {{ ref('int_identity__identifier_assessment') }}
),

final as (
    select
        row_number() over (order by identifier_type, identifier_value) as node_id,
        identifier_type,
        identifier_value
    from assessment
    where is_usable
)

select * from final
