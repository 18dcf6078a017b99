{#
    Every source record with the customer it is attributed to in the marts: its stitched
    customer_id when that customer is known (int_identity__known_customers), else null.
    is_erased: the record belongs to a customer who asked to be erased.
    Marts join their rows here by (source, source_record_id).
#}
with record_customers as (
    select * from {{ ref('int_identity__record_customers') }}
),

known_customers as (
    select * from {{ ref('int_identity__known_customers') }}
),

erasure_scope as (
    select * from {{ ref('int_privacy__erasure_scope') }}
),

final as (
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
)

select * from final
