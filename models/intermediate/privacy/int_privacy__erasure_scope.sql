{#
    Everything an erasure request removes: every source record stitched to the customer
    the request names (the request reaches its customer through the identifier it carries,
    like any other record). The marts, the identity lookup and the profile snapshot drop
    these records on the next build; `cdp purge-raw` deletes their raw rows and logs what it
    deleted in audit.erasure_log.
#}
with requests as (
    select * from {{ ref('stg_privacy__requests') }}
    where request_type = 'erasure'
),

record_customers as (
    select * from {{ ref('int_identity__record_customers') }}
),

erased_customers as (
    select
        requests.privacy_request_id,
        requests.received_at as requested_at,
        request_records.customer_id
    from requests
    inner join record_customers as request_records
        on request_records.source = 'privacy_requests'
        and requests.privacy_request_id = request_records.source_record_id
),

final as (
    select
        erased_customers.privacy_request_id,
        erased_customers.requested_at,
        erased_customers.customer_id,
        record_customers.record_id,
        record_customers.source,
        record_customers.source_record_id
    from erased_customers
    inner join record_customers on erased_customers.customer_id = record_customers.customer_id
)

select * from final
