{#
    No silent loss: for every raw table, raw rows = staged rows + rejected rows.
    Returns one row per table where the counts disagree.
#}
with counts as (
    {%- for staged in cdp.staged_sources() %}
        select
            '{{ staged.table }}' as source_table,
            (select count(*) from {{ source(staged.source, staged.table) }}) as raw_rows,
            (select count(*) from {{ ref(staged.stg) }}) as staged_rows,
            (
                select count(*) from {{ ref('stg_quality__rejected_rows') }}
                where source_table = '{{ staged.table }}'
            ) as rejected_rows
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}
)

select *
from counts
where raw_rows <> staged_rows + rejected_rows
