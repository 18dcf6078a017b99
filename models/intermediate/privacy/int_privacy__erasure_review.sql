{#
    Customers left after an erasure who carry the exact full name of an erased customer:
    possibly the same person under records identity could not link (say, a loyalty card
    with only a name and a phone). Names are not identifiers, so nothing is erased
    automatically; a privacy officer reviews these before answering the request.
#}
with erasure_scope as (
    select * from {{ ref('int_privacy__erasure_scope') }}
),

source_records as (
    select * from {{ ref('int_identity__source_records') }}
),

golden_records as (
    select * from {{ ref('int_identity__golden_records') }}
),

erased_names as (
    select distinct
        erasure_scope.privacy_request_id,
        lower(source_records.first_name) as first_name,
        lower(source_records.last_name) as last_name
    from erasure_scope
    inner join source_records on erasure_scope.record_id = source_records.record_id
    where source_records.first_name is not null and source_records.last_name is not null
),

final as (
    select distinct
        erased_names.privacy_request_id,
        golden_records.customer_id,
        'same_full_name' as review_reason
    from erased_names
    inner join golden_records
        on erased_names.first_name = lower(golden_records.first_name)
        and erased_names.last_name = lower(golden_records.last_name)
)

select * from final
