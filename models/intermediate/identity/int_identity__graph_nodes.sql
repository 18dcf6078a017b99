{#
    One node per usable identifier value, with an integer id.

    A full build numbers the values densely. An incremental run keeps every existing id:
    a value that became usable gets the next free id (`added_at` is that run), and a value
    that became unusable or disappeared is removed (a placeholder row with a null id,
    deleted by the post-hook). Ids only name nodes inside the graph: cluster keys and
    customer ids do not depend on them, so the two numberings give the same customers.
#}
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key=['identifier_type', 'identifier_value'],
        on_schema_change='fail',
        post_hook="delete from {{ this }} where node_id is null"
    )
}}
with assessment as (
    select * from {{ ref('int_identity__identifier_assessment') }}
),

{% if is_incremental() %}
    added as (
        select
            assessment.identifier_type,
            assessment.identifier_value
        from assessment
        left join {{ this }} as previous
            on assessment.identifier_type = previous.identifier_type
            and assessment.identifier_value = previous.identifier_value
        where assessment.is_usable and previous.node_id is null
    ),

    removed as (
        select
            previous.identifier_type,
            previous.identifier_value
        from {{ this }} as previous
        left join assessment
            on previous.identifier_type = assessment.identifier_type
            and previous.identifier_value = assessment.identifier_value
        where assessment.identifier_value is null or not assessment.is_usable
    ),

    final as (
        select
            (select coalesce(max(node_id), 0) from {{ this }})
            + row_number() over (order by identifier_type, identifier_value) as node_id,
            identifier_type,
            identifier_value,
            {{ cdp.run_started_at_timestamp() }} as added_at
        from added

        union all

        select
            null as node_id,
            identifier_type,
            identifier_value,
            null as added_at
        from removed
    )
{%- else %}
    final as (
        select
            row_number() over (order by identifier_type, identifier_value) as node_id,
            identifier_type,
            identifier_value,
            {{ cdp.run_started_at_timestamp() }} as added_at
        from assessment
        where is_usable
    )
{%- endif %}

select * from final
