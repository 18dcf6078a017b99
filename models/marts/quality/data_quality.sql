{#
    The scrap rate of every source at a glance: for each raw contract table, how many rows
    reached staging and how many were rejected, per reason. Shares are of the table's raw
    rows, so the rows of one table add up to 1. An empty table has one `staged` row of 0.
#}
{#- Counted from the staging tables and the quarantine, both already built: reading the
    base views again would rank and validate every raw row a third time. -#}
with rejected_rows as (
    select * from {{ ref('stg_quality__rejected_rows') }}
),

outcomes as (
    {%- for staged in cdp.staged_sources() %}
        select
            '{{ staged.source }}' as source_system,
            '{{ staged.table }}' as source_table,
            'staged' as outcome,
            count(*) as row_count,
            max(_loaded_at) as last_loaded_at
        from {{ ref(staged.stg) }}
        union all
    {%- endfor %}
    select
        case
            {%- for staged in cdp.staged_sources() %}
                when source_table = '{{ staged.table }}' then '{{ staged.source }}'
            {%- endfor %}
        end as source_system,
        source_table,
        rejection_reason as outcome,
        count(*) as row_count,
        max(_loaded_at) as last_loaded_at
    from rejected_rows
    group by source_table, rejection_reason
),

summed as (
    select
        source_system,
        source_table,
        outcome,
        sum(row_count) as row_count,
        max(last_loaded_at) as last_loaded_at
    from outcomes
    group by source_system, source_table, outcome
),

final as (
    select
        source_system,
        source_table,
        outcome,
        outcome <> 'staged' as is_rejected,
        row_count,
        sum(row_count) over (partition by source_table) as raw_rows,
        cast(row_count as double)
        / nullif(sum(row_count) over (partition by source_table), 0) as share_of_raw,
        last_loaded_at
    from summed
)

select * from final
