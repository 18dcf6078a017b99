{#
    Rank the deliveries of one record: 1 is the version staging keeps (latest business
    update, then latest load). Every other rank is a collapsed re-delivery or an older
    version, reported as such in stg_quality__rejected_rows.
#}
{% macro dedupe_rank(key, order_by) -%}
    row_number() over (
        partition by {{ key }}
        order by {{ order_by }}
    )
{%- endmacro %}


{#
    The order in which deliveries of one record compete: valid ones first, then the latest
    business update (`updated_at`, for records that carry one), then the latest load, and
    among deliveries that tie on all three (two versions in one batch, a retried file) the
    largest fingerprint of their content, so that the winner never depends on the order the
    engine reads the rows in. Shared by the base models and the incremental staging path
    (macros/incremental/incremental.sql), which must pick the same winner.
    valid_first: false for the sources without a validity check (`_invalid_reason`).
#}
{% macro delivery_order(updated_at=none, valid_first=true) -%}
    {%- if valid_first %}(_invalid_reason is not null), {% endif -%}
    {%- if updated_at %}{{ updated_at }} desc nulls last, {% endif -%}
    _loaded_at desc, _delivery_fingerprint desc
{%- endmacro %}


{#
    `_delivery_fingerprint` of a raw row: a hash of every column of the raw table but the
    landing time (cdp.row_hash), so two deliveries with the same content have the same
    fingerprint. Only ever compared within one warehouse, as the last tie-break of
    cdp.delivery_order. The columns are read from the raw table when the model runs, so a
    column a loader adds is taken in too. `relation`: the model's source().
#}
{% macro delivery_fingerprint(relation) -%}
    {%- set columns = [] -%}
    {%- if execute -%}
        {%- for column in adapter.get_columns_in_relation(relation)
            if column.name | lower != '_loaded_at' -%}
            {%- do columns.append(adapter.quote(column.name)) -%}
        {%- endfor -%}
    {%- endif -%}
    {{ cdp.row_hash(columns or ['null']) }}
{%- endmacro %}


{#
    Every delivery of `deliveries` (a *_deliveries base model: one row per raw row, with
    `_invalid_reason`) with its rank among the deliveries of the same record, the first load
    of a valid delivery, and the reason it does not reach staging, if any. The body of the
    base models of the incrementally staged sources, and of the incremental path of
    stg_quality__rejected_rows, which passes only the deliveries of the records that received
    one (cdp.rejected_rows_deliveries_to_redo: whole records only).
#}
{% macro ranked_deliveries(deliveries, key, updated_at=none) -%}
    select
        *,
        {{ cdp.rejection_reason(key, invalid_reason='_invalid_reason') }} as rejection_reason
    from (
        select
            *,
            {{ cdp.dedupe_rank(key, cdp.delivery_order(updated_at)) }} as _delivery_rank,
            -- first *valid* delivery: what the incremental build can know without re-reading
            -- old defective deliveries (macros/incremental/incremental.sql)
            min(case when _invalid_reason is null then _loaded_at end) over (partition by {{ key }})
                as _first_loaded_at
        from {{ deliveries }}
    ) as ranked
{%- endmacro %}
