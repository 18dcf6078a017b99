{#
    The source lookup: every source record and every identifier it carries, with the
    stitched customer_id and the rule that attached the record to that customer.
    A record without any identifier appears once, with null identifier columns. Records of
    customers who asked to be erased are left out.
#}
with record_customers as (
    select * from {{ ref('int_identity__record_customers') }}
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
        record_customers.first_loaded_at
    from record_customers
    left join identifiers on record_customers.record_key = identifiers.record_key
    left join assessment
        on identifiers.identifier_type = assessment.identifier_type
        and identifiers.identifier_value = assessment.identifier_value
    where record_customers.record_key not in (select erasure_scope.record_key from erasure_scope)
)

select * from final
