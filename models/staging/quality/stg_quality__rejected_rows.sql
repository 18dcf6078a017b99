{#
    Every raw row that did not reach staging, with the reason. Together with the staging
    models this accounts for every raw row (tests/quality/assert_every_raw_row_is_accounted_for.sql).
#}
with rejected as (
    {%- for staged in cdp.staged_sources() %}
        select
            '{{ staged.table }}' as source_table,
            {{ staged.key }} as source_record_id,
            rejection_reason,
            _delivery_rank as delivery_rank,
            _loaded_at
        from {{ ref(staged.base) }}
        where rejection_reason is not null
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

final as (
    select
        source_table,
        source_record_id,
        rejection_reason,
        delivery_rank,
        _loaded_at
    from rejected
)

select * from final
