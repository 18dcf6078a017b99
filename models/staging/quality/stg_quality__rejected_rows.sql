{#
    Every raw row that did not reach staging, with the reason. Together with the staging
    models this accounts for every raw row (tests/quality/assert_every_raw_row_is_accounted_for.sql).

    Incremental: a new delivery changes the rank of every delivery of its record, so a run
    redoes, for each source staged incrementally, the records that received a delivery
    since this table's latest row of that source (rows without a key count as one record);
    the two sources staged whole (CRM accounts, privacy requests) are redone whole. The pre-hook deletes those rows (cdp.rejected_rows_redone_in_this_run)
    and the run writes them again.
#}
{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook=[
            "{% if is_incremental() %}delete from {{ this }} where"
            ~ " {{ cdp.rejected_rows_redone_in_this_run() }}{% endif %}"
        ]
    )
}}
{%- for staged in cdp.staged_sources() if staged.deliveries %}
-- depends_on: {{ ref(staged.deliveries) }}
{%- endfor %}
with rejected as (
    {%- for staged in cdp.staged_sources() %}
        select
            '{{ staged.table }}' as source_table,
            {{ staged.key }} as source_record_id,
            rejection_reason,
            _delivery_rank as delivery_rank,
            _loaded_at
        {%- if is_incremental() and staged.deliveries %}
            from (
                {{ cdp.ranked_deliveries(
                    cdp.rejected_rows_deliveries_to_redo(staged), staged.key, staged.get('updated_at')) }}
            ) as redone
        {%- else %}
            from {{ ref(staged.base) }}
        {%- endif %}
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
