{#
    Every source record with the customer it is attributed to in the marts: its stitched
    customer_id when that customer is known (int_identity__known_customers), else null.
    is_erased: the record belongs to a customer who asked to be erased.
    Marts join their rows here by (source, source_record_id).

    Incremental: identity is recomputed every run, but only records whose attribution
    changed (new records, merges, splits, erasures) are written, stamped with this run's
    start in attribution_changed_at and with the stitched id they had before. The
    incremental marts re-emit the rows of exactly these records, and customer_id_merges
    logs the ids that disappeared.
#}
{{
    config(
        materialized='incremental',
        incremental_strategy='merge',
        unique_key=['source', 'source_record_id'],
        on_schema_change='fail'
    )
}}
with record_customers as (
    select * from {{ ref('int_identity__record_customers') }}
),

known_customers as (
    select * from {{ ref('int_identity__known_customers') }}
),

erasure_scope as (
    select * from {{ ref('int_privacy__erasure_scope') }}
),

current_attribution as (
    select
        record_customers.source,
        record_customers.source_record_id,
        known_customers.customer_id,
        record_customers.customer_id as identity_customer_id,
        record_customers.matched_by,
        erasure_scope.record_key is not null as is_erased
    from record_customers
    left join known_customers on record_customers.customer_id = known_customers.customer_id
    left join erasure_scope on record_customers.record_key = erasure_scope.record_key
),

changed as (
    {%- if is_incremental() %}
        select
            current_attribution.*,
            previous_attribution.identity_customer_id as previous_identity_customer_id
        from current_attribution
        left join {{ this }} as previous_attribution
            on current_attribution.source = previous_attribution.source
            and current_attribution.source_record_id = previous_attribution.source_record_id
        where previous_attribution.source is null
            or current_attribution.customer_id is distinct from previous_attribution.customer_id
            or current_attribution.identity_customer_id <> previous_attribution.identity_customer_id
            or current_attribution.matched_by <> previous_attribution.matched_by
            or current_attribution.is_erased <> previous_attribution.is_erased
    {%- else %}
        select
            *,
            cast(null as {{ dbt.type_string() }}) as previous_identity_customer_id
        from current_attribution
    {%- endif %}
),

final as (
    select
        source,
        source_record_id,
        customer_id,
        identity_customer_id,
        matched_by,
        is_erased,
        previous_identity_customer_id,
        {{ cdp.run_started_at_timestamp() }} as attribution_changed_at
    from changed
)

select * from final
