{#
    The source lookup: every source record and every identifier it carries, with the
    stitched customer_id and the rule that attached the record to that customer.
    A record without any identifier appears once, with null identifier columns. Records of
    customers who asked to be erased are left out.

    Incremental: the pre-hook deletes the rows of the records changed in this run
    (cdp.identity_records_changed_in_this_run: new, re-delivered, attributed or matched
    differently, erased, or carrying a value whose usability changed) and the run writes
    them again; every other record keeps its rows. The rows of records that left identity
    (int_identity__removed_records) are deleted too. `stitched_at` tells which run wrote a
    record's rows, so the pseudonymized copy (macros/privacy) can follow the same delta.
#}
{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook=[
            "{% if is_incremental() %}delete from {{ this }} where (source, source_record_id) in"
            ~ " (select source, source_record_id from {{ ref('int_identity__source_records') }}"
            ~ " where record_id in ({{ cdp.identity_records_changed_in_this_run() }})"
            ~ " union all select source, source_record_id"
            ~ " from {{ ref('int_identity__removed_records') }}){% endif %}"
        ]
    )
}}
-- depends_on: {{ ref('int_records__attributed') }}
-- depends_on: {{ ref('int_identity__source_records') }}
-- depends_on: {{ ref('int_identity__removed_records') }}
with record_customers as (
    select * from {{ ref('int_identity__record_customers') }}
    {%- if is_incremental() %}
    where record_id in ({{ cdp.identity_records_changed_in_this_run() }})
    {%- endif %}
),

identifiers as (
    select * from {{ ref('int_identity__identifiers') }}
),

assessment as (
    select * from {{ ref('int_identity__identifier_assessment') }}
),

erasure_scope as (
    select * from {{ ref('int_privacy__erasure_scope') }}
),

final as (
    select
        record_customers.customer_id,
        record_customers.source,
        record_customers.source_record_id,
        identifiers.identifier_type,
        identifiers.identifier_value,
        assessment.is_usable as is_identifier_used_for_stitching,
        assessment.unusable_reason as identifier_unusable_reason,
        record_customers.matched_by,
        record_customers.first_loaded_at,
        {{ cdp.run_started_at_timestamp() }} as stitched_at
    from record_customers
    left join identifiers on record_customers.record_id = identifiers.record_id
    left join assessment on identifiers.value_id = assessment.value_id
    where record_customers.record_id not in (select erasure_scope.record_id from erasure_scope)
)

select * from final
